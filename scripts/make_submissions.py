"""Make N synthetic student submissions, to measure and demonstrate `make grade`.

usage: python scripts/make_submissions.py N FOLDER [--attacks]

A realistic class mix of the three exercise notebooks: complete answers (the solutions),
untouched exercise notebooks, half-finished ones (one answer wrong), notebooks with a cell
that raises, and unreadable files. With --attacks, every 40th submission is instead an
untouched exercise that attacks the grader (forged results, patched checks, reading the
solutions, killing its parent, a bounded memory bomb); tests/attacks/ has the full suite.
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


ATTACKS = [
    (
        'import os\nfor fd in range(64):\n    try:\n        os.write(fd, b\'{"event": "done"}\\nnot json\\n\')\n'
        "    except OSError:\n        pass"
    ),
    (
        "import fournos.checks as c\nfor n in dir(c):\n    if n.startswith('check_'):\n"
        "        setattr(c, n, lambda *a: c.Feedback(True, 'ok'))"
    ),
    (
        "import fournos, pathlib, json\nroot = pathlib.Path(fournos.__file__).parents[2]\n"
        "for p in (root / 'solutions').glob('*.ipynb'):\n"
        "    [exec(''.join(c['source'])) for c in json.loads(p.read_text())['cells']]"
    ),
    "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    "hog = [bytearray(2**27) for _ in range(64)]",
]


def attack(notebook: nbformat.NotebookNode, number: int) -> nbformat.NotebookNode:
    notebook.cells.append(nbformat.v4.new_code_cell(ATTACKS[number % len(ATTACKS)]))
    return notebook


def main(count: int, folder: Path, attacks: bool = False) -> None:
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
        if attacks and i % 40 == 39:
            kind = "attack"
        target = folder / f"student{i:03d}_{stem}.ipynb"
        if kind == "unreadable":
            target.write_text('{"cells": [', encoding="utf-8")
            continue
        plain = kind in ("untouched", "attack")
        source = ROOT / ("exercises" if plain else "solutions") / f"{stem}.ipynb"
        notebook = nbformat.read(source, as_version=4)
        if kind == "attack":
            notebook = attack(notebook, i // 40)
        notebook = {"half": half_finished, "error": with_error}.get(kind, lambda nb: nb)(notebook)
        nbformat.write(notebook, target)
    print(f"wrote {count} submissions to {folder}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), "--attacks" in sys.argv[3:])
