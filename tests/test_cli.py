"""One command line for everything (`fournos …`, `python -m fournos …`); make only wraps it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from fournos import launch

COMMANDS = ["lab", "my-work", "update", "doctor", "exercises", "grade", "site"]


def run(*command, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_python_m_fournos_lists_every_command():
    result = run(sys.executable, "-m", "fournos", "--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout


def test_the_console_script_is_installed_and_works():
    script = Path(sys.executable).parent / ("fournos.exe" if os.name == "nt" else "fournos")
    result = run(script, "my-work", "--help")
    assert result.returncode == 0 and "never overwritten" in result.stdout


@pytest.mark.parametrize("command", ["lab", "my-work", "update", "doctor"])
def test_each_student_command_explains_itself(command):
    result = run(sys.executable, "-m", "fournos", command, "--help")
    assert result.returncode == 0 and result.stdout.startswith(f"usage: fournos {command}")


def test_an_unknown_command_is_named_without_a_traceback():
    result = run(sys.executable, "-m", "fournos", "mywork")
    assert result.returncode == 2
    assert "no command called 'mywork'" in result.stderr and "Traceback" not in result.stderr


def test_lab_serves_the_kit_root_on_loopback_and_opens_the_start_page():
    args = launch.jupyter_arguments(ROOT, 8890, browser=False, token=None)
    assert f"--ServerApp.root_dir={ROOT}" in args
    assert "--ServerApp.ip=127.0.0.1" in args and "--ServerApp.port=8890" in args
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in args
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()
    assert ("--allow-root" in args) == (os.geteuid() == 0)
    assert "--no-browser" in args


def test_lab_help_says_how_to_stop_it():
    result = run(sys.executable, "-m", "fournos", "lab", "--help")
    assert "Ctrl-C" in result.stdout and "--port" in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_passes_port_to_fournos_lab():
    # --no-print-directory: under `make test` this make is nested and would add "Leaving directory"
    chosen = run("make", "--no-print-directory", "-n", "lab", "PORT=8890").stdout.splitlines()[-1]
    assert chosen.endswith("-m fournos lab --port 8890")
    default = run("make", "--no-print-directory", "-n", "lab").stdout.splitlines()[-1].rstrip()
    assert default.endswith("-m fournos lab")


def test_the_kits_jupyter_settings_keep_jupyterlab_offline_and_local():
    settings = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.json").read_text())
    assert settings["ServerApp"]["ip"] == "127.0.0.1"
    assert settings["LabApp"]["news_url"] is None
    assert settings["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert settings["LabApp"]["extension_manager"] == "readonly"  # never asks PyPI
