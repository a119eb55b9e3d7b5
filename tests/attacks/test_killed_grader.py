"""A grader killed with SIGKILL (out of memory, a closed laptop, `kill -9`) leaves nothing behind
once the next run starts, and that run says which notebook the killed one was grading.

A real `fournos grade` runs a class whose second notebook sleeps in a cell; when its progress
file says it is grading that notebook, the grader gets SIGKILL. Before the fix its staging
folder (partial results) and scratch folder stayed for good and nothing said where it stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import EX02
from helpers import ROOT

from fournos_tools.grading import sandbox

SOLUTION = ROOT / "solutions" / f"{EX02}.ipynb"


def _grade(subs, out, tmp):
    return subprocess.Popen(
        [sys.executable, "-m", "fournos", "grade", str(subs), "--out", str(out), "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _leftovers(out, tmp) -> list[str]:
    staged = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    scratch = [p.name for p in tmp.iterdir() if p.name.startswith("fournos-grade-")]
    return staged + scratch


def test_a_killed_grader_is_cleaned_up_and_named_by_the_next_run(tmp_path):
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    subs, tmp, out = tmp_path / "class", tmp_path / "tmp", tmp_path / "results" / "class"
    subs.mkdir()
    tmp.mkdir()
    out.parent.mkdir()
    shutil.copy(SOLUTION, subs / f"a_ana_{EX02}.ipynb")
    slow = nbformat.read(SOLUTION, as_version=4)
    slow.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(120)"))
    nbformat.write(slow, subs / f"b_slow_{EX02}.ipynb")

    grader = _grade(subs, out, tmp)
    deadline = time.monotonic() + 240
    progress = None
    while time.monotonic() < deadline and grader.poll() is None:
        found = list(out.parent.glob(f".{out.name}.*/progress.json"))
        try:
            progress = json.loads(found[0].read_text()) if found else None
        except (OSError, ValueError):  # being replaced right now
            progress = None
        if progress and f"b_slow_{EX02}.ipynb" in progress.get("grading", []):
            break
        time.sleep(0.2)
    assert progress and f"b_slow_{EX02}.ipynb" in progress["grading"], "never reached b_slow"
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    assert _leftovers(out, tmp), "the killed run left nothing: this test proves nothing"

    shutil.rmtree(subs)
    subs.mkdir()
    shutil.copy(SOLUTION, subs / f"a_ana_{EX02}.ipynb")
    again = _grade(subs, out, tmp)
    said, _ = again.communicate(timeout=600)
    assert again.returncode == 0, said
    assert _leftovers(out, tmp) == []
    assert f"b_slow_{EX02}.ipynb" in said
    assert f"b_slow_{EX02}.ipynb" in (out / "log.txt").read_text(encoding="utf-8")
