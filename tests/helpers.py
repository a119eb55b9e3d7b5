"""Paths and small helpers shared by the tests (imported by name: conftest modules are not)."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHOTS = ROOT / "test-output" / "screenshots"


def copy_kit(target: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """The kit's tracked files, as a student's clone has them, without the folders in
    `leave_out` (e.g. "src/" to prove an installed library serves the copy)."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listing.stdout.decode().split("\0")):
        if name.startswith(leave_out) or not (ROOT / name).is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


GIT_ENV = {  # who commits in a test's own repository
    "GIT_AUTHOR_NAME": "Instructor",
    "GIT_AUTHOR_EMAIL": "instructor@example.org",
    "GIT_COMMITTER_NAME": "Instructor",
    "GIT_COMMITTER_EMAIL": "instructor@example.org",
}


def git(repo: Path, *args: str) -> str:
    """git's output in `repo`; a failing git command fails the test."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def instructor_repo(target: Path) -> Path:
    """A private clone-like copy of the kit (its tracked files, as they are now), the whole
    tree committed on main: what a teacher adopting the kit has. The caller sets git's
    author and committer (GIT_AUTHOR_NAME, …) in the environment."""
    copy_kit(target)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "The kit"]):
        git(target, *args)
    return target


def once_per_run(tmp_path_factory, name: str, make):
    """`make(folder)`'s value, made once per test run: pytest-xdist gives each worker session
    fixtures of its own, so the first worker that asks makes it (in a folder of this run's
    temporary tree), under a lock, and the others wait for it and read the same value."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # this run's
    saved = shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            folder = shared / name
            folder.mkdir()
            saved.write_bytes(pickle.dumps(make(folder)))
        return pickle.loads(saved.read_bytes())


FIGURE = "application/vnd.plotly.v1+json"
WIDGET = "application/vnd.jupyter.widget-view+json"


def stored_outputs(notebook: str, mime: str = FIGURE) -> int:
    """How many outputs of this type a notebook (a path under the kit) is committed with:
    plotly figures by default, widget views with WIDGET."""
    path = ROOT / notebook
    if not path.exists():
        return 0
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells for o in c.get("outputs", []) if mime in o.get("data", {}))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def wait_for_figures(page, count: int, within: str = "") -> int:
    """Wait (on the page, not the clock) until `count` plotly figures are drawn (inside the
    elements `within` selects, if given); returns how many there are after at most 30 s."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    drawn = f"{within} .js-plotly-plot .main-svg".strip()
    script = f"() => document.querySelectorAll({json.dumps(drawn)}).length >= {count}"
    try:
        page.wait_for_function(script, timeout=30_000)
    except PlaywrightTimeout:
        pass  # the assertion below reports the count
    return page.locator(drawn).count()
