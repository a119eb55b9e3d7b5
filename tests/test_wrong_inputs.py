"""Every check answers every wrong kind of input in plain words: no exception's name, no
traceback, for the student's call and for the unwrapped call that batch grading makes."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from fournos import checks
from fournos.feedback import Feedback

CHECKS = [
    f
    for name, f in inspect.getmembers(checks, inspect.isfunction)
    if name.startswith("check_") and f.__module__ == checks.__name__
]
WRONG = {
    "None": None,
    "a number": 5,
    "a float": 2.5,
    "True": True,
    "a string": "some words",
    "an empty string": "",
    "a list": [1, 2, 3],
    "an empty list": [],
    "a dict": {"a": 1},
    "an empty dict": {},
    "an empty DataFrame": pd.DataFrame(),
    "a wrongly shaped DataFrame": pd.DataFrame({"x": [1, 2], "y": ["a", None]}),
    "a figure": go.Figure(),
    "a Series": pd.Series([1, 2]),
    "a path to nowhere": Path("no/such/folder"),
    "a set": {1, 2},
}
EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback|NoneType")


def test_every_check_declares_the_kind_of_answer_it_takes():
    assert len(CHECKS) >= 13
    for check in CHECKS:
        assert getattr(check.__wrapped__, "answer_kind", None), check.__name__


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("label", list(WRONG))
def test_a_wrong_input_gets_a_plain_message(check, label):
    for call in (check, check.__wrapped__):  # the student's check and the grader's call
        if label == "None" and call is check.__wrapped__:
            continue  # the public wrapper's own None message; the grader exports no None
        result = call(WRONG[label])
        assert isinstance(result, Feedback), (check.__name__, label, result)
        assert not result.correct, (check.__name__, label)
        assert not EXCEPTION_NAME.search(result.message), (check.__name__, label, result.message)
        assert len(result.message) < 400, result.message


def test_my_timeline_given_a_dataframe_says_what_to_give_instead():
    said = checks.check_my_timeline(pd.DataFrame()).message
    assert "folder of your copy of the data" in said and "an empty table" in said
