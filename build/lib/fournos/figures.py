"""Figures, one function per idea. Every figure has a title, labelled axes and the kit's
colour-blind-safe palette, used so that a category keeps its colour in every figure."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from fournos.analysis import term_counts
from fournos.data import resource

SAFE = px.colors.qualitative.Safe  # colour-blind-safe (Paul Tol); 11 colours


def colours(table: str, field: str) -> dict[str, str]:
    """A fixed colour for each allowed value of a field, in the schema's order."""
    fields = {f["name"]: f for f in resource(table)["schema"]["fields"]}
    values = fields[field]["constraints"]["enum"]
    return {value: SAFE[i % len(SAFE)] for i, value in enumerate(values)}


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
    fig = px.bar(
        counts,
        x="per_1000_words",
        y="term",
        color="kind",
        orientation="h",
        color_discrete_map=colours("terms", "kind"),
        hover_data=["count"],
        category_orders={"kind": list(colours("terms", "kind"))},
    )
    return _style(
        fig,
        f"Characteristic terms in {article_id} (per 1,000 words)",
        "uses per 1,000 words",
        "term",
    )


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
        f"Bar chart of {len(used)} terms used in {article_id}; the most frequent are {top}. "
        f"Terms the article never uses: {unused}."
    )
