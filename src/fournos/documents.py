"""The primary documents in data/documents/: treaty texts, declassified cables and commentary,
each a plain-text copy with a header that says what it is, where it comes from and how much of it
the kit holds. Outside facts rest on these the way article facts rest on the five articles."""

from __future__ import annotations

import html
import re

from IPython.display import HTML

from fournos.data import DataError, data_dir, load
from fournos.text import _normalise, article_text

SEPARATOR = "\n---\n"


def _row(source_id) -> dict:
    sources = load("sources").set_index("source_id")
    if not isinstance(source_id, str) or source_id not in sources.index:
        with_copy = sources.index[sources["document"] != ""]
        raise DataError(
            f"There is no source called {source_id!r}. Sources with a document: "
            f"{', '.join(with_copy)}."
        )
    return sources.loc[source_id].to_dict()


def document(source_id: str) -> dict:
    """One document as a dict: its header fields (title, url, text_kind, what_it_is, ...) and
    `text`, the document's own words exactly as the kit holds them."""
    row = _row(source_id)
    if not row["document"]:
        raise DataError(
            f"The kit holds no copy of {source_id} ({row['title']}): its text_kind is "
            f"'{row['text_kind']}'. {row['note']}".strip()
        )
    path = data_dir() / "documents" / row["document"]
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"The document file for {source_id} is missing: {path}") from None
    head, sep, body = raw.partition(SEPARATOR)
    if not sep:
        raise DataError(f"{path.name} has no '---' line between its header and its text.")
    fields = {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in head.splitlines())
        if key.strip()
    }
    return {**fields, "source_id": source_id, "file": row["document"], "text": body.strip()}


def document_text(source_id: str) -> str:
    """The words of one document, as the kit holds them (no header)."""
    return document(source_id)["text"]


def source_text(source_id: str) -> str:
    """The text a quote from `source_id` must be found in: an article or a document."""
    if isinstance(source_id, str) and source_id.startswith("art_"):
        return article_text(source_id)
    return document_text(source_id)


def quote_in_source(source_id: str, quote: str) -> bool:
    """Whether `quote` is word for word in the source (white space aside)."""
    return _normalise(quote) in _normalise(source_text(source_id))


def show_document(source_id: str, passage: str | None = None) -> HTML:
    """Display a document's header (what it is, where it comes from, how much the kit holds)
    and either its whole text or one passage of it, highlighted in its line."""
    doc = document(source_id)
    text = doc["text"]
    if passage is not None:
        flat = _normalise(text)
        start = flat.find(_normalise(passage))
        if start < 0:
            raise DataError(f"That passage is not word for word in {source_id} ({doc['file']}).")
        end = start + len(_normalise(passage))
        left, right = flat.rfind(" ", 0, max(start - 300, 0)), flat.find(" ", end + 300)
        left, right = max(left, 0), (len(flat) if right < 0 else right)
        body = (
            ("… " if left else "")
            + html.escape(flat[left:start])
            + "<mark>"
            + html.escape(flat[start:end])
            + "</mark>"
            + html.escape(flat[end:right])
            + (" …" if right < len(flat) else "")
        )
    else:
        body = "<br>".join(html.escape(line) for line in text.splitlines())
    byline = ", ".join(x for x in (doc.get("author"), doc.get("issuer"), doc.get("date")) if x)
    return HTML(
        f'<div class="fournos-document"><p><b>{html.escape(doc.get("title", ""))}</b><br>'
        f"{html.escape(byline)}<br><i>What the kit holds ({html.escape(doc.get('text_kind', ''))}"
        f"):</i> {html.escape(doc.get('what_it_is', ''))}<br>"
        f"<i>Source:</i> {html.escape(doc.get('url', ''))}</p>"
        f'<blockquote class="fournos-quote"><p>{body}</p>'
        f"<footer>{source_id} ({html.escape(doc['file'])})</footer></blockquote></div>"
    )


def documents() -> list[str]:
    """The source ids of every document the kit holds a copy of."""
    sources = load("sources")
    return sources.loc[sources["document"] != "", "source_id"].tolist()


def words(text: str) -> int:
    """Number of words in a text (used to keep quotations from copyrighted works short)."""
    return len(re.findall(r"\S+", text))
