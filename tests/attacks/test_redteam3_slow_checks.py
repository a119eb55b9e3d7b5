"""Red team round 3 (F4): an answer built to be slow to check (a set of integers that all hash
alike: building it is quadratic) costs only its own row, within the checker's time limit, and
the classmate checked after it still gets their 3 of 3.

Before the fix the checker had no time limit: the whole class's checking waited for minutes.
"""

from __future__ import annotations

import time

from conftest import EX02
from helpers import ROOT

from fournos_tools.grading import checking, manifest

# the checker's limit per notebook: an honest answer is checked well inside it even on a loaded
# machine (at 3 s, the honest checks timed out at a load average of 30: a false failure); the
# colliding set below would take minutes
LIMIT = 6


def test_an_answer_slow_to_check_costs_only_its_row(tmp_path):
    entry = manifest.load(ROOT / "exercises" / "manifest.json")["notebooks"][EX02]
    models = checking.ModelAnswers(ROOT)
    honest = {c["check"]: models.values(EX02, c) for c in entry["checks"]}
    colliding = {
        "type": "set",
        "items": [{"type": "json", "value": k * (2**61 - 1)} for k in range(1, 60_000)],
    }
    slow = {**honest, "check_date_gaps": {"gaps": colliding}}
    with open(tmp_path / "log.txt", "ab") as log:
        checker = checking.Checker(ROOT, log, seconds=LIMIT)
        try:
            assert [o for o, _ in checker.check(EX02, entry, honest, None)] == ["pass"] * 3
            started = time.monotonic()
            verdicts = checker.check(EX02, entry, slow, None)
            waited = time.monotonic() - started
            after = checker.check(EX02, entry, honest, None)
        finally:
            checker.stop()
    assert waited < LIMIT + 10, f"the class waited {waited:.0f} s for one answer"
    assert all(outcome == "fail" for outcome, _ in verdicts)
    assert "longer than" in verdicts[0][1]
    assert [o for o, _ in after] == ["pass"] * 3
