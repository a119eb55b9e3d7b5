"""The set-up a class with no internet uses: a folder of wheels made online by
`scripts/wheels.py` (what `make wheels` runs), then `scripts/install.py` (what `make lab`
runs first) in a private network namespace with no network at all.

Building the folder needs the package index; where it cannot be reached the test is
skipped. Part of `make test-install` (with the students' edition set up in its own .venv);
`make test` leaves tests/install/ out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, copy_kit

pytestmark = pytest.mark.install
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def offline(command, cwd: Path, **env) -> subprocess.CompletedProcess:
    """Run `command` with no network: only a loopback device in a new namespace."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FOURNOS_", "UV_"))}
    environment.update(env)
    return subprocess.run(
        ["unshare", "--net", "--map-root-user", *map(str, command)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=600,
    )


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory):
    if shutil.which("unshare") is None or offline(["true"], cwd=ROOT).returncode != 0:
        pytest.skip("no private network namespaces here (unshare --net --map-root-user)")
    if PYTHON not in {"3.11", "3.12"}:
        pytest.skip(f"wheels are collected for Python 3.11 and 3.12, not {PYTHON}")
    folder = tmp_path_factory.mktemp("wheelhouse")
    built = subprocess.run(
        [sys.executable, ROOT / "scripts" / "wheels.py", "--target", "linux", "--python", PYTHON,
         "--dest", folder],
        capture_output=True, text=True, check=False, timeout=1200,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.skip(f"could not build the wheelhouse (no package index?): {built.stderr[-500:]}")
    return folder


def test_offline_set_up_from_the_wheelhouse_and_no_half_made_venv(wheelhouse, tmp_path):
    kit = copy_kit(tmp_path / "kit")
    cache = {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "PIP_NO_CACHE_DIR": "1"}
    install = [sys.executable, "scripts/install.py"]

    # A set-up killed half-way left a .venv with no marker; with no network and no wheels
    # the next set-up fails, says why, and leaves no .venv behind.
    (kit / ".venv" / "bin").mkdir(parents=True)
    (kit / ".venv" / "bin" / "python").write_text("half-made", encoding="utf-8")
    failed = offline(install, cwd=kit, PIP_RETRIES="0", PIP_DEFAULT_TIMEOUT="5", **cache)
    assert failed.returncode == 1
    assert "did not finish: removing it" in failed.stdout
    assert "needs the internet" in failed.stderr and "wheelhouse" in failed.stderr
    assert not (kit / ".venv").exists()

    # With the wheels in wheelhouse/ (found without being named), it installs offline.
    shutil.copytree(wheelhouse, kit / "wheelhouse")
    done = offline(install, cwd=kit, **cache)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "from the wheels in" in done.stdout
    assert (kit / ".venv" / ".installed").exists()

    # The environment works, still with no network: the library, the data, my-work.
    python = kit / ".venv" / "bin" / "python"
    check = "import jupyterlab, fournos; print(len(fournos.load('events')))"
    used = offline([python, "-c", check], cwd=kit / "notebooks")
    assert used.returncode == 0 and int(used.stdout) > 0, used.stderr
    assert offline([python, "-m", "fournos", "my-work"], cwd=kit).returncode == 0
    assert any((kit / "my-work").glob("ex01_*.ipynb"))
