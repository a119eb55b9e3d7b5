"""The cleaned article texts: whole, by paragraph, and a paragraph with a quote highlighted."""

from __future__ import annotations

import html
import numbers
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


def article_name(article_id: str) -> str:
    """A readable name for an article in titles and menus: author (or outlet) and year,
    such as 'Khang Vu (undated)' or 'National Defence Journal (2020)'."""
    a = load("articles").set_index("article_id").loc[require_article(article_id)]
    who = a["author"] or a["outlet"].split(",")[0]
    return f"{who} ({a['published'][:4] or 'undated'})"


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


class Paragraph(str):
    """A paragraph's text (a str, for code) that a notebook shows as a formatted quotation
    with its source, the way show_quote does, never as a Python string with quotes."""

    article_id: str = ""
    number: int = 0

    def _repr_html_(self) -> str:
        return (
            f'<blockquote class="fournos-quote"><p>{html.escape(_normalise(self))}</p>'
            f"<footer>{html.escape(article_name(self.article_id))}, paragraph {self.number}"
            "</footer></blockquote>"
        )

    def __repr__(self) -> str:  # a terminal or a text view: the words, then the source
        return f"{_normalise(self)}\n  ({article_name(self.article_id)}, paragraph {self.number})"


def paragraph(article_id: str, number: int) -> Paragraph:
    """Paragraph `number` (counting from 1) of an article: text to work with, shown as a
    formatted quotation. Any whole number will do, including the numpy integers a table
    gives (claims["paragraph"].iloc[0])."""
    paras = paragraphs(article_id)
    if (
        not isinstance(number, numbers.Integral)
        or isinstance(number, bool)
        or not 1 <= number <= len(paras)
    ):
        raise DataError(f"{article_id} has paragraphs 1 to {len(paras)}; there is no {number!r}.")
    shown = Paragraph(paras[int(number) - 1])
    shown.article_id, shown.number = article_id, int(number)
    return shown


class FullText(HTML):
    """The whole article, folded: HTML for JupyterLab, numbered plain text everywhere else."""

    def __init__(self, article_id: str):
        self.article_id = article_id
        super().__init__(_full_text_html(article_id))

    def __repr__(self) -> str:  # what a plain-text view shows (a terminal, a text diff)
        return "\n\n".join(
            f"[{n}] {text}" for n, text in enumerate(paragraphs(self.article_id), start=1)
        )


def _full_text_html(article_id: str) -> str:
    paras = paragraphs(article_id)
    words = len(article_text(article_id).split())
    items = "".join(
        f'<p id="{article_id}-p{n}" style="margin:0.4em 0">'
        f'<b style="display:inline-block;min-width:2.5em">[{n}]</b> {html.escape(text)}</p>'
        for n, text in enumerate(paras, start=1)
    )
    return (
        f'<details class="fournos-full-text"><summary style="cursor:pointer">'
        f"<b>The whole article</b>: {len(paras)} numbered paragraphs, about {words:,} words. "
        "Click to open or close.</summary>"
        f'<div style="max-width:48em;text-align:left">{items}</div></details>'
    )


def full_text(article_id: str) -> FullText:
    """The whole article with its paragraphs numbered as the kit numbers them (the same numbers
    as paragraph(), the hints and the argument map), folded until the reader opens it."""
    require_article(article_id)
    return FullText(article_id)


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
        f"<footer>{html.escape(article_name(article_id))}, paragraph {number}</footer></blockquote>"
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
