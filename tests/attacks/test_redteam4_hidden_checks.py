"""Red team 4, R4-10: a notebook being graded cannot reach the instructors' hidden checks,
which compute the model answers, neither by importing them (the sandbox bound the kit's
whole src/) nor by loading their bytecode from the grader's cache (bound whole too).

Each door is tried by the released Exercise 5 with its prompts removed: it scores on 5.2
and 5.3 if the door opens (the red team's door notebooks scored 2 of 3 with no work).
"""

from __future__ import annotations

import csv

import nbformat
import pytest
from conftest import notebook, row, without_prompts

from fournos_tools.grading import batch, sandbox

EX05 = "ex05_southeast_asia_compared"
ANSWER = """
    my_order = hidden.expected_order()
    my_base_clauses = sorted(hidden.expected_base_clauses())
"""
BY_IMPORT = f"""
try:
    from fournos_tools.grading import hidden_checks_region as hidden
{ANSWER}except ImportError:
    pass
"""
BY_BYTECODE = f"""
import marshal, os, sys, types
from pathlib import Path
import fournos
source = Path(fournos.__file__).parents[1] / 'fournos_tools' / 'grading' / 'hidden_checks_region.py'
prefix = sys.pycache_prefix or os.environ.get('PYTHONPYCACHEPREFIX', '')
compiled = Path(prefix + str(source.parent)) / f'{{source.stem}}.{{sys.implementation.cache_tag}}.pyc'
try:
    hidden = types.ModuleType('hidden_checks_region')
    hidden.__file__ = str(source)
    exec(marshal.loads(compiled.read_bytes()[16:]), hidden.__dict__)
{ANSWER}except Exception:
    pass
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    subs = tmp_path_factory.mktemp("hidden")
    out = tmp_path_factory.mktemp("hidden-results") / "class"
    for name, door in (("a_importer", BY_IMPORT), ("b_loader", BY_BYTECODE)):
        nb = without_prompts(notebook(EX05, door, solution=False))
        nbformat.write(nb, subs / f"{name}_{EX05}.ipynb")
    nbformat.write(notebook(EX05), subs / f"c_model_{EX05}.ipynb")
    batch.grade(subs, out, timeout=60, notebook_timeout=120, workers=1, quiet=True)
    with open(out / "grades.csv", encoding="utf-8") as f:
        return {"rows": {r["submission"]: r for r in csv.DictReader(f)}}


def test_the_model_answer_scores(graded):
    assert row(graded, "model")["points"] == "3"


@pytest.mark.parametrize("who", ["importer", "loader"])
def test_the_hidden_checks_are_out_of_a_notebook_s_reach(graded, who):
    assert row(graded, who)["points"] == "0"
