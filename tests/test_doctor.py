"""`fournos doctor` finds each problem a student meets and gives one fix for each."""

from __future__ import annotations

import socket
import subprocess
import sys

from helpers import ROOT

from fournos import doctor


def test_doctor_as_a_student_runs_it_reports_a_busy_port_with_its_fix():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "fournos", "doctor", "--port", str(port)],
            cwd=ROOT / "notebooks",
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    all_but_the_port = len(doctor.checks(ROOT, port)) - 1
    assert sum(line.strip().startswith("ok") for line in lines) == all_but_the_port, result.stdout
    assert any(f"port {port} is in use" in line for line in lines)
    assert any(f"--port {port + 2}" in line and "Fix:" in line for line in lines)
    assert "a notebook kernel starts and imports the kit" in result.stdout
    assert "1 problem(s)" in result.stdout
    assert result.stderr == "" and "Traceback" not in result.stdout


def test_doctor_names_broken_data_and_how_to_restore_it(data_copy):
    events = data_copy / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + "not,a,valid,row\n", encoding="utf-8")
    ok, found, fix = doctor.check_data()
    assert not ok and "events.csv" in found
    assert "git checkout -- data" in fix


def test_doctor_flags_a_python_the_kit_is_not_made_for(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 9, 7, "final", 0))
    ok, found, fix = doctor.check_python()
    assert not ok and "3.9.7" in found and "Python 3.12" in fix


def test_doctor_flags_a_half_made_environment(tmp_path, monkeypatch):
    (tmp_path / ".venv").mkdir()
    monkeypatch.setattr(sys, "prefix", str(tmp_path / ".venv"))
    ok, found, fix = doctor.check_environment(tmp_path)
    assert not ok and "did not finish" in found and "scripts/install.py" in fix
