"""The notebook output policy: stored outputs are complete, and strict nbval really checks them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from helpers import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "solutions").glob("*.ipynb")
)


def code_cells(path):
    return [
        c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code" and c.source
    ]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_code_cell_was_executed_and_stored(path):
    # nbval silently skips a code cell without an execution_count, so a stripped notebook
    # would pass; this test closes that gap.
    counts = [c.execution_count for c in code_cells(path)]
    assert all(counts), f"{path.name}: run `make outputs` and commit the result"
    assert counts == sorted(counts), f"{path.name}: cells were run out of order"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_notebook_has_front_matter_and_key_points(path):
    cells = nbformat.read(path, as_version=4).cells
    first, last = cells[0].source, cells[-1].source
    assert first.startswith("# ") and "Learning objectives" in first and "Time:" in first
    assert "Key points" in last
    assert "fournos.setup()" in code_cells(path)[0].source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_plotly_js_or_remote_scripts_stored(path):
    text = path.read_text(encoding="utf-8")
    assert "cdn.plot.ly" not in text and "<script src=" not in text
    assert path.stat().st_size < 300_000


def test_strict_nbval_fails_when_a_stored_output_is_edited(tmp_path):
    """The kit's own nbval settings (pyproject's addopts: strict, with the kit's sanitizer)
    fail a notebook whose stored output no longer matches what its code prints. The notebook
    is one cell that imports nothing, so no lesson runs twice: the notebook stage runs them."""
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "edited",
        "metadata": {},
        "source": ["print('the five articles')"],
        "outputs": [{"name": "stdout", "output_type": "stream", "text": ["the five artikles\n"]}],
    }
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    edited = tmp_path / "notebooks" / "edited.ipynb"  # beside data/ as a lesson is
    edited.parent.mkdir()
    edited.write_text(json.dumps(nb), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", ROOT / "pyproject.toml", "-p", "no:xdist", edited],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,  # the kit's pytest settings, as `make test` uses them
        env={**os.environ, "FOURNOS_KIT": str(ROOT)},
        timeout=300,
    )
    assert run.returncode == 1, run.stdout[-2000:]
    assert "artikles" in run.stdout and re.search(r"\b1 failed\b", run.stdout), run.stdout[-2000:]
