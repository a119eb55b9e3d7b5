"""Self-check questions (data/quiz_questions.csv) with immediate, specific feedback."""

from __future__ import annotations

import html
import numbers
import re
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from fournos.data import DataError, load
from fournos.text import require_article


@dataclass(frozen=True)
class Feedback:
    """The answer to a check: right or not, and a message that helps."""

    correct: bool
    message: str

    def _repr_html_(self) -> str:
        colour, mark = ("#1a7f37", "✔") if self.correct else ("#9a3412", "✘")
        return f"<p style='color:{colour}'><b>{mark}</b> {html.escape(self.message)}</p>"

    def __str__(self) -> str:
        return ("✔ " if self.correct else "✘ ") + self.message


def questions(article_id: str | None = None) -> pd.DataFrame:
    """The self-check questions, optionally for one article, in order."""
    qs = load("quiz_questions")
    if article_id is not None:
        qs = qs[qs["article_id"] == require_article(article_id)]
    return qs.sort_values(["article_id", "number"], ignore_index=True)


def _question(question_id: str) -> pd.Series:
    qs = load("quiz_questions").set_index("question_id")
    if not isinstance(question_id, str) or question_id not in qs.index:
        raise DataError(f"There is no question called {question_id!r}.")
    return qs.loc[question_id]


def _simplify(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


NEGATIONS = {"not", "never", "isn", "wasn"}  # "no" stays allowed: "Resolution No. 44"
# words that may surround a short answer without changing it ("over 80 countries and
# international organisations", "by the end of the year 2019", "Resolution No. 44")
FILLER = frozenset(
    "a an the by end of year in over more than about around some and countries country "  # noqa: SIM905
    "international organisations organizations organisation organization resolution no "
    "number nq tw it is was its as at to s with".split()
)


def _accepts(q: pd.Series, answer: str) -> bool:
    """A choice must match an option. A short answer may carry extra filler words around
    an accepted answer, but not a negation, a second alternative ("2018 or 2019") or any
    other word that could change it ("Laos and Cambodia", "12 May 2013", "eighty one")."""
    given = _simplify(answer)
    accepted = [_simplify(a) for a in q["answer"]]
    if given in accepted:
        return True
    words = set(given.split())
    known = {w for a in accepted for w in a.split()}
    return (
        q["kind"] == "short"
        and not (NEGATIONS | {"or"}) & words
        and words - known <= FILLER
        and any(a and set(a.split()) <= words for a in accepted)
    )


def check(question_id: str, answer) -> Feedback:
    """Check an answer. Never raises for a bad answer: it says what is wrong instead."""
    q = _question(question_id)
    reread = f" Reread paragraph {q['paragraph']}." if pd.notna(q["paragraph"]) else ""
    if answer is None or (isinstance(answer, (str, list, tuple)) and len(answer) == 0):
        return Feedback(False, "No answer yet: choose or type one, then check again.")
    if q["kind"] == "order":
        if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
            return Feedback(False, "Give the items as a list, in the order you think is right.")
        right = list(q["answer"])
        if sorted(answer) != sorted(right):
            return Feedback(False, "Use each item exactly once, then check again.")
        if list(answer) == right:
            return Feedback(True, "Correct: that is the order. " + q["explanation"])
        placed = sum(a == b for a, b in zip(answer, right))
        return Feedback(
            False, f"{placed} of {len(right)} are in the right place. {q['hint']}{reread}"
        )
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        answer = f"{answer:g}"  # 44 and 44.0 are answers too
    if not isinstance(answer, str):
        return Feedback(
            False, f"Answer with text (your answer was of type {type(answer).__name__})."
        )
    if _accepts(q, answer):
        return Feedback(True, "Correct. " + q["explanation"])
    tip = ""
    if q["kind"] == "short" and len(_simplify(answer).split()) > 3:
        tip = " (Give one short answer, a name, number or date, without other words.)"
    return Feedback(False, f"Not quite. {q['hint']}{reread}{tip}")


def _answer_widget(q: pd.Series) -> widgets.Widget:
    if q["kind"] == "choice":
        return widgets.RadioButtons(options=list(q["options"]), value=None, layout={"width": "95%"})
    if q["kind"] == "order":
        return widgets.TagsInput(
            value=list(q["options"]), allowed_tags=list(q["options"]), allow_duplicates=False
        )
    return widgets.Text(placeholder="Type your answer", layout={"width": "60%"})


def quiz(article_id: str) -> widgets.VBox:
    """All the self-check questions of one article, each with a Check button and feedback."""
    parts = []
    for _, q in questions(article_id).iterrows():
        prompt = widgets.HTML(f"<b>Question {q['number']}.</b> {html.escape(q['prompt'])}")
        answer = _answer_widget(q)
        button = widgets.Button(description="Check", button_style="primary")
        result = widgets.HTML()

        def on_click(_, qid=q["question_id"], box=answer, out=result):
            out.value = check(qid, box.value)._repr_html_()

        button.on_click(on_click)
        parts += [prompt, answer, button, result]
    return widgets.VBox(parts)
