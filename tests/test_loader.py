"""The library loads typed tables, and explains a broken file without changing it."""

from __future__ import annotations

import pandas as pd
import pytest

import fournos
from fournos import DataError, dates


def test_tables_load_with_the_descriptor_types():
    events = fournos.events()
    assert events["actors"].map(type).eq(list).all()
    assert ["Vietnam", "Laos", "Cambodia"] in events["actors"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(events["start"])
    assert fournos.articles()["word_count"].dtype == "Int64"
    assert fournos.articles()["article_id"].tolist()[0] == "art_duong_integration"


def test_events_are_in_time_order_and_month_dates_cover_the_month():
    events = fournos.events()
    assert events["start"].is_monotonic_increasing
    normalisation = events.set_index("event_id").loc["ev_1991_china_normalisation"]
    assert normalisation["start"] == pd.Timestamp("1991-11-01")
    assert normalisation["end"] == pd.Timestamp("1991-11-30")
    assert normalisation["when"] == "November 1991"
    war = events.set_index("event_id").loc["ev_1979_border_war"]
    assert (war["start"], war["end"]) == (pd.Timestamp("1979-02-17"), pd.Timestamp("1979-03-16"))


def test_date_labels_are_never_more_precise_than_the_date():
    assert dates.label("2014") == "2014"
    assert dates.label("2023-11-24") == "24 November 2023"
    assert dates.last_day("2012") == pd.Timestamp("2012-12-31")


def test_loaded_frames_are_copies():
    first = fournos.events()
    first.loc[0, "title"] = "changed by a student"
    assert fournos.events().loc[0, "title"] != "changed by a student"


def test_overview_counts_rows():
    overview = fournos.overview().set_index("table")
    assert overview.loc["articles", "rows"] == 5
    assert overview.loc["events", "rows"] == len(fournos.events())


def break_file(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "table,file,old,new,expected",
    [
        ("events", "events.csv", "event_id,date,", "event_id,when,", ["events.csv", "date"]),
        (
            "events",
            "events.csv",
            "1979-02-17",
            "1979-02-30",
            ["events.csv", "row", "'date'", "1979-02-30"],
        ),
        (
            "events",
            "events.csv",
            "1979-02-17",
            "17/02/1979",
            ["events.csv", "line", "'date'", "YYYY"],
        ),
        (
            "event_sources",
            "event_sources.csv",
            "ev_1995_asean,ref_integration_records",
            "ev_1995_asean,ref_integration_record",
            ["event_sources.csv", "'source_id'", "Did you mean"],
        ),
        (
            "events",
            "events.csv",
            ",war,",
            ",battle,",
            ["events.csv", "'category'", "battle", "use one of"],
        ),
        (
            "articles",
            "articles.csv",
            ",1213,",
            ",many,",
            ["articles.csv", "'word_count'", "whole number"],
        ),
        ("events", "events.csv", "ev_1995_asean,", "ev_1995_us_normalisation,", ["more than once"]),
    ],
)
def test_a_broken_file_gets_one_clear_message(data_copy, table, file, old, new, expected):
    path = break_file(data_copy, file, old, new)
    before = path.read_bytes()
    with pytest.raises(DataError) as err:
        fournos.load(table)
    for words in expected:
        assert words in str(err.value)
    # no pandas traceback chained underneath
    assert err.value.__context__ is None or err.value.__suppress_context__
    assert path.read_bytes() == before


def test_a_file_in_the_wrong_encoding_is_explained(data_copy):
    path = data_copy / "sources.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    with pytest.raises(DataError, match=r"sources.csv: line \d+ is not UTF-8"):
        fournos.load("sources")


def test_a_missing_file_is_explained(data_copy):
    (data_copy / "events.csv").unlink()
    with pytest.raises(DataError, match="file for table 'events' is missing"):
        fournos.events()


def test_unknown_names_get_a_suggestion():
    with pytest.raises(DataError, match="Did you mean 'events'"):
        fournos.load("evnets")
    with pytest.raises(DataError, match="There is no article with id 'art_hao'"):
        fournos.article_text("art_hao")
    with pytest.raises(DataError, match="There is no article with id 5"):
        fournos.article_text(5)


def test_quotes_are_found_and_highlighted():
    quote = "The formation of people’s alliance on March 13, 1951"
    assert fournos.find_quote("art_hao_rebuttal", quote) == 6
    html = fournos.highlight("art_hao_rebuttal", quote)
    assert f"<mark>{quote}</mark>" in html.replace("&#x27;", "'")
    assert "paragraph 6" in html
    with pytest.raises(DataError, match="not in art_hao_rebuttal, word for word"):
        fournos.find_quote("art_hao_rebuttal", "March 11, 1951")


def test_paragraph_numbers_are_checked():
    assert fournos.paragraph("art_vu_sui_generis", 1).startswith("Like its ASEAN colleagues")
    with pytest.raises(DataError, match="paragraphs 1 to 9"):
        fournos.paragraph("art_vu_sui_generis", 10)


def test_quotes_typed_with_straight_marks_or_other_capitals_are_found():
    quote = "the formation of people's alliance on March 13, 1951"
    assert fournos.find_quote("art_hao_rebuttal", quote) == 6
    assert "<mark>The formation of people’s alliance on March 13, 1951</mark>" in fournos.highlight(
        "art_hao_rebuttal", quote
    )


def test_a_misquote_points_to_the_closest_paragraph():
    with pytest.raises(DataError, match="closest paragraph is 4"):
        fournos.find_quote("art_hao_rebuttal", "there is no free lunch in alliances")
    with pytest.raises(DataError, match="A quote must be some words"):
        fournos.show_quote("art_hao_rebuttal", None)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: fournos.load(None), "There is no table called 'None'"),
        (lambda: fournos.load(5), "There is no table called '5'"),
        (lambda: fournos.date_label("March 1999"), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (lambda: fournos.dates.first_day("1999-02-30"), "not a real date"),
        (lambda: fournos.validate(5), "Give the folder as a name or a path"),
        (lambda: fournos.copy_dataset(None), "Give the folder as a name or a path"),
    ],
)
def test_a_wrong_kind_of_argument_gets_a_message(call, message):
    with pytest.raises(DataError, match=message):
        call()
