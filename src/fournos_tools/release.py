"""Release the students' edition: build it once, scan it, publish it where asked.

`python -m fournos release --out DIR | --zip FILE | --branch student` (`make release`).

The work is split by what it does:
- edition_contents: what the edition is made of (the allow-list, the parts never shipped);
- edition_build: the edition written into a folder (README.student.md as its README, the
  release stamp), scanned, and removed whole on any leak;
- leak_scan: the scan for model-answer lines, instructor sentences and the meaning of model
  answers (expressions, collections, single ids or values, and library functions that
  return one), also used by `fournos exercises`;
- publish: the zip, and the next commit of the students' branch (release commits only).
This module ties them together and is the command line. This is nbgrader's source/release
split: the full repository stays the instructors' source.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from fournos.kit import current_kit
from fournos_tools.edition_build import ASK_FOR_ADDRESS, build, release_stamp
from fournos_tools.edition_contents import FILES, FOLDERS, ReleaseError, _git, _is_git_repo
from fournos_tools.leak_scan import scan_branch, scan_folder, secrets
from fournos_tools.publish import commit_to_branch, write_zip

__all__ = ["ReleaseError", "build", "main", "release", "scan_folder", "secrets"]


def release(
    out: Path | None = None,
    zip_path: Path | None = None,
    branch: str | None = None,
    repo_url: str | None = None,
    root: Path | None = None,
) -> dict:
    """Build the edition once and publish it to each place asked for. Returns a summary."""
    root = root or current_kit()
    summary: dict = {"repo_url": repo_url}
    stamp = release_stamp(root, branch or "student")
    summary["stamp"] = stamp
    with tempfile.TemporaryDirectory() as tmp:
        edition = out if out is not None else Path(tmp) / "edition"
        files = build(edition, root, branch or "student", repo_url, stamp)
        summary["files"] = len(files)
        if out is not None:
            summary["folder"] = out
        if zip_path is not None:
            write_zip(edition, zip_path)
            summary["zip"] = zip_path
        if _is_git_repo(root):
            status = _git(root, "status", "--porcelain", "--", *FOLDERS, *FILES).stdout
            lines = status.splitlines()
            summary["uncommitted"] = [ln[3:] for ln in lines if not ln.startswith("??")]
            summary["untracked"] = [ln[3:] for ln in lines if ln.startswith("??")]
        if branch is not None:
            if not _is_git_repo(root):
                raise ReleaseError("--branch needs the kit to be a git clone.")
            commit = commit_to_branch(edition, root, branch, stamp)
            leaks = scan_branch(root, branch, secrets(root))
            if leaks:
                raise ReleaseError(f"The branch {branch} holds instructor text: {leaks[0]}")
            summary["branch"] = (branch, commit)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos release",
        description="Build the students' edition of the kit: no solutions, no instructor "
        "guide, no model answer or rubric text (every file is scanned before anything is "
        "published).",
    )
    parser.add_argument("--out", type=Path, help="write the edition into this new folder")
    parser.add_argument("--zip", type=Path, dest="zip_path", help="write the edition as a zip")
    parser.add_argument(
        "--branch", help="commit the edition as the next release on this branch (e.g. student)"
    )
    parser.add_argument(
        "--repo-url",
        help="the address students clone from (where you publish the students' branch), for "
        "their README's clone line; without it the line asks students to get it from you",
    )
    args = parser.parse_args(argv)
    if not (args.out or args.zip_path or args.branch):
        parser.error("say where the edition goes: --out DIR, --zip FILE and/or --branch NAME")
    try:
        summary = release(args.out, args.zip_path, args.branch, args.repo_url)
    except ReleaseError as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 1
    stamp = summary["stamp"]
    print(
        f"Students' edition, release {stamp['release']} of kit {stamp['version']} "
        f"({stamp['date']}, from {stamp['commit'] or 'uncommitted files'}): "
        f"{summary['files']} files; no instructor text found in any."
    )
    if not summary.get("repo_url"):
        print(
            "  note: no --repo-url given, so the students' README asks them to get the clone "
            f"address from you ({ASK_FOR_ADDRESS}). Give --repo-url ADDRESS (where you publish "
            "the students' branch) to fill it in."
        )
    if summary.get("uncommitted"):
        shown = ", ".join(summary["uncommitted"][:5])
        print(f"  note: it includes changes you have not committed yet ({shown})")
    if summary.get("untracked"):
        shown = ", ".join(summary["untracked"][:5])
        print(f"  note: it leaves out files git does not track yet ({shown}); git add them")
    if "folder" in summary:
        print(f"  folder  {summary['folder']}")
    if "zip" in summary:
        print(f"  zip     {summary['zip']}")
    if "branch" in summary:
        name, commit = summary["branch"]
        if commit is None:
            print(f"  branch  {name}: unchanged since the last release (no new commit)")
        else:
            print(f"  branch  {name}: new release commit {commit[:10]}")
            print(f"Publish it where students can read it: git push <remote> {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
