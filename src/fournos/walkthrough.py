"""What the article walkthroughs show: a reading card, the context, the argument map, key terms."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from fournos import dates
from fournos.data import load
from fournos.friendly_errors import DataError
from fournos.named_tables import REGIONAL, events
from fournos.quiz import Interactive
from fournos.text import highlight, require_article

PERSPECTIVES = {
    "party_state": "Party-state publication (Vietnam)",
    "foreign_academic": "Foreign academic analysis",
}


def _article(article_id: str) -> pd.Series:
    require_article(article_id)
    return load("articles").set_index("article_id").loc[article_id]


def reading_card(article_id: str) -> HTML:
    """A card with the article's title, author, outlet, date (as precise as known) and perspective."""
    a = _article(article_id)
    author = ", ".join(p for p in [a["author_title"], a["author"]] if p) or "No byline printed"
    rows = {
        "Title": a["title"],
        "Author": author + (f" ({a['author_affiliation']})" if a["author_affiliation"] else ""),
        "Outlet": a["outlet"],
        "Date": dates.label(a["published"]) if a["published"] else "not printed (see note)",
        "Date as printed": a["date_as_printed"],
        "Genre": a["genre"].replace("_", " "),
        "Perspective": PERSPECTIVES[a["perspective"]],
        "Length": f"{a['word_count']:,} words",
        "Note": a["note"],
    }
    return card_table(rows)


def written_by(article_id: str) -> pd.Timestamp:
    """The article's publication day, or, if none is printed, the latest event it looks ahead to."""
    a = _article(article_id)
    if a["published"]:
        return dates.first_day(a["published"])
    mentioned = events()[events()["event_id"].isin(mentions(article_id))]
    return mentioned["start"].max()


def mentions(article_id: str) -> list[str]:
    """Ids of the events whose sources quote this article."""
    links = load("event_sources")
    return sorted(links.loc[links["source_id"] == require_article(article_id), "event_id"].unique())


def context(article_id: str, years: int = 3) -> pd.DataFrame:
    """Events in the `years` before the article was written, up to that day: what had just happened."""
    until = written_by(article_id)
    frame = events()
    frame = frame[frame["category"] != REGIONAL]  # the neighbours' commitments: lesson 10
    recent = frame[
        (frame["start"] <= until) & (frame["start"] > until - pd.DateOffset(years=years))
    ]
    return recent[["when", "title", "category", "confidence"]].reset_index(drop=True)


def argument_map(article_id: str) -> pd.DataFrame:
    """The article's thesis and arguments in order, each with its paragraph and verbatim quote."""
    claims = load("claims")
    mine = claims[claims["article_id"] == require_article(article_id)].sort_values("order")
    return mine[["order", "role", "theme", "support", "paragraph", "summary", "quote"]].reset_index(
        drop=True
    )


class Table(HTML):
    """A table shown whole and left-aligned, as prose reads best: HTML in JupyterLab, plain
    text elsewhere. (pandas cuts long cells and JupyterLab right-aligns them.)"""

    def __init__(self, frame: pd.DataFrame, caption: str = ""):
        self.frame = frame
        head = "".join(
            f"<th style='text-align:left'>{html.escape(str(c))}</th>" for c in frame.columns
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td style='text-align:left;vertical-align:top'>{html.escape(str(v))}</td>"
                for v in row
            )
            + "</tr>"
            for row in frame.itertuples(index=False)
        )
        title = f"<caption style='text-align:left'>{html.escape(caption)}</caption>"
        super().__init__(
            f"<table class='fournos-table'>{title if caption else ''}"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )

    def __repr__(self) -> str:
        return self.frame.to_string(index=False, max_colwidth=None)


def argument_table(article_id: str) -> Table:
    """The argument map to read: each claim's order, role, theme, paragraph and whole summary."""
    claims = argument_map(article_id)[["order", "role", "theme", "paragraph", "summary"]]
    return Table(
        claims.assign(
            role=claims["role"].str.replace("_", " "), theme=claims["theme"].str.replace("_", " ")
        )
    )


def claim_explorer(article_id: str) -> Interactive:
    """Pick a claim to read the whole paragraph it comes from, with the quote highlighted."""
    claims = argument_map(article_id)
    labels = [(f"{c.order}. {c.role}: {c.summary}", i) for i, c in claims.iterrows()]
    picker = widgets.Dropdown(options=labels, description="Claim:", layout={"width": "95%"})
    shown = widgets.HTML()

    def show(change=None):
        claim = claims.loc[picker.value]
        shown.value = highlight(article_id, claim["quote"])

    picker.observe(show, names="value")
    show()
    return Interactive([picker, shown], "This claim menu")


def support_counts(article_id: str) -> pd.DataFrame:
    """How many of the article's claims rest on each kind of support (history, statistics, ...)."""
    claims = argument_map(article_id)
    counts = claims.groupby("support").size().rename("claims").reset_index()
    return counts.sort_values(["claims", "support"], ascending=[False, True], ignore_index=True)


def key_terms(article_id: str) -> pd.DataFrame:
    """Glossary entries first used by this article."""
    glossary = load("glossary")
    mine = glossary[glossary["first_article_id"] == require_article(article_id)]
    return mine[["term", "vietnamese", "definition"]].reset_index(drop=True)


def glossary() -> pd.DataFrame:
    """The whole glossary, alphabetically."""
    return load("glossary").sort_values("term", key=lambda s: s.str.lower(), ignore_index=True)


def card_table(rows: dict) -> HTML:
    """A reading card: one labelled row per filled-in field, left-aligned."""
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{k}</th><td style='text-align:left'>"
        f"{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
        if v
    )
    return HTML(f"<table class='fournos-card'>{body}</table>")


def card(record: pd.Series) -> HTML:
    """One row of a table to read, as a small card: each column's name, then its value (a
    bare pandas printout ends in 'Name: ..., dtype: ...' and breaks long values mid-word)."""
    if not isinstance(record, pd.Series):
        kind = "a table" if isinstance(record, pd.DataFrame) else "this"
        raise DataError(
            f"fournos.card shows one row (one record), not {kind}: pick a single row with "
            '.loc["its id"].'
        )

    def words(value):  # a code such as reference_works reads as words
        text = str(value)
        return text.replace("_", " ") if re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)+", text) else value

    return card_table({str(k).replace("_", " ").capitalize(): words(v) for k, v in record.items()})
