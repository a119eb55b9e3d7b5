"""The full grading checks: instructors only, never shipped (src/fournos_tools is left out of
the students' edition), run by the grader in its checker process.

The students' checks (fournos.checks) give feedback without holding the answer: for these
exercises they compare digests of the answer (fournos/answer_digests.py, written from the
checks below by `python -m fournos exercises`) and give hints that follow from the question
alone. The checks here compute the expected answer from the data and say more precisely what
differs. Both are called with the same answers; on every right answer they agree (tested in
tests/instructors/test_hidden_checks.py).

Writing a check for a new exercise:
1. The public check, in src/fournos/checks.py, decorated with @checker: type and shape
   hints that follow from the question (columns, row ids, order); the values compared with
   `matches(key, value)` against a digest, never computed there.
2. The hidden check, here, with the same name: the full computation and the precise hint.
   Add it to CHECKS, and the digests it implies to `expected_digests()`.
3. `python -m fournos exercises` writes the digests; the release's scan fails if any
   expression of a solution block appears in a shipped file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from fournos import dates, debate
from fournos.checks import (
    STATED_DATES,
    TREND_TERMS,
    Feedback,
    _need_columns,
    _numbers,
    checker,
    date_gaps_verdict,
    digest,
    formulations_table,
    formulations_verdict,
    theme_matrix_shape,
    trend_lines,
    trend_lines_verdict,
    word_trends_shape,
)
from fournos.data import data_dir, load
from fournos.terms import term_counts
from fournos.text import article_ids, find_paragraphs
from fournos_tools.grading import hidden_checks_region as _region


def data_version() -> tuple[str, int]:
    """Which data the expectations below were computed from: the data folder and when its
    descriptor last changed. The checker checks a whole class against one version, so each
    expectation is computed once per process, not once per notebook."""
    folder = data_dir()
    try:
        return str(folder), (folder / "datapackage.json").stat().st_mtime_ns
    except OSError:
        return str(folder), 0


@lru_cache(maxsize=4)
def _counts(_version: tuple[str, int]) -> pd.DataFrame:
    return term_counts()


def expected_counts() -> pd.DataFrame:
    """term_counts() of the kit's data, computed once per data version (a fresh copy)."""
    return _counts(data_version()).copy()


@checker
def check_theme_matrix(answer) -> Feedback:
    """Exercise 1.1: claims counted by article (rows) and theme (columns)."""
    claims = load("claims")
    expected = pd.crosstab(claims["article_id"], claims["theme"])
    if problem := theme_matrix_shape(answer, list(expected.columns)):
        return problem
    # the counts read as numbers, as the students' check reads them ("3" is 3)
    got = _numbers(answer, list(expected.index), list(expected.columns))
    if got is None:
        wrong = expected.size
    else:
        wrong = sum(
            g != e
            for g_row, e_row in zip(got, expected.to_numpy().tolist())
            for g, e in zip(g_row, e_row)
        )
    if wrong:
        return Feedback(
            False,
            f"{wrong} cell(s) hold a different count. Each cell should be the "
            "number of claims (rows of the claims table) with that article and theme.",
        )
    return Feedback(True, "Correct: every count matches.")


@checker
def check_word_trends(answer) -> Feedback:
    """Exercise 1.4: uses per 1,000 words, one row per article in reading order, one column per term."""
    counts = expected_counts().query("term in @TREND_TERMS")
    expected = counts.pivot(index="article_id", columns="term", values="per_1000_words")
    expected = expected.loc[article_ids(), TREND_TERMS]
    if problem := word_trends_shape(answer):
        return problem
    got = answer.loc[expected.index, TREND_TERMS].astype(float)
    raw = counts.pivot(index="article_id", columns="term", values="count").loc[
        expected.index, TREND_TERMS
    ]
    if ((got - raw).abs() < 0.01).all().all():
        return Feedback(
            False,
            "These look like raw counts. Divide by the article's word count and "
            "multiply by 1,000, so long and short articles can be compared.",
        )
    if not ((got - expected).abs() <= 0.01).all().all():
        return Feedback(
            False, "Some values differ: use the per_1000_words column of term_counts()."
        )
    return Feedback(
        True, "Correct: you can now compare the articles fairly, whatever their length."
    )


@checker
def check_trends_figure(answer) -> Feedback:
    """Exercise 1.4: the word trends drawn as lines, one per term, articles in reading order."""
    lines, problem = trend_lines(answer)
    if problem:
        return problem
    wanted = (
        expected_counts()
        .query("term in @TREND_TERMS")
        .pivot(index="article_id", columns="term", values="per_1000_words")
    )

    def right(term, ys) -> bool:
        wanted_ys = wanted.loc[article_ids(), term].to_numpy()
        return len(ys) == len(wanted_ys) and bool((abs(ys.to_numpy() - wanted_ys) <= 0.01).all())

    return trend_lines_verdict(lines, right)


@checker
def check_formulations(answer) -> Feedback:
    """Exercise 2.1: for each article, which of the four principles it states (True/False)."""
    statements = load("principle_statements")
    principles = load("principles")
    names = dict(zip(principles["principle_id"], principles["short_name"]))
    expected = pd.crosstab(statements["source_id"], statements["principle_id"]) > 0
    expected = expected.reindex(index=article_ids(), columns=list(names), fill_value=False)
    got, problem = formulations_table(answer)
    if problem:
        return problem
    wrong = [a for a in expected.index if not (got.loc[a] == expected.loc[a]).all()]
    return formulations_verdict(wrong)


@checker
def check_date_gaps(answer) -> Feedback:
    """Exercise 2.3: days between the date an article states and the date in the record."""
    if problem := _need_columns(answer, ["event_id", "article_date", "record_date", "days_apart"]):
        return problem
    record = load("events").set_index("event_id")["date"]
    gaps = {
        event_id: (dates.first_day(stated) - dates.first_day(record[event_id])).days
        for event_id, stated in STATED_DATES.items()
    }
    return date_gaps_verdict(answer, lambda event_id, days: days == gaps[event_id])


@checker
def check_stale_statistics(answer) -> Feedback:
    """Exercise 2.4: every paragraph that gives the 80 / 37 / 49 defence-relations figures."""
    if problem := _need_columns(answer, ["article_id", "paragraph"]):
        return problem
    found = {(a, int(p)) for a, p in zip(answer["article_id"], answer["paragraph"])}
    hits = find_paragraphs(r"\b37\b")  # only this statistic uses 37
    expected = set(zip(hits["article_id"], hits["paragraph"].astype(int)))
    extra = found - expected
    if extra:
        return Feedback(
            False,
            f"{len(extra)} of your paragraphs do not give the three figures. "
            "Search for a number that only this statistic uses.",
        )
    if found != expected:
        return Feedback(
            False,
            f"You found {len(found)} of the paragraphs; the figures appear in "
            f"{len(expected)} articles. Search every article, not one.",
        )
    return Feedback(
        True,
        "Correct: the same three figures, dated 'by the end of 2019' in 2020 and "
        "given as true 'so far' in 2022.",
    )


CHECKS = {
    f.__name__: f
    for f in (
        check_theme_matrix,
        check_word_trends,
        check_trends_figure,
        check_formulations,
        check_date_gaps,
        check_stale_statistics,
    )
}

# Exercises 5 (Vietnam among its neighbours) keep their hidden checks in their own module.
CHECKS |= _region.CHECKS


def unanswered_arguments(side: str = "advocate") -> list[str]:
    """Ids of one side's arguments that no source in the kit answers. For advocates this is
    Exercise 4.2's answer, so it lives here, instructors only: the students' library has no
    function that returns it on its own (tests/attacks/test_leak_debate_functions.py)."""
    table = debate.answers()
    chosen = (table["side"] == side) & (table["answer_kind"] == debate.NO_ANSWER)
    return table.loc[chosen, "argument_id"].tolist()


def _trend_table(values: str) -> pd.DataFrame:
    counts = expected_counts().query("term in @TREND_TERMS")
    return (
        counts.pivot(index="article_id", columns="term", values=values)
        .loc[article_ids(), TREND_TERMS]
        .astype(float)
    )


def expected_digests() -> dict:
    """The digests the students' checks compare answers with, computed from the data."""
    claims = load("claims")
    matrix = pd.crosstab(claims["article_id"], claims["theme"])
    statements = load("principle_statements")
    principles = list(load("principles")["principle_id"])
    stated = pd.crosstab(statements["source_id"], statements["principle_id"]) > 0
    stated = stated.reindex(index=article_ids(), columns=principles, fill_value=False)
    record = load("events").set_index("event_id")["date"]
    hits = find_paragraphs(r"\b37\b")
    trends, raw = _trend_table("per_1000_words"), _trend_table("count")
    return {
        "theme_matrix": digest(matrix.loc[article_ids()].to_numpy().tolist()),
        "word_trends": digest(trends.round(2).to_numpy().tolist()),
        "word_trends_raw": digest(raw.round(2).to_numpy().tolist()),
        "trend_lines": {t: digest(trends[t].round(2).tolist()) for t in TREND_TERMS},
        "formulations": {a: digest(stated.loc[a].tolist()) for a in article_ids()},
        "date_gaps": {
            e: digest((dates.first_day(s) - dates.first_day(record[e])).days)
            for e, s in STATED_DATES.items()
        },
        "stale_statistics": sorted(
            digest([a, int(p)]) for a, p in zip(hits["article_id"], hits["paragraph"])
        ),
        "stale_statistics_articles": int(hits["article_id"].nunique()),
    }


def _python(value, indent: int = 0) -> str:
    """A plain value as Python source, one item a line (as `ruff format` leaves it)."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        items = "".join(
            f"{inner}{json.dumps(k)}: {_python(v, indent + 1)},\n" for k, v in sorted(value.items())
        )
        return "{\n" + items + pad + "}"
    if isinstance(value, list):
        return "[\n" + "".join(f"{inner}{_python(v, indent + 1)},\n" for v in value) + pad + "]"
    return json.dumps(value)


def write_digests(path: Path) -> None:
    """Write fournos/answer_digests.py (shipped: digests only, no answer)."""
    text = (
        '"""Digests of the answers the students\' checks compare with (fournos.checks.matches).\n\n'
        "Written by `python -m fournos exercises` from the instructors' hidden checks; do not\n"
        'edit by hand. A digest says whether an answer is right, never what it is."""\n\n'
        f"DIGESTS = {_python(expected_digests())}\n"
    )
    path.write_text(text, encoding="utf-8")
