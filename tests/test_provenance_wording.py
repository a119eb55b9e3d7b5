"""Provenance names the document a reader can cite and check (its address, publisher, the date it
was read, and an archive where one was used), never the means by which the kit found it."""

from __future__ import annotations

import csv
import re

import pytest
from helpers import DATA, ROOT

# wording that describes how a source was found, not the source
HOW_IT_WAS_FOUND = re.compile(
    r"search tool|pages corpus|stored public|stored (?:web )?(?:copy|copies|page|pages|mirror)"
    r"|found again|search engine",
    re.IGNORECASE,
)


def how_it_was_found(text: str) -> list[str]:
    return [m.group(0) for m in HOW_IT_WAS_FOUND.finditer(text)]


def files_with_provenance():
    yield DATA / "sources.csv"
    yield DATA / "articles.csv"
    yield from sorted((DATA / "documents").glob("*"))
    yield from sorted((ROOT / "notebooks").glob("*.ipynb"))
    yield from sorted((ROOT / "solutions").glob("*.ipynb"))
    yield from sorted((ROOT / "instructors").glob("*.md"))
    yield ROOT / "README.md"


@pytest.mark.parametrize("path", list(files_with_provenance()), ids=lambda p: p.name)
def test_no_provenance_describes_how_the_source_was_found(path):
    assert how_it_was_found(path.read_text(encoding="utf-8")) == []


def test_the_rule_catches_the_old_wording():
    old = "collection: stored public web page (search tool, pages corpus)"
    assert how_it_was_found(old) == ["stored public", "search tool", "pages corpus"]
    assert how_it_was_found("the kit could not find its stored copy again") == ["stored copy"]
    # what a reader can check is allowed
    assert (
        how_it_was_found("Web page at the address given (no archive copy), read on 2026-11-29")
        == []
    )


def test_every_web_source_says_where_and_when_it_was_read():
    with open(DATA / "sources.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["url"] and row["text_kind"] != "none" and not row["source_id"].startswith("art_"):
            assert row["issuer"] and row["accessed"], row["source_id"]
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["accessed"]), row["source_id"]
            if "web.archive.org" in row["url"]:
                assert "Internet Archive" in row["collection"], row["source_id"]
