"""Is an answer the kind of thing an exercise asks for? Said in plain words.

Each check declares the kind of answer it takes (`@expects("table")`, "figure", "pairs",
"mapping", "id", "folder"). The declaration runs inside the check itself, under the
public wrapper (`fournos.checks.checker`), so batch grading, which calls a check's
unwrapped function, gets the same plain message for a wrong kind of answer as the student
does: never an exception's name, never a traceback.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from fournos.data import DataError
from fournos.feedback import Feedback
from fournos.friendly_errors import counted

# what each kind of answer is, as the exercise sheet says it
KINDS = {
    "table": "a table (a pandas DataFrame)",
    "figure": "a plotly figure",
    "pairs": "a list of (article id, quote) pairs",
    "mapping": "a dict",
    "id": "an id in quotes, such as 'adv_bui_01'",
    "folder": "the folder of your copy of the data, as fournos.copy_dataset(...) gave it",
}


def described(value) -> str:
    """What a value is, in words a beginner knows: 'a number (5)', 'an empty table'."""
    if value is None:
        return "nothing (None)"
    if value is ...:
        return "not answered yet (still ...)"
    if isinstance(value, bool):
        return f"True or False ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"a piece of text ({shown!r})" if value.strip() else "an empty piece of text"
    if isinstance(value, pd.DataFrame):
        if value.empty:
            return "an empty table"
        return f"a table of {counted(len(value), 'row')} and {counted(value.shape[1], 'column')}"
    if isinstance(value, pd.Series):
        return "one column of a table (a Series)"
    if isinstance(value, dict):
        return "an empty dict" if not value else f"a dict of {counted(len(value), 'item')}"
    if isinstance(value, (list, tuple, set)):
        return "an empty list" if not value else f"a list of {counted(len(value), 'item')}"
    if type(value).__name__ == "Figure":
        return "a plotly figure"
    if isinstance(value, os.PathLike):
        return f"a path ({os.fspath(value)})"
    return f"a value of the kind {type(value).__name__}"


def _is_pair(item) -> bool:
    return isinstance(item, (list, tuple)) and len(item) == 2


def shape_problem(answer, kind: str) -> str | None:
    """Why `answer` is not of `kind`, in plain words; None if it is."""
    wanted = KINDS[kind]
    if kind == "table":
        ok = isinstance(answer, pd.DataFrame)
    elif kind == "figure":
        ok = type(answer).__name__ == "Figure" and hasattr(answer, "to_plotly_json")
    elif kind == "pairs":
        ok = isinstance(answer, (list, tuple)) and all(_is_pair(p) for p in answer)
    elif kind == "mapping":
        ok = isinstance(answer, dict)
    elif kind == "id":
        ok = isinstance(answer, str)
    elif kind == "folder":
        ok = isinstance(answer, (str, os.PathLike))
    else:
        raise ValueError(f"unknown kind of answer: {kind}")
    if not ok:
        return f"This exercise asks for {wanted}, but your answer is {described(answer)}."
    if kind == "folder":
        if not str(answer).strip():
            return f"This exercise asks for {wanted}, but your answer is an empty piece of text."
        if not Path(answer).is_dir():
            return (
                f"There is no folder at {os.fspath(answer)!r}. Give the folder that "
                "fournos.copy_dataset(...) made for you (run that cell first)."
            )
    if kind == "id" and not answer.strip():
        return f"This exercise asks for {wanted}, but your answer is an empty piece of text."
    return None


def plain_reason(error: BaseException) -> str:
    """An error's own words without its class name, cut to one short line."""
    words = " ".join(str(error).split()) or "it could not be read"
    return words if len(words) <= 120 else words[:117] + "…"


def expects(kind: str):
    """Declare the kind of answer a check takes: a wrong kind gets a plain Feedback, and a
    DataError raised while checking (the kit explaining a problem) becomes its message."""

    def wrap(check):
        @functools.wraps(check)
        def validated(answer, *args, **kwargs):
            problem = shape_problem(answer, kind)
            if problem:
                return Feedback(False, problem)
            try:
                return check(answer, *args, **kwargs)
            except DataError as err:
                return Feedback(False, str(err))

        validated.answer_kind = kind
        return validated

    return wrap
