"""Finding 9: written answers are in the contract with their points; the marking sheet says
each maximum; the LMS export refuses a mark above it (naming the cell); a blank written answer
is scored 0 with a note; report.html names every student whose notebook failed or stopped."""

from __future__ import annotations

import csv
import json
import re

import pytest
from helpers import ROOT

from fournos_tools import lms

CONTRACT = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))


def test_every_written_question_has_its_points_from_the_rubric():
    expected = {
        "ex01_themes_and_words": [3, 2],
        "ex02_doctrine_and_dates": [3, 2, 2],
        "ex03_alliances_and_treaties": [6, 2],
        "ex04_arguments_and_answers": [6],
    }
    for name, points in expected.items():
        assert [w.get("points") for w in CONTRACT["notebooks"][name]["written"]] == points


def test_the_marking_sheet_gives_each_maximum(forked_class):
    assert forked_class["sheet"]
    assert all(r["out_of"] not in ("", "0") for r in forked_class["sheet"])


def test_a_blank_written_answer_is_scored_zero_with_a_note(forked_class):
    blank = [r for r in forked_class["sheet"] if r["submission"].startswith("n_blank")]
    assert blank and all(r["points"] == "0" and "blank" in r["comment"] for r in blank)
    honest = [r for r in forked_class["sheet"] if r["submission"].startswith("a_ana")]
    assert all(r["points"] == "" for r in honest)  # real answers are the instructor's to mark


def test_the_lms_export_refuses_more_than_the_maximum(forked_class, tmp_path):
    folder = tmp_path / "graded"
    folder.mkdir()
    (folder / "grades.csv").write_bytes((forked_class["out"] / "grades.csv").read_bytes())
    with open(forked_class["out"] / "marking-sheet.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ana = [r for r in rows if r["submission"].startswith("a_ana")]
    for r in ana:
        r["points"] = "1"
    ana[0]["points"] = "9"
    with open(folder / "marking-sheet.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"student_id,name,submission\n1,Ana,{ana[0]['submission']}\n", encoding="utf-8"
    )
    with pytest.raises(lms.LmsError, match=rf"question {re.escape(ana[0]['question'])}.*9"):
        lms.combine([folder], roster)


def test_the_report_names_every_notebook_that_failed_or_stopped(forked_class):
    page = (forked_class["out"] / "report.html").read_text(encoding="utf-8")
    for name, r in forked_class["rows"].items():
        if r["status"].startswith(("stopped", "not graded", "refused", "could not")):
            assert f'href="{r["feedback_file"]}"' in page, name
