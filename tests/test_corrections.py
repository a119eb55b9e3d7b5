"""Corrections from the two independent audits (issues 12 and 16), each kept by a test."""

from __future__ import annotations

import re

import fournos


def test_term_count_sees_a_phrase_split_by_a_non_breaking_space():
    text = fournos.article_text("art_thuc_resolution44")
    assert "early and\u00a0 afar" in text  # the article's own spacing, kept in the reading text
    counts = fournos.term_counts("art_thuc_resolution44").set_index("term")["count"]
    by_hand = len(
        re.findall(
            r"early\s+and\s+from\s+afar|from\s+early\s+and\s+afar|early\s+and\s+afar"
            r"|ahead\s+of\s+time",
            text,
            flags=re.IGNORECASE,
        )
    )
    assert by_hand == 6
    assert counts["early and from afar"] == by_hand


def _copy_with(tmp_path, events, links):
    folder = fournos.copy_dataset(tmp_path / "mine")
    fournos.add_rows(folder, "events", events)
    fournos.add_rows(folder, "event_sources", links)
    return folder


def _event(event_id, date, **extra):
    row = {
        "event_id": event_id,
        "date": date,
        "date_precision": "year" if len(date) == 4 else "day",
        "title": event_id,
        "category": "world_event",
        "actors": ["United States"],
        "summary": "An event of my own.",
        "confidence": "article_only",
    }
    return {**row, **extra}


TWO_GOOD = [
    _event("ev_1972_mao_nixon_summit", "1972"),
    _event(
        "ev_1954_soviet_alliance",
        "1954",
        end_date="1991",
        category="alignment_without_treaty",
    ),
]
TWO_GOOD_LINKS = [
    {
        "event_id": "ev_1972_mao_nixon_summit",
        "source_id": "art_vu_sui_generis",
        "quote": "at the 1972 Moscow Summit – about the same time as the historic Mao-Nixon summit",
    },
    {
        "event_id": "ev_1954_soviet_alliance",
        "source_id": "art_vu_sui_generis",
        "quote": "the Soviet Union (1954-1991)",
    },
]


def test_the_old_model_answer_dating_the_us_withdrawal_1975_is_rejected(tmp_path):
    from fournos.checks import check_my_timeline

    folder = _copy_with(
        tmp_path,
        TWO_GOOD + [_event("ev_1975_us_withdrawal", "1975")],
        TWO_GOOD_LINKS
        + [
            {
                "event_id": "ev_1975_us_withdrawal",
                "source_id": "art_vu_sui_generis",
                "quote": "the U.S. withdrawal from Indochina",
            }
        ],
    )
    feedback = check_my_timeline(str(folder))
    assert not feedback.correct
    assert "ev_1975_us_withdrawal" in feedback.message and "1975" in feedback.message


def test_an_outside_source_may_date_what_the_article_only_mentions(tmp_path):
    from fournos.checks import check_my_timeline

    withdrawal = _event(
        "ev_1973_us_withdrawal", "1973-03-29", confidence="one_source", category="war"
    )
    folder = _copy_with(
        tmp_path,
        TWO_GOOD + [withdrawal],
        TWO_GOOD_LINKS
        + [
            {"event_id": "ev_1973_us_withdrawal", "source_id": "ref_upi_1973_withdrawal"},
            {
                "event_id": "ev_1973_us_withdrawal",
                "source_id": "art_vu_sui_generis",
                "quote": "the U.S. withdrawal from Indochina",
            },
        ],
    )
    assert check_my_timeline(str(folder)).correct


def test_a_span_needs_both_years_in_the_quote(tmp_path):
    from fournos.checks import check_my_timeline

    links = [dict(link) for link in TWO_GOOD_LINKS]
    links[1]["quote"] = "namely China (1954-1975), the Soviet Union"
    third = _event("ev_1979_my_war", "1979")
    folder = _copy_with(
        tmp_path,
        TWO_GOOD + [third],
        links
        + [
            {
                "event_id": "ev_1979_my_war",
                "source_id": "art_vu_sui_generis",
                "quote": "fought a bloody border war in 1979",
            }
        ],
    )
    feedback = check_my_timeline(str(folder))
    assert not feedback.correct and "1991" in feedback.message


def test_years_not_in_reads_whole_years_only():
    from fournos.dates import years_not_in

    assert years_not_in("the Soviet Union (1954-1991)", "1954", "1991") == []
    assert years_not_in("in 19754", "1975") == ["1975"]
    assert years_not_in("", "1975-04-30") == ["1975"]
