"""Source criticism with one standard for every source: the checks of each source's checkable
claims, and the loaded terms each source uses, counted by one written rule."""

from __future__ import annotations

import pandas as pd

from fournos.analysis import term_counts
from fournos.data import load

LOADED_TERM_RULE = (
    "A loaded term is a word that judges people, groups or states instead of describing them: "
    "a label for who they are ('hostile forces', 'enemy'), or a judgement of their motives "
    "('dangerous intent') or of their conduct ('sea piracy', 'betrayal', 'sabotage'). Words that "
    "judge only an idea ('false ideas') are not counted. The kit counts every such word the same "
    "way in all five articles and in every debate source, whoever uses it and whoever it targets: "
    "one table of terms (data/terms.csv) and one counting function."
)


def source_checks(article_id: str | None = None) -> pd.DataFrame:
    """The kit's checks of the articles' checkable claims (figures, dates, readings of treaties,
    unnamed sources): the claim, the verdict, what the check found and the evidence."""
    checks = load("source_checks")
    if article_id is not None:
        checks = checks[checks["article_id"] == article_id]
    columns = ["article_id", "kind", "quote", "verdict", "finding", "evidence_source_id"]
    return checks[columns].reset_index(drop=True)


def loaded_terms() -> pd.DataFrame:
    """How often each article uses each loaded term (rows: the terms at least one article uses;
    columns: articles in reading order). The rule for what counts is LOADED_TERM_RULE."""
    counts = term_counts()
    counts = counts[counts["kind"] == "loaded_term"]
    order = load("articles").sort_values("reading_order")["article_id"]
    table = counts.pivot_table(index="term", columns="article_id", values="count", aggfunc="sum")
    table = table.reindex(columns=order).fillna(0).astype(int)
    return table[table.sum(axis=1) > 0]
