"""The site's documents page, and links to it. A passage a lesson opens with show_document (or
a fold of open_clauses) names its document in the footer; on the site that footer becomes a
link to the passage on the documents page, where every document a page cites is printed with
its header and its text in numbered blocks (#<source_id>-<n>)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

from fournos.clauses import HOLDS
from fournos.documents import document, document_text, documents
from fournos.text import _normalise
from fournos_tools.site_content import reader_date

PAGE = "documents"
FOOTER = re.compile(
    r'(<blockquote class="fournos-quote"><p>)(.*?)(</p><footer>)'
    r"((?:art|ref)_[a-z0-9_]+) \(([^)<]+)\)(</footer>)",
    re.DOTALL,
)
MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
CITED = re.compile(rf'href="\.\./{PAGE}\.html#((?:art|ref)_[a-z0-9_]+?)(?:-\d+)?"')


def blocks(source_id: str) -> list[str]:
    """A document's text in the blocks the page numbers: its paragraphs (blank-line separated),
    each passage of a quotes-only file (Q1, Q2, …) one block."""
    text = document_text(source_id)
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def block_of(source_id: str, passage: str) -> int | None:
    """The number (from 1) of the block where `passage` starts, or None if it is not there."""
    wanted = _normalise(passage)
    if not wanted:
        return None
    joined, starts = "", []
    for block in blocks(source_id):
        starts.append(len(joined))
        joined += _normalise(block) + " "
    at = joined.find(wanted)
    if at < 0:
        return None
    return max(n for n, start in enumerate(starts, start=1) if start <= at)


def href(source_id: str, number: int | None = None, prefix: str = "../") -> str:
    anchor = source_id + (f"-{number}" if number else "")
    return f"{prefix}{PAGE}.html#{anchor}"


def link_document_footers(text: str) -> str:
    """Every passage shown from a document: its footer ('ref_x (file.txt)', what a notebook user
    needs) becomes a link to the block of the documents page that holds the marked passage."""

    def link(m: re.Match) -> str:
        body, source_id = m.group(2), m.group(4)
        if not source_id.startswith("ref_"):
            return m.group(0)
        marked = MARK.search(body)
        number = block_of(source_id, html.unescape(marked.group(1))) if marked else None
        target = href(source_id, number)
        where = f"block {number}" if number else "from its start"
        # a reader of the site runs no code: the footer names no id, it links the document
        return (
            f"{m.group(1)}{body}{m.group(3)}"
            f'<a class="fournos-doclink" href="{target}">Read it in the whole document '
            f"({where}, on the documents page)</a>{m.group(6)}"
        )

    return FOOTER.sub(link, text)


def cited(folder: Path) -> list[str]:
    """The documents the prepared notebooks under `folder` link to, in the kit's order."""
    found: set[str] = set()
    for path in folder.rglob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                found |= set(CITED.findall(str(output.get("data", {}).get("text/html", ""))))
    return [s for s in documents() if s in found]


def page(source_ids: list[str]) -> str:
    """A MyST page: each document's header, then its text in numbered, anchored blocks."""
    parts = [
        "# The documents",
        "",
        (
            "The treaty texts, records, statements and reports that the lessons open, each as the "
            "kit holds it: what it is, where it comes from, how much of it the kit has, then its "
            "words exactly, in numbered blocks. A passage a lesson quotes links to its block here."
        ),
        "",
    ]
    held = len(documents())
    source_ids = sorted(source_ids, key=lambda s: (document(s).get("date") or "9999", s))
    parts += [
        (
            f"These are {len(source_ids)} of the {held} documents the kit holds: those the "
            "lessons open, oldest first (undated ones last)."
        ),
        "",
    ]
    for source_id in source_ids:
        doc = document(source_id)
        when = f" ({html.escape(reader_date(doc['date']))})" if doc.get("date") else ""
        title = html.escape(doc.get("title", source_id))
        parts.append(f'- <a href="#{source_id}">{title}</a>{when}')
    parts.append("")
    for source_id in source_ids:
        doc = document(source_id)
        when = reader_date(doc.get("date", ""))
        byline = ", ".join(x for x in (doc.get("author"), doc.get("issuer"), when) if x)
        numbered = "\n".join(
            f'<p id="{source_id}-{n}" class="fournos-para"><a class="fournos-pnum" '
            f'href="#{source_id}-{n}" aria-label="Block {n}">{n}</a> {html.escape(block)}</p>'
            for n, block in enumerate(blocks(source_id), start=1)
        )
        parts += [
            f'<section id="{source_id}" class="fournos-doc fournos-article">',
            f"<h2>{html.escape(doc.get('title', source_id))}</h2>",
            (
                f"<p>{html.escape(byline)}<br><i>What the kit holds ("
                f"{HOLDS.get(doc['text_kind'], 'part of it')}):</i> "
                f"{html.escape(doc.get('what_it_is', ''))}<br><i>Source:</i> "
                f"{_address(doc.get('url', ''))}<br><i>In the kit:</i> "
                f"<code>data/documents/{html.escape(doc['file'])}</code></p>"
            ),
            numbered,
            "</section>",
            "",
        ]
    return "\n".join(parts)


def _address(url: str) -> str:
    """A document's address as a link a reader can follow (plain text if it is not a web one)."""
    if not url.startswith(("http://", "https://")):
        return html.escape(url)
    shown = html.escape(url)
    return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
