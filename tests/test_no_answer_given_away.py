"""No lesson gives a quiz answer away: the kit's own words above a quiz never state a
short answer the quiz asks for (unless the lesson's title already names it), and no stored
output shows a right-answer feedback before the student has answered anything."""

from __future__ import annotations

import re

import nbformat
import pytest
from helpers import ROOT

import fournos

LESSONS = sorted((ROOT / "notebooks").glob("0[1-5]_*.ipynb"))


def quiz_index(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if "fournos.quiz(" in c.source)


def mentions(text: str, answer: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(answer.casefold()) + r"(?!\w)", text.casefold())


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_kits_words_above_a_quiz_never_state_its_short_answers(path):
    nb = nbformat.read(path, as_version=4)
    article = re.search(r'ARTICLE = "(\w+)"', "".join(c.source for c in nb.cells)).group(1)
    above = [c.source for c in nb.cells[1 : quiz_index(nb)] if c.cell_type == "markdown"]
    title = nb.cells[0].source
    given = []
    for _, q in fournos.questions(article).iterrows():
        if q["kind"] != "short":
            continue
        for answer in q["answer"]:
            if len(answer) > 2 and not mentions(title, answer):
                given += [(q["question_id"], answer) for text in above if mentions(text, answer)]
    assert not given, f"{path.name} states quiz answers above its quiz: {given}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_stored_output_shows_a_right_answer_before_the_student_answers(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            shown = str(output.get("text", "")) + str(output.get("data", {}))
            assert "✔" not in shown and "Correct." not in shown, (path.name, cell.source)


def test_lesson_01_does_not_print_the_date_question_3_asks_for_just_above_the_quiz():
    nb = nbformat.read(ROOT / "notebooks" / "01_duong_2018_integration.ipynb", as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## 6."))
    for cell in nb.cells[start : quiz_index(nb)]:  # the sections just above the quiz
        shown = cell.source + "".join(
            str(o.get("text", "")) + str(o.get("data", {})) for o in cell.get("outputs", [])
        )
        assert "December 2013" not in shown, cell.source


def test_lesson_01_asks_about_the_date_slip_before_showing_the_records_note():
    """Section 8 asks whether Article 1's 'December 2013' is a slip; the record's note (which
    names the likely source of the slip) shows only after the student is told to decide."""
    nb = nbformat.read(ROOT / "notebooks/01_duong_2018_integration.ipynb", as_version=4)
    shown = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "likely source of the slip" in str(c.get("outputs"))
    ]
    question = next(i for i, c in enumerate(nb.cells) if "is this likely a slip" in c.source)
    decide = next(i for i, c in enumerate(nb.cells) if "When you have decided" in c.source)
    assert shown and question < decide < min(shown), (question, decide, shown)
