"""Self-check questions (data/quiz_questions.csv) with immediate, specific feedback."""

from __future__ import annotations

import html
import numbers
import re

import ipywidgets as widgets
import pandas as pd

from fournos.data import DataError, load
from fournos.feedback import Feedback
from fournos.text import require_article

# The regional lesson's questions (fournos.region.quiz) test an article's claim against the
# region's record; they are kept out of that article's own quiz.
REGION_PREFIX = "q_region_"


def questions(article_id: str | None = None) -> pd.DataFrame:
    """The self-check questions, optionally for one article, in order."""
    qs = load("quiz_questions")
    if article_id is not None:
        qs = qs[qs["article_id"] == require_article(article_id)]
        qs = qs[~qs["question_id"].str.startswith(REGION_PREFIX)]
    return qs.sort_values(["article_id", "number"], ignore_index=True)


def _question(question_id: str) -> pd.Series:
    qs = load("quiz_questions").set_index("question_id")
    if not isinstance(question_id, str) or question_id not in qs.index:
        raise DataError(f"There is no question called {question_id!r}.")
    return qs.loc[question_id]


# Vietnamese names a student may type for a place the answers name in English, with and
# without the tone marks ("Lào" or "Lao" for Laos). Whole answers only: a name inside a
# longer answer is left as typed.
VIETNAMESE_NAMES = {
    "lào": "laos",
    "lao": "laos",
    "nước lào": "laos",
    "campuchia": "cambodia",
    "cam pu chia": "cambodia",
    "trung quốc": "china",
    "trung quoc": "china",
    "liên xô": "soviet union",
    "lien xo": "soviet union",
    "nga": "russia",
    "hoa kỳ": "united states",
    "hoa ky": "united states",
    "mỹ": "united states",
}


def _simplify(text: str) -> str:
    simple = re.sub(r"[^\w]+", " ", text.lower()).strip()
    return VIETNAMESE_NAMES.get(simple, simple)


NEGATIONS = {"not", "never", "isn", "wasn"}  # "no" stays allowed: "Resolution No. 44"
# Words that may surround any short answer without changing it ("by the end of the year
# 2019", "Resolution No. 44", "the Lao PDR").
FILLER = frozenset(
    "a an the by end of year in it is was its as at to s with resolution no number nq tw".split()  # noqa: SIM905
)
# Words that belong to a count ("over 80 countries and international organisations"): they
# may surround an answer only where the answer is a count (one of its accepted forms says
# "over" or "more than"). Around a year they make a different claim: "over 2019 countries".
QUANTIFIERS = frozenset({"over", "more", "than", "about", "around", "some"})
COUNTING = QUANTIFIERS | frozenset(
    "and countries country international organisations organizations organisation "  # noqa: SIM905
    "organization".split()
)


# Words that state a value of their own: around a right answer they make another answer
# ("eighty one", "12 May 2013"), never the right one in another form.
VALUE_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "  # noqa: SIM905
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand first second third january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def allowed_extra(accepted: list[str]) -> frozenset:
    """The words that may surround one question's (simplified) accepted answers."""
    known = {w for a in accepted for w in a.split()}
    return FILLER | COUNTING if known & QUANTIFIERS else FILLER


def _distance(a: str, b: str) -> int:
    """How many slips turn a into b: a letter added, dropped or changed, or two letters side
    by side swapped ("loas" for "laos" is one slip, as "cambodai" for "cambodia" is)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            best = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, rows[-2][j - 2] + 1)
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def _spelled(word: str, known: set[str]) -> str:
    """A misspelt word of five letters or more ("decmber") read as the known word it is one
    slip away from (two for long words); a word of four letters only when two of its letters
    are swapped ("loas"), which keeps every letter. Numbers and shorter words are never
    guessed."""
    if word in known or not word.isalpha() or len(word) < 4:
        return word
    for candidate in sorted(known):
        near = candidate.isalpha() and abs(len(candidate) - len(word)) <= 2
        if len(word) < 5 and sorted(word) != sorted(candidate):
            continue
        if near and _distance(word, candidate) <= (1 if len(candidate) < 8 else 2):
            return candidate
    return word


def _verdict(q: pd.Series, answer: str) -> str:
    """'right', 'spelling' (right once a misspelt word is read as meant), 'form' (the right
    answer inside other words that change it) or 'wrong'. A choice must match an option."""
    given = _simplify(answer)
    accepted = [_simplify(a) for a in q["answer"]]
    if given in accepted:
        return "right"
    if q["kind"] != "short":
        return "wrong"
    known = {w for a in accepted for w in a.split()}
    spelled = [_spelled(w, known) for w in given.split()]
    words = set(spelled)
    contains = any(a and set(a.split()) <= words for a in accepted)
    if not contains or (NEGATIONS | {"or"}) & words:
        return "wrong"
    extra = words - known
    if extra <= allowed_extra(accepted):
        return "right" if spelled == given.split() else "spelling"
    if extra & (COUNTING | VALUE_WORDS) or any(any(c.isdigit() for c in w) for w in extra):
        return "wrong"  # another value or a count's words around an answer that is no count
    return "form"


def _accepts(q: pd.Series, answer: str) -> bool:
    return _verdict(q, answer) in {"right", "spelling"}


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
        verb = "is" if placed == 1 else "are"
        return Feedback(
            False, f"{placed} of {len(right)} {verb} in the right place. {q['hint']}{reread}"
        )
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        answer = f"{answer:g}"  # 44 and 44.0 are answers too
    if not isinstance(answer, str):
        return Feedback(
            False, f"Answer with text (your answer was of type {type(answer).__name__})."
        )
    verdict = _verdict(q, answer)
    if verdict == "right":
        return Feedback(True, "Correct. " + q["explanation"])
    if verdict == "spelling":
        return Feedback(True, "Correct (mind the spelling). " + q["explanation"])
    if verdict == "form":
        return Feedback(
            False,
            "The right answer is in there, but the other words around it change what it says. "
            "Give only the answer itself: a name, number or date.",
        )
    tip = ""
    if q["kind"] == "short" and len(_simplify(answer).split()) > 3:
        tip = " (Give one short answer, a name, number or date, without other words.)"
    return Feedback(False, f"Not quite. {q['hint']}{reread}{tip}")


class Interactive(widgets.VBox):
    """A box of widgets that says what to do where it cannot be drawn: a notebook opened before
    its cells are run shows this text (and a static preview shows it too) instead of
    `VBox(children=(HTML(value=...`."""

    def __init__(self, children, what: str):
        super().__init__(children)
        self._what = what

    def _fallback(self) -> str:
        return (
            f"{self._what} is interactive: run this notebook's cells (Run › Run All Cells, "
            "or Shift+Enter in each cell) to use it."
        )

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._fallback()
        bundle["text/html"] = (
            "<p class='fournos-run-first' style='border-left:4px solid #0072b2;"
            f"padding:0.3em 0.8em'>▶ {html.escape(self._fallback())}</p>"
        )
        return bundle


class OrderList(widgets.VBox):
    """Items to put in order: each row has ↑ and ↓ buttons, so the order can be changed with the
    keyboard (Tab to a button, Enter or Space to press it) as well as the mouse, and no item
    can be deleted by accident. `value` is the current order, like TagsInput's."""

    def __init__(self, items: list[str]):
        self._items = list(items)
        self._labels = [widgets.HTML(layout={"flex": "1 1 auto"}) for _ in self._items]
        rows, self._buttons = [], []
        for i, label in enumerate(self._labels):
            up = widgets.Button(
                description="↑", tooltip="Move this item up", layout={"width": "2.6em"}
            )
            down = widgets.Button(
                description="↓", tooltip="Move this item down", layout={"width": "2.6em"}
            )
            up.on_click(lambda _, i=i: self.move(i, -1))
            down.on_click(lambda _, i=i: self.move(i, +1))
            up.disabled, down.disabled = i == 0, i == len(self._items) - 1
            self._buttons.append((up, down))
            rows.append(widgets.HBox([up, down, label], layout={"align_items": "center"}))
        super().__init__(rows, layout={"width": "95%"})
        self._show()

    @property
    def value(self) -> list[str]:
        return list(self._items)

    def move(self, position: int, step: int) -> None:
        """Swap the item at `position` (counting from 0) with its neighbour above (-1) or below."""
        other = position + step
        if 0 <= position < len(self._items) and 0 <= other < len(self._items):
            items = self._items
            items[position], items[other] = items[other], items[position]
            self._show()
            # the keyboard focus follows the item, so pressing Enter again moves it further
            up, down = self._buttons[other]
            same, opposite = (up, down) if step < 0 else (down, up)
            (opposite if same.disabled else same).focus()

    def _show(self) -> None:
        for n, (label, item) in enumerate(zip(self._labels, self._items), start=1):
            label.value = f"<span style='padding-left:0.5em'>{n}. {html.escape(item)}</span>"


def _answer_widget(q: pd.Series) -> widgets.Widget:
    if q["kind"] == "choice":
        return widgets.RadioButtons(options=list(q["options"]), value=None, layout={"width": "95%"})
    if q["kind"] == "order":
        return OrderList(list(q["options"]))
    return widgets.Text(placeholder="Type your answer", layout={"width": "60%"})


def quiz(article_id: str) -> Interactive:
    """All the self-check questions of one article, each with a Check button and feedback."""
    return quiz_box(questions(article_id))


def quiz_box(frame: pd.DataFrame) -> Interactive:
    """Questions (rows of quiz_questions), each with a Check button and feedback."""
    parts = []
    for _, q in frame.iterrows():
        prompt = widgets.HTML(f"<b>Question {q['number']}.</b> {html.escape(q['prompt'])}")
        answer = _answer_widget(q)
        button = widgets.Button(description="Check", button_style="primary")
        result = widgets.HTML()

        def on_click(_, qid=q["question_id"], box=answer, out=result):
            out.value = check(qid, box.value)._repr_html_()

        button.on_click(on_click)
        parts += [prompt, answer, button, result]
    return Interactive(parts, "This quiz")
