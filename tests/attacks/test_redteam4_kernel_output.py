"""Red team 4, R4-13: the kernel engine had no cap on what a notebook sends back (the forked
engine stops at 32 MB): one forged answer line of 150 MB held a worker for the whole
deadline and grace (5.5 minutes). Here the forger's line is 40 MB; it must be stopped as
"sent back too much data", quickly, and cost no one else anything."""

from __future__ import annotations

import csv
import time

import nbformat
import pytest
from conftest import EX02, FORGE, notebook, row

from fournos_tools.grading import batch, sandbox

BIG_LINE = FORGE.format(
    check="check_date_gaps",
    line='\'{"event": "answer", "check": "check_date_gaps", "values": {"gaps": '
    '{"type": "json", "value": "\' + \'x\' * 40_000_000 + \'"}}}\'',
)
DEADLINE = 120


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    subs = tmp_path_factory.mktemp("big")
    out = tmp_path_factory.mktemp("big-results") / "class"
    nbformat.write(notebook(EX02, BIG_LINE), subs / f"a_big_{EX02}.ipynb")
    nbformat.write(notebook(EX02), subs / f"b_after_{EX02}.ipynb")
    started = time.monotonic()
    batch.grade(
        subs, out, engine="kernel", timeout=60, notebook_timeout=DEADLINE, workers=1, quiet=True
    )
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    return {"rows": rows, "seconds": time.monotonic() - started}


def test_the_kernel_engine_stops_a_notebook_that_sends_too_much(graded):
    assert row(graded, "big")["status"] == "stopped: the notebook sent back too much data"
    assert row(graded, "after")["points"] == "3"
    assert graded["seconds"] < DEADLINE  # the forger did not hold its worker to the deadline
