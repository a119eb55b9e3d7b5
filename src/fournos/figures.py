"""Figures, one function per idea. Every figure has a title, labelled axes and the kit's
colour-blind-safe palette, used so that a category keeps its colour in every figure."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from fournos.data import resource
from fournos.terms import term_counts
from fournos.text import article_name

SAFE = px.colors.qualitative.Safe  # colour-blind-safe (Paul Tol); 11 colours


def colours(table: str, field: str) -> dict[str, str]:
    """A fixed colour for each allowed value of a field, in the schema's order."""
    fields = {f["name"]: f for f in resource(table)["schema"]["fields"]}
    values = fields[field]["constraints"]["enum"]
    return {value: SAFE[i % len(SAFE)] for i, value in enumerate(values)}


def readable(value: str) -> str:
    """A data value as a reader should see it in a legend or a lane: 'world_event' -> 'world event'."""
    return str(value).replace("_", " ")


BAR_PX = 28  # height per bar: enough for every category label to show, none skipped


def bar_height(bars: int, frame: int = 170) -> int:
    """The height in pixels of a horizontal bar chart with `bars` bars, so that plotly
    labels every bar (it drops labels that would overlap in a chart too short)."""
    return frame + BAR_PX * max(bars, 1)


def _style(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        font={"size": 13},
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return fig


def term_chart(article_id: str) -> go.Figure:
    """Bar chart: how often the article uses each characteristic term, per 1,000 words."""
    counts = term_counts(article_id)
    counts = counts[counts["count"] > 0].sort_values(["per_1000_words", "term"])
    palette = {readable(kind): colour for kind, colour in colours("terms", "kind").items()}
    fig = px.bar(
        counts.assign(kind=counts["kind"].map(readable)),
        x="per_1000_words",
        y="term",
        color="kind",
        orientation="h",
        color_discrete_map=palette,
        hover_data=["count"],
        category_orders={"kind": list(palette)},
        labels={"kind": "kind of term", "per_1000_words": "uses per 1,000 words"},
    )
    fig = _style(
        fig,
        f"Characteristic terms in {article_name(article_id)} (per 1,000 words)",
        "uses per 1,000 words",
        "term",
    )
    fig.update_layout(height=bar_height(len(counts)))
    fig.update_yaxes(automargin=True, dtick=1, tickmode="linear")
    return fig


def describe_term_chart(article_id: str) -> str:
    """The one-sentence text description that goes under term_chart (for screen readers)."""
    counts = term_counts(article_id).sort_values(
        ["per_1000_words", "term"], ascending=[False, True]
    )
    used = counts[counts["count"] > 0]
    top = "; ".join(
        f"{r.term} ({r.per_1000_words:g} per 1,000 words)" for r in used.head(3).itertuples()
    )
    unused = ", ".join(counts.loc[counts["count"] == 0, "term"]) or "none"
    return (
        f"Bar chart of {len(used)} terms used in {article_name(article_id)}; the most frequent "
        f"are {top}. "
        f"Terms the article never uses: {unused}."
    )
