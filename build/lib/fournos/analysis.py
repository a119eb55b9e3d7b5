"""Counting the articles' characteristic terms (defined in data/terms.csv)."""

from __future__ import annotations

import re

import pandas as pd

from fournos.data import load
from fournos.text import article_ids, article_text


def term_counts(
    articles: list[str] | str | None = None, kinds: list[str] | None = None
) -> pd.DataFrame:
    """How often each term of data/terms.csv occurs in each article, and per 1,000 words.

    One row per article and term (long format), in reading order and term order.
    """
    if isinstance(articles, str):
        articles = [articles]
    terms = load("terms")
    if kinds:
        terms = terms[terms["kind"].isin(kinds)]
    meta = load("articles").set_index("article_id")
    rows = []
    for article_id in articles or article_ids():
        text = article_text(article_id)
        words = int(meta.at[article_id, "word_count"])
        for term in terms.itertuples():
            count = len(re.findall(term.pattern, text, flags=re.IGNORECASE))
            rows.append(
                {
                    "article_id": article_id,
                    "term": term.label,
                    "kind": term.kind,
                    "count": count,
                    "per_1000_words": round(1000 * count / words, 2),
                }
            )
    return pd.DataFrame(rows)
