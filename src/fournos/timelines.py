"""Timelines of events and treaties, drawn at the precision the sources allow.

An event known to the day is a round marker. An event known only to the month or year is a
diamond at the middle of that month or year, with whiskers across all of it, so that
"November 1991" is never drawn as if it were one day. Anything lasting over a year (a treaty
in force, a span of alliance) is a bar. Hollow markers and hatched bars are not confirmed by
two independent sources.
"""

from __future__ import annotations

import html
import numbers
import textwrap

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from fournos import dates
from fournos.data import DataError, load
from fournos.figures import _style, colours, readable
from fournos.friendly_errors import a_type
from fournos.named_tables import REGIONAL
from fournos.named_tables import events as all_events
from fournos.quiz import Interactive
from fournos.text import article_name
from fournos.treaties import is_vietnams
from fournos.walkthrough import mentions

TREATY_LANE = "treaty in force"
NO_TREATY = "alignment_without_treaty"  # drawn as a dotted bar: an alignment no treaty records


HOVER_WIDTH = 60  # characters a hover line holds, so the box stays inside the plot


def wrap(text: str, lines: int, indent: str = "") -> str:
    """Text for a hover box: broken between words into lines of HOVER_WIDTH characters at most,
    escaped, and cut (with an ellipsis) only if it needs more than `lines` lines."""
    return "<br>".join(
        html.escape(line)
        for line in textwrap.wrap(
            str(text),
            width=HOVER_WIDTH,
            max_lines=lines,
            placeholder=" …",
            initial_indent=indent,
            subsequent_indent=" " * len(indent),
        )
    )


def _sources_text(frame: pd.DataFrame) -> pd.Series:
    # a table built by hand may have no source_titles: its hover text then lists none
    titles = frame.get("source_titles", pd.Series([[]] * len(frame), index=frame.index))
    return titles.map(lambda found: "<br>".join(wrap(title, 2, "• ") for title in found))


def _hover(frame: pd.DataFrame) -> pd.Series:
    flag = frame["confidence"].map(lambda c: "" if c == "confirmed" else f" ⚠ {readable(c)}")
    return (
        "<b>"
        + frame["title"].map(lambda t: wrap(t, 2))
        + "</b><br>"
        + frame["when"]
        + flag
        + "<br>"
        + frame["summary"].map(lambda s: wrap(s, 5))
        + "<br><i>Sources:</i><br>"
        + _sources_text(frame)
    )


LONG = pd.Timedelta(days=366)


def is_span(frame: pd.DataFrame) -> pd.Series:
    """True for events drawn as bars: those lasting more than a year (a war, an alliance span).
    Everything else is a marker; a marker whose date is known only to the month or year gets
    whiskers covering that whole month or year, so it is never shown as one exact day."""
    return (frame["end"] - frame["start"]) >= LONG


def filter_events(
    frame: pd.DataFrame,
    categories=None,
    partner: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Events in the given categories, involving `partner`, between two years (inclusive).
    Wrong names or values get a message listing what is allowed, never an empty surprise."""
    _require_events(frame)
    keep = pd.Series(True, index=frame.index)
    if categories is not None:
        categories = [categories] if isinstance(categories, str) else list(categories)
        allowed = list(colours("events", "category"))
        unknown = [c for c in categories if c not in allowed]
        if unknown:
            raise DataError(
                f"Unknown categor{'y' if len(unknown) == 1 else 'ies'} {unknown}; "
                f"use some of: {', '.join(allowed)}."
            )
        keep &= frame["category"].isin(categories)
    if partner:
        partner = _partner_name(partner)
        keep &= frame["actors"].map(lambda actors: partner in actors)
    for name, year in (("since", since), ("until", until)):
        if year is not None and (not isinstance(year, numbers.Integral) or isinstance(year, bool)):
            raise DataError(f"{name} takes a year as a whole number, like 2002, not {year!r}.")
    if since is not None and until is not None and since > until:
        raise DataError(f"since={since} comes after until={until}: swap them.")
    if since is not None:
        keep &= frame["end"].dt.year >= since
    if until is not None:
        keep &= frame["start"].dt.year <= until
    return frame[keep]


EVENT_COLUMNS = ["event_id", "title", "category", "actors", "summary", "confidence"]
PLOT_COLUMNS = ["start", "end", "when"]  # added by fournos.events()


def _require_events(frame) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            "Give a table of events, such as fournos.events() or a filtered part of it, "
            f"not {a_type(frame)}."
        )
    if "date" in frame.columns and not set(PLOT_COLUMNS) <= set(frame.columns):
        raise DataError(
            "This looks like fournos.load('events'). Use fournos.events() instead: it adds the "
            "start, end and when columns that timelines need."
        )
    missing = [c for c in EVENT_COLUMNS + PLOT_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            f"The events table has no column(s) {', '.join(missing)}. Start from "
            "fournos.events() (or a filtered part of it) rather than a table made by hand."
        )


def _require_treaty_spans(treaties) -> None:
    needed = {"label", "start", "end", "hover"}
    if not isinstance(treaties, pd.DataFrame) or not needed <= set(treaties.columns):
        raise DataError(
            "treaties= takes fournos.treaty_spans(): the treaties as spans to draw "
            "(fournos.treaties() is the table to read, not to draw)."
        )


def _partner_name(partner) -> str:
    """The actor's name as the data spells it ('russia' -> 'Russia'), or a DataError."""
    names = partners()
    match = [n for n in names if isinstance(partner, str) and n.lower() == partner.strip().lower()]
    if not match:
        raise DataError(f"No events name {partner!r} as a partner. Partners: {', '.join(names)}.")
    return match[0]


def treaty_spans(until: str = "2025-12-31") -> pd.DataFrame:
    """Each treaty as a span from entry into force (or signing) to its end; open-ended treaties
    run to `until` (a date such as "2002-12-31") and say so."""
    try:
        pd.Timestamp(until)
    except (ValueError, TypeError):
        raise DataError(f"until takes a date such as '2002-12-31', not {until!r}.") from None
    treaties = load("treaties")
    treaties = treaties[treaties["parties"].map(is_vietnams)]
    start = treaties["in_force"].where(treaties["in_force"] != "", treaties["signed"])
    rows = []
    for t, begins in zip(treaties.itertuples(), start):
        ends = dates.last_day(t.ended) if t.ended else pd.Timestamp(until)
        status = (
            f"ended {dates.label(t.ended)}" if t.ended else "no end recorded in the kit's sources"
        )
        rows.append(
            {
                "treaty_id": t.treaty_id,
                "name": t.name,
                "start": dates.first_day(begins),
                "end": ends,
                "confidence": t.confidence,
                "label": f"{' – '.join(t.parties)} treaty ({t.signed[:4]})",
                "hover": f"<b>{wrap(t.name, 3)}</b><br>signed {dates.label(t.signed)}; "
                f"in force {dates.label(t.in_force) if t.in_force else 'date not found'};<br>"
                f"{status}<br>confidence: {readable(t.confidence)}",
            }
        )
    return pd.DataFrame(rows)


def _span_marker(spans: pd.DataFrame, colour: str, dotted: bool) -> dict:
    """Solid bars for periods, hatched if not confirmed; dotted outlines for an alignment
    without a treaty, so it never looks like a treaty in force."""
    if dotted:
        return {
            "color": "white",
            "line": {"color": colour, "width": 2},
            "pattern": {"shape": ".", "fgcolor": colour, "size": 6, "solidity": 0.4},
        }
    shapes = spans["confidence"].map(lambda c: "" if c == "confirmed" else "/").tolist()
    return {"color": colour, "opacity": 0.55, "pattern": {"shape": shapes}}


def _labels(middle: pd.Series, marks: pd.Series, close: pd.Timedelta) -> list[str]:
    """Each marker's number; markers too close to be read apart share one label on the
    first of them ("7–10"), so no two numbers overlap."""
    order = middle.sort_values().index
    labels = dict.fromkeys(middle.index, "")
    group: list = []
    for index in [*order, None]:
        if group and (index is None or middle[index] - middle[group[-1]] > close):
            numbers = sorted(int(marks[i]) for i in group)
            labels[group[0]] = (
                str(numbers[0])
                if len(numbers) == 1
                else f"{numbers[0]}–{numbers[-1]}"
                if numbers[-1] - numbers[0] == len(numbers) - 1
                else ", ".join(map(str, numbers))
            )
            group = []
        if index is not None:
            group.append(index)
    return [labels[i] for i in middle.index]


def _markers(
    points: pd.DataFrame, colour: str, category: str, close: pd.Timedelta, raised: bool = False
) -> go.Scatter:
    """A lane's events as numbered markers. `raised` lifts each number by a line, clear of the
    star an article overlay draws round a marker (which would cover it)."""
    middle = points["start"] + (points["end"] - points["start"]) / 2
    labels = _labels(middle, points["mark"], close)
    half_width = (points["end"] - points["start"] + pd.Timedelta(days=1)) / 2
    exact = points["date_precision"] == "day"
    confirmed = points["confidence"] == "confirmed"
    symbols = [
        ("circle" if e else "diamond") + ("" if c else "-open") for e, c in zip(exact, confirmed)
    ]
    return go.Scatter(
        x=middle,
        y=points["category"].map(readable),
        mode="markers+text",
        text=[f"{label}<br> " if raised and label else label for label in labels],  # see the key
        textposition="top center",
        textfont={"size": 11, "color": "#222222"},
        name=readable(category),
        legendgroup=category,
        showlegend=False,
        hovertext=points["hover"],
        hoverinfo="text",
        error_x={
            "type": "data",
            "array": (half_width.dt.total_seconds() * 1000).tolist(),
            "color": colour,
            "thickness": 2,
            "width": 4,
        },
        marker={
            "color": colour,
            "size": 12,
            "symbol": symbols,
            "line": {"color": colour, "width": 2},
        },
    )


def timeline(
    frame: pd.DataFrame,
    title: str,
    treaties: pd.DataFrame | None = None,
    highlight: list[str] | None = None,
) -> go.Figure:
    """One lane per category, and one per treaty: markers for events, bars for long periods.
    `highlight` rings the given events (for example those an article mentions)."""
    _require_events(frame)
    if frame.empty:
        raise DataError("There are no events to draw: loosen the filters and try again.")
    palette = colours("events", "category")
    fig = go.Figure()
    frame = frame.sort_values(["start", "event_id"]).assign(hover=_hover(frame))
    frame["mark"] = range(1, len(frame) + 1)
    close = (frame["end"].max() - frame["start"].min()) / 40  # labels nearer than this merge
    lanes = []
    if treaties is not None:
        _require_treaty_spans(treaties)
    if treaties is not None and not treaties.empty:
        lanes = treaties["label"].tolist()
        fig.add_trace(
            go.Bar(
                base=treaties["start"],
                x=(treaties["end"] - treaties["start"]).dt.days * 86_400_000,
                y=treaties["label"],
                orientation="h",
                name=TREATY_LANE,
                marker={"color": "#888888", "opacity": 0.6},
                hovertext=treaties["hover"],
                hoverinfo="text",
            )
        )
    for category, group in frame.groupby("category", sort=False):
        spans, points = group[is_span(group)], group[~is_span(group)]
        # an alignment without a treaty takes the alliance colour, dotted: never the treaty grey
        colour = palette["alliance_treaty" if category == NO_TREATY else category]
        if not spans.empty:
            fig.add_trace(
                go.Bar(
                    base=spans["start"],
                    x=((spans["end"] - spans["start"]).dt.days + 1) * 86_400_000,
                    y=spans["category"].map(readable),
                    orientation="h",
                    name=f"{readable(category)} (period)",
                    legendgroup=category,
                    showlegend=False,
                    hovertext=spans["hover"],
                    hoverinfo="text",
                    text=spans["mark"].astype(str),
                    textposition="inside",
                    insidetextanchor="start",
                    marker=_span_marker(spans, colour, dotted=category == NO_TREATY),
                )
            )
        if not points.empty:
            fig.add_trace(_markers(points, colour, category, close, raised=bool(highlight)))
        # a plain legend entry: the data traces mix symbols, which would make their key misleading
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=readable(category),
                legendgroup=category,
                marker={
                    "color": colour,
                    "size": 12,
                    "symbol": "square-open-dot" if category == NO_TREATY else "circle",
                },
            )
        )
    if highlight:
        highlight = [highlight] if isinstance(highlight, str) else list(highlight)
        ringed = frame[frame["event_id"].isin(highlight)]
        fig.add_trace(
            go.Scatter(
                x=ringed["start"] + (ringed["end"] - ringed["start"]) / 2,
                y=ringed["category"].map(readable),
                mode="markers",
                name="mentioned in the article",
                hovertext=ringed["hover"],
                hoverinfo="text",
                marker={
                    "symbol": "star-open",
                    "size": 22,
                    "color": "#000000",
                    "line": {"width": 2},
                },
            )
        )
    categories = [readable(c) for c in palette if c in set(frame["category"])]
    key = _key_lines(frame)
    plot_height = 140 + 45 * (len(categories) + len(lanes))
    bottom = 150 + 17 * len(key)
    fig.update_layout(
        barmode="overlay",
        height=plot_height + 120 + bottom,
        legend={"orientation": "h", "y": -50 / plot_height, "yanchor": "top", "x": 0},
        hoverlabel={"align": "left"},
    )
    fig.add_annotation(  # the numbered key: every marker's event, readable without hovering
        text="<br>".join(key),
        xref="paper",
        yref="paper",
        align="left",
        x=0,
        y=-135 / plot_height,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 11},
    )
    fig.add_annotation(
        text="● known to the day   ◆ known only to the month or year<br>whiskers: the whole "
        "period the date can mean, or how long the event lasted<br>hollow or hatched: not "
        "confirmed by two sources"
        + (
            "   dotted bar: an alignment with no treaty"
            if NO_TREATY in set(frame["category"])
            else ""
        ),
        xref="paper",
        yref="paper",
        align="left",
        x=0,
        y=1.02,
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 11},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=categories[::-1] + lanes[::-1])
    fig.update_xaxes(type="date")
    return _style(fig, title, "year", "").update_layout(margin_t=120, margin_b=bottom)


KEY_WIDTH = 70  # characters a key line holds: it fits JupyterLab's figure at 1100 px


def _key_lines(frame: pd.DataFrame, width: int = KEY_WIDTH) -> list[str]:
    """'1 title (when) · 2 title (when) …', set into lines for the key under a timeline. The
    key starts under the plot, not at the figure's edge: at 120 characters it ran past the
    figure's right edge in JupyterLab. An item longer than a line is wrapped onto lines of
    its own, the next ones without a number."""
    lines, current, length = [], [], 0
    for mark, title, when in zip(frame["mark"], frame["title"], frame["when"]):
        text = f"{title} ({when})"
        size = len(str(mark)) + 1 + len(text)
        if current and length + 3 + size > width:
            lines.append(" · ".join(current))
            current, length = [], 0
        if size > width:
            parts = textwrap.wrap(text, width - len(str(mark)) - 1)
            lines += [f"<b>{mark}</b> {html.escape(parts[0])}", *map(html.escape, parts[1:])]
            continue
        current.append(f"<b>{mark}</b> {html.escape(text)}")
        length += size + (3 if length else 0)
    if current:
        lines.append(" · ".join(current))
    return lines


def timeline_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The same events as a plain table: the text alternative to a timeline figure, in the
    chart's order and numbered as its key numbers them (1, 2 ...; not pandas' 0, 1 ...)."""
    if {"start", "event_id"} <= set(frame.columns):
        frame = frame.sort_values(["start", "event_id"])
    table = frame[["when", "title", "category", "confidence"]].reset_index(drop=True)
    table.index = pd.RangeIndex(1, len(table) + 1, name="number")
    return table


def partners() -> list[str]:
    """Every country or organisation named as an actor, alphabetically."""
    frame = all_events()
    vietnams = frame[frame["category"] != REGIONAL]  # the neighbours' are lesson 10's
    return sorted({a for actors in vietnams["actors"] for a in actors if "Vietnam" not in a})


def explorer_view(
    frame: pd.DataFrame,
    title: str,
    treaties: pd.DataFrame | None,
    categories: list[str],
    partner: str,
    article: str,
) -> go.Figure | str:
    """What the explorer shows for one set of choices: a timeline, or a message if none match."""
    shown = filter_events(frame, categories, partner or None)
    if shown.empty:
        return "No events match these choices: tick more categories or pick 'any' partner."
    return timeline(
        shown,
        title,
        treaties if not partner else None,
        highlight=mentions(article) if article else None,
    )


def timeline_explorer(frame: pd.DataFrame, title: str, treaties: pd.DataFrame | None = None):
    """Tick categories, pick a partner or an article to overlay: the timeline redraws."""
    categories = list(dict.fromkeys(frame["category"]))
    boxes = [
        (widgets.Checkbox(value=True, description=readable(c), indent=False), c) for c in categories
    ]
    partner = widgets.Dropdown(
        options=[("any", "")] + [(p, p) for p in partners()], description="Partner:"
    )
    articles = load("articles").sort_values("reading_order")["article_id"]
    article = widgets.Dropdown(
        options=[("none", "")] + [(article_name(a), a) for a in articles], description="Overlay:"
    )
    out = widgets.Output()

    def draw(_=None):
        chosen = [category for box, category in boxes if box.value]
        view = explorer_view(frame, title, treaties, chosen, partner.value, article.value)
        out.clear_output(wait=True)
        with out:
            print(view) if isinstance(view, str) else display(view)

    for w in [box for box, _ in boxes] + [partner, article]:
        w.observe(draw, names="value")
    draw()
    return Interactive(
        [
            widgets.HBox([box for box, _ in boxes], layout={"flex_flow": "row wrap"}),
            widgets.HBox([partner, article]),
            out,
        ],
        "This timeline explorer",
    )
