"""Finding 2: a notebook must never read a classmate's answers from the memory it was forked
from. The thief reads its whole memory for answer lines and replays them as its own: with
the leak, a blank exercise scores 3 of 3 (ana's answers, graded just before in the worker).
"""

from __future__ import annotations

from conftest import row


def test_a_forked_child_finds_no_classmates_answers_in_its_memory(attacked_class):
    assert row(attacked_class, "ana")["points"] == "3"
    assert row(attacked_class, "thief")["points"] == "0"
