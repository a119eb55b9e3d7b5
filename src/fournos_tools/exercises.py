"""Make the student exercise notebooks (exercises/) from the instructor solutions (solutions/).

The solution notebook is the one source of truth. Marked with nbgrader's convention:
- in a code cell, lines between `### BEGIN SOLUTION` and `### END SOLUTION` become a prompt
  (`name = ...  # your code here` for each name the solution assigns);
- in a markdown cell, the text between the markers (a model answer) becomes "Write your
  answer here.";
- cells tagged `instructor` (rubrics, marking notes) are dropped.
Outputs, execution counts and stored widget state are cleared. Before writing, every
solution line is searched for in the whole student notebook (sources, outputs, metadata);
if one is found, nothing is written for that notebook and the command fails.
It also writes exercises/manifest.json, the grading contract (see fournos_tools.grading.manifest),
with each written answer's points from its rubric, and (the command only) the digests the
students' checks compare answers with, src/fournos/answer_digests.py (see
fournos_tools.grading.hidden_checks).

We write this small generator instead of using nbgrader's because nbgrader's stub
(`raise NotImplementedError()`) greets students with a traceback and nbgrader would add a
database and a course directory the kit does not need (see DESIGN.md, measured).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import nbformat

from fournos.kit import current_kit
from fournos_tools.grading import manifest

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PROMPT_MD = "*Write your answer here.*"
MIN_LEAK_LENGTH = 12  # shorter lines ("fig", "else:") are too common to count as a leak


class LeakError(Exception):
    """Solution text would appear in a student notebook."""


def _split(source: str) -> tuple[list[str], list[list[str]]]:
    """Lines outside solution blocks (with a placeholder where each block was), and the blocks."""
    kept, blocks, inside = [], [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
            blocks.append([])
            kept.append(None)
        elif line.strip() == END:
            inside = False
        elif inside:
            blocks[-1].append(line)
        else:
            kept.append(line)
    return kept, blocks


def _code_prompt(block: list[str]) -> list[str]:
    try:
        tree = ast.parse("\n".join(block))
    except SyntaxError:
        return ["# your code here"]
    names = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, ast.AnnAssign) else [])
        )
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return [f"{name} = ...  # your code here" for name in names] or ["# your code here"]


def _student_source(source: str, markdown: bool) -> str:
    kept, blocks = _split(source)
    out, block = [], iter(blocks)
    for line in kept:
        if line is None:
            out += [PROMPT_MD] if markdown else _code_prompt(next(block))
        else:
            out.append(line)
    return "\n".join(out)


def student_version(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student notebook made from one solution notebook."""
    student = nbformat.v4.new_notebook(
        metadata={
            k: v for k, v in solution.metadata.items() if k in ("kernelspec", "language_info")
        }
    )
    for cell in solution.cells:
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            continue
        new = nbformat.from_dict(json.loads(json.dumps(cell)))
        new.source = _student_source(cell.source, cell.cell_type == "markdown")
        new.metadata.pop("execution", None)
        if new.cell_type == "code":
            new.outputs, new.execution_count = [], None
        student.cells.append(new)
    return student


def solution_texts(solution: nbformat.NotebookNode) -> list[str]:
    """Every line a student must not see: inside solution blocks, and in instructor cells."""
    texts = []
    for cell in solution.cells:
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            texts += cell.source.splitlines()
        else:
            texts += [line for block in _split(cell.source)[1] for line in block]
    # a bare name (the line that displays a result) is also in the student's prompt: not a secret
    return sorted(
        {
            t.strip()
            for t in texts
            if len(t.strip()) >= MIN_LEAK_LENGTH and not t.strip().isidentifier()
        }
    )


def find_leaks(student: nbformat.NotebookNode, secrets: list[str]) -> list[str]:
    """The secret lines that occur anywhere in the student notebook (cells, outputs, metadata),
    compared as the release's leak scan compares them (fournos_tools.leak_scan)."""
    from fournos_tools.leak_scan import find_leaks_in  # it reads solutions with this module

    notebook = json.dumps(student, ensure_ascii=False)
    return [secret for _, secret in find_leaks_in({"notebook": notebook}, secrets)]


def generate(solutions: Path, exercises: Path) -> list[Path]:
    """Write exercises/ from solutions/. Raises LeakError (and writes nothing for that
    notebook) if any solution text would reach a student."""
    exercises.mkdir(exist_ok=True)
    written, students, points = [], {}, {}
    for path in sorted(solutions.glob("*.ipynb")):
        solution = nbformat.read(path, as_version=4)
        student = student_version(solution)
        leaks = find_leaks(student, solution_texts(solution))
        if leaks:
            raise LeakError(f"{path.name}: solution text would reach students: {leaks[0]!r}")
        target = exercises / path.name
        nbformat.write(student, target)
        written.append(target)
        students[path.stem] = json.loads(target.read_text(encoding="utf-8"))
        points[path.stem] = manifest.rubric_points(json.loads(json.dumps(solution)))
    target = exercises / "manifest.json"
    manifest.write(manifest.build(students, points), target)
    written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    from fournos_tools.grading.hidden_checks import write_digests
    from fournos_tools.grading.hidden_checks_region import write_digests as write_region_digests

    root = current_kit()
    try:
        for path in generate(root / "solutions", root / "exercises"):
            print(f"  wrote {path.relative_to(root)}")
        digests = root / "src" / "fournos" / "answer_digests.py"
        write_digests(digests)
        print(f"  wrote {digests.relative_to(root)}")
        region_digests = root / "src" / "fournos" / "answer_digests_region.py"
        write_region_digests(region_digests)
        print(f"  wrote {region_digests.relative_to(root)}")
    except LeakError as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
