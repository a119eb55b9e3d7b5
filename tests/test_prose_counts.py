"""Counts in prose come from the data. Every count or name that the lessons, solutions, README or
guide state about the kit's own outputs is either printed by code or listed here with the
computation that must agree with it; a new "You should see ..." sentence that is neither fails."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from helpers import ROOT, normalise

import fournos
from fournos import debate

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def markdown(path: str, cell_id: str | None = None) -> str:
    """The prose of a notebook (one cell, or every markdown cell), or of a text file."""
    if not path.endswith(".ipynb"):
        return (ROOT / path).read_text(encoding="utf-8")
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    return "\n\n".join(
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown" and (cell_id is None or c.get("id") == cell_id)
    )


def exercises(path: str) -> int:
    return len(re.findall(r"^## Exercise \d", markdown(path), re.MULTILINE))


SOLUTIONS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "solutions").glob("*.ipynb"))


def article_shape(article_id: str) -> tuple[int, int]:
    words = int(fournos.articles().set_index("article_id").at[article_id, "word_count"])
    return words, len(fournos.paragraphs(article_id))


def shape_is(article_id: str, size: str, paragraphs: int) -> bool:
    """'about 2,800' rounds to the hundred; 'under 1,000' is below it."""
    words, count = article_shape(article_id)
    how, number = size.split(" ")
    target = int(number.replace(",", ""))
    near = round(words, -2) == target if how == "about" else words < target
    return near and count == paragraphs


ARTICLE_SHAPES = [
    ("01_duong_2018_integration", "art_duong_integration", "about 2,800", 44),
    ("02_ndj_2020_no_alliances", "art_ndj_no_alliances", "about 1,200", 7),
    ("03_vu_sui_generis", "art_vu_sui_generis", "under 1,000", 9),
    ("04_hao_2022_rebuttal", "art_hao_rebuttal", "about 1,700", 12),
    ("05_thuc_2024_resolution44", "art_thuc_resolution44", "about 1,900", 13),
]


def sides() -> dict[str, int]:
    return debate.debate_sources()["side"].value_counts().to_dict()


def loaded_terms_of(label: str) -> set[str]:
    summary = debate.loaded_term_summary().set_index("source")
    return {t for t in summary.at[label, "terms"].split(", ") if t}


def article_loaded(article_id: str) -> set[str]:
    table = fournos.loaded_terms()
    return set(table.index[table[article_id] > 0])


def formulations() -> dict[str, int]:
    table = fournos.formulation_by_source()
    arts = table[table["source_id"].str.startswith("art_")]
    return dict(zip(arts["source_id"], arts["principles_stated"], strict=True))


def show_document_calls(path: str, after_cell: str) -> int:
    """Distinct documents a solution shows between one markdown cell and the next exercise."""
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    start = next(i for i, c in enumerate(cells) if c.get("id") == after_cell)
    shown = set()
    for c in cells[start + 1 :]:
        text = "".join(c["source"])
        if c["cell_type"] == "markdown" and text.startswith("## Exercise"):
            break
        shown |= set(re.findall(r'show_document\(\s*"([a-z0-9_]+)"', text))
    return len(shown)


# (file, markdown cell id or None, the words as written, the check that must hold)
CLAIMS: list[tuple[str, str | None, str, Callable[[], bool]]] = [
    (
        "notebooks/00_start_here.ipynb",
        "c07",
        "You should see **5 rows**, one per article",
        lambda: len(fournos.articles()) == 5,
    ),
    (
        "notebooks/00_start_here.ipynb",
        "c11",
        "You should see one row per table",
        lambda: len(fournos.overview()) == len(fournos.table_names()),
    ),
    (
        "notebooks/00_start_here.ipynb",
        "c23",
        "five source articles (2018–2024): four party-state, one foreign academic",
        lambda: (
            fournos.articles()["perspective"].value_counts().to_dict()
            == {"party_state": 4, "foreign_academic": 1}
            and {p[:4] for p in fournos.articles()["published"] if p} >= {"2018", "2024"}
            and max(p[:4] for p in fournos.articles()["published"] if p) == "2024"
        ),
    ),
    *[
        (
            f"notebooks/{notebook}.ipynb",
            "c07",
            f"{size} words, {paragraphs} paragraphs",
            lambda a=article_id, s=size, n=paragraphs: shape_is(a, s, n),
        )
        for notebook, article_id, size, paragraphs in ARTICLE_SHAPES
    ],
    (
        "notebooks/08_treaties_compared.ipynb",
        "fd900871",
        (
            'You should see Hao\'s "reactionaries", "political opportunists" and "henchmen" '
            'counted in Article 4, Article 2\'s "sabotage" and "plots", and Vu\'s own '
            '"imperial ambitions", "aggression" and "enemy" counted in Article 3.'
        ),
        lambda: (
            {"reactionaries", "political opportunists", "henchmen"}
            <= article_loaded("art_hao_rebuttal")
            and {"sabotage", "plots"} <= article_loaded("art_ndj_no_alliances")
            and {"aggression / imperialism", "enemy"} <= article_loaded("art_vu_sui_generis")
        ),
    ),
    (
        "notebooks/09_the_case_for_alliance.ipynb",
        "fbb5d291",
        "Nine sources, in the order they were published.",
        lambda: len(debate.debate_sources()) == 9,
    ),
    (
        "notebooks/09_the_case_for_alliance.ipynb",
        "f5a90c0e",
        (
            "You should see 9 rows: two advocates, five rebuttals (two of them the kit's own "
            "Articles 2 and 4) and two analyses."
        ),
        lambda: (
            sides() == {"advocate": 2, "rebuttal": 5, "analysis": 2}
            and debate.debate_sources()
            .query("side == 'rebuttal'")["source_id"]
            .str.startswith("art_")
            .sum()
            == 2
        ),
    ),
    (
        "notebooks/09_the_case_for_alliance.ipynb",
        "df7974c2",
        "Nhung Bui's only label is the mild \"reformist\"; Ngo Di Lan's passages have none.",
        lambda: (
            loaded_terms_of("Nhung Bui 2016") == {"conservative / reformist"}
            and loaded_terms_of("Ngo Di Lan 2016") == set()
        ),
    ),
    (
        "solutions/ex01_themes_and_words.ipynb",
        "745f6121",
        (
            "with the five articles as rows (2018 at the top, 2024 at the bottom) and the ten themes "
            "as columns"
        ),
        lambda: (
            len(fournos.articles()) == 5
            and len(
                next(
                    f
                    for f in fournos.data.resource("claims")["schema"]["fields"]
                    if f["name"] == "theme"
                )["constraints"]["enum"]
            )
            == 10
        ),
    ),
    (
        "solutions/ex02_doctrine_and_dates.ipynb",
        "c21",
        "Only Article 3 (three principles) and Article 5 (all four) state the doctrine whole",
        lambda: (
            {a: n for a, n in formulations().items() if n >= 3}
            == {"art_vu_sui_generis": 3, "art_thuc_resolution44": 4}
        ),
    ),
    (
        "solutions/ex03_alliances_and_treaties.ipynb",
        "c08",
        "The kit holds three documents on the 1978 USSR–Vietnam treaty",
        lambda: show_document_calls("solutions/ex03_alliances_and_treaties.ipynb", "c08") == 3,
    ),
    (
        "notebooks/00_start_here.ipynb",
        "c02",
        "nineteen exercises with instant feedback",
        lambda: sum(exercises(p) for p in SOLUTIONS) == 19,
    ),
    (
        "README.md",
        None,
        "nineteen comparison exercises with instant feedback",
        lambda: sum(exercises(p) for p in SOLUTIONS) == 19,
    ),
    (
        "notebooks/07_doctrine_four_nos.ipynb",
        "c20e",
        (
            "You should see **8** reports, all from Vietnamese media, six of them the Vietnam "
            "News Agency's own outlets"
        ),
        lambda: (
            len(reports := fournos.what_sources_say("ev_2026_congress_documents")) == 8
            and reports["published by"]
            .str.contains("Vietnam News Agency|Việt Nam News|TTXVN")
            .sum()
            == 6
        ),
    ),
    *[
        (
            path,
            None,
            f"There are {NUMBER_WORDS[exercises(path)]} exercises",
            lambda path=path: exercises(path) >= 1,
        )
        for path in SOLUTIONS
    ],
]


@pytest.mark.parametrize(
    "path,cell_id,words,holds",
    CLAIMS,
    ids=[
        f"{path}-{cell_id}-{words[:40]}" for path, cell_id, words, _ in CLAIMS
    ],  # same on every xdist worker
)
def test_each_count_in_prose_is_still_written_and_agrees_with_the_data(path, cell_id, words, holds):
    assert normalise(words) in normalise(markdown(path, cell_id)), "the sentence has changed"
    assert holds(), f"{path}: the data no longer says {words!r}"


SHOULD_SEE = re.compile(r"[^.\n]*\byou should (?:now )?see\b[^.\n]*", re.IGNORECASE)


def test_every_you_should_see_sentence_is_printed_by_code_or_listed_here():
    listed = [normalise(words) for _, _, words, _ in CLAIMS]
    folders = ["notebooks", "solutions"]
    loose = []
    for path in [p for f in folders for p in sorted((ROOT / f).glob("*.ipynb"))]:
        for sentence in SHOULD_SEE.findall(markdown(path.relative_to(ROOT).as_posix())):
            sentence = normalise(sentence)
            printed = "number above" in sentence or "printed" in sentence
            if not printed and not any(sentence in w or w in sentence for w in listed):
                loose.append(f"{path.name}: {sentence}")
    assert not loose, "counts typed by hand, not printed or tested:\n" + "\n".join(loose)


def test_the_rule_catches_a_count_typed_by_hand(tmp_path, monkeypatch):
    """The guard above bites: a new 'You should see 18 documents' fails it."""
    fake = tmp_path / "notebooks"
    fake.mkdir(parents=True)
    cell = {
        "cell_type": "markdown",
        "id": "x",
        "metadata": {},
        "source": ["You should see 18 documents."],
    }
    (fake / "99_x.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="18 documents"):
        test_every_you_should_see_sentence_is_printed_by_code_or_listed_here()
