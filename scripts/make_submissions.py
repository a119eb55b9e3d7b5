"""Make N synthetic student submissions, to measure and demonstrate `make grade`.

usage: python scripts/make_submissions.py N FOLDER

A realistic class mix of the three exercise notebooks: complete answers (the solutions),
untouched exercise notebooks, half-finished ones (one answer wrong), notebooks with a cell
that raises, and unreadable files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def half_finished(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep every answer but replace the first one with a wrong value."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            name = cell.source.split("### BEGIN SOLUTION\n", 1)[1].split("=", 1)[0].strip()
            cell.source += f"\n{name} = 42  # a wrong answer"
            break
    return notebook


def with_error(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook.cells.insert(2, nbformat.v4.new_code_cell("1 / 0  # a student's slip"))
    return notebook


def main(count: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stems = [p.stem for p in sorted((ROOT / "solutions").glob("*.ipynb"))]
    kinds = [
        "complete",
        "complete",
        "untouched",
        "half",
        "half",
        "error",
        "complete",
        "untouched",
        "half",
        "unreadable",
    ]
    for i in range(count):
        stem, kind = stems[i % len(stems)], kinds[i % len(kinds)]
        target = folder / f"student{i:03d}_{stem}.ipynb"
        if kind == "unreadable":
            target.write_text('{"cells": [', encoding="utf-8")
            continue
        source = ROOT / ("exercises" if kind == "untouched" else "solutions") / f"{stem}.ipynb"
        notebook = nbformat.read(source, as_version=4)
        notebook = {"half": half_finished, "error": with_error}.get(kind, lambda nb: nb)(notebook)
        nbformat.write(notebook, target)
    print(f"wrote {count} submissions to {folder}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
