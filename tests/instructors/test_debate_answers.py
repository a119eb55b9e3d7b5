"""Exercise 4's checks, tested with the model answers (instructors only: the students'
edition leaves tests/instructors/ out, so no answer ships with it)."""

from __future__ import annotations

import csv
import inspect

import pytest
from helpers import DATA
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fournos.checks import (
    check_rebuttal_matches,
    check_rebuttal_without_advocate,
    check_unanswered_argument,
)
from fournos.friendly_errors import DataError


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ARGUMENTS = rows("debate_arguments")


RIGHT = {
    "cl_ndj_10": "adv_bui_03",
    "cl_ndj_13": "adv_tuong_02",
    "cl_ndj_16": "adv_tuong_03",
    "cl_hao_07": "adv_hao_02",
    "cl_hao_09": "adv_tuong_01",
    "cl_hao_11": "adv_tuong_03",
    "cl_hao_14": "adv_hao_03",
    "cl_hao_16": "adv_hao_03",
    "cl_hao_17": "adv_hao_04",
}


def test_matches_accept_every_linked_argument_and_name_the_wrong_ones():
    assert check_rebuttal_matches(RIGHT).correct
    assert check_rebuttal_matches({**RIGHT, "cl_hao_09": "adv_ndj20_02"}).correct  # also linked
    wrong = check_rebuttal_matches({**RIGHT, "cl_hao_17": "adv_hao_02"})
    assert not wrong.correct and "cl_hao_17" in wrong.message and "adv_hao_04" not in wrong.message
    partial = check_rebuttal_matches({**RIGHT, "cl_hao_17": ...})
    assert not partial.correct and "1 still to do" in partial.message
    empty = check_rebuttal_matches(dict.fromkeys(RIGHT, ...))
    assert "Not answered yet" in empty.message


@pytest.mark.parametrize(
    "answer",
    [
        ...,
        None,
        [],
        "adv_bui_01",
        {},
        {"cl_x": "adv_bui_01"},
        {**RIGHT, "cl_hao_17": 3},
        {**RIGHT, "cl_hao_17": "adv_nope_01"},
        {1: 2},
        {**RIGHT, "cl_hao_17": ["adv_hao_04"]},
    ],
)
def test_odd_answers_get_a_message_never_an_exception(answer):
    for check in (
        check_rebuttal_matches,
        check_unanswered_argument,
        check_rebuttal_without_advocate,
    ):
        result = check(answer)
        assert not result.correct and result.message


def test_unanswered_and_lonely_rebuttal_checks():
    assert check_unanswered_argument("adv_tuong_04").correct
    assert "does answer" in check_unanswered_argument("adv_bui_02").message
    assert "advocate's argument" in check_unanswered_argument("reb_ngo_01").message
    for lonely in ["cl_hao_14", "cl_hao_16", "cl_hao_17", "reb_ndj15_01", "reb_ndj20_02"]:
        assert check_rebuttal_without_advocate(lonely).correct, lonely
    for voiced in ["cl_hao_07", "reb_ngo_01", "cl_ndj_13"]:
        assert not check_rebuttal_without_advocate(voiced).correct, voiced
    assert "advocate's argument" in check_rebuttal_without_advocate("adv_bui_02").message


LINKED = {
    claim: {
        link["argument_id"] for link in rows("argument_links") if link["answered_by_claim"] == claim
    }
    for claim in RIGHT
}
ANY_VALUE = st.one_of(
    st.just(...),
    st.none(),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from(sorted(a["argument_id"] for a in ARGUMENTS)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(RIGHT)), ANY_VALUE))
def test_a_match_passes_exactly_when_every_rebuttal_has_a_linked_argument(answer):
    result = inspect.unwrap(check_rebuttal_matches)(answer)  # as the grader calls it
    complete = set(answer) == set(RIGHT)
    right = complete and all(answer[c] in LINKED[c] for c in RIGHT)
    assert result.correct == right and result.message


@settings(max_examples=100, deadline=None)
@given(st.one_of(ANY_VALUE, st.lists(st.text(max_size=5)), st.dictionaries(st.text(), st.text())))
def test_the_single_answer_checks_never_raise_on_the_path_the_grader_calls(answer):
    """The grader calls the check itself, not its safe wrapper (inspect.unwrap): only a
    DataError (the kit explaining the data) may come out of it."""
    assume(answer is not None and answer is not ...)  # the wrapper answers these
    for check in (check_unanswered_argument, check_rebuttal_without_advocate):
        try:
            assert inspect.unwrap(check)(answer).message
        except DataError as err:
            assert str(err)


def test_one_advocate_argument_is_left_unanswered_and_shown_so():
    """Exercise 4.2 has one answer: the one advocate argument no source answers, drawn as
    'not answered' in the chart and named in its description."""
    from fournos import debate
    from fournos_tools.grading.hidden_checks import unanswered_arguments

    (only,) = unanswered_arguments("advocate")
    assert "reb_ngo_01" in unanswered_arguments("rebuttal")
    label = debate.argument_labels()[only]
    chart = debate.answer_chart()
    not_answered = next(t for t in chart.data if t.name == "not answered")
    assert any(row[0] == label for row in not_answered.customdata)
    assert label in debate.describe_answer_chart()
