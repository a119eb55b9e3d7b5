"""Finding 7: nothing passes from one notebook to the next in the same worker (POSIX and
SysV shared memory), the per-cell time limit holds when a notebook ignores SIGALRM, and a
folder answer outside the notebook's own scratch folder is refused.

The accomplice (a correct solution, graded first) leaves its answers in /dev/shm and in a
SysV segment; each receiver is a blank exercise that scores 3 of 3 if it can read them.
"""

from __future__ import annotations

from conftest import CELL_TIMEOUT, result, row


def test_the_accomplice_scores_and_writes_its_answers(attacked_class):
    assert row(attacked_class, "accomplice")["points"] == "3"


def test_dev_shm_is_private_to_each_notebook(attacked_class):
    assert row(attacked_class, "shmreceiver")["points"] == "0"


def test_sysv_shared_memory_is_private_to_each_notebook(attacked_class):
    assert row(attacked_class, "sysvreceiver")["points"] == "0"


def test_ignoring_sigalrm_does_not_lift_the_cell_time_limit(attacked_class):
    alarm = row(attacked_class, "alarm")
    assert f"a cell ran longer than {CELL_TIMEOUT} s" in alarm["status"]
    assert alarm["points"] == "0"  # its answers come after the slow cell


def test_a_folder_answer_outside_the_scratch_folder_is_refused(attacked_class):
    elsewhere = row(attacked_class, "elsewhere")
    assert elsewhere["check:check_my_timeline"] == "fail"
    check = next(
        c for c in result(attacked_class, "elsewhere")["checks"] if "timeline" in c["check"]
    )
    assert "work folder" in check["message"]
