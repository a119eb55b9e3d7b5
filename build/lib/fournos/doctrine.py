"""The 'Three Nos' and 'Four Nos': which document or article states which principle, in what words;
and the partnerships Vietnam built while allying with no one."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fournos import dates
from fournos.data import load
from fournos.figures import _style, colours
from fournos.tables import events


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
    return matrix


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


def partnership_chart() -> go.Figure:
    """When each partner became a comprehensive strategic partner (Vietnam's highest tier)."""
    upgrades = events()
    upgrades = upgrades[upgrades["category"] == "partnership"].copy()
    upgrades["partner"] = upgrades["actors"].map(lambda a: next(x for x in a if x != "Vietnam"))
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
    return _style(
        fig, "Comprehensive strategic partnerships, 2008–2024", "date of upgrade", "partner"
    )


def partnership_table() -> pd.DataFrame:
    """The partnership upgrades as a plain table (the text alternative to the chart)."""
    upgrades = events()
    upgrades = upgrades[upgrades["category"] == "partnership"]
    return upgrades[["when", "title", "confidence", "note"]].reset_index(drop=True)
