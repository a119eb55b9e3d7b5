"""Finding 2: a notebook must never read a classmate's answers from the memory it was forked
from. The thief reads its whole memory for answer lines and replays them as its own: with
the leak, a blank exercise scores 3 of 3 (ana's answers, graded just before in the worker).
The forked engine only: the kernel engine starts each notebook in a new process, with no
memory of a parent that held answers (what it leaves behind: test_finding7_isolation.py).
"""

from __future__ import annotations

from conftest import row


def test_a_forked_child_finds_no_classmates_answers_in_its_memory(forked_class):
    assert row(forked_class, "ana")["points"] == "3"
    assert row(forked_class, "thief")["points"] == "0"
