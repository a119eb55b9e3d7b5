"""Red team 4, R4-15: a submission's file name with terminal escape sequences reached the
instructor's terminal raw, in the sentence the next run prints about a killed run (it could
retitle the window, clear the screen and print "ALL GRADES LOST" in red)."""

from __future__ import annotations

import json
import subprocess

from fournos_tools.grading import progress

NAME = "e_eve\x1b]0;GRADES TAMPERED\x07\x1b[2J\x1b[31mALL GRADES LOST\x1b[0m_ex02.ipynb"


def test_a_killed_run_s_names_are_printed_without_control_characters(tmp_path):
    gone = subprocess.Popen(["true"])  # a process that has ended stands for the killed run
    gone.wait()
    staging = tmp_path / ".class.abcd1234"
    staging.mkdir()
    record = {
        "pid": gone.pid,
        "process_started": None,
        "started": "2026-12-04 03:00:00\x1b[2J",
        "scratch": str(tmp_path / "fournos-grade-x"),
        "total": 2,
        "done": 1,
        "grading": [NAME],
    }
    (staging / progress.FILE).write_text(json.dumps(record), encoding="utf-8")
    said = progress.clear_abandoned(tmp_path / "class")
    assert len(said) == 1
    assert "GRADES TAMPERED" in said[0]  # the name is still shown, as text
    assert not any(ord(c) < 32 or ord(c) == 127 for c in said[0]), repr(said[0])
    assert not staging.exists()
