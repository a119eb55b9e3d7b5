"""Read one submitted notebook as untrusted data: which exercise notebook it is, the code to
run, where to export each answer, the written answers. Never raises for a bad file."""

from __future__ import annotations

import ast
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from fournos_tools.grading.manifest import ANSWER_HEADER, HEADING, check_calls, is_check_cell

MAX_BYTES = 20_000_000
# the code the grader's own process parses, per notebook (the kit's longest solution holds
# 14 code cells and 4,000 characters of code): more is refused before any of it is parsed
MAX_CODE_CHARS = 300_000
MAX_CODE_CELLS = 500
UNREADABLE = "could not be read: not a valid notebook file"
TOO_LARGE = f"not graded: the file is larger than {MAX_BYTES // 1_000_000} MB"
UNKNOWN_NOTEBOOK = "not graded: not one of the kit's exercise notebooks"
LINKED = "refused: a symbolic link, or a file outside the submissions folder"
NOT_A_FILE = "refused: not a regular file (a named pipe, socket or device)"
TOO_MUCH_CODE = (
    f"not graded: more code than an exercise notebook holds (over {MAX_CODE_CELLS} code "
    f"cells or {MAX_CODE_CHARS:,} characters of code)"
)
PROMPT = "*Write your answer here.*"
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Submission:
    path: Path
    relative: str
    notebook: str = ""
    status: str = ""  # set when the file cannot be graded at all
    cells: list[str] = field(default_factory=list)  # the code to run, in order
    sources: list[str] = field(default_factory=list)  # every code cell (for error messages)
    exports: list[dict] = field(default_factory=list)
    written: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _text(source) -> str | None:
    """A cell's source as text that can be written anywhere: a lone surrogate (`\\ud800` in
    the file's JSON) becomes '?', as it cannot be written as UTF-8."""
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = "".join(source)
    if isinstance(source, str):
        return source.encode("utf-8", "replace").decode("utf-8")
    return None


def identify(path: Path, cells: list[dict], manifest: dict) -> str:
    """Which exercise notebook this is: by file name, else by the cells it kept, else ''."""
    names = manifest["notebooks"]
    lowered = path.name.lower()
    by_name = [n for n in names if n.lower() in lowered]
    if len(by_name) == 1:
        return by_name[0]
    ids = {c.get("id") for c in cells if isinstance(c, dict) and isinstance(c.get("id"), str)}
    scores = {n: len(ids & set(entry["cell_ids"])) for n, entry in names.items()}
    title_hits = [
        n
        for n, entry in names.items()
        if entry["title"]
        and any(
            entry["title"] in (_text(c.get("source")) or "") for c in cells if isinstance(c, dict)
        )
    ]
    if len(title_hits) == 1:
        return title_hits[0]
    best = max(scores, key=scores.get, default="")
    if best and scores[best] >= 3 and list(scores.values()).count(scores[best]) == 1:
        return best
    return ""


def shown_name(path: Path, root: Path) -> str:
    """The submission's name as results show it: bytes that are not UTF-8 (a name zipped on
    another system) and control characters shown as \\xNN, so that every file written about
    it can be written and every line printed about it is plain text."""
    raw = os.fsencode(path.relative_to(root).as_posix())
    text = raw.decode("utf-8", "backslashreplace")
    # control characters as \xNN too: a name is printed to the instructor's terminal, where
    # ESC and BEL would clear the screen or retitle the window (red team 4, R4-15)
    return CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def read(path: Path, root: Path, manifest: dict, notebook: str | None = None) -> Submission:
    """The submission at `path`; whatever the file holds, a Submission (its status says what
    was wrong), never an exception."""
    sub = Submission(path=path, relative=shown_name(path, root))
    try:
        return _read(sub, path, root, manifest, notebook)
    except Exception:  # noqa: BLE001 - e.g. code Python's parser cannot build (RecursionError)
        return Submission(path=path, relative=sub.relative, status=UNREADABLE)


def _read(sub: Submission, path: Path, root: Path, manifest: dict, notebook: str | None):
    if _linked(path, root):
        sub.status = LINKED
        return sub
    try:
        # never block on a named pipe or read a device: regular files only, size from the
        # open file itself
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                sub.status = NOT_A_FILE
                return sub
            if info.st_size > MAX_BYTES:
                sub.status = TOO_LARGE
                return sub
            data = json.loads(f.read(MAX_BYTES + 1).decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        sub.status = UNREADABLE
        return sub
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        sub.status = UNREADABLE
        return sub
    cells = [c for c in cells if isinstance(c, dict)]
    sub.notebook = notebook or identify(path, cells, manifest)
    if sub.notebook not in manifest["notebooks"]:
        sub.status = UNKNOWN_NOTEBOOK
        return sub
    entry = manifest["notebooks"][sub.notebook]
    _code(sub, cells, entry)
    if not sub.status:
        _written(sub, cells, entry)
    return sub


def _linked(path: Path, root: Path) -> bool:
    """True for a path that is, or passes through, a symbolic link below `root`, or that
    resolves outside it: such a file may be anyone's (a solution, another submission)."""
    part = path
    while part != root and root in part.parents:
        if part.is_symlink():
            return True
        part = part.parent
    try:
        return root.resolve() not in path.resolve().parents
    except (OSError, RuntimeError):
        return True


def _code(sub: Submission, cells: list[dict], entry: dict) -> None:
    expected = {c["check"] for c in entry["checks"]}
    unreadable = 0
    code = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = _text(cell.get("source"))  # a cell without a source is a damaged file
        if source is None:
            unreadable += 1
            source = ""
        code.append(source)
    if len(code) > MAX_CODE_CELLS or sum(len(s) for s in code) > MAX_CODE_CHARS:
        sub.status = TOO_MUCH_CODE  # refused unparsed: parsing is the cost it would impose
        return
    sub.sources = code
    if unreadable:
        sub.flags.append(f"{unreadable} code cell(s) had no readable source and were skipped")
    trees = [_tree(source) for source in code]  # each cell parsed once, here
    calls = [check_calls(tree) if tree is not None else [] for tree in trees]
    # cells that only call kit checks are not run: the grader runs the checks itself
    runs = [tree is None or not is_check_cell(tree) for tree in trees]
    sub.cells = [source for source, run in zip(code, runs) if run]
    unknown = sorted({call["check"] for cell_calls in calls for call in cell_calls} - expected)
    if unknown:
        sub.flags.append(
            f"calls checks this exercise does not have (ignored): {', '.join(unknown)}"
        )
    first_call = {}
    for i, cell_calls in enumerate(calls):
        for call in cell_calls:
            first_call.setdefault(call["check"], i)
    for check in entry["checks"]:
        names = [a["name"] for a in check["args"] if "name" in a]
        where = first_call.get(check["check"])
        if where is None:
            sub.flags.append(f"the check cell for {check['check']} was deleted")
            after = len(sub.cells) - 1
        else:  # after the check's own cell if it runs, else after the cell before it
            after = sum(runs[: where + 1]) - 1
        sub.exports.append({"after": after, "check": check["check"], "names": names})


def _tree(source: str) -> ast.Module | None:
    """A cell's parsed code, or None for code Python cannot read (it still runs, and fails
    there with its own error)."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _written(sub: Submission, cells: list[dict], entry: dict) -> None:
    """Each written question's answer: the cell with the contract's id, else the answer cell
    under the question's own exercise heading (never the k-th answer cell of the notebook: one
    lost header would move every later answer to the wrong question). An answer that cannot be
    found is flagged and left for the instructor, never scored as blank."""
    answers = [c for c in cells if _is_answer(c)]
    by_id = {
        c["id"]: c
        for c in cells
        if c.get("cell_type") == "markdown" and isinstance(c.get("id"), str)
    }
    sections = _sections(cells)
    template = set(entry.get("cell_ids", []))
    ids_kept = bool(template & set(by_id))
    lost, added = [], []
    for k, question in enumerate(entry["written"]):
        cell = by_id.get(question["cell_id"])
        if cell is None and sections:
            cell = _under_heading(sections, question["question"])
        elif cell is None:  # no exercise heading kept at all: by order, as a last resort
            cell = answers[k] if k < len(answers) else None
        text = answer_text(_text(cell.get("source", "")) or "") if cell else ""
        if cell is not None and cell is by_id.get(question["cell_id"]):
            text = "\n\n".join(p for p in [text, *_added_after(cells, cell, entry)] if p)
        if cell is None and ids_kept and (own := _added_under(sections, question, template, entry)):
            text, cell = own, {}  # the answer cell replaced by one the student added
            added.append(question["question"])
        if cell is None:
            lost.append(question["question"])
        sub.written.append(
            {
                "question": question["question"],
                "text": text,
                "words": len(re.findall(r"\w+", text)),
                "found": cell is not None,
            }
        )
    if added:
        sub.flags.append(
            f"written answer {', '.join(added)} read from cells the student added under its "
            "exercise's heading (its answer cell was replaced): check it"
        )
    if lost:
        sub.flags.append(
            f"written answer {', '.join(lost)} not found (no '{ANSWER_HEADER}' cell under its "
            "exercise's heading): read it in the notebook and mark it by hand"
        )


def _is_answer(cell: dict) -> bool:
    return cell.get("cell_type") == "markdown" and (
        _text(cell.get("source", "")) or ""
    ).lstrip().startswith(ANSWER_HEADER)


def _sections(cells: list[dict]) -> dict[str, list[dict]]:
    """{exercise number: the cells under its heading, up to the next exercise's}."""
    sections: dict[str, list[dict]] = {}
    current = None
    for cell in cells:
        source = _text(cell.get("source", "")) or ""
        match = HEADING.search(source) if cell.get("cell_type") == "markdown" else None
        if match:
            current = sections.setdefault(match.group(1), [])
        elif current is not None:
            current.append(cell)
    return sections


def _added_under(sections: dict[str, list[dict]], question: dict, template: set, entry) -> str:
    """The text of the Markdown cells a student added under a question's exercise heading
    (cells that are not the exercise's own, by id): the answer, when its cell was replaced.
    Only for an exercise with one written question (else whose answer it is is unknown)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)", question["question"])
    if not match:
        return ""
    number = re.escape(match.group(1))
    if sum(1 for w in entry["written"] if re.fullmatch(rf"{number}[b-h]?", w["question"])) > 1:
        return ""
    texts = []
    for cell in sections.get(match.group(1), []):
        metadata = cell.get("metadata")
        tags = metadata.get("tags") if isinstance(metadata, dict) else None
        if isinstance(tags, list) and "instructor" in tags:
            continue
        if cell.get("cell_type") == "markdown" and cell.get("id") not in template:
            texts.append((_text(cell.get("source", "")) or "").replace(PROMPT, "").strip())
    return "\n\n".join(t for t in texts if t)


def _under_heading(sections: dict[str, list[dict]], question: str) -> dict | None:
    """The answer cell of `question` ("2.2", or "2.2b" for an exercise's second written
    answer) under its exercise's heading, or None."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)([b-h]?)", question)
    if not match:
        return None
    answers = [c for c in sections.get(match.group(1), []) if _is_answer(c)]
    nth = ord(match.group(2)) - ord("a") if match.group(2) else 0
    return answers[nth] if nth < len(answers) else None


def _added_after(cells: list[dict], answer: dict, entry: dict) -> list[str]:
    """Text in Markdown cells the student added below an answer cell (up to the exercise's next
    cell): an answer typed in a new cell is still the student's answer, never a blank."""
    template = set(entry.get("cell_ids", []))
    added = []
    start = next(i for i, cell in enumerate(cells) if cell is answer) + 1
    for cell in cells[start:]:
        if isinstance(cell.get("id"), str) and cell["id"] in template:
            break
        metadata = cell.get("metadata")
        tags = metadata.get("tags") if isinstance(metadata, dict) else None
        if isinstance(tags, list) and "instructor" in tags:
            continue  # a rubric or marking note from the solutions, not the student's words
        if cell.get("cell_type") == "markdown":
            added.append((_text(cell.get("source", "")) or "").replace(PROMPT, "").strip())
    return added


def answer_text(source: str) -> str:
    """The student's own words in a written-answer cell (the header and prompt removed)."""
    text = source.replace(ANSWER_HEADER, "", 1).replace(PROMPT, "")
    return text.strip()
