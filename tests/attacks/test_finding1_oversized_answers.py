"""Finding 1: an answer of a few hundred bytes must not starve the grader.

A forged answer that claims a dtype of 300 MB per item, or nests 100,000 deep, costs only its
own check (the student's invalid answer); the rest of that notebook and the class are graded.
Graded by the forked engine only (conftest.FORKED_ONLY): the answers are rebuilt and checked in
the checker, the same for both engines; that the kernel engine relays a forged answer line is
proved in test_redteam4_kernel_output.py.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import result, row

from fournos_tools.grading import checking

CHECKS = ["check:check_formulations", "check:check_date_gaps", "check:check_stale_statistics"]


def test_a_dtype_bomb_costs_only_its_own_check(forked_class):
    bomber = row(forked_class, "bomber")
    assert bomber["points"] == "2", bomber  # the honest answers behind the bomb still count
    assert bomber["check:check_date_gaps"] == checking.FAIL
    message = next(c for c in result(forked_class, "bomber")["checks"] if "gaps" in c["check"])
    assert "too large" in message["message"]
    assert [row(forked_class, "ana")[c] for c in CHECKS] == ["pass"] * 3


def test_a_deeply_nested_answer_is_the_students_invalid_answer(forked_class):
    deep = row(forked_class, "deep")
    assert "grader failed" not in deep["status"]
    assert deep["points"] == "2", deep
    assert deep["check:check_formulations"] == checking.FAIL


def test_rebuilding_a_dtype_claim_allocates_nothing_large():
    """In a process limited to 1 GiB, a claim of 3 x 1 GB is refused, not allocated."""
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from fournos_tools.grading import exchange\n"
        "bomb = {'type': 'ndarray', 'dtype': 'S1000000000', "
        "'items': [{'type': 'json', 'value': 'a'}] * 3}\n"
        "try:\n    exchange.rebuild(bomb)\nexcept exchange.ExchangeError as err:\n"
        "    print('refused:', err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.stdout.startswith("refused:"), done.stderr[-500:]
