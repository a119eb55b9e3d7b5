"""The hidden grading checks and the students' public checks (instructors only).

The public checks compare digests (src/fournos/answer_digests.py); the grader runs the full
checks of fournos_tools.grading.hidden_checks. Both must agree on what is right.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

import fournos
from fournos import checks, load
from fournos.answer_digests import DIGESTS
from fournos_tools.grading import checking, exchange, hidden_checks


def test_the_shipped_digests_are_those_of_the_data_now():
    assert hidden_checks.expected_digests() == DIGESTS, (
        "src/fournos/answer_digests.py is out of date: run `python -m fournos exercises`"
    )


def test_the_digest_file_holds_digests_only():
    """Every value in it is a digest (or the count of articles 2.4 names); the keys are the
    ids the question itself gives."""

    def values(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        else:
            yield node

    for value in values(DIGESTS):
        assert isinstance(value, int) or re.fullmatch(r"[0-9a-f]{24}", value), value


def _answers():
    claims = load("claims")
    statements = load("principle_statements")
    principles = list(load("principles")["principle_id"])
    stated = pd.crosstab(statements["source_id"], statements["principle_id"]) > 0
    return {
        "check_theme_matrix": pd.crosstab(claims["article_id"], claims["theme"]),
        "check_formulations": stated.reindex(
            index=checks.article_ids(), columns=principles, fill_value=False
        ),
        "check_stale_statistics": fournos.find_paragraphs(r"\b37\b")[["article_id", "paragraph"]],
    }


@pytest.mark.parametrize(
    "name", ["check_theme_matrix", "check_formulations", "check_stale_statistics"]
)
def test_public_and_hidden_checks_agree(name):
    right = _answers()[name]
    public, hidden = getattr(checks, name), hidden_checks.CHECKS[name]
    assert public(right).correct and hidden(right).correct
    wrong = right.copy()
    if name == "check_stale_statistics":
        wrong = wrong.iloc[1:]
    else:
        wrong.iloc[0, 0] = (not wrong.iloc[0, 0]) if name == "check_formulations" else 99
    assert not public(wrong).correct and not hidden(wrong).correct


FORMS = {
    "numbers as text": lambda frame: frame.apply(
        lambda c: c.astype(str) if c.dtype.kind in "biuf" else c
    ),
    "numbers as floats": lambda frame: frame.apply(
        lambda c: c.astype(float) if c.dtype.kind in "biuf" else c
    ),
    "rows reversed": lambda frame: frame.iloc[::-1],
    "columns reversed": lambda frame: frame[frame.columns[::-1]],
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "name", ["check_theme_matrix", "check_formulations", "check_stale_statistics"]
)
def test_public_and_hidden_checks_agree_on_the_right_answer_in_another_form(name, form):
    """A student sees the public check's verdict; the grade is the hidden check's. On the model
    answer given another way (numbers as text, floats, rows or columns in another order) they
    must say the same (red team 4, R4-9: counts as text were correct at home and 0 graded)."""
    answer = FORMS[form](_answers()[name])
    public, hidden = getattr(checks, name)(answer), hidden_checks.CHECKS[name](answer)
    assert public.correct == hidden.correct, (public.message, hidden.message)


CONTRACT_CHECKS = [
    check
    for entry in json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))[
        "notebooks"
    ].values()
    for check in entry["checks"]
]
ANYTHING = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.booleans(),
    st.lists(st.text(max_size=12), max_size=4),
    st.lists(st.tuples(st.text(max_size=8), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=6),
    data_frames([column("article_id", dtype=str), column("paragraph", dtype=int)]),
    data_frames([column("event_id", dtype=str), column("days_apart", dtype=float)]),
)


@pytest.mark.parametrize("check", CONTRACT_CHECKS, ids=lambda c: c["check"])
@settings(max_examples=25, deadline=None)
@given(answer=ANYTHING)
def test_no_answer_is_the_kits_error_on_the_path_the_grader_calls(check, answer):
    """What the grader runs for a notebook's answer: the value exported as plain data, rebuilt,
    and given to the hidden check (where there is one) unwrapped. Whatever the answer, the
    verdict is the student's (pass or fail), never "the kit's check failed"."""
    names = [a["name"] for a in check["args"] if "name" in a]
    line = exchange.export_line(dict.fromkeys(names, answer), check["check"], names)
    run = checking.parse([line], 0, {check["check"]})
    values = checking.answer_values(run.answers[check["check"]], check["check"])
    outcome, message = checking.run_check(check, values)
    assert outcome in (checking.PASS, checking.FAIL, checking.NOT_ANSWERED), message
    assert message
