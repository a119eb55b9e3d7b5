"""Source criticism with one standard for every source: the checks of each source's checkable
claims, and the loaded terms each source uses, counted by one written rule."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from fournos.data import DataError, _unknown, load
from fournos.quiz import Interactive
from fournos.terms import term_counts

LOADED_TERM_RULE = (
    "A loaded term is a word that judges people, groups or states instead of describing them: "
    "a label for who they are ('hostile forces', 'enemy'), or a judgement of their motives "
    "('dangerous intent') or of their conduct ('sea piracy', 'betrayal', 'sabotage'). Words that "
    "judge only an idea ('false ideas') are not counted. The kit counts every such word the same "
    "way in all five articles and in every debate source, whoever uses it and whoever it targets: "
    "one table of terms (data/terms.csv) and one counting function."
)


VERDICTS = ["confirmed", "close", "contradicted", "cannot_check"]


def _source_labels() -> pd.Series:
    """Short names for the sources that make claims: the debate's labels ('Tuong Lai 2014',
    'Article 4 (Hao 2022)'), and 'Article 1 (Duong 2018)' for articles outside the debate."""
    labels = dict(zip(*[load("debate_sources")[c] for c in ["source_id", "label"]], strict=True))
    for a in load("articles").itertuples():
        surname = a.author.split()[-1] if a.author else "no byline"
        year = f" {a.published[:4]}" if a.published else ""
        labels.setdefault(a.article_id, f"Article {a.reading_order} ({surname}{year})")
    return pd.Series(labels)


def source_checks(source: str | None = None) -> pd.DataFrame:
    """The kit's one table of checkable claims, for the five articles and every debate source:
    the claim, its kind, the verdict, what the check found, and the evidence (or, where it cannot
    be checked, why and what would settle it). `source` is a source id or a label such as
    'Article 3 (Vu)' or 'Tuong Lai 2014'; None gives every source."""
    checks = load("source_checks")
    checks.insert(1, "source", checks["source_id"].map(_source_labels()))
    if source is not None:
        known = sorted(set(checks["source_id"]) | set(checks["source"]))
        if source not in known:
            raise DataError(_unknown("source with checked claims", source, known))
        checks = checks[(checks["source_id"] == source) | (checks["source"] == source)]
    return checks.reset_index(drop=True)


def check_counts() -> pd.DataFrame:
    """How many claims of each source the kit checked, by verdict (rows: sources in table order)."""
    checks = source_checks()
    order = list(dict.fromkeys(checks["source"]))
    table = pd.crosstab(checks["source"], checks["verdict"]).reindex(
        index=order, columns=VERDICTS, fill_value=0
    )
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table


def loaded_terms() -> pd.DataFrame:
    """How often each article uses each loaded term (rows: the terms at least one article uses;
    columns: articles in reading order). The rule for what counts is LOADED_TERM_RULE."""
    counts = term_counts()
    counts = counts[counts["kind"] == "loaded_term"]
    order = load("articles").sort_values("reading_order")["article_id"]
    table = counts.pivot_table(index="term", columns="article_id", values="count", aggfunc="sum")
    table = table.reindex(columns=order).fillna(0).astype(int)
    return table[table.sum(axis=1) > 0]


CHECK_COLUMNS = ["kind", "quote", "verdict", "finding", "would_settle", "evidence_source_id"]
EVERY_SOURCE = "every source"


def checks_for(choice: str = EVERY_SOURCE) -> pd.DataFrame:
    """What the explorer shows for a choice: one source's checks, or every source's."""
    if choice == EVERY_SOURCE:
        return source_checks()[["source", *CHECK_COLUMNS]]
    return source_checks(choice)[CHECK_COLUMNS]


VERDICT_WORDS = {
    "confirmed": "✔ confirmed",
    "close": "≈ close (nearly right)",
    "contradicted": "✘ contradicted",
    "cannot_check": "? cannot be checked with what is public",
}


def _evidence_name(source_id: str) -> str:
    """The evidence a check rests on, as a reader knows it: its author and year, or its
    title."""
    if not source_id:
        return ""
    labels = _source_labels()
    if source_id in labels.index:
        return labels[source_id]
    source = load("sources").set_index("source_id").loc[source_id]
    year = f" ({source['date'][:4]})" if source["date"] else ""
    who = source["author"] or source["issuer"]
    return f"{who}{year}: {source['title']}" if who else source["title"]


def check_cards(checks: pd.DataFrame) -> HTML:
    """Checked claims to read, one small card each (claim, kind, verdict, what the check found,
    what would settle it, the evidence by name): a wide table of them fits no phone."""
    cards = []
    for check in checks.itertuples():
        rows = {
            "Source": getattr(check, "source", ""),
            "Claim": f"“{check.quote}”",
            "Kind of claim": check.kind.replace("_", " "),
            "Verdict": VERDICT_WORDS.get(check.verdict, check.verdict),
            "What the check found": check.finding,
            "What would settle it": check.would_settle,
            "Evidence": _evidence_name(check.evidence_source_id),
        }
        cards.append(
            "<table class='fournos-card fournos-check-card' style='margin-bottom:0.8em'>"
            + "".join(
                f"<tr><th style='text-align:left;vertical-align:top;padding-right:1em'>{k}</th>"
                f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                for k, v in rows.items()
                if v
            )
            + "</table>"
        )
    return HTML("".join(cards))


def check_explorer() -> Interactive:
    """A dropdown of the sources with checked claims and, below it, the chosen source's checks."""
    sources = [EVERY_SOURCE, *dict.fromkeys(source_checks()["source"])]
    choose = widgets.Dropdown(options=sources, value=EVERY_SOURCE, description="Source:")
    shown = widgets.Output()

    def show(change: dict | None = None) -> None:
        shown.clear_output()
        with shown:
            display(check_cards(checks_for(choose.value)))

    choose.observe(show, names="value")
    show()
    return Interactive([choose, shown], "This source menu")
