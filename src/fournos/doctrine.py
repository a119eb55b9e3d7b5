"""The 'Three Nos' and 'Four Nos': which document or article states which principle, in what words;
and the partnerships Vietnam built while, by its official policy, joining no military alliance
(Article 3 and some commentators count Laos as an ally: see notebook 08)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fournos import dates
from fournos.data import load
from fournos.figures import _style, colours
from fournos.friendly_errors import DataError, counted
from fournos.named_tables import events
from fournos.text import article_name


def principles() -> pd.DataFrame:
    """The four principles, with their Vietnamese wording and whether each is in the Three/Four Nos."""
    return load("principles")


def _source_order() -> pd.DataFrame:
    """Sources that state a principle, in time order (articles without a printed date by reading order)."""
    sources = load("sources").set_index("source_id")
    used = load("principle_statements")["source_id"].unique()
    frame = sources.loc[used, ["title", "date"]].reset_index()
    frame["start"] = frame["date"].map(lambda d: dates.first_day(d) if d else pd.NaT)
    # an article with no printed date sorts where the reading order puts it (before 2022)
    frame.loc[frame["source_id"] == "art_vu_sui_generis", "start"] = pd.Timestamp("2021-01-24")
    return frame.sort_values(["start", "source_id"], ignore_index=True)


def wording_matrix() -> pd.DataFrame:
    """Rows: the principles. Columns: the documents and articles, in time order. Cells: how each
    source words the principle (article wording verbatim, in quotation marks), or '—' if it does not."""
    statements = load("principle_statements")
    statements["cell"] = statements.apply(
        lambda r: f"“{r['wording']}”" if r["quote"] else f"[{r['wording']}]", axis=1
    )
    cells = statements.groupby(["principle_id", "source_id"])["cell"].agg(" / ".join).unstack()
    order = [s for s in _source_order()["source_id"] if s in cells.columns]
    names = principles().set_index("principle_id")["short_name"]
    matrix = cells.reindex(index=names.index, columns=order).fillna("—")
    matrix.index = matrix.index.map(names)
    matrix.index.name = "principle"
    matrix.columns = [source_label(s) for s in matrix.columns]
    return matrix


# short names of the documents that word the principles, for column heads (their titles are
# long); the articles go by author and year
SHORT_NAMES = {
    "ref_white_paper_2009": "White Paper 2009",
    "ref_white_paper_2019": "White Paper 2019",
    "ref_resolution_44_2023": "Resolution 44 (2023)",
    "ref_secondary_three_nos": "Reports of the 2009 White Paper",
}


def source_label(source_id: str) -> str:
    """A source that words the principles, as a reader knows it ('Khang Vu (undated)',
    'White Paper 2019')."""
    if source_id in SHORT_NAMES:
        return SHORT_NAMES[source_id]
    articles = load("articles")["article_id"].tolist()
    if source_id in articles:
        return article_name(source_id)
    return load("sources").set_index("source_id").loc[source_id, "title"]


def formulation_by_source() -> pd.DataFrame:
    """How many of the four principles each source states, and which label that matches."""
    statements = load("principle_statements")
    counts = statements.groupby("source_id")["principle_id"].nunique().rename("principles_stated")
    order = _source_order().set_index("source_id")
    frame = order.join(counts).reset_index()
    frame["formulation"] = (
        frame["principles_stated"]
        .map({4: "all four (Four Nos)", 3: "three (Three Nos)"})
        .fillna("fewer than three stated")
    )
    return frame[["source_id", "date", "principles_stated", "formulation"]]


CSP = "comprehensive_strategic_partnership"


def _upgrades() -> pd.DataFrame:
    """Every partnership upgrade up to the as-of date, with its partner, partner type and kind."""
    upgrades = events()
    upgrades = upgrades[upgrades["category"] == "partnership"]
    upgrades = upgrades[upgrades["start"] <= pd.Timestamp(dates.as_of(iso=True))]
    kinds = load("partnerships").rename(columns={"note": "counting_note"})
    return upgrades.merge(kinds, on="event_id", how="left", validate="one_to_one")


def partnerships() -> pd.DataFrame:
    """The comprehensive strategic partnership upgrades recorded up to the dataset's as-of date
    (a partnership of another kind, such as an enhanced strategic partnership, is left out)."""
    upgrades = _upgrades()
    return upgrades[upgrades["kind"] == CSP].reset_index(drop=True)


def other_partnerships() -> pd.DataFrame:
    """Partnership upgrades of other kinds, named as their sources name them: not counted."""
    upgrades = _upgrades()
    others = upgrades[upgrades["kind"] != CSP]
    return others[["when", "partner", "kind_as_named", "counting_note"]].reset_index(drop=True)


def partnership_count() -> str:
    """One sentence with the count, what it counts (countries and blocs apart) and the as-of date
    it is true for; partnerships of other kinds are named, not counted."""
    upgrades = partnerships()
    first = upgrades["start"].min().year
    countries = int((upgrades["partner_type"] == "country").sum())
    blocs = upgrades.loc[upgrades["partner_type"] == "bloc", "partner"].tolist()
    sentence = (
        f"As of {dates.as_of()} (the dataset's as-of date), the kit records {len(upgrades)} "
        f"comprehensive strategic partnerships, the first in {first}"
    )
    if blocs:
        sentence += (
            f": {counted(countries, 'with a country', 'with countries')} and "
            f"{counted(len(blocs), 'with a bloc', 'with blocs')} ({', the '.join(blocs)})"
        )
    sentence += "."
    others = other_partnerships()
    if len(others):
        named = "; ".join(
            f"{row.partner}: {row.kind_as_named}, {row.when}" for row in others.itertuples()
        )
        sentence += (
            f" Not counted: {counted(len(others), 'partnership')} of another kind ({named})."
        )
    return sentence


def partnership_chart() -> go.Figure:
    """When each partner became a comprehensive strategic partner (Vietnam's highest tier)."""
    upgrades = partnerships()
    upgrades["partner"] = upgrades["partner"].where(
        upgrades["partner_type"] == "country", upgrades["partner"] + " (bloc)"
    )
    upgrades["certainty"] = upgrades["confidence"].map(
        lambda c: "confirmed" if c == "confirmed" else "one source only"
    )
    fig = px.scatter(
        upgrades,
        x="start",
        y="partner",
        symbol="certainty",
        symbol_map={"confirmed": "circle", "one source only": "circle-open"},
        color_discrete_sequence=[colours("events", "category")["partnership"]],
        hover_name="title",
        hover_data={"when": True, "start": False, "certainty": True},
    )
    fig.update_traces(marker={"size": 14})
    fig.update_yaxes(categoryorder="array", categoryarray=upgrades["partner"].tolist()[::-1])
    first = upgrades["start"].min().year
    title = f"Comprehensive strategic partnerships, {first} to {dates.as_of()} (as-of date)"
    return _style(fig, title, "date of upgrade", "partner")


def partnership_table() -> pd.DataFrame:
    """The partnership upgrades as a plain table (the text alternative to the chart)."""
    columns = ["when", "partner", "partner_type", "confidence", "note"]
    return partnerships()[columns].reset_index(drop=True)


def what_sources_say(event_id: str) -> pd.DataFrame:
    """The sources of one event side by side: who published what, when, in their own words.
    Positions, not verdicts: the table shows what each source says, not which one is right."""
    links = load("event_sources")
    links = links[links["event_id"] == event_id]
    if links.empty:
        known = sorted(set(load("event_sources")["event_id"]))
        raise DataError(f"No event called {event_id!r} has sources. Events: {', '.join(known)}.")
    sources = load("sources").set_index("source_id")
    frame = links.join(sources[["issuer", "date"]], on="source_id")
    frame["start"] = frame["date"].map(lambda d: dates.first_day(d) if d else pd.NaT)
    frame = frame.sort_values(["start", "source_id"], na_position="last")  # in time order
    frame["date"] = frame["date"].map(lambda d: dates.label(d) if d else "undated")
    frame = frame.rename(columns={"issuer": "published by", "quote": "their words"})
    return frame[["source_id", "published by", "date", "their words", "locator"]].reset_index(
        drop=True
    )


def describe_partnership_chart() -> str:
    """The text description under partnership_chart (for screen readers), made from the data so
    that it changes when the partnerships do."""
    upgrades = partnerships()
    upgrades["partner"] = upgrades["partner"].where(
        upgrades["partner_type"] == "country", upgrades["partner"] + " (bloc)"
    )
    upgrades["shown"] = [
        str(start.year) if precision == "year" else start.strftime("%B %Y")
        for start, precision in zip(upgrades["start"], upgrades["date_precision"], strict=True)
    ]
    named = [
        f"{p} ({when})" for p, when in zip(upgrades["partner"], upgrades["shown"], strict=True)
    ]
    listed = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)
    single = upgrades.loc[upgrades["confidence"] != "confirmed", "partner"].tolist()
    hollow = (
        f"Hollow markers rest on one source: {', '.join(single)}."
        if single
        else "Every marker is confirmed by two sources."
    )
    return (
        f"Text description: a dot chart of the {len(upgrades)} comprehensive strategic "
        f"partnerships recorded up to {dates.as_of()} (the as-of date): {listed}. {hollow}"
    )
