"""Counting terms: one table (data/terms.csv), one rule for loaded terms, one counting function.

The five articles (notebooks 01-05, Exercise 1), the loaded-term tables (notebooks 08 and 09)
and the debate's sources all count through count_terms, so a term is found the same way
whoever uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from fournos.data import load
from fournos.text import _normalise, article_ids, article_text


def count_terms(texts: Mapping[str, str], kinds: list[str] | None = None) -> pd.DataFrame:
    """How often each term of data/terms.csv occurs in each text (source id -> text).

    One row per text and term (long format), texts in the order given, terms in table order.
    White space is normalised first, so a phrase split by a non-breaking space or a line break
    still counts. `words` is the number of words in the text the count rests on.
    """
    terms = load("terms")
    if kinds:
        terms = terms[terms["kind"].isin(kinds)]
    rows = []
    for source_id, raw in texts.items():
        text = _normalise(raw)
        words = len(text.split())
        for term in terms.itertuples():
            count = len(re.findall(term.pattern, text, flags=re.IGNORECASE))
            rows.append(
                {
                    "source_id": source_id,
                    "term": term.label,
                    "kind": term.kind,
                    "count": count,
                    "words": words,
                }
            )
    return pd.DataFrame(rows, columns=["source_id", "term", "kind", "count", "words"])


def term_counts(
    articles: list[str] | str | None = None, kinds: list[str] | None = None
) -> pd.DataFrame:
    """How often each term of data/terms.csv occurs in each article, and per 1,000 words.

    One row per article and term (long format), in reading order and term order. The rate is
    per 1,000 words of the cleaned article (word_count in articles.csv).
    """
    if isinstance(articles, str):
        articles = [articles]
    ids = articles or article_ids()
    counts = count_terms({a: article_text(a) for a in ids}, kinds)
    words = load("articles").set_index("article_id")["word_count"].astype(int)
    counts = counts.rename(columns={"source_id": "article_id"}).drop(columns="words")
    counts["per_1000_words"] = (1000 * counts["count"] / counts["article_id"].map(words)).round(2)
    return counts.reset_index(drop=True)
