"""What the article walkthroughs show: reading card, context, argument map, terms, glossary."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import fournos
from fournos import DataError


def test_reading_card_shows_dates_only_as_printed_and_labels_perspective():
    vu = fournos.reading_card("art_vu_sui_generis").data
    assert "not printed (see note)" in vu and "Foreign academic analysis" in vu
    hao = fournos.reading_card("art_hao_rebuttal").data
    assert "3 June 2022" in hao and "14:12 03/06/2022" in hao
    assert "No byline printed" in fournos.reading_card("art_ndj_no_alliances").data


def test_one_record_shows_as_a_card_not_a_pandas_printout():
    """A row printed bare ends 'Name: ref_..., dtype: str' and wraps words mid-word (reader and
    student trials): fournos.card shows each field's name and value, codes as words."""
    row = fournos.sources().set_index("source_id").loc["ref_histories_1951_alliance"]
    shown = fournos.card(row[["kind", "title", "note"]]).data
    assert "<th style='text-align:left;padding-right:1em'>Kind</th>" in shown
    assert ">reference works<" in shown and "dtype" not in shown and "Name:" not in shown
    assert html.escape(row["note"]) in shown
    for wrong in [fournos.sources(), None, "ref_histories_1951_alliance"]:
        with pytest.raises(DataError, match="one row"):
            fournos.card(wrong)


def test_context_lists_only_events_before_the_article():
    context = fournos.context("art_ndj_no_alliances", years=3)
    assert "Defence White Paper 2019 states the 'Four Nos'" in set(context["title"])
    assert not context["when"].str.contains("2021|2022|2023").any()
    # an undated article is placed by the latest event it looks ahead to (the 13th Congress)
    assert "13th National Party Congress opens" in set(
        fournos.context("art_vu_sui_generis")["title"]
    )


@pytest.mark.parametrize("article_id", fournos.article_ids())
def test_argument_map_has_one_thesis_and_covers_the_article(article_id):
    claims = fournos.argument_map(article_id)
    assert (claims["role"] == "thesis").sum() == 1
    assert len(claims) >= 8
    assert claims["order"].tolist() == list(range(1, len(claims) + 1))


@pytest.mark.parametrize(
    "article_id,markers",
    [
        ("art_hao_rebuttal", ["First,", "Second,", "Third,", "Fourth,"]),
        ("art_ndj_no_alliances", ["First,", "Second,", "Third,"]),
    ],
)
def test_every_numbered_argument_has_a_claim(article_id, markers):
    paragraphs = set(fournos.argument_map(article_id)["paragraph"])
    for marker in markers:
        numbered = [
            i for i, p in enumerate(fournos.paragraphs(article_id), 1) if p.startswith(marker)
        ]
        assert numbered and set(numbered) <= paragraphs, marker


def test_claim_explorer_shows_the_paragraph_of_the_chosen_claim():
    box = fournos.claim_explorer("art_hao_rebuttal")
    picker, shown = box.children
    picker.value = 5
    claim = fournos.argument_map("art_hao_rebuttal").loc[5]
    assert f"paragraph {claim['paragraph']}" in shown.value and "<mark>" in shown.value


def test_term_counts_match_a_hand_count():
    counts = fournos.term_counts("art_vu_sui_generis").set_index("term")
    text = fournos.article_text("art_vu_sui_generis")
    assert counts.loc["alliance", "count"] == len(
        re.findall(r"\balliances?\b", text, re.IGNORECASE)
    )
    assert counts.loc["sovereignty", "count"] == 0
    words = len(text.split())
    assert counts.loc["alliance", "per_1000_words"] == round(
        1000 * counts.loc["alliance", "count"] / words, 2
    )


def test_us_pronoun_is_not_counted_as_the_united_states():
    counts = fournos.term_counts("art_hao_rebuttal").set_index("term")
    assert "for us to garner" in fournos.article_text("art_hao_rebuttal")
    assert counts.loc["United States", "count"] == 3  # 'United States' once, 'American' twice


def test_term_chart_has_title_axes_and_a_description():
    fig = fournos.term_chart("art_duong_integration")
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    description = fournos.describe_term_chart("art_duong_integration")
    assert "never uses: " in description and "alliance" in description.split("never uses: ")[1]


def test_support_counts_add_up_to_the_claims():
    for article_id in fournos.article_ids():
        assert fournos.support_counts(article_id)["claims"].sum() == len(
            fournos.argument_map(article_id)
        )


def test_glossary_has_checked_vietnamese_and_first_uses():
    glossary = fournos.glossary()
    assert len(glossary) >= 25
    four = glossary.set_index("term").loc["Four Nos"]
    assert "bốn không" in four["vietnamese"]
    assert set(fournos.key_terms("art_vu_sui_generis")["term"]) >= {"Three Nos"}


def test_bad_article_ids_get_a_friendly_message():
    with pytest.raises(DataError, match="There is no article"):
        fournos.reading_card("art_nobody")
    with pytest.raises(DataError, match="There is no article"):
        fournos.term_counts("art_nobody")


def test_events_table_has_dates_as_timestamps():
    assert pd.api.types.is_datetime64_any_dtype(fournos.events()["end"])


@pytest.mark.parametrize("article_id", fournos.article_ids())
def test_full_text_numbers_paragraphs_as_the_hints_and_paragraph_do(article_id):
    shown = fournos.full_text(article_id)
    page = shown.data
    assert page.startswith("<details") and "<details open" not in page  # folded until opened
    paragraphs = fournos.paragraphs(article_id)
    assert f"{len(paragraphs)} numbered paragraphs" in page
    for claim in fournos.argument_map(article_id).itertuples():
        # the paragraph a claim points to is the one shown with that number, quote and all
        number = int(claim.paragraph)
        start = page.index(f'<b style="display:inline-block;min-width:2.5em">[{number}]</b>')
        end = page.find("</p>", start)
        assert html.escape(claim.quote.split()[0]) in page[start:end]
        assert fournos.paragraph(article_id, number) in html.unescape(page[start:end])
    assert repr(shown).startswith("[1] ") and f"[{len(paragraphs)}] " in repr(shown)


def test_full_text_escapes_the_article_text():
    page = fournos.full_text("art_hao_rebuttal").data
    assert "<script" not in page.lower()


def test_paragraph_accepts_the_numbers_a_table_gives():
    claims = fournos.argument_map("art_hao_rebuttal")
    number = claims["paragraph"].iloc[0]  # a numpy integer
    assert not isinstance(number, int)
    assert fournos.paragraph("art_hao_rebuttal", number) == fournos.paragraph(
        "art_hao_rebuttal", int(number)
    )
    for bad in (True, 1.0, "1", 0):
        with pytest.raises(DataError, match="has paragraphs 1 to"):
            fournos.paragraph("art_hao_rebuttal", bad)


def test_argument_table_shows_every_summary_whole_and_left_aligned():
    claims = fournos.argument_map("art_hao_rebuttal")
    assert claims["summary"].str.len().max() > 160  # long enough that pandas would cut it
    page = fournos.argument_table("art_hao_rebuttal").data
    for summary in claims["summary"]:
        assert html.escape(summary) in page
    assert "text-align:right" not in page and page.count("text-align:left") > len(claims)
    assert "counterclaim rebutted" in page or "counterclaim_rebutted" not in set(claims["role"])
    plain = repr(fournos.argument_table("art_hao_rebuttal"))
    assert all(summary in plain for summary in claims["summary"])
