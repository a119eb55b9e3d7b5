"""The alliance debate (notebook 09): the advocates' case, the replies, and who answers whom.

The advocates' and most rebuttals' texts are copyrighted, so the kit holds only the
sentences it quotes (a file in data/documents/ named in sources.csv) and a full citation in sources.csv.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML

from fournos import dates
from fournos.data import DataError, _unknown, load
from fournos.documents import document_text
from fournos.figures import SAFE, _style
from fournos.terms import count_terms
from fournos.text import article_text
from fournos.walkthrough import card_table

PERSPECTIVES = {
    "party_state": "Party-state publication (Vietnam)",
    "foreign_outlet_commentary": "Commentary in a foreign outlet",
    "foreign_policy_analysis": "Foreign policy analysis",
    "vietnamese_press": "Vietnamese press report",
}
SIDES = ["advocate", "rebuttal", "analysis"]
ANSWER_KINDS = ["substance", "assertion", "motive"]
NO_ANSWER = "no answer"
# colours from the kit's colour-blind-safe palette, and a distinct shape for each answer kind
KIND_STYLE = {
    "substance": (SAFE[4], "circle"),
    "assertion": (SAFE[2], "diamond"),
    "motive": (SAFE[1], "x"),
    NO_ANSWER: (SAFE[10], "circle-open"),
}
SPREAD = 0.18  # horizontal gap between two answers that share a cell


def debate_sources() -> pd.DataFrame:
    """The debate's sources in reading order, with their citation from sources.csv."""
    cites = load("sources").set_index("source_id")
    table = load("debate_sources").sort_values("reading_order").reset_index(drop=True)
    for column in ["title", "author", "issuer", "date", "date_precision", "url", "text_kind"]:
        table[column] = table["source_id"].map(cites[column])
    return table


def _source(source_id: str) -> pd.Series:
    table = debate_sources().set_index("source_id")
    if not isinstance(source_id, str) or source_id not in table.index:
        raise DataError(_unknown("debate source", source_id, list(table.index)))
    return table.loc[source_id]


def arguments(side: str | None = None) -> pd.DataFrame:
    """The debate's arguments (one row each, sources in reading order), optionally one side's."""
    table = load("debate_arguments")
    if side is not None and side not in SIDES:
        raise DataError(f"side must be one of {', '.join(SIDES)}, not {side!r}.")
    sources = debate_sources().set_index("source_id")
    table["source"] = table["source_id"].map(sources["label"])
    table["order"] = table["source_id"].map(sources["reading_order"])
    table = table.sort_values(["order", "argument_id"], kind="stable").drop(columns="order")
    if side:
        table = table[table["side"] == side]
    return table.reset_index(drop=True)


def links() -> pd.DataFrame:
    """Who answers whom: one row per answer, with the answer's id and source in one column each."""
    table = load("argument_links")
    claims = load("claims").set_index("claim_id")
    args = arguments().set_index("argument_id")
    sources = debate_sources().set_index("source_id")
    by_claim = table["answered_by_claim"] != ""
    table["answered_by"] = table["answered_by_claim"].where(by_claim, table["answered_by_argument"])
    answer_source = (
        table["answered_by_claim"]
        .map(claims["article_id"])
        .where(by_claim, table["answered_by_argument"].map(args["source_id"]))
    )
    table["answered_in"] = answer_source.map(sources["label"])
    return table[["argument_id", "answered_by", "answered_in", "answer_kind", "note"]]


def answers() -> pd.DataFrame:
    """Each advocate and rebuttal argument with who answers it, and how ('no answer' if nobody)."""
    args = arguments()
    args = args[args["side"] != "analysis"]
    merged = args[["argument_id", "source", "side", "voice", "summary"]].merge(
        links(), on="argument_id", how="left"
    )
    merged["answer_kind"] = merged["answer_kind"].fillna(NO_ANSWER)
    return merged.fillna("").reset_index(drop=True)


def rebuttal_claims(article_ids: list[str] | None = None) -> pd.DataFrame:
    """The article claims that answer a debate argument (the rebuttals in Articles 2 and 4)."""
    article_ids = article_ids or ["art_ndj_no_alliances", "art_hao_rebuttal"]
    claims = load("claims")
    used = set(load("argument_links")["answered_by_claim"]) - {""}
    table = claims[claims["claim_id"].isin(used) & claims["article_id"].isin(article_ids)]
    return table[["claim_id", "article_id", "paragraph", "summary", "quote"]].reset_index(drop=True)


def cite(source_id: str) -> str:
    """A full citation: author, “title”, outlet, date, and the address of the copy used."""
    s = _source(source_id)
    when = dates.label(s["date"]) if s["date"] else "date not printed"
    who = s["author"].replace("; ", " and ") if s["author"] else "No byline seen"
    return f"{who}, “{s['title']}”, {s['issuer']}, {when}. {s['url']}".strip()


def source_card(source_id: str) -> HTML:
    """A reading card for a debate source: citation, side, perspective, what the kit holds."""
    s = _source(source_id)
    full = load("sources").set_index("source_id").loc[source_id]
    holds = {
        "quotes_only": "Short quotes only (the text is under copyright); read the whole text at the address above.",
        "full_text": "The full text (one of the kit's five articles).",
    }.get(s["text_kind"], s["text_kind"])
    rows = {
        "Title": s["title"],
        "Author": s["author"].replace("; ", " and ") or "No byline seen",
        "Outlet": s["issuer"],
        "Date": dates.label(s["date"]) if s["date"] else "not printed",
        "Side": s["side"],
        "Perspective": f"{PERSPECTIVES[s['perspective']]}: {s['perspective_note']}",
        "Address": s["url"],
        "The kit holds": holds,
        "Quotes checked": full["verified"],
        "Note": full["note"],
    }
    return card_table(rows)


def passages(source_id: str) -> list[str]:
    """The text the kit holds for a source: its quoted passages, or an article's full text."""
    s = _source(source_id)
    if s["text_kind"] == "full_text":
        return [p for p in article_text(source_id).split("\n\n") if p.strip()]
    text = document_text(source_id)
    return [
        m.strip() for m in re.findall(r"^Q\d+: (.+?)(?=^\s*$|\Z)", text, re.MULTILINE | re.DOTALL)
    ]


def _held_texts() -> dict[str, str]:
    """The text the kit holds of each debate source, in reading order."""
    return {s: "\n".join(passages(s)) for s in debate_sources()["source_id"]}


def loaded_terms() -> pd.DataFrame:
    """Loaded terms in the text the kit holds of each debate source.

    The same terms (data/terms.csv, kind loaded_term), rule (fournos.LOADED_TERM_RULE) and
    counting function (fournos.terms.count_terms) as for the five articles. One row per
    source and term that occurs, with the count and the words of text held, so that a reader
    sees how little text some counts rest on.
    """
    sources = debate_sources().set_index("source_id")
    counts = count_terms(_held_texts(), kinds=["loaded_term"])
    counts = counts[counts["count"] > 0]
    table = pd.DataFrame(
        {
            "source": counts["source_id"].map(sources["label"]),
            "side": counts["source_id"].map(sources["side"]),
            "term": counts["term"],
            "count": counts["count"],
            "words_held": counts["words"],
        }
    )
    return table.reset_index(drop=True)


def loaded_term_summary() -> pd.DataFrame:
    """Per source: words the kit holds, loaded terms found, and loaded terms per 100 words held."""
    counts = count_terms(_held_texts(), kinds=["loaded_term"])
    rows = []
    for s in debate_sources().itertuples():
        mine = counts[counts["source_id"] == s.source_id]
        words = int(mine["words"].iloc[0])
        found = mine[mine["count"] > 0]
        count = int(found["count"].sum())
        rows.append(
            {
                "source": s.label,
                "side": s.side,
                "words_held": words,
                "loaded_terms": count,
                "per_100_words": round(100 * count / words, 1),
                "terms": ", ".join(found["term"]),
            }
        )
    return pd.DataFrame(rows)


def argument_labels() -> dict[str, str]:
    """A readable name for each argument in charts: its source and theme ("Tuong Lai: homeland
    protection"), numbered where one source makes two arguments on one theme."""
    args = arguments()
    base = args["source"] + ": " + args["theme"].str.replace("_", " ")
    count = base.groupby(base).cumcount() + 1
    repeated = base.map(base.value_counts()) > 1
    names = base.where(~repeated, base + " (" + count.astype(str) + ")")
    return dict(zip(args["argument_id"], names, strict=True))


def _answer_names(table: pd.DataFrame) -> pd.Series:
    """Who answers, as a reader names it: an article's claim by its source and paragraph
    ("Article 2 (NDJ Apr 2020), paragraph 13"), an argument by its label; never an id."""
    paragraphs = load("claims").set_index("claim_id")["paragraph"]
    labels = argument_labels()

    def name(row) -> str:
        if row["answered_by"] in paragraphs.index:
            return f"{row['answered_in']}, paragraph {paragraphs[row['answered_by']]}"
        return labels.get(row["answered_by"], row["answered_by"] or "no one")

    return table.apply(name, axis=1)


def answer_chart() -> go.Figure:
    """Dot chart: each argument (rows, advocates first) and which source answers it, and how.

    Two answers from one source sit side by side in its column, so none hides another.
    """
    table = answers()
    table["row"] = table["argument_id"].map(argument_labels())
    table["column"] = table["answered_in"].where(table["answered_in"] != "", NO_ANSWER)
    order = debate_sources()["label"].tolist()
    columns = [c for c in order if c in set(table["column"])] + [NO_ANSWER]
    table = table.sort_values("side", key=lambda s: s.map(SIDES.index), kind="stable").reset_index(
        drop=True
    )
    rows = table.drop_duplicates("row")["row"].tolist()
    cell = table.groupby(["row", "column"])
    table["x"] = table["column"].map(columns.index) + SPREAD * (
        cell.cumcount() - (cell["row"].transform("size") - 1) / 2
    )
    table["y"] = table["row"].map(lambda r: len(rows) - 1 - rows.index(r))
    table["hover_note"] = table["note"].map(lambda n: "<br>".join(textwrap.wrap(n, 60)))
    table["answered_by"] = _answer_names(table)
    fig = go.Figure()
    for kind, (colour, symbol) in KIND_STYLE.items():
        part = table[table["answer_kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=kind if kind != NO_ANSWER else "not answered",
                marker={"color": colour, "symbol": symbol, "size": 12, "line": {"width": 1.5}},
                customdata=part[["row", "answered_by", "hover_note"]].values,
                hovertemplate="%{customdata[0]}<br>answered by %{customdata[1]}:<br>"
                "%{customdata[2]}<extra></extra>",
            )
        )
    advocates = int((table.drop_duplicates("row")["side"] == "advocate").sum())
    fig.add_hline(y=len(rows) - advocates - 0.5, line_dash="dot", line_color=SAFE[10])
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(len(columns))), ticktext=columns, tickangle=-30
    )
    fig.update_yaxes(
        tickmode="array", tickvals=list(range(len(rows))), ticktext=list(reversed(rows))
    )
    fig.update_layout(height=160 + 24 * len(rows), legend_title_text="how it is answered")
    return _style(
        fig,
        "Who answers which argument in the alliance debate (advocates above the dotted line)",
        "source that answers",
        "argument (source that makes or reports it)",
    )


def describe_answer_chart() -> str:
    """The one-sentence text description under answer_chart (for screen readers)."""
    table = answers()
    parts = []
    for side in ["advocate", "rebuttal"]:
        ids = table[table["side"] == side].groupby("argument_id")["answer_kind"].agg(set)
        substance = sum("substance" in kinds for kinds in ids)
        none = [a for a, kinds in ids.items() if kinds == {NO_ANSWER}]
        other = len(ids) - substance - len(none)
        parts.append(
            f"of {len(ids)} {side} arguments, {substance} answered on substance, "
            f"{other} only by assertion or by the speakers' motives, and {len(none)} not at all"
            + (f" ({', '.join(argument_labels()[a] for a in none)})" if none else "")
        )
    return "Dot chart: " + "; ".join(parts) + "."
