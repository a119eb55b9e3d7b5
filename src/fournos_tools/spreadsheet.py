"""CSV cells a spreadsheet opens safely, for every CSV the kit writes from outside text (the
grader's files, the LMS exports): no control characters (terminal escape sequences, bells,
NULs; tabs and newlines kept), and a cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) starts with ' so that it shows as text.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text) -> str:
    """Text safe to show: no control characters, tabs and newlines kept."""
    return CONTROL.sub("", str(text))


def cell(value) -> str | int | float:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (numbers stay numbers)."""
    if isinstance(value, (int, float)):
        return value
    text = clean(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape(text: str) -> str:
    """Undo cell()'s formula escape ('=x -> =x), to compare a value as it was written."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
