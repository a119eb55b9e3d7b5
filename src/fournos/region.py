"""Vietnam among its neighbours: the commitments of Southeast Asian states coded clause by clause
in the kit's one obligation vocabulary, a matrix of them, and a spectrum that places each state
by its clauses (from treaty ally to neutrality written into law), not by its reputation."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go

from fournos.data import DataError, load
from fournos.documents import document_text, documents
from fournos.figures import _style
from fournos.quiz import REGION_PREFIX, Interactive, quiz_box
from fournos.text import _normalise
from fournos.treaties import OBLIGATIONS

# Okabe–Ito colours (colour-blind safe); every cell also prints its value, so colour is never
# the only carrier of meaning
CODING_COLOURS = {"yes": "#009E73", "contested": "#E69F00", "no": "#0072B2", "unknown": "#D9D9D9"}
CODINGS = list(CODING_COLOURS)

SHORT_NAMES = {
    "treaty_1951_philippines_us": "Philippines–US treaty (1951)",
    "treaty_1954_seato": "Manila Pact, SEATO (1954)",
    "treaty_1971_fpda": "Five Power Defence Arrangements (1971)",
    "treaty_1976_tac": "Treaty of Amity and Cooperation (1976)",
    "treaty_1977_laos": "Vietnam–Laos treaty (1977)",
    "treaty_1978_ussr": "Vietnam–USSR treaty (1978)",
    "treaty_1991_paris_cambodia": "Paris Agreement on Cambodia (1991)",
    "treaty_1994_russia": "Vietnam–Russia treaty (1994)",
    "treaty_2014_edca": "Philippines–US EDCA (2014)",
}

# Shorter names for the matrix's rows, so that its eight columns have room (the lesson
# introduces each name; the hover text and the tables give the full one)
CHART_NAMES = {
    "treaty_1951_philippines_us": "Philippines–US (1951)",
    "treaty_1954_seato": "Manila Pact (1954)",
    "treaty_1971_fpda": "FPDA (1971)",
    "treaty_1976_tac": "Treaty of Amity (1976)",
    "treaty_1977_laos": "Vietnam–Laos (1977)",
    "treaty_1978_ussr": "Vietnam–USSR (1978)",
    "treaty_1991_paris_cambodia": "Paris Agreement (1991)",
    "treaty_1994_russia": "Vietnam–Russia (1994)",
    "treaty_2014_edca": "EDCA (2014)",
}

# The spectrum, from the strongest commitment to the strongest refusal. Each band is decided by a
# clause the kit holds (or by a law that forbids alliances or bases), never by a label.
BANDS = {
    1: "defence clause (treaty ally)",
    2: "defence clause contested",
    3: "consultation clause only",
    4: "no alliance clause held",
    5: "neutrality or a ban in law",
}
KIT_SUMMARY = re.compile(r"^SUMMARY \(the kit's own words", re.MULTILINE)
BAND_COLOURS = {1: "#D55E00", 2: "#E69F00", 3: "#56B4E9", 4: "#999999", 5: "#009E73"}


def commitment_name(treaty_id: str) -> str:
    """A short, readable name for a commitment: 'Philippines–US treaty (1951)'."""
    return SHORT_NAMES.get(treaty_id, treaty_id)


def commitments() -> pd.DataFrame:
    """Every commitment the kit codes, Vietnam's and its neighbours', oldest first."""
    table = load("treaties").sort_values("signed", ignore_index=True)
    return table.assign(short_name=table["treaty_id"].map(commitment_name))


def commitment_matrix() -> pd.DataFrame:
    """Rows: commitments (oldest first); columns: obligations; cells: yes / no / contested /
    unknown, each a coding you can open with fournos.evidence(treaty_id, obligation)."""
    provisions = load("treaty_provisions")
    table = provisions.pivot(index="treaty_id", columns="obligation", values="present")
    return table.reindex(index=commitments()["treaty_id"], columns=OBLIGATIONS).fillna("unknown")


def coding_counts() -> pd.DataFrame:
    """How many codings of each value each commitment has: a check on how much text is held."""
    matrix = commitment_matrix()
    counts = matrix.apply(lambda row: row.value_counts()).T.reindex(columns=CODINGS)
    return counts.fillna(0).astype(int)


def _hover(treaty_id: str, obligation: str, coding: pd.Series) -> str:
    """A cell's label in words: the commitment, the obligation, its coding, the passage and
    where it sits."""
    quote = coding["quote"] or "(no passage: the kit holds no text that settles it)"
    where = f"<br><i>{html.escape(coding['locator'])}</i>" if coding["locator"] else ""
    return (
        f"<b>{html.escape(commitment_name(treaty_id))}</b><br>{obligation.replace('_', ' ')}: "
        f"<b>{coding['present']}</b><br>{_wrap(html.escape(quote))}{where}"
    )


def _wrap(text: str, width: int = 70, lines: int = 4) -> str:
    words, out, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
            out.append(line)
            line = ""
        line = f"{line} {word}".strip()
    out.append(line)
    return "<br>".join(out[:lines]) + (" …" if len(out) > lines else "")


def matrix_chart() -> go.Figure:
    """The matrix as a grid: a row per commitment, a column per obligation, each cell coloured
    and labelled by its coding; hover for the clause and where it sits."""
    matrix = commitment_matrix()
    provisions = load("treaty_provisions").set_index(["treaty_id", "obligation"])
    value = {c: i for i, c in enumerate(CODINGS)}
    z = matrix.apply(lambda col: col.map(value)).to_numpy()
    hover = [[_hover(t, o, provisions.loc[(t, o)]) for o in matrix.columns] for t in matrix.index]
    n = len(CODINGS)
    scale = []
    for i, coding in enumerate(CODINGS):
        scale += [[i / n, CODING_COLOURS[coding]], [(i + 1) / n, CODING_COLOURS[coding]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[o.replace("_", " ") for o in matrix.columns],
            y=[CHART_NAMES.get(t, commitment_name(t)) for t in matrix.index],
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            textfont={"size": 10},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    for coding in CODINGS:  # a legend, since the heatmap itself has none
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "color": CODING_COLOURS[coding], "symbol": "square"},
                name=coding,
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    fig = _style(
        fig,
        "Commitments of Vietnam and its neighbours,<br>clause by clause",
        "obligation (the kit's vocabulary)",
        "commitment",
    )
    # the legend below the grid leaves its width to the eight columns (a phone's screen too)
    fig.update_layout(
        height=230 + 42 * len(matrix),
        margin={"t": 80},
        legend={"title_text": "coding", "orientation": "h", "x": 0, "y": -0.38},
    )
    return fig


def describe_matrix() -> str:
    """The text description under matrix_chart (for screen readers), computed from the data."""
    matrix = commitment_matrix()
    counts = coding_counts()
    defence = matrix.index[matrix["defense"] == "yes"]
    contested = matrix.index[matrix["defense"] == "contested"]
    return (
        f"Grid of {len(matrix)} commitments by {len(matrix.columns)} obligations. Of "
        f"{matrix.size} codings, {counts['yes'].sum()} are yes, {counts['contested'].sum()} "
        f"contested, {counts['no'].sum()} no and {counts['unknown'].sum()} unknown (no text held "
        f"that settles them). A defence clause is coded yes in "
        f"{', '.join(commitment_name(t) for t in defence) or 'none'}; contested in "
        f"{', '.join(commitment_name(t) for t in contested) or 'none'}."
    )


def _parties() -> dict[str, list[str]]:
    table = load("treaties")
    in_force = table[table["ended"] == ""]
    return dict(zip(in_force["treaty_id"], in_force["parties"]))


def spectrum() -> pd.DataFrame:
    """Each state with a posture row, placed by its clauses: band 1 if a commitment in force gives
    it a defence clause coded yes; 2 if contested; 3 if only a consultation clause is coded yes;
    5 if a law it holds forbids alliances, bases or foreign troops; 4 otherwise. The deciding
    clause (commitment, obligation, quote and the source_id it is quoted from) is in each row."""
    postures = load("alignment_postures")
    provisions = load("treaty_provisions").set_index(["treaty_id", "obligation"])
    parties = _parties()
    rows = []
    for p in postures.itertuples():
        mine = [t for t, members in parties.items() if p.state in members]
        band, reason = 4, None
        for test_band, obligation, coding in [
            (1, "defense", "yes"),
            (2, "defense", "contested"),
            (3, "consultation", "yes"),
        ]:
            hits = [t for t in mine if provisions.loc[(t, obligation), "present"] == coding]
            if hits:
                band, reason = test_band, (hits[0], obligation)
                break
        if reason is None and p.binding_ban == "yes":
            band = 5
        if reason:
            coding = provisions.loc[reason]
            deciding = (commitment_name(reason[0]), reason[1], coding["quote"], coding["locator"])
            source_id = coding["source_id"]
        elif band == 5:
            deciding, source_id = ("its own law", "ban", p.quote, p.locator), p.source_id
        else:
            deciding, source_id = ("no commitment in force with such a clause", "", "", ""), ""
        rows.append(
            {
                "state": p.state,
                "band": band,
                "placed_as": BANDS[band],
                "deciding_text": deciding[0],
                "clause": deciding[1],
                "quote": deciding[2],
                "locator": deciding[3],
                "source_id": source_id,
                "declared_posture": p.posture,
                "commitments_in_force": ", ".join(commitment_name(t) for t in mine) or "none",
            }
        )
    return pd.DataFrame(rows).sort_values(["band", "state"], ignore_index=True)


def spectrum_chart() -> go.Figure:
    """The spectrum as a strip: one row per state, placed in its band; hover for the deciding
    clause and the state's declared posture."""
    frame = spectrum()
    read = _on_a_reading(frame)
    fig = go.Figure()
    for band, group in frame.groupby("band", sort=True):
        fig.add_trace(
            go.Scatter(
                x=group["band"],
                y=group["state"],
                mode="markers",
                marker={
                    "size": 16,
                    "color": BAND_COLOURS[band],
                    "symbol": ["circle-open" if s in read else "circle" for s in group["state"]],
                    "line": {"width": [3 if s in read else 1 for s in group["state"]]},
                },
                name=f"{band}. {BANDS[band]}",
                customdata=[
                    _wrap(
                        html.escape(
                            f"{r.state}: {r.placed_as} ({r.deciding_text}"
                            f"{', ' + r.locator if r.locator else ''}). Declared: "
                            f"{r.declared_posture}"
                        ),
                        width=60,
                        lines=6,
                    )
                    for r in group.itertuples()
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    if read:  # a hollow marker: the placement rests on a reading, not on a clause the kit holds
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "size": 14,
                    "color": "#555555",
                    "symbol": "circle-open",
                    "line": {"width": 3},
                },
                name="hollow: placed on a commentator's reading (no text of the clause held)",
            )
        )
    # the bands' names are in the legend: the axis carries their numbers only, so that it
    # reads on a phone's screen too
    fig.update_xaxes(tickmode="array", tickvals=list(BANDS), range=[0.5, 5.5])
    fig.update_yaxes(categoryorder="array", categoryarray=frame["state"].tolist()[::-1])
    empty = [f"{k} = {v}: no state" for k, v in BANDS.items() if k not in set(frame["band"])]
    fig = _style(
        fig,
        "From treaty ally to neutrality in law:<br>each state placed by its clauses",
        "band (strongest clause held" + (f"; {'; '.join(empty)})" if empty else ")"),
        "state",
    )
    fig.update_layout(
        height=230 + 34 * len(frame),
        margin={"t": 80},
        legend={"title_text": "placed by", "orientation": "h", "x": 0, "y": -0.22},
    )
    return fig


def _on_a_reading(frame: pd.DataFrame) -> list[str]:
    """The states whose place rests on a commentator's description of a clause, not its text."""
    kinds = load("sources").set_index("source_id")["kind"]
    return [
        r.state for r in frame.itertuples() if r.source_id and kinds[r.source_id] == "commentary"
    ]


def describe_spectrum() -> str:
    """The text description under spectrum_chart, computed from the data."""
    frame = spectrum()
    parts = [
        f"{BANDS[band]}: {', '.join(group['state'])}"
        for band, group in frame.groupby("band", sort=True)
    ]
    read = _on_a_reading(frame)
    note = (
        f" Hollow markers ({', '.join(read)}): placed on a commentator's reading of a clause "
        "whose text the kit does not hold."
        if read
        else ""
    )
    return f"Strip of {len(frame)} states in five bands. " + "; ".join(parts) + "." + note


def side_by_side(*codings: tuple[str, str]) -> pd.DataFrame:
    """Clauses from different commitments next to each other: give (treaty_id, obligation) pairs."""
    provisions = load("treaty_provisions").set_index(["treaty_id", "obligation"])
    rows = []
    for pair in codings:
        if not (isinstance(pair, tuple) and len(pair) == 2) or pair not in provisions.index:
            raise DataError(
                f"Give (treaty_id, obligation) pairs such as ('treaty_1978_ussr', "
                f"'consultation'); {pair!r} is not a coding the kit has."
            )
        c = provisions.loc[pair]
        rows.append(
            {
                "commitment": commitment_name(pair[0]),
                "obligation": pair[1],
                "coded": c["present"],
                "clause": c["quote"],
                "where": c["locator"],
                "source_id": c["source_id"],
            }
        )
    return pd.DataFrame(rows)


def find_clauses(*words: str) -> pd.DataFrame:
    """Every passage in the kit's documents that contains all the given words (case ignored; a
    word matches whole or with a plural ending, so 'base' finds 'bases' but not 'based' or
    'database'): for example find_clauses('base') for every clause about bases. One row per
    sentence, with its document."""
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise DataError("Give one or more words to look for, such as find_clauses('base').")
    wanted = [w.strip().lower() for w in words]
    sources = load("sources").set_index("source_id")
    rows = []
    for source_id in documents():
        # a quotes-only file ends with the kit's own summary: search the document's words only
        text = _normalise(KIT_SUMMARY.split(document_text(source_id))[0])
        for sentence in re.split(r"(?<=[.;:])\s+(?=[A-Z0-9(“‘\"])", text):
            low = sentence.lower()
            if all(re.search(r"\b" + re.escape(w) + r"(?:s|es)?\b", low) for w in wanted):
                rows.append(
                    {
                        "source_id": source_id,
                        "title": sources.loc[source_id, "title"],
                        "passage": sentence.strip(),
                    }
                )
    return pd.DataFrame(rows, columns=["source_id", "title", "passage"])


def postures() -> pd.DataFrame:
    """The alignment_postures table: each state's declared posture with its quote and source."""
    return load("alignment_postures").sort_values("state", ignore_index=True)


def region_questions() -> pd.DataFrame:
    """The lesson's self-check questions (each tests an article's general claim against the
    region's record; the paragraph is the article's)."""
    qs = load("quiz_questions")
    return qs[qs["question_id"].str.startswith(REGION_PREFIX)].sort_values(
        "number", ignore_index=True
    )


def quiz() -> Interactive:
    """The regional lesson's quiz, each question with a Check button and feedback."""
    return quiz_box(region_questions())
