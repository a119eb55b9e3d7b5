"""The hidden grading checks and the students' public checks (instructors only).

The public checks compare digests (src/fournos/answer_digests.py); the grader runs the full
checks of fournos_tools.grading.hidden_checks. Both must agree on what is right.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import fournos
from fournos import checks, load
from fournos.answer_digests import DIGESTS
from fournos_tools.grading import hidden_checks


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
