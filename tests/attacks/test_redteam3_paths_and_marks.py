"""Red team 3, F15 and F17: a folder answer given as a full path names the grader's own
files (the checker runs on the grader's machine); a mark of "NaN" is no mark."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

from fournos_tools import lms
from fournos_tools.grading import checking, exchange

CONTRACT = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))
TIMELINE = next(
    c
    for c in CONTRACT["notebooks"]["ex03_alliances_and_treaties"]["checks"]
    if c["check"] == "check_my_timeline"
)


@pytest.mark.parametrize("path", [str(ROOT / "data"), "/root", "~/data", "C:\\kit\\data"])
def test_a_full_path_answer_is_refused_before_the_check_reads_the_graders_files(path):
    outcome, message = checking.run_check(
        TIMELINE, {"my_folder": exchange.export(path)}, origin="/tmp/work"
    )
    assert outcome == checking.FAIL
    assert "full path" in message and "relative name" in message


def test_the_control_a_relative_name_still_reaches_the_check():
    _, message = checking.run_check(
        TIMELINE, {"my_folder": exchange.export("my_dataset")}, origin="/tmp/work"
    )
    assert "full path" not in message  # the check itself answered (no such folder here)


@pytest.mark.parametrize("mark", ["NaN", "inf", "-inf"])
def test_a_mark_that_is_not_a_finite_number_is_refused_and_named(mark):
    with pytest.raises(lms.LmsError, match="not a number of points"):
        lms._number(mark, "marking-sheet.csv, line 3, column points")
