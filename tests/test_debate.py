"""The alliance debate (notebook 09, exercises 4): quotes, citations, links and figure.

The checks of Exercise 4, whose tests hold the model answers, are tested in
tests/instructors/test_debate_answers.py, which the students' edition leaves out."""

from __future__ import annotations

import csv
import re

import pytest
from frictionless import Package
from helpers import DATA, normalise

import fournos
from fournos import debate
from fournos.friendly_errors import DataError

MAX_QUOTE_WORDS = 30  # a short quote, never a passage
MAX_PASSAGE_WORDS = 120  # the sentence(s) around a quote
MAX_WORDS_HELD = 250  # all that the kit keeps of one copyrighted source
CITATION = ["title", "issuer", "date", "url", "collection", "accessed", "rights", "verified"]


def rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SOURCES = {s["source_id"]: s for s in rows("sources")}
DEBATE = {row["source_id"] for row in rows("debate_sources")}
QUOTES_ONLY = sorted(s for s in DEBATE if SOURCES[s]["text_kind"] == "quotes_only")
ARGUMENTS = rows("debate_arguments")


@pytest.mark.parametrize("arg", ARGUMENTS, ids=lambda a: a["argument_id"])
def test_every_quote_is_verbatim_in_the_text_the_kit_holds(arg):
    held = normalise(" ".join(debate.passages(arg["source_id"])))
    assert normalise(arg["quote"]) in held
    assert len(arg["quote"].split()) <= MAX_QUOTE_WORDS


@pytest.mark.parametrize("source_id", QUOTES_ONLY)
def test_quoted_sources_are_fully_cited_and_hold_only_short_passages(source_id):
    row = SOURCES[source_id]
    assert all(row[field] for field in CITATION), source_id
    assert row["author"] or "byline" in row["note"]  # a missing byline is said, not left blank
    assert row["url"] in row["verified"] and row["accessed"] in row["verified"]
    assert (DATA / "documents" / row["document"]).is_file()  # only the quoted passages
    passages = debate.passages(source_id)
    assert all(len(p.split()) <= MAX_PASSAGE_WORDS for p in passages)
    assert sum(len(p.split()) for p in passages) <= MAX_WORDS_HELD
    # every passage the kit keeps is there for a quote it uses
    quotes = [normalise(a["quote"]) for a in ARGUMENTS if a["source_id"] == source_id]
    assert quotes
    for passage in passages:
        assert any(q in normalise(passage) for q in quotes) or len(passage.split()) <= 60


def test_every_quoted_debate_source_has_its_passage_file():
    files = {p.name for p in (DATA / "documents").glob("*.txt")}
    assert {SOURCES[s]["document"] for s in QUOTES_ONLY} <= files


def test_reported_views_match_the_claims_that_record_them():
    claims = {c["claim_id"]: c for c in rows("claims")}
    for arg in ARGUMENTS:
        if arg["same_as_claim"]:
            claim = claims[arg["same_as_claim"]]
            assert claim["article_id"] == arg["source_id"]
            assert arg["locator"] == f"paragraph {claim['paragraph']}"
            assert arg["voice"] == "reported" and claim["role"] == "counterclaim_rebutted"


def test_each_link_names_exactly_one_answer_and_never_itself():
    for link in rows("argument_links"):
        filled = [x for x in (link["answered_by_claim"], link["answered_by_argument"]) if x]
        assert len(filled) == 1, link
        assert filled[0] != link["argument_id"]


def test_frictionless_catches_an_answer_that_does_not_exist(data_copy):
    path = data_copy / "argument_links.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "adv_bui_01,cl_hao_99,,substance,made up\n", "utf-8"
    )
    report = Package(str(data_copy / "datapackage.json")).validate()
    assert [e[0] for e in report.flatten(["type"])] == ["foreign-key"]


def test_the_loader_names_a_bad_side_in_plain_words(data_copy):
    path = data_copy / "debate_arguments.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",advocate,own,", ",pro,own,", 1))
    with pytest.raises(DataError, match="'pro' is not allowed"):
        fournos.load("debate_arguments", data_copy)


def test_answers_show_how_each_argument_is_answered():
    answered = debate.answers()
    assert set(answered["answer_kind"]) == {"substance", "assertion", "motive", "no answer"}


def test_rebuttal_claims_come_from_articles_2_and_4():
    table = debate.rebuttal_claims()
    assert set(table["article_id"]) == {"art_ndj_no_alliances", "art_hao_rebuttal"}
    assert len(table) == 9


def test_answer_chart_is_labelled_and_described():
    fig = debate.answer_chart()
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    names = [t.name for t in fig.data]
    assert names == ["substance", "assertion", "motive", "not answered"]
    not_answered = next(t for t in fig.data if t.name == "not answered")
    assert len(not_answered.customdata) > 0
    # rows carry readable names (source and theme), never the kit's ids
    assert not any(re.match(r"(adv|reb)_", t) for t in fig.layout.yaxis.ticktext)
    # two answers from one source in one row sit side by side, not on top of each other
    points = [(x, y) for trace in fig.data for x, y in zip(trace.x, trace.y, strict=True)]
    assert len(points) == len(set(points)) == len(debate.answers())
    text = debate.describe_answer_chart()
    assert "adv_" not in text and text.startswith("Dot chart")


def test_loaded_terms_follow_one_rule_for_both_sides():
    summary = debate.loaded_term_summary().set_index("source")
    assert summary.at["Tuong Lai 2014", "loaded_terms"] >= 5  # advocates are counted too
    assert "hostile forces" in summary.at["Article 4 (Hao 2022)", "terms"]
    # the rule and its table are the articles' own (tests/test_source_checks.py has the details)
    terms = " ".join(t["pattern"] for t in rows("terms") if t["kind"] == "loaded_term")
    for word in ["false", "wicked"]:  # words that judge only an idea are not counted
        assert word not in terms


def test_cards_and_citations_escape_and_explain():
    card = debate.source_card("ref_bui_2016_abandon_non_alignment").data
    assert "Nhung Bui" in card and "Short quotes only" in card and "<script" not in card
    assert debate.cite("ref_ndj_2020_criticising").startswith("No byline seen, “Criticising")
    with pytest.raises(DataError, match="no debate source called"):
        debate.source_card("ref_made_up")
    with pytest.raises(DataError, match="side must be one of"):
        debate.arguments("neutral")


def test_the_answer_chart_names_who_answers_without_ids():
    """Its tooltips said 'answered by cl_ndj_13' (reader trial 2): each answer is named by its
    source and paragraph, or by the argument's label."""
    import re

    from fournos import debate

    shown = [
        str(who)
        for trace in debate.answer_chart().data
        if trace.customdata is not None
        for who in trace.customdata[:, 1]
    ]
    assert shown and not [w for w in shown if re.search(r"\b(cl|adv|reb)_\w+", w)]
    assert "Article 4 (Hao 2022), paragraph 4" in shown
