"""Red team 3, F13: Exercise 3.3 passed with three invented events dated 2099 ("Vietnam joins a
military alliance with Mars") that cited any outside source. The control adds three real-looking
events a source written later reports, and passes."""

from __future__ import annotations

import csv

import pytest

import fournos
from fournos.checks import check_my_timeline


def _with_events(tmp_path, monkeypatch, events: list[tuple[str, str, str]]):
    monkeypatch.chdir(tmp_path)
    folder = fournos.copy_dataset("my_dataset")
    with open(folder / "events.csv", "a", newline="", encoding="utf-8") as f:
        for event_id, date, _ in events:
            row = [event_id, date, "day", "", "An event", "alliance_treaty", "Vietnam", "x", "", ""]
            csv.writer(f).writerow(row[:8] + ["confirmed", ""])
    with open(folder / "event_sources.csv", "a", newline="", encoding="utf-8") as f:
        for event_id, _, source in events:
            csv.writer(f).writerow([event_id, source, "", ""])
    return folder


@pytest.mark.parametrize(
    ("date", "source", "why"),
    [
        ("2099-01-01", "ref_geneva_1954", "as-of date"),
        ("1975-04-30", "ref_geneva_1954", "written before then"),
    ],
)
def test_events_no_source_could_report_are_refused(tmp_path, monkeypatch, date, source, why):
    events = [(f"ev_{date[:4]}_invented_{i}", date, source) for i in range(3)]
    feedback = check_my_timeline(_with_events(tmp_path, monkeypatch, events))
    assert not feedback.correct and why in feedback.message


def test_the_control_events_a_later_source_reports_pass(tmp_path, monkeypatch):
    events = [(f"ev_1954_mine_{i}", "1954-07-1" + str(i), "ref_geneva_1954") for i in range(3)]
    feedback = check_my_timeline(_with_events(tmp_path, monkeypatch, events))
    assert feedback.correct, feedback.message
