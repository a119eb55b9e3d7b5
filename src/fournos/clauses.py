"""Open the clauses a table cites. Each row that names a document (`source_id`) and quotes it
becomes a fold: click its line and the passage opens, marked, in its document (click again to
fold it). The folds are plain HTML, so they open without a running kernel: in JupyterLab, in
an exported page and on the static site, whose build links each one to the document's page."""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

from fournos.data import DataError, load
from fournos.dates import label
from fournos.documents import document
from fournos.text import _normalise, highlight

# the column that holds the quoted words: side_by_side() calls it 'clause', spectrum() and
# postures() 'quote' (spectrum's 'clause' is the obligation's name), find_clauses() 'passage'
TEXT_COLUMNS = ("quote", "passage", "clause")
NAME_COLUMNS = ("commitment", "state", "title")
DETAIL_COLUMNS = ("deciding_text", "posture", "obligation")
WHERE_COLUMNS = ("where", "locator")
HOLDS = {
    "full_text": "the full text",
    "excerpt": "an excerpt",
    "summary": "a summary",
    "quotes_only": "short quotes only",
}


def _text_column(table: pd.DataFrame) -> str | None:
    return next((c for c in TEXT_COLUMNS if c in table.columns), None)


def _label(row: dict) -> str:
    parts = [str(row[c]) for c in NAME_COLUMNS if row.get(c)][:1]
    parts += [str(row[c]) for c in DETAIL_COLUMNS if row.get(c)]
    if row.get("coded"):
        parts.append(f"coded {row['coded']}")
    parts += [str(row[c]) for c in WHERE_COLUMNS if row.get(c)][:1]
    return ", ".join(parts) or str(row["source_id"])


def _byline(source_id: str, doc: dict) -> str:
    """What a document is and where it is held. A treaty's text carries the treaty's date, not
    its holder's: "Article 6 of the 1978 USSR–Vietnam treaty, Vietnamese text (as quoted in a
    2022 blog post), dated 3 November 1978; held in: The Saigon Post (blog), post of March
    2022". Anything else: its issuer and date ("The Diplomat, June 2021")."""
    when = label(doc["date"]) if doc.get("date") else ""
    source = load("sources").set_index("source_id").loc[source_id]
    if source["kind"] == "treaty":
        dated = f", dated {when}" if when else ""
        return f"{source['title']}{dated}; held in: {doc.get('issuer') or 'the kit'}"
    byline = ", ".join(x for x in (doc.get("issuer"), when) if x)
    return byline or doc.get("title", "")


def _passage(source_id: str, words: str, context: int = 90) -> str:
    """The passage marked in a few lines of its document (the fold's line names it; the whole
    header is one show_document away); the footer names the document as show_document does, and
    the site links it to the documents page."""
    if source_id.startswith("art_"):
        return highlight(source_id, words)
    doc = document(source_id)
    text, wanted = doc["text"], _normalise(words)
    if doc.get("text_kind") == "quotes_only":  # one numbered passage, not its neighbours
        passages = re.split(r"\n\s*\n", text)
        text = next((q for q in passages if wanted in _normalise(q)), text)
    flat = _normalise(text)
    start = flat.find(wanted)
    if start < 0:
        raise DataError(f"That passage is not word for word in {source_id} ({doc['file']}).")
    end = start + len(wanted)
    left, right = flat.rfind(" ", 0, max(start - context, 0)), flat.find(" ", end + context)
    left, right = max(left, 0), (len(flat) if right < 0 else right)
    return (
        f'<div class="fournos-document"><p>{html.escape(_byline(source_id, doc))}; the '
        f"kit holds {HOLDS.get(doc.get('text_kind', ''), 'part of it')}</p>"
        '<blockquote class="fournos-quote"><p>'
        f"{'… ' if left else ''}{html.escape(flat[left:start])}<mark>"
        f"{html.escape(flat[start:end])}</mark>{html.escape(flat[end:right])}"
        f"{' …' if right < len(flat) else ''}</p>"
        f"<footer>{source_id} ({html.escape(doc['file'])})</footer></blockquote></div>"
    )


def open_clauses(table: pd.DataFrame) -> HTML:
    """One fold per clause a table quotes (rows of side_by_side, spectrum, postures or
    find_clauses): its line names the clause and where it sits, and opens the passage in its
    document. Rows that quote nothing (a coding of `unknown`) are counted, not shown."""
    text_column = _text_column(table) if isinstance(table, pd.DataFrame) else None
    if text_column is None or "source_id" not in table.columns:
        raise DataError(
            "Give a table whose rows name a source_id and quote it, such as "
            "fournos.side_by_side(...), fournos.spectrum(), fournos.postures() or "
            "fournos.find_clauses('base')."
        )
    folds: dict[tuple[str, str], list[str]] = {}
    silent = 0
    for row in table.to_dict("records"):
        source_id, words = str(row["source_id"] or ""), str(row[text_column] or "").strip()
        if not source_id or not words:
            silent += 1
            continue
        folds.setdefault((source_id, words), []).append(_label(row))
    items = "".join(
        f'<details class="fournos-clause"><summary>{html.escape(" / ".join(labels))}</summary>'
        f"{_passage(source_id, words)}</details>"
        for (source_id, words), labels in folds.items()
    )
    note = (
        f" {silent} {'row quotes' if silent == 1 else 'rows quote'} no passage (nothing held "
        "to open)."
        if silent
        else ""
    )
    return HTML(
        '<div class="fournos-clauses"><p class="fournos-note">Tap or click a line to open the '
        f"clause in its document, marked; tap or click again to fold it.{note}</p>{items}</div>"
    )
