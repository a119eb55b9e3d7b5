"""Publish a built edition: as a zip (the same edition always gives the same zip) and as the
next commit of the students' branch, whose history holds release commits only, each on top of
the previous release, so that students' nbgitpuller pulls merge as ordinary updates."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

import nbformat

from fournos.edition import STAMP
from fournos_tools.edition_contents import (
    RELEASE_TRAILER,
    START_PAGE,
    VERSION_CELL,
    ReleaseError,
    _git,
)


def _without_stamp(nb) -> list:
    return [
        (c.cell_type, c.source, [] if c.source.strip() == VERSION_CELL else c.get("outputs", []))
        for c in nb.cells
    ]


def _same_but_stamp(repo: Path, parent: str, edition_dir: Path) -> bool:
    """True when the start page differs from the last release's only in its version line."""
    before = _git(repo, "show", f"{parent}:{START_PAGE}", check=False).stdout
    if not before:
        return False
    old = nbformat.reads(before, as_version=4)
    new = nbformat.read(edition_dir / START_PAGE, as_version=4)
    return _without_stamp(old) == _without_stamp(new)


def write_zip(edition: Path, zip_path: Path, folder_name: str = "fournos") -> None:
    """Zip the edition under one top folder, files in order with a fixed date, so the same
    edition always gives the same zip."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in edition.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder_name}/{path.relative_to(edition).as_posix()}")
            info.date_time = (2026, 1, 1, 0, 0, 0)
            info.external_attr = (path.stat().st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(zip_path)


def _release_history_only(repo: Path, ref: str) -> None:
    log = _git(repo, "log", "--format=%H%x00%B%x01", ref).stdout
    for record in filter(str.strip, log.split("\x01")):
        commit, message = record.strip().split("\x00", 1)
        if RELEASE_TRAILER not in message:
            raise ReleaseError(
                f"{ref} holds commit {commit[:10]}, which is not a release commit (no "
                f"'{RELEASE_TRAILER}' line). A students' branch must hold releases only: "
                "name another branch, or delete this one if it was made by mistake."
            )


def commit_to_branch(edition: Path, repo: Path, branch: str, stamp: dict) -> str | None:
    """Commit the edition as the next release on `branch` without touching the instructors'
    working tree, index or HEAD (a private index; git plumbing). The first release has no
    parent; each later one has the previous release as its only parent. Returns the new
    commit, or None when the edition is unchanged since the last release."""
    ref = f"refs/heads/{branch}"
    head = _git(repo, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
    if head == ref:
        raise ReleaseError(f"{branch} is the branch checked out here; switch away from it first.")
    parent = _git(repo, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False)
    parent = parent.stdout.strip() or None
    if parent:
        _release_history_only(repo, ref)
    git_dir = _git(repo, "rev-parse", "--absolute-git-dir").stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_DIR": git_dir}
        env["GIT_WORK_TREE"] = str(edition)

        def git(*args: str) -> str:
            try:
                return _git(edition, *args, env=env).stdout.strip()
            except subprocess.CalledProcessError as err:
                raise ReleaseError(f"git {args[0]} failed: {err.stderr.strip()}") from None

        git("add", "--all", "--force", ".")
        tree = git("write-tree")
        if parent:  # the stamp (number, date) alone is no new release
            changed = git("diff-index", "--cached", "--name-only", parent, "--").split("\n")
            changed = [c for c in changed if c and c != STAMP]
            if all(c == START_PAGE and _same_but_stamp(repo, parent, edition) for c in changed):
                return None
        source = stamp.get("commit", "")
        version = f"{stamp['release']} (kit {stamp['version']}, {stamp['date']})"
        message = (
            f"Students' release {version}\n\n"
            "The students' edition of the kit (no solutions, no instructor guide), built by "
            f"`fournos release`{' from ' + source if source else ''}.\n\n"
            f"{RELEASE_TRAILER} {stamp['version']}\n"
        )
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = git(*args)
        git("update-ref", ref, commit, parent or "0" * 40)
    return commit
