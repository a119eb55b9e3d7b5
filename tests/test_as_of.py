"""The kit at its as-of date: partnership counts say what they count (a bloc is not a country, a
kind that is not comprehensive strategic is not counted), the facts added for the date rest on
two publishers, the lessons' typed numbers match the data, and everything tied to the date is
found by `fournos audit --as-of`, flagged when stale, and aged by `fournos doctor` and the
site's start page."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys

import nbformat
import pytest
from helpers import ROOT, copy_kit

import fournos
from fournos import freshness

# ---------------------------------------------------------------- what the count counts


def test_the_count_names_countries_and_blocs_apart_and_leaves_out_other_kinds():
    csp = fournos.partnership_table()
    assert "European Union" in set(csp["partner"])
    assert "Philippines" not in set(csp["partner"])
    countries = int((csp["partner_type"] == "country").sum())
    sentence = fournos.partnership_count()
    assert f"records {len(csp)} comprehensive strategic partnerships" in sentence
    assert f"{countries} with countries and 1 with a bloc (European Union)" in sentence
    assert "Not counted: 1 partnership of another kind (Philippines: Enhanced Strategic" in sentence


def test_every_partnership_event_has_its_kind_recorded_and_every_kind_row_is_an_event():
    events = fournos.events()
    upgrades = set(events.loc[events["category"] == "partnership", "event_id"])
    assert set(fournos.load("partnerships")["event_id"]) == upgrades


def test_a_partnership_the_sources_name_otherwise_is_not_counted(data_copy):
    before = len(fournos.partnership_table())
    path = data_copy / "partnerships.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["partner"] == "Thailand":
            row["kind"], row["kind_as_named"] = "enhanced_strategic_partnership", "Enhanced"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    assert len(fournos.partnership_table()) == before - 1
    assert "2 partnerships of another kind" in fournos.partnership_count()


def test_a_partner_type_that_is_neither_country_nor_bloc_is_refused(data_copy):
    path = data_copy / "partnerships.csv"
    text = path.read_text(encoding="utf-8").replace(",bloc,", ",union,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(fournos.DataError, match="partner_type"):
        fournos.partnership_table()


# ---------------------------------------------------------------- the facts added for the date

ADDED = [
    "ev_2025_four_nos_slovakia",
    "ev_2026_14th_congress",
    "ev_2026_congress_documents",
    "ev_2026_csp_european_union",
    "ev_2026_esp_philippines",
]


@pytest.mark.parametrize("event_id", ADDED)
def test_each_fact_added_for_the_date_rests_on_two_publishers_with_quotes(event_id):
    links = fournos.event_sources()
    links = links[links["event_id"] == event_id]
    sources = fournos.sources().set_index("source_id")
    quoted = links[links["quote"] != ""]
    publishers = {sources.at[s, "issuer"].split(" (")[0] for s in quoted["source_id"]}
    assert len(publishers) >= 2, publishers
    assert all(sources.at[s, "document"] for s in quoted["source_id"])


def test_no_event_is_later_than_the_as_of_date_and_the_date_is_the_one_searched():
    assert fournos.as_of(iso=True) >= "2026-11-30"
    assert (fournos.events()["start"] <= fournos.as_of(iso=True)).all()


def test_the_sources_side_by_side_are_in_time_order_with_their_own_words():
    side = fournos.what_sources_say("ev_2026_congress_documents")
    assert list(side.columns) == ["source_id", "published by", "date", "their words", "locator"]
    assert side["date"].iloc[-1] == "undated"  # undated last
    assert any("key and regular" in words for words in side["their words"])
    with pytest.raises(fournos.DataError, match="No event called 'ev_nothing'"):
        fournos.what_sources_say("ev_nothing")


# ---------------------------------------------------------------- lesson 07's typed numbers

WORDS = {14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen"}


def _lesson_07() -> dict[str, nbformat.NotebookNode]:
    notebook = nbformat.read(ROOT / "notebooks" / "07_doctrine_four_nos.ipynb", as_version=4)
    return {cell.get("id"): cell for cell in notebook.cells}


def test_lesson_07_says_the_numbers_its_code_and_data_give():
    cells = _lesson_07()
    doctrine = fournos.filter_events(
        fournos.events(),
        categories=["doctrine", "party_resolution", "party_congress", "law", "peacekeeping"],
        since=1998,
    )
    # the count is printed by the code cell above the sentence, the description by code
    assert "The number above is how many events" in cells["c05"].source
    printed = "".join(o.get("text", "") for o in cells["c04"].get("outputs", []))
    printed += "".join(str(o.get("data", {}).get("text/plain", "")) for o in cells["c04"].outputs)
    assert str(len(doctrine)) in printed
    csp = fournos.partnership_table()
    countries = int((csp["partner_type"] == "country").sum())
    assert "describe_partnership_chart()" in cells["c19"].source
    described = "".join(o.get("text", "") for o in cells["c19"].outputs)
    assert f"a dot chart of the {len(csp)} comprehensive" in described
    assert (
        f"records {WORDS[len(csp)]} comprehensive strategic partnerships, " in cells["c21"].source
    )
    assert f"{WORDS[countries]} with countries and one with a bloc" in cells["c21"].source
    side = fournos.what_sources_say("ev_2026_congress_documents")
    assert f"You should see **{len(side)}** reports" in cells["c20e"].source


# ---------------------------------------------------------------- how old the date is


def test_the_date_is_stale_only_after_twelve_months(monkeypatch):
    monkeypatch.setattr(freshness, "_as_of", lambda: dt.date(2025, 10, 31))
    assert not freshness.is_stale(dt.date(2026, 10, 31))
    assert freshness.is_stale(dt.date(2026, 11, 1))
    assert freshness.months_behind(dt.date(2026, 12, 3)) == 13
    sentence = freshness.age_sentence(dt.date(2026, 12, 3))
    assert "31 October 2025" in sentence and "13 months (398 days)" in sentence
    assert "Updating the facts" in sentence and "make update" in sentence
    assert freshness.age_warning(dt.date(2026, 10, 1)) == ""


def test_doctor_says_how_old_the_facts_are_and_never_counts_it_as_a_problem(monkeypatch):
    from fournos import doctor

    named = dict(doctor.checks(ROOT, 8888))
    monkeypatch.setattr(freshness, "_as_of", lambda: dt.date(2020, 1, 1))
    ok, found, fix = named["as-of date"]()
    assert ok and fix == ""
    assert found.startswith("the kit's facts are as of 1 January 2020") and "twelve" in found


def test_the_sites_start_page_warns_only_when_the_date_is_stale(tmp_path, monkeypatch):
    from fournos_tools import site

    start = ROOT / "notebooks" / "00_start_here.ipynb"
    site.prepare_notebook(start, tmp_path / "fresh.ipynb")
    fresh = nbformat.read(tmp_path / "fresh.ipynb", as_version=4)
    assert "Out of date?" not in fresh.cells[1].source
    monkeypatch.setattr(freshness, "_as_of", lambda: dt.date(2020, 1, 1))
    site.prepare_notebook(start, tmp_path / "stale.ipynb")
    stale = nbformat.read(tmp_path / "stale.ipynb", as_version=4)
    assert stale.cells[1].source.startswith("> **Out of date?** The kit's facts are as of 1 Jan")
    assert len(stale.cells) == len(fresh.cells) + 1
    other = ROOT / "notebooks" / "07_doctrine_four_nos.ipynb"
    site.prepare_notebook(other, tmp_path / "07.ipynb")
    assert "Out of date?" not in json.dumps(nbformat.read(tmp_path / "07.ipynb", as_version=4))


# ---------------------------------------------------------------- the staleness report


def audit_as_of(cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fournos", "audit", "--as-of"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,  # the exit status is what the tests check
    )


def test_the_kit_has_nothing_stale_and_the_report_lists_rows_prose_and_outputs():
    result = audit_as_of(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    out = result.stdout
    assert out.startswith(f"== Everything tied to the as-of date ({fournos.as_of()}) ==")
    assert "partnerships.csv ev_2026_esp_philippines: Philippines (country): Enhanced" in out
    assert "not counted" in out
    assert "notebooks/07_doctrine_four_nos.ipynb#c21" in out  # prose
    assert "notebooks/00_start_here.ipynb#c12b (stored output)" in out  # an output
    assert "instructors/README.md" in out and "README.md" in out
    assert out.rstrip().endswith("0 stale ==")


def test_the_report_flags_a_sentence_tied_to_another_date_and_an_output_not_re_run(tmp_path):
    kit = copy_kit(tmp_path / "kit", leave_out=("tests/", "site/", "deploy/", "exercises/"))
    readme = kit / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8")
        + "\nAs of 31 October 2025, the kit records 14 comprehensive strategic partnerships.\n",
        encoding="utf-8",
    )
    package = kit / "data" / "datapackage.json"
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["asOf"] = "2026-12-31"
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    result = audit_as_of(kit)
    assert result.returncode == 1
    stale = [line for line in result.stdout.splitlines() if line.lstrip().startswith("STALE")]
    assert any("README.md: As of 31 October 2025, the kit records 14" in line for line in stale)
    assert any("00_start_here.ipynb#c12b (stored output)" in line for line in stale)
    # the sentences that name the old date as history are not stale
    assert not any("previous as-of date" in line for line in stale)


def test_every_passage_lesson_07_and_its_notes_quote_from_a_source_is_word_for_word():
    """The 14th Congress section and its discussion notes quote their sources exactly."""
    from fournos.documents import quote_in_source

    cells = _lesson_07()
    notes = (ROOT / "instructors" / "discussion-notes.md").read_text(encoding="utf-8")
    note = notes.split("### 07_doctrine_four_nos, The 14th Congress")[1].split("\n### ")[0]
    text = re.sub(r"`[^`]*`", "", cells["c20c"].source + cells["c20g"].source + note)  # no code
    quoted = [a or b for a, b in re.findall(r"“([^”]+)”|\"([^\"]+)\"", text)]
    sources = [
        "art_thuc_resolution44",
        "ref_hanoitimes_2019_one_depends",
        "ref_vietnamnews_2026_foreign_affairs",
    ]
    assert len(quoted) >= 4
    for passage in quoted:
        assert any(quote_in_source(s, passage) for s in sources), passage
