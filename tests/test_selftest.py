"""`fournos test` (`make test`): which folders each stage runs, that no stage runs the tests
that build environments, and that each stage reports its wall and CPU time."""

from __future__ import annotations

import subprocess

from helpers import ROOT

from fournos import selftest


def test_the_stages_run_in_order_and_leave_the_environment_builders_out():
    runs = selftest.stages(ROOT, workers=2)
    assert list(runs) == ["unit", "notebooks", "browser"]
    unit = " ".join(runs["unit"])
    for apart in ("tests/browser", "tests/install", "tests/hub"):
        assert f"--ignore={apart}" in unit
    assert runs["notebooks"][3:6] == ["notebooks", "solutions", "exercises"]
    assert "tests/install" not in " ".join(" ".join(c) for c in runs.values()).replace(
        "--ignore=tests/install", ""
    )


def test_each_stage_reports_its_wall_and_cpu_time(monkeypatch, capsys):
    ran = []

    def fake_run(command, **kwargs):
        ran.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(selftest.subprocess, "run", fake_run)
    assert selftest.main(["--stage", "unit", "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert len(ran) == 1 and "-n" in ran[0] and "0" in ran[0]
    assert "stage unit:" in out and "s wall" in out and "s CPU (user + system)" in out
