"""What the students' edition is made of: the allow-list of the kit's files and folders, the
parts never shipped, and the kit's own files as git tracks them. The other release modules
(edition_build, leak_scan, publish) start from here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from fournos.kit import current_kit

# What the students' edition is made of (paths relative to the kit root).
FILES = [
    "pyproject.toml",
    "requirements-lock.txt",
    "requirements-overrides.txt",
    "scripts/install.py",  # make lab's set-up, online or from the wheelhouse
    "scripts/wheels.py",  # make wheels: the offline folder for a class with no internet
    "environment.yml",
    "Makefile",
    ".gitignore",
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
]
FOLDERS = ["notebooks", "exercises", "data", "src/fournos", "jupyter-config", "tests"]
STUDENT_README = "README.student.md"
# Never in an edition, whatever the lists above say; the build checks it.
NEVER = ("solutions", "instructors", "instructors.mk", "src/fournos_tools")
# A test file that mentions a part the edition leaves out cannot run there: it stays out.
LEFT_OUT_PARTS = re.compile(
    r"fournos_tools|\bsolutions\b|\binstructors\b|\bscripts\b|\.ci\b|\bsite\b"
)
SKIP_NAMES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"}
RELEASE_TRAILER = "Fournos-Release:"
VERSION_CELL = "print(fournos.edition())"
START_PAGE = "notebooks/00_start_here.ipynb"


class ReleaseError(Exception):
    """The edition cannot be built or published safely; the message says why."""


def _git(root: Path, *args: str, env: dict | None = None, text: bool = True, check=True):
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=text,
        env=None if env is None else {**os.environ, **env},
        check=check,
    )


def _is_git_repo(root: Path) -> bool:
    return (root / ".git").exists() and shutil.which("git") is not None


def source_files(root: Path | None = None) -> list[str]:
    """The kit's own files (relative paths): git's tracked files in a clone, so that
    untracked work (my-work/, submissions, grading results, .venv) never gets in; every file
    otherwise (a kit unpacked from a zip)."""
    root = root or current_kit()
    if _is_git_repo(root):
        out = _git(root, "ls-files", "-z").stdout
        return sorted(p for p in out.split("\0") if p and (root / p).is_file())
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP_NAMES & set(rel.parts) and ".venv" not in rel.parts:
            files.append(rel.as_posix())
    return sorted(files)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def kit_version(root: Path | None = None) -> str:
    root = root or current_kit()
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
