"""Exercises 3.2, 4.1 and 4.2 are open-book: the kit's lessons show the answer (red team 4, R4-8).

The instructors' guide tells the instructor so, and that the written answers carry the marks. These
tests derive each answer from what the students' edition ships, the way a student could, and fail if
the guide stops naming an item whose answer the kit gives away, or names one it no longer does.
"""

from __future__ import annotations

import json
import re

from helpers import ROOT

import fournos
from fournos import checks, debate

GUIDE = (ROOT / "instructors" / "README.md").read_text(encoding="utf-8")


def _from_the_kit() -> dict[str, bool]:
    coding = (
        fournos.load("treaty_provisions")
        .query("treaty_id == 'treaty_1978_ussr'")
        .set_index("obligation")["present"]
        .to_dict()
    )
    table = debate.answers()
    advocates = table[table["argument_id"].str.startswith("adv_")]
    unanswered = advocates[advocates["answer_kind"] == "no answer"]["argument_id"].tolist()
    links = fournos.load("argument_links")
    links = links[links["answered_by_claim"] != ""]
    matches = links.groupby("answered_by_claim")["argument_id"].first().to_dict()
    return {
        "3.2": checks.check_treaty_coding(coding).correct,
        "4.1": checks.check_rebuttal_matches(matches).correct,
        "4.2": len(unanswered) == 1 and checks.check_unanswered_argument(unanswered[0]).correct,
    }


def test_the_guide_names_every_open_book_item_and_only_those():
    given_away = {item for item, correct in _from_the_kit().items() if correct}
    sentence = re.search(r"Open-book items: (.*?)\. [A-Z]", GUIDE)
    assert sentence, "the instructors' guide has no 'Open-book items: ...' sentence"
    named = set(re.findall(r"\b(\d\.\d)\b", sentence.group(1)))
    assert named == given_away


def test_written_answers_outweigh_the_open_book_points():
    manifest = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))
    for name in ("ex03_alliances_and_treaties", "ex04_arguments_and_answers"):
        notebook = manifest["notebooks"][name]
        auto = sum(c["points"] for c in notebook["checks"])
        written = sum(w["points"] for w in notebook["written"])
        assert written > auto, name
