"""The students' edition set up the way a student sets it up: its own Makefile and lock make
a new .venv (`make .venv/.installed`, what `make lab` runs first), then the students'
commands and the edition's own unit stage in that environment. Part of `make test-install`
(it builds an environment); `make test` proves the edition's files and tests without one
(tests/test_release.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from fournos_tools import release

pytestmark = pytest.mark.install


def run(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "fournos"
    release.build(out, repo_url="https://git.example.org/course/fournos.git")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOURNOS_", "MAKE"))}
    setup = run(["make", ".venv/.installed"], cwd=out, env=env, timeout=900)
    if setup.returncode != 0 and "needs the internet" in setup.stderr:
        pytest.skip("the package index cannot be reached: the edition cannot be set up")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-2000:]
    return out


def test_the_students_commands_work_in_the_editions_own_environment(edition):
    python = str(edition / ".venv/bin/python")
    made = run([python, "-m", "fournos", "my-work"], cwd=edition)
    assert made.returncode == 0, made.stderr
    copied = sorted(p.name for p in (edition / "my-work").glob("*.ipynb"))
    assert copied == sorted(p.name for p in (edition / "exercises").glob("*.ipynb"))

    instructor_only = run([python, "-m", "fournos", "exercises"], cwd=edition)
    assert instructor_only.returncode == 2 and "instructor's command" in instructor_only.stderr
    assert "Traceback" not in instructor_only.stderr


def test_the_editions_unit_stage_passes_in_its_own_environment(edition):
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    stage = run(["make", "--no-print-directory", "test-unit"], cwd=edition, env=env, timeout=900)
    assert stage.returncode == 0, stage.stdout[-3000:] + stage.stderr[-2000:]
    assert " passed" in stage.stdout and " failed" not in stage.stdout
