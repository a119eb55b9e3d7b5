"""Links from the site's lessons to the article pages: 'paragraph 12' in lesson text, quote
footers, and the paragraph (and quote) cells of argument-map and other tables."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from bs4 import BeautifulSoup

import fournos
from fournos.friendly_errors import DataError
from fournos_tools.site_content import article_href, link_quote_footers
from fournos_tools.site_documents import link_document_footers

PARAGRAPH = re.compile(
    r"(?:\((?P<who>[A-Z][a-z]+), )?\b(?P<words>[Pp]aragraphs? (?P<n>\d+)(?:[–-]\d+)?)\b"
)
ARTICLE_FILE = re.compile(r"`data/articles/(art_[a-z0-9_]+)\.txt`")
# code spans, markdown links and HTML links are left as they are
UNTOUCHED = re.compile(r"(`[^`\n]*`|\[[^\]\n]*\]\([^)\n]*\)|<a\b.*?</a>)", re.DOTALL)


@lru_cache(maxsize=1)
def _by_surname() -> dict[str, str]:
    """'Hao' -> 'art_hao_rebuttal': the last word of each byline."""
    articles = fournos.articles()
    return {a.author.split()[-1]: a.article_id for a in articles.itertuples() if a.author}


def _link_paragraphs(text: str, article: str | None) -> str:
    def replace(match: re.Match) -> str:
        target = _by_surname().get(match["who"] or "") or article
        if target is None or int(match["n"]) > len(fournos.paragraphs(target)):
            return match.group(0)
        prefix = match.group(0)[: match.start("words") - match.start(0)]
        href = article_href(target, int(match["n"]))
        return f'{prefix}<a class="fournos-plink" href="{href}">{match["words"]}</a>'

    return PARAGRAPH.sub(replace, text)


def link_markdown(text: str, article: str | None) -> str:
    """Lesson text with its paragraph references and article-file mentions as links."""
    text = ARTICLE_FILE.sub(
        lambda m: (
            f'<a href="{article_href(m[1])}">the article\'s page on this site</a> '
            f"(in the kit: {m[0]})"
        ),
        text,
    )
    parts = UNTOUCHED.split(text)
    return "".join(
        part if i % 2 else _link_paragraphs(part, article) for i, part in enumerate(parts)
    )


def link_plain(text: str, article: str | None) -> str | None:
    """Printed output ("... Reread paragraph 3.") as HTML with its paragraph references
    linked, or None if it names no paragraph."""
    escaped = html.escape(text, quote=False)
    linked = _link_paragraphs(escaped, article)
    return None if linked == escaped else f'<pre class="fournos-printed">{linked}</pre>'


def _headers(table) -> list[str]:
    rows = table.select("thead tr")
    return [th.get_text(strip=True) for th in rows[0].find_all(["th", "td"])] if rows else []


def _link_table(soup, table, article: str | None) -> None:
    heads = _headers(table)
    for th in table.select("thead th"):  # the index column's header cells are empty
        if not th.get_text(strip=True):
            th.append(soup.new_tag("span", attrs={"class": "visually-hidden"}))
            th.span.string = "row"
    if len(table.select("thead tr")) != 1:
        return
    if "paragraph" not in heads and "quote" not in heads:
        return
    for row in table.select("tbody tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) != len(heads):
            continue
        values = {h: c.get_text(strip=True) for h, c in zip(heads, cells)}
        target = next(
            (
                values[k]
                for k in ("article_id", "source_id")
                if values.get(k, "").startswith("art_")
            ),
            None if any(k in values for k in ("article_id", "source_id")) else article,
        )
        if target not in fournos.article_ids():
            continue
        number = values.get("paragraph", "")
        if not number.isdigit() and values.get("quote"):
            try:
                number = str(fournos.find_quote(target, values["quote"]))
            except DataError:
                continue
        if not number.isdigit() or int(number) > len(fournos.paragraphs(target)):
            continue
        for head in ("paragraph", "quote"):
            if head in heads:
                cell = cells[heads.index(head)]
                link = soup.new_tag("a", href=article_href(target, int(number)))
                link["class"] = "fournos-plink"
                link.extend(list(cell.contents))
                cell.clear()
                cell.append(link)


def link_html(text: str, article: str | None) -> str:
    """An output's HTML with quote footers and table paragraphs linked to the article pages, and
    document passages to the documents page."""
    text = link_document_footers(link_quote_footers(text))
    if "<table" not in text:
        return text
    soup = BeautifulSoup(text, "html.parser")
    for table in soup.find_all("table"):
        _link_table(soup, table, article)
    return str(soup)
