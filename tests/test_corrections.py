"""Corrections from the two independent audits (issues 12 and 16), each kept by a test."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

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


# ---------------------------------------------------------------- one as-of date
# A count or a statement about the present in the kit's own words is true only as of a date.
# The dataset states one (datapackage.json "asOf"); every such statement must carry it.

KIT = Path(__file__).resolve().parents[1]
NUMBER = (
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)"
)
CURRENT = re.compile(
    r"\b(so far|to date|currently|at present|nowadays|up to now|still in force|growing list"
    rf"|today|{NUMBER}\s+(comprehensive strategic )?partner(ship)?s)\b",
    re.IGNORECASE,
)
# words in quotation marks or code are a source's words or a name, not the kit's claim
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^'\n]+'(?!\w)|`[^`]*`")
# a sentence that reports what a source says is the source's claim, checked against its date
ATTRIBUTED = re.compile(
    r"\b(Article \d|art_[a-z_]+|Vu|Hao|Duong|Thuc|the article|the author|says|said|writes|"
    r"according to|calls|repeats|claims?)\b"
)


def _kit_prose():
    """(where, text) for the kit's own prose: notebook markdown, the instructor guide, the README
    and the data's prose columns."""
    for folder in ("notebooks", "solutions"):
        for path in sorted((KIT / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                if cell["cell_type"] == "markdown":
                    yield f"{folder}/{path.name}#{cell.get('id')}", "".join(cell["source"])
    # answer keys are generated from quiz_questions (scanned below) and quote articles verbatim
    guide = [p for p in (KIT / "instructors").rglob("*.md") if "answer-keys" not in p.parts]
    for path in sorted(guide) + [KIT / "README.md"]:
        yield str(path.relative_to(KIT)), path.read_text(encoding="utf-8")
    columns = {
        "events": ["title", "summary", "note"],
        "glossary": ["definition", "note"],
        "quiz_questions": ["explanation", "hint"],
        "articles": ["note"],
    }
    for table, cols in columns.items():
        frame = fournos.load(table)
        for col in cols:
            for key, text in zip(frame.iloc[:, 0], frame[col]):
                yield f"{table}.csv {key} {col}", text or ""


def _untied_current_statements(as_of_label: str) -> list[str]:
    found = []
    for where, text in _kit_prose():
        for sentence in re.split(r"(?<=[.!?;])\s+|\n+", QUOTED.sub("…", text)):
            if not CURRENT.search(sentence) or sentence.rstrip("*_ ").endswith("?"):
                continue
            if ATTRIBUTED.search(sentence) or as_of_label in sentence:
                continue
            found.append(f"{where}: {sentence.strip()[:160]}")
    return found


def test_the_dataset_declares_one_as_of_date():
    descriptor = json.loads((KIT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", descriptor["asOf"])
    assert fournos.as_of(iso=True) == descriptor["asOf"]
    assert fournos.as_of() == fournos.date_label(descriptor["asOf"])
    events = fournos.events()
    assert (events["start"] <= pd.Timestamp(descriptor["asOf"])).all(), "an event after asOf"


def test_every_count_or_current_statement_is_tied_to_the_as_of_date():
    untied = _untied_current_statements(fournos.as_of())
    assert not untied, "say as of when (the dataset's as-of date):\n" + "\n".join(untied)


def test_the_rule_catches_an_untied_count(monkeypatch):
    stale = [("notebooks/x.ipynb#c1", "Vietnam has nine comprehensive strategic partners.")]
    monkeypatch.setattr(sys.modules[__name__], "_kit_prose", lambda: iter(stale))
    assert _untied_current_statements(fournos.as_of())
    tied = [("x", f"As of {fournos.as_of()}, Vietnam has 14 comprehensive strategic partners.")]
    monkeypatch.setattr(sys.modules[__name__], "_kit_prose", lambda: iter(tied))
    assert not _untied_current_statements(fournos.as_of())


def test_start_page_and_partnership_lesson_show_the_as_of_date():
    label = fournos.as_of()
    for name in ("00_start_here.ipynb", "07_doctrine_four_nos.ipynb"):
        cells = json.loads((KIT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
        shown = json.dumps([c.get("outputs", []) for c in cells if c["cell_type"] == "code"])
        assert label in shown, f"{name} does not display the as-of date"
    count = len(fournos.partnership_table())
    assert f"records {count} comprehensive strategic partnerships" in fournos.partnership_count()
    assert label in fournos.partnership_count()
