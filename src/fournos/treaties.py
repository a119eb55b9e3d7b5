"""The 1977, 1978 and 1994 treaties side by side, coded in the ATOP/COW vocabulary of obligations.
The codings are the kit's own reading of the documents in data/documents/, not ATOP's or COW's:
a yes or no quotes the clause and names its article; where the kit has no text, 'unknown'."""

from __future__ import annotations

import html

import pandas as pd

from fournos.data import DataError, load

OBLIGATIONS = [
    "defense",
    "offense",
    "neutrality",
    "non_aggression",
    "consultation",
    "basing_access",
    "ideology_clause",
    "no_hostile_alliance_pledge",
]


def is_vietnams(parties) -> bool:
    """Whether a treaty is one of Vietnam's own: a bilateral treaty Vietnam signed. The neighbours'
    commitments (and the 19-party Paris Agreement of 1991) are compared in fournos.region."""
    return len(parties) == 2 and "Vietnam" in parties


def treaties() -> pd.DataFrame:
    """Vietnam's three treaties: parties, dates, term, what replaced what."""
    table = load("treaties")
    return table[table["parties"].map(is_vietnams)].sort_values("signed", ignore_index=True)


def treaty_table() -> pd.DataFrame:
    """Rows: obligations; columns: treaties; cells: yes / no / contested / unknown."""
    provisions = load("treaty_provisions")
    table = provisions.pivot(index="obligation", columns="treaty_id", values="present")
    return table.reindex(index=OBLIGATIONS, columns=treaties()["treaty_id"])


class Coding(pd.Series):
    """One coding: a Series (so `coding["present"]` works) that a notebook shows as a small
    two-column table instead of pandas' plain-text dump."""

    @property
    def _constructor(self):
        return pd.Series

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(str(field))}</th>"
            f"<td style='text-align:left;white-space:normal'>{html.escape(str(value))}</td></tr>"
            for field, value in self.items()
        )
        return f"<table class='fournos-coding'>{rows}</table>"


def evidence(treaty_id: str, obligation: str) -> Coding:
    """The coding of one obligation in one treaty, with its source, quote, where the quote sits
    (locator) and the coder's note. Works for Vietnam's treaties and its neighbours' alike."""
    provisions = load("treaty_provisions").set_index(["treaty_id", "obligation"])
    if (treaty_id, obligation) not in provisions.index:
        coded = sorted(set(provisions.index.get_level_values("treaty_id")))
        raise DataError(
            f"No coding for {treaty_id!r} and {obligation!r}. Treaties: "
            f"{', '.join(coded)}; obligations: {', '.join(OBLIGATIONS)}."
        )
    row = provisions.loc[
        (treaty_id, obligation), ["present", "source_id", "quote", "locator", "coder_note"]
    ]
    return Coding(row)


def descriptions(treaty_id: str) -> pd.DataFrame:
    """How each source the kit holds describes one treaty, in its own words: who wrote it, when,
    what sort of source it is, the passage and where it sits. Sources with no passage are left out."""
    known = treaties()["treaty_id"].tolist()
    if treaty_id not in known:
        raise DataError(f"There is no treaty {treaty_id!r}. Treaties: {', '.join(known)}.")
    links = load("treaty_sources").query("treaty_id == @treaty_id and quote != ''")
    sources = load("sources").set_index("source_id")
    frame = links.join(sources[["kind", "title", "author", "issuer", "date"]], on="source_id")
    writers = load("articles").set_index("article_id")["author"]
    frame["author"] = frame["author"].where(frame["author"] != "", frame["source_id"].map(writers))
    frame["who"] = frame["author"].where(frame["author"].fillna("") != "", frame["issuer"])
    frame["date"] = frame["date"].where(frame["date"] != "", "undated")
    frame = frame.sort_values(["date", "source_id"], key=lambda c: c.str.replace("undated", "9"))
    return frame[["source_id", "who", "date", "kind", "quote", "locator"]].reset_index(drop=True)


def compare(first: str, second: str) -> pd.DataFrame:
    """Two treaties side by side, obligation by obligation, with the evidence for each coding."""
    known = treaties()["treaty_id"].tolist()
    for treaty_id in (first, second):
        if treaty_id not in known:
            raise DataError(f"There is no treaty {treaty_id!r}. Treaties: {', '.join(known)}.")
    provisions = load("treaty_provisions")
    pair = provisions[provisions["treaty_id"].isin([first, second])]
    wide = pair.pivot(index="obligation", columns="treaty_id", values=["present", "quote"])
    wide.columns = [f"{treaty} {what}" for what, treaty in wide.columns]
    columns = [f"{first} present", f"{second} present", f"{first} quote", f"{second} quote"]
    return wide.reindex(index=OBLIGATIONS, columns=columns).fillna("")


# COW's alliance types, from the strongest commitment down, with the obligation that makes each.
COW_TYPES = [
    ("defense", "Type I: defence pact"),
    ("neutrality", "Type II: neutrality or non-aggression pact"),
    ("non_aggression", "Type II: neutrality or non-aggression pact"),
    ("consultation", "Type III: entente (consult in a crisis)"),
]


def alliance_type(treaty_id: str) -> str:
    """The strongest COW-style alliance type the kit's codings support, and any stronger type
    that the codings leave open (contested or unknown). A teaching aid, not a COW coding."""
    table = treaty_table()
    if treaty_id not in table.columns:
        raise DataError(f"There is no treaty {treaty_id!r}. Treaties: {', '.join(table.columns)}.")
    codes = table[treaty_id]
    open_question = []
    for obligation, label in COW_TYPES:
        if codes[obligation] == "yes":
            return label + (
                f"; stronger type open: {', '.join(open_question)}" if open_question else ""
            )
        if codes[obligation] in ("contested", "unknown") and label not in open_question:
            open_question.append(label)
    if open_question:
        return "uncertain: " + ", ".join(dict.fromkeys(open_question)) + " not ruled out"
    return "no alliance obligation"
