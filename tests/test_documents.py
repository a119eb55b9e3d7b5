"""Outside facts rest on documents a student can open: every document is registered with its
provenance, every quote from it is word for word in the kit's copy, and every treaty coding that
says yes or no quotes its clause and names the article."""

from __future__ import annotations

import csv
import re

import pytest
from helpers import DATA, normalise

import fournos
from fournos.documents import document, documents, quote_in_source, words

with open(DATA / "sources.csv", encoding="utf-8", newline="") as _f:
    SOURCES = {r["source_id"]: r for r in csv.DictReader(_f)}
PROVENANCE = ["url", "collection", "accessed", "rights", "text_kind", "verified"]


def table(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_document_file_is_registered_and_every_registered_file_exists():
    files = {p.name for p in (DATA / "documents").glob("*.txt")}
    registered = {r["document"] for r in SOURCES.values() if r["document"]}
    assert files == registered


@pytest.mark.parametrize("source_id", documents())
def test_every_document_has_its_provenance_and_header(source_id):
    row = SOURCES[source_id]
    assert all(row[c] for c in PROVENANCE), [c for c in PROVENANCE if not row[c]]
    assert row["text_kind"] != "none"
    doc = document(source_id)
    assert doc["text_kind"] == row["text_kind"], "header and sources.csv disagree"
    assert doc["url"] == row["url"]
    assert doc["what_it_is"] and doc["text"]


@pytest.mark.parametrize("source_id", documents())
def test_copyrighted_works_are_carried_as_short_quotes_only(source_id):
    row = SOURCES[source_id]
    if "public domain" in row["rights"].lower():
        return
    assert row["text_kind"] in {"quotes_only", "summary"}
    text = document(source_id)["text"]
    assert words(text) <= 450
    if row["text_kind"] == "quotes_only":
        quotes = re.findall(r"^Q\d+: (.+?)(?=^\s*$|\Z)", text, re.MULTILINE | re.DOTALL)
        assert quotes and all(words(q) <= 120 for q in quotes)  # a short passage, not a page


def test_a_source_without_a_copy_says_so():
    for row in SOURCES.values():
        if not row["document"] and not row["source_id"].startswith("art_"):
            assert row["text_kind"] == "none", row["source_id"]


def quoted_links():
    for name in ["treaty_provisions", "treaty_sources", "event_sources", "principle_statements"]:
        for row in table(name):
            if row.get("quote") and not row["source_id"].startswith("art_"):
                yield name, row
    for row in table("source_checks"):
        if row["evidence_quote"]:
            yield (
                "source_checks",
                {"source_id": row["evidence_source_id"], "quote": row["evidence_quote"]},
            )


@pytest.mark.parametrize("name,row", list(quoted_links()), ids=lambda x: str(x)[:40])
def test_every_quote_from_a_document_is_word_for_word_in_the_kits_copy(name, row):
    assert quote_in_source(row["source_id"], row["quote"]), (row["source_id"], row["quote"])


@pytest.mark.parametrize(
    "row", table("treaty_provisions"), ids=lambda r: r["treaty_id"] + "." + r["obligation"]
)
def test_a_yes_or_no_coding_quotes_its_clause_and_names_the_article(row):
    if row["present"] in {"yes", "no"}:
        assert row["quote"], "a yes or no needs the clause it rests on"
        assert quote_in_source(row["source_id"], row["quote"])
        assert re.search(r"\b(Article (\d+|[IVXLC]+)|Preamble)\b", row["locator"]), row["locator"]
    elif row["present"] == "contested":
        assert row["quote"] and row["locator"], "show the evidence on one side at least"
    else:
        assert "unknown" in row["coder_note"].lower() or "not" in row["coder_note"]


def test_the_1978_basing_coding_does_not_rest_on_vus_motive_sentence():
    coding = fournos.evidence("treaty_1978_ussr", "basing_access")
    assert coding["present"] == "unknown"
    assert "Cam Ranh" not in coding["quote"] or coding["source_id"] != "art_vu_sui_generis"


def test_the_consultation_clause_is_article_6_from_two_independent_sources():
    coding = fournos.evidence("treaty_1978_ussr", "consultation")
    assert coding["present"] == "yes" and "Article 6" in coding["locator"]
    cable = fournos.document_text("ref_cable_1978_state_302969")
    assert "IMMEDIATE CONSULTATIONS IN CASE OF A THREAT OF ATTACK" in normalise(cable)


def _independent(first: str, second: str) -> bool:
    """Two sources are independent when neither the author nor the issuer is shared."""
    a, b = SOURCES[first], SOURCES[second]
    same_author = a["author"] and a["author"] == b["author"]
    return not same_author and a["issuer"] != b["issuer"]


def _linked(links: str, key: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in table(links):
        found.setdefault(row[key], set()).add(row["source_id"])
    return found


def _authors(source_ids: set[str]) -> set[str]:
    articles = {a["article_id"]: a for a in table("articles")}
    return {articles[s]["author"] if s in articles else s for s in source_ids}


@pytest.mark.parametrize(
    "table_name,links,key",
    [
        ("events", "event_sources", "event_id"),
        ("treaties", "treaty_sources", "treaty_id"),
    ],
)
def test_a_row_citing_two_independent_sources_is_not_labelled_one_source(table_name, links, key):
    linked = _linked(links, key)
    wrong = []
    for row in table(table_name):
        sources = sorted(
            s for s in linked.get(row[key], set()) if SOURCES[s]["document"] or s.startswith("art_")
        )
        pairs = [(a, b) for a in sources for b in sources if a < b and _independent(a, b)]
        if pairs and row["confidence"] in {"one_source", "article_only"}:
            wrong.append(row[key])
    assert wrong == []


def test_the_independence_rule_tells_an_author_from_a_second_author():
    assert not _independent("ref_diplomat_2021_vu_similar", "ref_diplomat_2021_vu_response")
    assert _independent("ref_tccs_2019_treaties", "ref_cable_1978_state_302969")


def test_showing_a_document_passage_marks_it_and_a_wrong_passage_is_a_friendly_error():
    shown = fournos.show_document("ref_treaty_1978_ussr", "marxism-leninism")
    assert "<mark>marxism-leninism</mark>" in shown.data
    with pytest.raises(fournos.DataError, match="not word for word"):
        fournos.show_document("ref_treaty_1978_ussr", "an alliance against China")
    with pytest.raises(fournos.DataError, match="no source called"):
        fournos.document("ref_made_up")
    with pytest.raises(fournos.DataError, match="holds no copy"):
        fournos.document("ref_treaty_1994_russia")


def test_the_documents_readme_lists_every_document():
    readme = (DATA / "documents" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{p.name}`" in readme for p in (DATA / "documents").glob("*.txt"))


# Quotations inside the data's own prose (notes, summaries, explanations). A row "names" a source
# when one of its source columns holds the id, when its text mentions the id, or (events and
# treaties) when its link table cites it. Single quotes mark the kit's own labels and
# translations; double quotes mark another text's words.
PROSE = ["note", "summary", "coder_note", "explanation", "definition", "finding", "hint"]
SOURCE_COLUMNS = ["source_id", "first_article_id", "article_id", "evidence_source_id"]
QUOTATION = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
SOURCE_ID = re.compile(r"\b((?:art|ref)_[a-z0-9_]+)")
PROSE_TABLES = [
    "sources",
    "events",
    "glossary",
    "treaties",
    "treaty_provisions",
    "quiz_questions",
    "source_checks",
    "principle_statements",
    "terms",
    "articles",
    "debate_arguments",
    "claims",
]


def _named_sources(row: dict, links: dict[str, set[str]]) -> set[str]:
    named = {row[c] for c in SOURCE_COLUMNS if row.get(c)}
    for key in ["event_id", "treaty_id"]:
        named |= links.get(row.get(key) or "", set())
    for value in row.values():
        named |= set(SOURCE_ID.findall(value or ""))
    return {s for s in named if s in SOURCES}


def _holds_text(source_id: str) -> bool:
    return source_id.startswith("art_") or bool(SOURCES[source_id]["document"])


def _in_source(source_id: str, quotation: str) -> bool:
    """Word for word in the source; a quotation with an ellipsis (…) is checked piece by piece."""
    pieces = [p.strip() for p in quotation.split("…") if p.strip()]
    return all(quote_in_source(source_id, p) for p in pieces)


def prose_quotations():
    """(table, row id, column, quotation, sources the row names) for every quotation in a row
    that names an outside (ref_) source whose copy the kit holds in data/documents/."""
    links = _linked("event_sources", "event_id") | _linked("treaty_sources", "treaty_id")
    for name in PROSE_TABLES:
        for row in table(name):
            named = _named_sources(row, links)
            if not any(s.startswith("ref_") and _holds_text(s) for s in named):
                continue
            for column in PROSE:
                for match in QUOTATION.finditer(row.get(column) or ""):
                    quotation = match.group(1) or match.group(2)
                    yield name, next(iter(row.values())), column, quotation, named


@pytest.mark.parametrize(
    "name,row_id,column,quotation,named",
    list(prose_quotations()),
    ids=lambda x: str(x)[:40] if isinstance(x, str) else "",
)
def test_every_quotation_in_a_note_naming_a_document_is_word_for_word_in_a_named_copy(
    name, row_id, column, quotation, named
):
    copies = sorted(s for s in named if _holds_text(s))
    assert any(_in_source(s, quotation) for s in copies), (
        f"{name}.{column} of {row_id} quotes “{quotation}”, which is in none of the copies of the "
        f"sources it names ({', '.join(copies) or 'none holds a copy'}). Quote only what a copy "
        "holds, name the source it comes from, or say it in your own words."
    )


def test_the_prose_quotation_check_covers_the_audit_correction_sources():
    checked = {s for *_, named in prose_quotations() for s in named}
    for source_id in [
        "ref_vna_1951_alliance_conference",
        "ref_upi_1973_withdrawal",
        "ref_trieuxuan_1979",
        "ref_bbc_2002_cam_ranh",
        "ref_saigontimes_2025_singapore",
    ]:
        assert source_id in checked, source_id


def test_the_prose_quotation_check_catches_a_quote_the_copy_does_not_hold():
    assert _in_source("ref_upi_1973_withdrawal", "the last U.S. combat troops left South Vietnam")
    assert not _in_source("ref_upi_1973_withdrawal", "the last U.S. troops left Vietnam in 1975")
    assert _in_source("ref_cantho_procuracy_1976", "Ngày 02/7/1976, … kỳ họp đầu tiên")
    assert not _in_source("ref_cantho_procuracy_1976", "Ngày 02/7/1976, … kỳ họp thứ hai")


def test_a_source_cited_without_a_copy_quotes_nothing_in_its_own_note():
    wrong = [
        row["source_id"]
        for row in SOURCES.values()
        if not _holds_text(row["source_id"])
        and any(
            not any(
                _in_source(s, m.group(1) or m.group(2))
                for s in _named_sources(row, {})
                if _holds_text(s)
            )
            for m in QUOTATION.finditer(row["note"])
        )
    ]
    assert wrong == []


def test_every_link_to_a_quotes_only_document_quotes_a_numbered_passage():
    for row in table("event_sources"):
        source = SOURCES[row["source_id"]]
        if source["document"] and source["text_kind"] == "quotes_only" and row["quote"]:
            assert re.fullmatch(r"Q\d+", row["locator"]), (row["event_id"], row["locator"])
            passage = re.search(
                rf"^{row['locator']}: (.+?)(?=^\s*$|\Z)",
                document(row["source_id"])["text"],
                re.MULTILINE | re.DOTALL,
            )
            assert passage and normalise(row["quote"]) in normalise(passage.group(1)), row
