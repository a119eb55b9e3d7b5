"""The dataset validates against its one schema, and every row is traceable to a source."""

from __future__ import annotations

import csv
import json
import re

import pytest
from frictionless import Package
from helpers import DATA, ROOT, normalise

import fournos
from fournos import dates

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
PRECISION_FORMS = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}


def rows(table: str) -> list[dict]:
    res = next(r for r in DESCRIPTOR["resources"] if r["name"] == table)
    with open(DATA / res["path"], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def validation_errors(descriptor_path) -> list:
    report = Package(str(descriptor_path)).validate()
    return report.flatten(["resourceName", "rowNumber", "fieldName", "type", "message"])


def test_data_package_is_valid_with_frictionless():
    assert validation_errors(DATA / "datapackage.json") == []


def test_frictionless_catches_an_unknown_source_id(data_copy):
    path = data_copy / "event_sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "ev_1995_asean,ref_made_up,,\n", "utf-8")
    errors = validation_errors(data_copy / "datapackage.json")
    assert [e[3] for e in errors] == ["foreign-key"]


def test_every_table_has_a_description_and_every_field_too():
    for res in DESCRIPTOR["resources"]:
        assert res.get("description"), res["name"]
        for field in res["schema"]["fields"]:
            assert field.get("description"), (res["name"], field["name"])


def quoted_rows():
    """(table, row) for every row with a quote taken from an article."""
    for res in DESCRIPTOR["resources"]:
        names = {f["name"] for f in res["schema"]["fields"]}
        if "quote" not in names:
            continue
        for row in rows(res["name"]):
            article = row.get("source_id") or row.get("article_id") or ""
            if row["quote"] and article.startswith("art_"):
                yield res["name"], article, row


@pytest.mark.parametrize("table,article,row", list(quoted_rows()))
def test_every_quote_is_verbatim_in_its_article(table, article, row):
    assert normalise(row["quote"]) in normalise(fournos.article_text(article))


@pytest.mark.parametrize("table,article,row", list(quoted_rows()))
def test_every_paragraph_locator_points_at_the_quote(table, article, row):
    locator = row.get("locator") or (
        f"paragraph {row['paragraph']}" if row.get("paragraph") else ""
    )
    if locator:
        assert locator == f"paragraph {fournos.find_quote(article, row['quote'])}"


def test_quotes_are_only_attached_to_articles_or_documents_the_kit_holds():
    # document quotes are checked word for word in tests/test_documents.py;
    # a quotes_only source (a copyrighted commentary) in tests/test_debate.py
    held = {
        s["source_id"] for s in rows("sources") if s["document"] or s["text_kind"] == "quotes_only"
    }
    for res in DESCRIPTOR["resources"]:
        for row in rows(res["name"]) if "quote" in json.dumps(res["schema"]) else []:
            source = row.get("source_id") or row.get("article_id") or ""
            if row.get("quote"):
                assert source.startswith("art_") or source in held, (res["name"], row)


@pytest.mark.parametrize("event", rows("events"), ids=lambda e: e["event_id"])
def test_event_dates_match_their_precision(event):
    form = PRECISION_FORMS[event["date_precision"]]
    assert re.fullmatch(form, event["date"])
    if event["end_date"]:
        assert re.fullmatch(form, event["end_date"])
        assert dates.first_day(event["end_date"]) >= dates.first_day(event["date"])


def test_every_event_has_a_source_and_ids_are_unique():
    events = [e["event_id"] for e in rows("events")]
    linked = {link["event_id"] for link in rows("event_sources")}
    assert len(events) == len(set(events))
    assert set(events) <= linked


def test_events_cover_the_background_milestones():
    wanted = {
        "ev_1951_alliance",
        "ev_1977_laos_treaty",
        "ev_1978_ussr_treaty",
        "ev_1979_border_war",
        "ev_1994_russia_treaty",
        "ev_2009_white_paper",
        "ev_2019_white_paper",
        "ev_2023_resolution_44",
        "ev_2013_resolution_22",
        "ev_2018_defence_law",
    }
    assert wanted <= {e["event_id"] for e in rows("events")}


def test_article_rows_match_their_files():
    for article in rows("articles"):
        text = fournos.article_text(article["article_id"])
        assert int(article["word_count"]) == len(text.split())
        assert (DATA / "raw" / article["source_file"]).exists()
        if article["published"]:
            assert re.fullmatch(PRECISION_FORMS[article["date_precision"]], article["published"])
    assert [a["reading_order"] for a in rows("articles")] != []


def test_unknown_dates_are_left_empty_not_guessed():
    vu = next(a for a in rows("articles") if a["article_id"] == "art_vu_sui_generis")
    assert vu["published"] == "" and vu["date_precision"] == ""


def test_nothing_in_the_kit_reads_the_shared_folder():
    needle = "../" + "shared"  # built so that this file does not match itself
    places = [ROOT / "Makefile", ROOT / ".ci" / "run"]
    for folder in ["src", "scripts", "notebooks", "solutions", "exercises"]:
        places += [p for p in (ROOT / folder).rglob("*") if p.suffix in {".py", ".ipynb"}]
    assert [p for p in places if needle in p.read_text(encoding="utf-8")] == []
