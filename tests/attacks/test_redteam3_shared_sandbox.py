"""Red team round 3 (F1, F2, F5): what one notebook does to the sandbox never reaches the
next notebook of the same worker.

- F2: the accomplice (a correct solution, graded first) also leaves its answers in /, /etc
  and /dev; the receiver, a blank exercise that reads them, would score 3 of 3.
- F1: the saboteur writes an IPython configuration into /etc/ipython that replaces every
  answer a later kernel exports; the victim after it is a correct solution (3 of 3).
- F5: the killer kills its parent's other children (in the forked engine, the zygote); the
  notebook after it is a correct solution that was "not graded" when the zygote was gone.
"""

from __future__ import annotations

from conftest import CELL_TIMEOUT, row


def test_answers_left_in_the_sandbox_root_do_not_reach_the_next_notebook(attacked_class):
    assert row(attacked_class, "accomplice")["points"] == "3"
    assert row(attacked_class, "rootreceiver")["points"] == "0"


def test_an_ipython_config_planted_by_one_notebook_does_not_run_in_the_next(attacked_class):
    assert row(attacked_class, "victim")["points"] == "3"


def test_killing_the_zygote_costs_no_later_notebook(attacked_class):
    assert row(attacked_class, "after")["points"] == "3"
    assert row(attacked_class, "after")["status"] == "ran"


def test_a_forged_cell_end_line_does_not_lift_the_cell_time_limit(forked_class):
    """F8 (forked engine): the notebook writes "cell 1 ended" on every pipe it holds, then
    runs past the cell limit; it used to be "ran", with its answers, after the slow cell."""
    untimed = row(forked_class, "untimed")
    assert f"a cell ran longer than {CELL_TIMEOUT} s" in untimed["status"]
    assert untimed["points"] == "0"
