"""`fournos test` (`make test`): which folders each stage runs, that no stage runs the tests
that build environments, and that each stage reports its wall and CPU time."""

from __future__ import annotations

import subprocess
import sys

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
    # in-process: never adopt or reap this test worker's own children
    monkeypatch.setattr(selftest, "adopt_orphans", lambda: None)
    monkeypatch.setattr(selftest, "reap_orphans", lambda: None)
    assert selftest.main(["--stage", "unit", "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert len(ran) == 1 and "-n" in ran[0] and "0" in ran[0]
    assert "stage unit:" in out and "s wall" in out and "s CPU (user + system)" in out


ORPHAN_STAGE = """
import subprocess, sys
from fournos import selftest
burn = "import time\\nend = time.process_time() + 1.5\\nwhile time.process_time() < end: pass"
orphan = [sys.executable, "-c", f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {burn!r}])"]
selftest.stages = lambda root, workers=2: {"unit": orphan}
sys.exit(selftest.main(["--stage", "unit"]))
"""


def test_a_stage_counts_the_cpu_time_of_the_processes_it_left_orphaned():
    """The grading sandbox's processes end as orphans (bubblewrap does not wait for them):
    their CPU time must count in the stage's. Here the stage's one process starts a child
    that burns 1.5 s of CPU and exits without waiting for it. Run in a process of its own:
    the runner adopts orphans for the rest of its life."""
    run = subprocess.run(
        [sys.executable, "-c", ORPHAN_STAGE], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert run.returncode == 0, run.stderr
    cpu = int(run.stdout.split("s wall, ")[1].split(" s CPU")[0])
    assert cpu >= 1, run.stdout


def test_a_kit_without_browser_tests_says_the_browser_stage_is_not_in_it(
    monkeypatch, capsys, tmp_path
):
    """The students' edition has no tests/browser: `make test` says so instead of leaving the
    stage `make help` names out without a word."""
    monkeypatch.setattr(
        selftest.subprocess, "run", lambda c, **k: subprocess.CompletedProcess(c, 0)
    )
    monkeypatch.setattr(selftest, "current_kit", lambda: tmp_path)
    # in-process: never adopt or reap this test worker's own children
    monkeypatch.setattr(selftest, "adopt_orphans", lambda: None)
    monkeypatch.setattr(selftest, "reap_orphans", lambda: None)
    assert selftest.main([]) == 0
    out = capsys.readouterr().out
    assert "stage browser: not in this copy of the kit" in out, out
