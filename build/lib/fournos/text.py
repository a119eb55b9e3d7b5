"""The cleaned article texts: whole, by paragraph, and a paragraph with a quote highlighted."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import pandas as pd
from IPython.display import HTML

from fournos.data import DataError, data_dir, load


def _normalise(text: str) -> str:
    """Collapse runs of white space: quotes are compared on words and punctuation only."""
    return re.sub(r"\s+", " ", text).strip()


def article_ids() -> list[str]:
    """Ids of the five articles, in reading order."""
    return load("articles").sort_values("reading_order")["article_id"].tolist()


def require_article(article_id) -> str:
    """The id itself if it names one of the five articles; otherwise a friendly DataError."""
    if not isinstance(article_id, str) or article_id not in article_ids():
        raise DataError(
            f"There is no article with id {article_id!r}. The ids are: {', '.join(article_ids())}."
        )
    return article_id


def article_text(article_id: str) -> str:
    """The cleaned body text of one article: paragraphs separated by blank lines."""
    require_article(article_id)
    return _read(str(data_dir() / "articles" / f"{article_id}.txt"))


@lru_cache(maxsize=16)
def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def paragraphs(article_id: str) -> list[str]:
    """The article's paragraphs; paragraph 1 is the first item (use paragraph(...) to ask by number)."""
    return article_text(article_id).strip().split("\n\n")


def paragraph(article_id: str, number: int) -> str:
    """Paragraph `number` (counting from 1) of an article."""
    paras = paragraphs(article_id)
    if not isinstance(number, int) or not 1 <= number <= len(paras):
        raise DataError(f"{article_id} has paragraphs 1 to {len(paras)}; there is no {number!r}.")
    return paras[number - 1]


# Students type straight quotes and apostrophes; the articles print curly ones.
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _fold(text: str) -> str:
    return _normalise(text).translate(TYPOGRAPHY).lower()


def _locate(article_id: str, quote) -> tuple[int, int, str]:
    """(paragraph number, start, normalised paragraph) of a quote; exact match first, then
    ignoring curly/straight quotes and case."""
    if not isinstance(quote, str) or not quote.strip():
        raise DataError(f"A quote must be some words in quotation marks, not {quote!r}.")
    paras = [_normalise(p) for p in paragraphs(article_id)]
    for fold in (lambda t: t, lambda t: t.translate(TYPOGRAPHY).lower()):
        wanted = fold(_normalise(quote))
        for number, text in enumerate(paras, start=1):
            start = fold(text).find(wanted)
            if start >= 0:
                return number, start, text
    words = set(_fold(quote).split())
    closest = max(range(len(paras)), key=lambda i: len(words & set(_fold(paras[i]).split())))
    raise DataError(
        f"The words {quote!r} are not in {article_id}, word for word. The closest "
        f"paragraph is {closest + 1}: compare it with your quote."
    )


def find_quote(article_id: str, quote: str) -> int:
    """The number of the paragraph that contains `quote` word for word (white space, curly or
    straight quotation marks and capital letters aside)."""
    return _locate(article_id, quote)[0]


def highlight(article_id: str, quote: str) -> str:
    """HTML of the paragraph containing `quote`, with the quote marked."""
    number, start, text = _locate(article_id, quote)
    end = start + len(_normalise(quote))
    marked = (
        html.escape(text[:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:])
    )
    return (
        f'<blockquote class="fournos-quote"><p>{marked}</p>'
        f"<footer>{article_id}, paragraph {number}</footer></blockquote>"
    )


def show_quote(article_id: str, quote: str) -> HTML:
    """Display the paragraph around a quote with the quote highlighted."""
    return HTML(highlight(article_id, quote))


def find_paragraphs(pattern: str, articles: list[str] | None = None) -> pd.DataFrame:
    """Every paragraph (of all articles, or the given ones) that matches a regular expression,
    ignoring case: one row per match with article_id, paragraph number and text."""
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, TypeError) as err:
        raise DataError(f"{pattern!r} is not a search pattern the kit can use ({err}).") from None
    rows = [
        {"article_id": a, "paragraph": n, "text": text}
        for a in (articles or article_ids())
        for n, text in enumerate(paragraphs(a), start=1)
        if compiled.search(text)
    ]
    return pd.DataFrame(rows, columns=["article_id", "paragraph", "text"])
