"""The forked engine grades exactly as the kernel engine does, on the synthetic class."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT

from fournos_tools.grading import batch, sandbox

pytestmark = pytest.mark.skipif(sandbox.problem() is not None, reason="needs bubblewrap")


def _plain(result: dict) -> dict:
    """What must agree: per-cell outcomes, check results and answer values (a folder answer's
    temporary path, as given and resolved, differs from run to run and is left out)."""
    answers = {}
    for check, values in result["answers"].items():
        answers[check] = {
            name: {k: v for k, v in value.items() if k not in ("path", "resolved")}
            if isinstance(value, dict)
            else value
            for name, value in values.items()
        }
    return {
        "status": result["status"],
        "cells": {i: (c["status"], c["ename"], c["evalue"]) for i, c in result["cells"].items()},
        "checks": [(c["check"], c["outcome"], c["message"]) for c in result["checks"]],
        "answers": answers,
    }


def test_forked_and_kernel_engines_agree(tmp_path):
    """Six submissions: each of the five exercises once (complete, untouched or half-finished)
    and one with a cell that raises. make_submissions.py's next ones repeat these notebooks
    byte for byte, or are unreadable files refused before either engine runs; `make bench`
    compares the engines on 200."""
    subs = tmp_path / "class"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_submissions.py"), "6", str(subs)],
        check=True,
        capture_output=True,
    )
    forked = batch.grade(subs, tmp_path / "fork", engine="fork", workers=2, quiet=True)
    kernel = batch.grade(subs, tmp_path / "kernel", engine="kernel", workers=2, quiet=True)
    assert [r["submission"] for r in forked] == [r["submission"] for r in kernel]
    for f, k in zip(forked, kernel):
        assert _plain(f) == _plain(k), f["submission"]
    statuses = {r["status"] for r in forked}
    assert {"ran", "ran, with errors in some cells"} <= statuses
    assert len({r["submission"].split("_", 1)[1] for r in forked}) == 5  # every exercise
    assert all(r["cells"] for r in forked)  # cell outcomes compared in every notebook
