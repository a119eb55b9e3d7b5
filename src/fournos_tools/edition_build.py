"""Build the students' edition into a folder: the allow-listed files unchanged, README.student.md
as its README, RELEASE.json (the release stamp) and the start page's version line; then scan
it (leak_scan) and remove it whole if anything would give an answer away."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat

from fournos.edition import STAMP, edition
from fournos.kit import current_kit
from fournos_tools.edition_contents import (
    FILES,
    FOLDERS,
    LEFT_OUT_PARTS,
    NEVER,
    START_PAGE,
    STUDENT_README,
    VERSION_CELL,
    ReleaseError,
    _git,
    _is_git_repo,
    _under,
    kit_version,
    source_files,
)
from fournos_tools.exercises import student_version
from fournos_tools.leak_scan import (
    _read_text,
    find_leaks_in,
    find_meaning_leaks,
    model_answer_lines,
    scan_folder,
    secrets,
)


def edition_files(root: Path | None = None) -> list[str]:
    """The kit files that go into the students' edition, before rewriting."""
    root = root or current_kit()
    chosen = []
    for path in source_files(root):
        if any(_under(path, never) for never in NEVER):
            continue
        if path in FILES or any(_under(path, folder) for folder in FOLDERS):
            if _under(path, "tests") and path.endswith(".py") and not _test_fits(root, path):
                continue
            chosen.append(path)
    return chosen


def _test_fits(root: Path, rel: str) -> bool:
    """A test goes into the edition if it runs there and gives no answer away: not the
    browser or attack suites (Chromium, the grader), not a test that mentions a part the
    edition leaves out, not a test holding a model-answer line (the checks' own tests build
    right answers)."""
    if Path(rel).parent.name in {"browser", "attacks", "instructors"}:
        return False
    text = _read_text(root / rel)
    if LEFT_OUT_PARTS.search(text):
        return False
    return not find_leaks_in({rel: text}, model_answer_lines(root)) and not (
        find_meaning_leaks({rel: text}, root)
    )


ASK_FOR_ADDRESS = "THE-ADDRESS-YOUR-INSTRUCTOR-GIVES-YOU"


def student_readme(root: Path, branch: str, repo_url: str | None) -> str:
    """README.student.md with the clone address and branch filled in. `{{repo_url}}` and
    `{{branch}}` are its two fill-ins; the HTML comment at its top (notes for the
    instructor) is dropped. The address is never guessed (the instructors' own `origin`
    has no students' branch): without `--repo-url` the clone line plainly asks for it."""
    template = (root / STUDENT_README).read_text(encoding="utf-8")
    template = re.sub(r"\A\s*<!--.*?-->\s*", "", template, flags=re.DOTALL)
    address = repo_url or ASK_FOR_ADDRESS
    text = template.replace("{{repo_url}}", address).replace("{{branch}}", branch)
    if not repo_url:
        text = text.replace(
            f"{ASK_FOR_ADDRESS} fournos`",
            f"{ASK_FOR_ADDRESS} fournos` (ask your instructor for the course's address and "
            f"put it in place of {ASK_FOR_ADDRESS})",
            1,
        )
    return text


def release_stamp(root: Path, branch: str, when: str | None = None) -> dict:
    """What RELEASE.json in the edition says: the kit's version, this release's number (one
    more than the releases already on `branch`), its date and the instructors' commit."""
    import datetime

    count = 0
    if _is_git_repo(root):
        ref = f"refs/heads/{branch}"
        if _git(root, "rev-parse", "--verify", "-q", ref, check=False).stdout.strip():
            count = int(_git(root, "rev-list", "--count", ref).stdout.strip() or 0)
    commit = ""
    if _is_git_repo(root):
        commit = _git(root, "rev-parse", "--short", "HEAD", check=False).stdout.strip()
    return {
        "version": kit_version(root),
        "release": count + 1,
        "date": when or datetime.date.today().isoformat(),
        "commit": commit,
    }


def stale_exercises(root: Path | None = None) -> list[str]:
    """Exercise notebooks that are not what `fournos exercises` makes from solutions/ now
    (a solution fixed without regenerating): the students would get the old version."""
    root = root or current_kit()
    stale = []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        made = student_version(nbformat.read(path, as_version=4))
        target = root / "exercises" / path.name
        if not target.is_file():
            stale.append(path.name)
            continue
        have = nbformat.read(target, as_version=4)
        if [(c.cell_type, c.source) for c in made.cells] != [
            (c.cell_type, c.source) for c in have.cells
        ]:
            stale.append(path.name)
    return stale


def build(
    out: Path,
    root: Path | None = None,
    branch: str = "student",
    repo_url: str | None = None,
    stamp: dict | None = None,
) -> list[str]:
    """Write the students' edition into `out` (which must not exist or be empty), scan it,
    and return its files. Raises ReleaseError (and removes `out`) on any leak."""
    root = root or current_kit()
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: give a new folder for the edition.")
    stale = stale_exercises(root)
    if stale:
        raise ReleaseError(
            f"exercises/ is older than solutions/ ({', '.join(stale)}): run "
            "`python -m fournos exercises` (make exercises), commit, and release again."
        )
    if not (root / STUDENT_README).is_file():
        raise ReleaseError(f"{STUDENT_README} is missing: it becomes the edition's README.")
    files = edition_files(root)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for rel in files:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, target)
        (out / "README.md").write_text(student_readme(root, branch, repo_url), encoding="utf-8")
        stamp = stamp or release_stamp(root, branch)
        (out / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        stamp_start_page(out)
        leaks = scan_folder(out, secrets(root))
        if leaks:
            name, text = leaks[0]
            raise ReleaseError(
                f"{len(leaks)} piece(s) of instructor text would reach students, "
                f"e.g. in {name}: {text[:120]!r}. Nothing was released."
            )
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def stamp_start_page(edition_dir: Path) -> None:
    """Store the release's own version line as the output of the start page's version cell,
    so the start page names the release before a cell is run (and nbval agrees)."""
    path = edition_dir / START_PAGE
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip() == VERSION_CELL:
            text = edition(edition_dir) + "\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, path)
