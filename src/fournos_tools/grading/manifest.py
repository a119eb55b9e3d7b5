"""The grading contract: exercises/manifest.json, written with the student notebooks.

For each exercise notebook it lists the exercises in order, each check the kit runs (the
function, the answer variables it is called with, its points) and each written-answer cell.
Grading reads what to expect from here, never from a submission, so deleting a check cell
cannot raise a ratio and a student's own cells cannot change what is checked.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from fournos.watch import check_calls  # the one reader of check calls (the answer watch too)

VERSION = 1
HEADING = re.compile(r"^#+\s*Exercise\s+(\d+(?:\.\d+)*)", re.MULTILINE)
ANSWER_HEADER = "**Your answer:**"
CHECK_PREFIX = "check_"


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_check_cell(source: str | ast.AST) -> bool:
    """True for a cell (its code, or its parsed tree) that only calls kit checks (nothing else
    for the notebook to run)."""
    try:
        tree = source if isinstance(source, ast.AST) else ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id.startswith(CHECK_PREFIX)
        for stmt in tree.body
    )


def rubric_points(solution: dict) -> list[int]:
    """Each written answer's points, in order, from the instructor rubric that follows it in
    the solution: the highest "**N points:**" band, or the sum of "**Part (N):**" parts."""
    points, waiting = [], False
    for cell in solution.get("cells", []):
        source = _source(cell)
        tags = (cell.get("metadata") or {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and source.lstrip().startswith(ANSWER_HEADER):
            if waiting:
                points.append(0)
            waiting = True
        elif waiting and "instructor" in tags and "rubric" in source.lower():
            bands = [int(n) for n in re.findall(r"\*\*(\d+) points?:\*\*", source)]
            parts = [int(n) for n in re.findall(r"\*\*[^*\n]+\((\d+)\):\*\*", source)]
            points.append(max(bands) if bands else sum(parts))
            waiting = False
    if waiting:
        points.append(0)
    return points


def notebook_entry(student: dict, written_points: list[int] | None = None) -> dict:
    """The manifest entry of one student (released) notebook, given as a dict. A check's
    points come from its cell's metadata (`"fournos": {"points": 2}`), 1 by default; a
    written answer's from the rubric (`written_points`, see rubric_points)."""
    exercises, checks, written = [], [], []
    current = None
    title = ""
    for cell in student.get("cells", []):
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            if not title and source.lstrip().startswith("# "):
                title = source.lstrip().splitlines()[0][2:].strip()
            if match := HEADING.search(source):
                current = match.group(1)
                exercises.append(current)
            if source.lstrip().startswith(ANSWER_HEADER):
                question = current or f"written {len(written) + 1}"
                taken = {w["question"] for w in written}
                suffix = iter("bcdefgh")
                while question in taken:
                    question = f"{current}{next(suffix)}"
                written.append({"question": question, "cell_id": cell.get("id")})
        elif cell.get("cell_type") == "code":
            for call in check_calls(source):
                checks.append(
                    {
                        "check": call["check"],
                        "args": call["args"],
                        "exercise": current,
                        "points": _points(cell),
                        "cell_id": cell.get("id"),
                    }
                )
    for question, points in zip(written, written_points or []):
        question["points"] = points
    return {
        "title": title,
        "exercises": exercises,
        "checks": checks,
        "written": written,
        "cell_ids": [c.get("id") for c in student.get("cells", []) if c.get("id")],
    }


def _points(cell) -> int:
    points = (cell.get("metadata") or {}).get("fournos", {}).get("points", 1)
    return points if isinstance(points, int) and points > 0 else 1


def build(students: dict[str, dict], written_points: dict[str, list[int]] | None = None) -> dict:
    """The whole manifest from {notebook name: released notebook as a dict} and each
    notebook's written-answer points (from its solution's rubrics)."""
    points = written_points or {}
    return {
        "version": VERSION,
        "about": "The grading contract: written by `python -m fournos exercises`; "
        "do not edit by hand.",
        "notebooks": {
            name: notebook_entry(nb, points.get(name)) for name, nb in sorted(students.items())
        },
    }


def write(manifest: dict, path: Path) -> None:
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> dict:
    """Read the manifest; a missing or broken one is the kit's problem, said plainly."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(
            f"No grading contract at {path}: run `python -m fournos exercises` first."
        ) from None
    except json.JSONDecodeError as err:
        raise SystemExit(f"{path} is not valid JSON ({err}): regenerate it.") from None
    if manifest.get("version") != VERSION:
        raise SystemExit(f"{path} is from another version of the kit: regenerate it.")
    return manifest
