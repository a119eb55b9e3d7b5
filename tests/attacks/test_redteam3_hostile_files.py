"""Red team round 3 (F9-F12, F20): a hostile file in the submissions folder costs only its own
row.

One class holds a classmate's correct solution (3 of 3) and the hostile files, graded once;
before the fixes each hostile file ended the whole run (no results at all) or hung it. The
classmate's 3 of 3 in grades.csv, and a row for each hostile file, is what the defences must
hold: should one of them break, the run ends or hangs and every test below fails.
"""

from __future__ import annotations

import csv
import json
import os
import shutil

import nbformat
import pytest
from conftest import EX02
from helpers import ROOT

from fournos_tools.grading import batch, sandbox, submission

SOLUTION = ROOT / "solutions" / f"{EX02}.ipynb"
ANA = f"a_ana_{EX02}.ipynb"


def _exercise_with(code: str) -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "exercises" / f"{EX02}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nb


def _deep_code(subs) -> None:
    """F9: `x = a.b.b...` (200,000 attributes) makes ast.parse raise RecursionError."""
    nbformat.write(_exercise_with("x = a" + ".b" * 200_000), subs / f"z_deep_{EX02}.ipynb")


def _list_cell_id(subs) -> None:
    """F11: an unhashable cell id (a list) raised TypeError while the submissions were read."""
    nb = nbformat.read(ROOT / "exercises" / f"{EX02}.ipynb", as_version=4)
    text = nbformat.writes(nb)
    first_id = next(c.id for c in nb.cells if c.cell_type == "markdown")
    text = text.replace(f'"id": "{first_id}"', '"id": ["not", "a", "string"]', 1)
    (subs / f"i_ids_{EX02}.ipynb").write_text(text, encoding="utf-8")


def _name_not_utf8(subs) -> None:
    """F10: a name zipped on another system (bytes that are not UTF-8) made writing the
    results fail after the whole class had run. It is the solution: it scores 3 as well."""
    shutil.copy(SOLUTION, os.fsencode(subs) + b"/b\xe0i_t\xe2p_" + EX02.encode() + b".ipynb")


def _named_pipe(subs) -> None:
    """F12: a FIFO called *.ipynb blocked the run forever when it was opened."""
    os.mkfifo(subs / f"f_fifo_{EX02}.ipynb")


def _lone_surrogate(subs) -> None:
    """F20: `\\ud800` in a written answer (a JSON escape) made writing the results fail after
    the whole class had run. It is the solution otherwise: it scores 3 as well."""
    nb = json.loads(SOLUTION.read_text(encoding="utf-8"))
    written = next(c for c in nb["cells"] if "".join(c["source"]).startswith("**Your answer:**"))
    written["source"] = "**Your answer:**\n\nMy answer \ud800 is here."
    (subs / f"s_surrogate_{EX02}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> dict:
    """grades.csv's rows, by submission, for Ana's solution and every hostile file."""
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    subs = tmp_path_factory.mktemp("class")
    shutil.copy(SOLUTION, subs / ANA)
    for plant in (_deep_code, _list_cell_id, _name_not_utf8, _named_pipe, _lone_surrogate):
        plant(subs)
    out = tmp_path_factory.mktemp("results") / "out"
    batch.grade(subs, out, timeout=30, notebook_timeout=90, workers=1, quiet=True)
    with open(out / "grades.csv", encoding="utf-8") as f:
        return {r["submission"]: r for r in csv.DictReader(f)}


def test_the_classmate_keeps_her_marks(rows):
    assert rows[ANA]["points"] == "3"


def test_code_the_parser_cannot_build_costs_only_its_row(rows):
    assert rows[f"z_deep_{EX02}.ipynb"]["points"] in ("", "0")


def test_a_cell_id_that_is_a_list_costs_only_its_row(rows):
    assert f"i_ids_{EX02}.ipynb" in rows


def test_a_file_name_that_is_not_utf8_is_graded_and_written(rows):
    odd = next(name for name in rows if name.startswith("b"))
    assert "\\xe0" in odd and rows[odd]["points"] == "3"


def test_a_named_pipe_is_refused_without_waiting(rows):
    assert rows[f"f_fifo_{EX02}.ipynb"]["status"] == submission.NOT_A_FILE


def test_a_lone_surrogate_in_a_written_answer_costs_nothing(rows):
    assert rows[f"s_surrogate_{EX02}.ipynb"]["points"] == "3"
