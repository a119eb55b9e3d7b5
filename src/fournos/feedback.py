"""Feedback: what every check returns (exercise checks, quiz answers, the grader's checks)."""

from __future__ import annotations

import html
from dataclasses import dataclass


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
