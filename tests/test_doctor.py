"""`fournos doctor` finds each problem a student meets and gives one fix for each."""

from __future__ import annotations

import socket
import subprocess
import sys

from helpers import ROOT

from fournos import doctor


def test_doctor_as_a_student_runs_it_says_a_busy_port_is_no_problem_and_how_to_choose():
    """JupyterLab takes the next free port when its own is busy: doctor says so, as a note."""
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
    assert result.returncode == 0, result.stdout + result.stderr
    assert sum(line.strip().startswith("ok") for line in lines) == len(doctor.checks(ROOT, port))
    assert any(
        f"port {port} is used by another program: JupyterLab will take the next free port" in line
        and f"--port {port + 2}" in line
        for line in lines
    ), result.stdout
    # run from the kit's .venv (as make users do): the way to choose names commands that work there
    if sys.prefix == str(ROOT / ".venv"):
        assert f"make lab PORT={port + 2}` (without make: `.venv/bin/fournos lab" in result.stdout
    assert "a notebook kernel starts and imports the kit" in result.stdout
    assert "PROBLEM" not in result.stdout
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


def test_doctor_finds_a_jupyterlab_running_on_another_port(tmp_path):
    """`fournos lab` asked for a port that is taken says so and prints the address of the one
    it uses; doctor names that Lab, from Jupyter's own list; a second `fournos lab` on the same
    kit opens that one instead of starting another."""
    import json
    import os
    import re
    import time
    import urllib.request

    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        asked = taken.getsockname()[1]
        lab = subprocess.Popen(
            [sys.executable, "-m", "fournos", "lab", "--no-browser", "--port", str(asked)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        said = ""
        address = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\S*\?token=(\w+)")
        while not address.search(said) and lab.poll() is None:
            said += lab.stdout.readline()
    found = address.search(said)
    assert found, said
    port = int(found.group(1))
    assert port != asked and f"port {asked} is in use, so it uses {port}" in said, said
    # the address works the moment it is printed (a student may click it at once)
    status = f"http://127.0.0.1:{port}/api/status?token={found.group(2)}"
    with urllib.request.urlopen(status, timeout=30) as answer:
        assert answer.status == 200
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("jpserver-*.json")) and time.monotonic() < deadline:
            assert lab.poll() is None, "JupyterLab stopped"
            time.sleep(0.2)  # polling for the runtime file, not waiting a fixed time
        result, again = (
            subprocess.run(
                [sys.executable, "-m", "fournos", *command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            for command in (["doctor"], ["lab", "--no-browser"])
        )
        servers = [json.loads(f.read_text()) for f in tmp_path.glob("jpserver-*.json")]
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    assert f"JupyterLab is already running on this kit: http://127.0.0.1:{port}/lab" in (
        result.stdout
    ), result.stdout
    # not "start with make lab" (a second Lab), nor a port check for a Lab not to be started
    assert f"Everything is ready: JupyterLab is already running at http://127.0.0.1:{port}/lab" in (
        result.stdout
    )
    assert "start with" not in result.stdout and "is free for JupyterLab" not in result.stdout
    assert again.returncode == 0, again.stdout + again.stderr
    assert "JupyterLab is already running on this kit" in again.stdout, again.stdout
    assert f"http://127.0.0.1:{port}/lab/tree/notebooks/00_start_here.ipynb?token=" in again.stdout
    assert len(servers) == 1, "a second JupyterLab was started"
    assert servers[0]["port"] == port, "the address printed is not the Lab's"
