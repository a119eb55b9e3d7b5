"""`fournos update`: get the new version of the kit and keep every edit the student made.

The merge is nbgitpuller's, the same one a JupyterHub's nbgitpuller link does
(`nbgitpuller.GitPuller`): the student's changes to the kit's files are committed, the
instructor's new version is merged in, and where both changed the same lines the
student's version is kept; a file the student deleted comes back; a new file of the
student's that the update would overwrite is renamed first. my-work/ is ignored by git, so
no update ever reads or writes it. This module only finds the kit's clone, runs the pull,
and says in plain words what happened.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fournos.commands import venv_script
from fournos.edition import describe, stamp
from fournos.friendly_errors import counted
from fournos.kit import KitNotFound, current_kit

PACKAGE_FILES = {"pyproject.toml", "requirements-lock.txt"}


class UpdateProblem(Exception):
    """Something stops the update; the message says what to do."""


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, args, result.stdout, result.stderr)
    return result.stdout.strip()


def clone_of(root: Path) -> tuple[str, str]:
    """(address of the kit's origin, branch) of the clone at `root`, or an UpdateProblem."""
    if shutil.which("git") is None:
        raise UpdateProblem(
            "Updating needs git, which is not installed. Install git (git-scm.com), or "
            "download the new version of the kit and copy your my-work/ folder into it."
        )
    try:
        top = Path(git(root, "rev-parse", "--show-toplevel")).resolve()
    except subprocess.CalledProcessError:
        top = None
    if top != root.resolve():
        raise UpdateProblem(
            f"{root} is not a git clone of the kit (it was probably downloaded as a zip), so "
            "it cannot update itself. Download the new version, then copy your my-work/ "
            "folder into it."
        )
    try:
        url = git(root, "remote", "get-url", "origin")
    except subprocess.CalledProcessError:
        raise UpdateProblem(
            "This clone has no 'origin' to update from. Add the kit's address with "
            "`git remote add origin ADDRESS` and try again."
        ) from None
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise UpdateProblem(
            "This clone is not on a branch (a 'detached HEAD'), so there is nothing to update. "
            "Run `git switch main` (or the branch your instructor named) and try again."
        )
    return url, branch


def changed_by_student(root: Path) -> tuple[list[str], list[str]]:
    """Tracked files the student (changed, deleted) since the last update."""
    changed = git(root, "diff", "--name-only", "--diff-filter=d", "HEAD").splitlines()
    deleted = git(root, "diff", "--name-only", "--diff-filter=D", "HEAD").splitlines()
    return sorted(set(changed)), sorted(set(deleted))


def pull(root: Path, url: str, branch: str) -> list[str]:
    """nbgitpuller's fetch-and-merge; returns git's own output lines."""
    from nbgitpuller import GitPuller

    said: list[str] = []
    try:
        for line in GitPuller(url, str(root), branch=branch).pull():
            said.append(line)  # noqa: PERF402 - kept line by line for the error message
    except Exception as err:  # noqa: BLE001 - git's and nbgitpuller's errors, explained below
        if (root / ".git" / "MERGE_HEAD").exists():  # a merge that stopped half-way
            git(root, "merge", "--abort")
        detail = getattr(err, "stderr", None) or "".join(said[-4:]) or str(err)
        raise UpdateProblem(
            f"Could not get the new version from {url}. Are you online? Git said:\n"
            f"{str(detail).strip() or type(err).__name__}\nYour files are as they were; "
            "try again later, or show this message to your instructor."
        ) from None
    return said


def _merged(root: Path) -> bool:
    """Whether the update merged (HEAD has two parents: the student's and the update's)."""
    return len(git(root, "rev-list", "--parents", "-n1", "HEAD").split()) == 3


def repair_notebooks(root: Path, files: list[str]) -> list[str]:
    """A line-by-line merge can, rarely, leave a notebook that is no longer valid JSON. Put
    the new version back in its place and keep the student's as NAME-mine.ipynb."""
    repaired = []
    for name in files:
        path = root / name
        if path.suffix != ".ipynb" or not path.exists():
            continue
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            mine = path.with_name(f"{path.stem}-mine.ipynb")
            if not _merged(root):
                continue  # the file is as the student left it
            mine.write_text(git(root, "show", f"HEAD^1:{name}") + "\n", encoding="utf-8")
            path.write_text(git(root, "show", f"HEAD^2:{name}") + "\n", encoding="utf-8")
            repaired.append(name)
    return repaired


def _what_was_written(name: str, text: str) -> str:
    """The part of a file people write: for a notebook, its cells' text, one line per line,
    since outputs and run counts differ whenever a notebook is run and are made again."""
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(text)["cells"]
        except (ValueError, KeyError, TypeError):
            return text + "\n"
        sources = ("".join(c.get("source", "")) for c in cells if isinstance(c, dict))
        return "\n".join(f"# cell\n{source}" for source in sources) + "\n"
    return text + "\n"


def overruled(root: Path, files: list[str]) -> list[str]:
    """Files where the update changed lines the student had also changed, so the merge kept
    the student's lines and not the update's there. The update's version of each is written
    beside it as NAME-update.EXT, so nothing the instructor sent is lost without a word."""
    if not _merged(root):
        return []  # nothing was combined
    base = git(root, "merge-base", "HEAD^1", "HEAD^2")
    found = []
    for name in files:
        with tempfile.TemporaryDirectory() as folder:
            sides = []
            for side, rev in (("mine", "HEAD^1"), ("base", base), ("theirs", "HEAD^2")):
                try:
                    text = git(root, "show", f"{rev}:{name}")
                except subprocess.CalledProcessError:
                    break  # new or deleted on one side: no lines to overrule
                sides.append(Path(folder) / side)
                sides[-1].write_text(_what_was_written(name, text), encoding="utf-8")
            else:
                # git merge-file's exit status is the number of conflicts (-p: files untouched)
                merge = subprocess.run(
                    ["git", "merge-file", "-q", "-p", *map(str, sides)],
                    capture_output=True,
                    check=False,
                )
                if merge.returncode > 0:
                    path = root / name
                    beside = path.with_name(f"{path.stem}-update{path.suffix}")
                    beside.write_text(git(root, "show", f"HEAD^2:{name}") + "\n", encoding="utf-8")
                    found.append(name)
    return found


def last_update(root: Path, branch: str) -> str:
    """The version of the kit this clone last took (its copy of origin's branch)."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}")
    except subprocess.CalledProcessError:
        return git(root, "rev-parse", "HEAD")


def update(root: Path) -> str:
    """Update the clone at `root`; returns the report for the student."""
    url, branch = clone_of(root)
    mine, deleted = changed_by_student(root)
    before = last_update(root, branch)
    old_version = describe(stamp(root), root)
    pull(root, url, branch)
    new_version = describe(stamp(root), root)
    theirs = git(root, "diff", "--name-only", before, f"origin/{branch}").splitlines()
    restored = [f"{name} was missing (deleted?): the kit's copy is back" for name in deleted]
    if not theirs:
        return "\n".join(
            [
                (
                    f"The kit is already up to date ({new_version}): nothing new. "
                    "my-work/ was not touched."
                ),
                *restored,
            ]
        )
    lines = [
        f"Updated the kit from {url} ({branch}),",
        f"  from {old_version}",
        f"  to   {new_version}.",
        f"{counted(len(theirs), 'file')} {'is' if len(theirs) == 1 else 'are'} new or changed:",
    ]
    lines += [f"  {name}" for name in theirs]
    kept = sorted(set(mine))
    if kept:
        lines.append(
            f"Your own changes to {counted(len(kept), 'file')} were kept (where you and the update "
            "changed the same lines, your version was kept):"
        )
        lines += [f"  {name}" for name in kept]
    both = sorted(set(theirs) & set(kept))
    repaired = repair_notebooks(root, both)
    for name in repaired:
        lines.append(
            f"  {name} could not be combined: it is now the new version, and yours is saved "
            f"next to it as {Path(name).stem}-mine.ipynb."
        )
    for name in overruled(root, [n for n in both if n not in repaired]):
        path = Path(name)
        lines.append(
            f"  {name}: you and the update changed the same lines, and your version was kept "
            f"there. The update's version is next to it as {path.stem}-update{path.suffix}: "
            "compare them and copy what you want from it."
        )
    lines += restored
    lines.append("my-work/ was not touched.")
    if PACKAGE_FILES & set(theirs):
        lines.append(
            "The kit now needs other package versions: stop JupyterLab (Ctrl-C twice) and "
            "start it again with `make lab` (without make: `python scripts/install.py`, then "
            f"`{venv_script()} lab`)."
        )
    else:
        lines.append(
            "If JupyterLab is open, reopen the changed notebooks (File > Reload Notebook from "
            "Disk) to see the new version."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="fournos update",
        description="Get the new version of the kit from where it was cloned, keeping every "
        "change you made. Your my-work/ folder is never touched.",
    ).parse_args(argv)
    try:
        print(update(current_kit()))
    except (KitNotFound, UpdateProblem) as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
