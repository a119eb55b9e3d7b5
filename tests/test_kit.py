"""The library finds the kit it is used in, from any install, and the command line stays light.

The install test builds the kit as an ordinary (non-editable) wheel, installs it into a
fresh virtual environment (as a hub image or a shared class environment would), and runs
it from a separate copy of the kit: the copy's data and my-work/ are the ones used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import ROOT, copy_kit

import fournos
from fournos import kit


def run(command, cwd: Path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FOURNOS_")}
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**environment, **env},
    )


def test_kit_root_is_found_from_any_folder_inside_the_kit(monkeypatch):
    monkeypatch.delenv("FOURNOS_KIT", raising=False)
    assert kit.kit_root(ROOT / "notebooks") == ROOT
    assert kit.kit_root(ROOT / "data" / "articles") == ROOT


@pytest.fixture
def fresh_kit():
    """This process has not looked for its kit yet (and forgets what this test found)."""
    kit.current_kit.cache_clear()
    yield
    kit.current_kit.cache_clear()


def test_fournos_kit_overrides_and_a_wrong_one_is_explained(tmp_path, monkeypatch, fresh_kit):
    other = tmp_path / "other-kit"
    (other / "data").mkdir(parents=True)
    (other / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("FOURNOS_KIT", str(other))
    assert kit.kit_root(ROOT / "notebooks") == other.resolve()
    monkeypatch.delenv("FOURNOS_DATA", raising=False)
    assert fournos.data.data_dir() == other.resolve() / "data"
    monkeypatch.setenv("FOURNOS_KIT", str(tmp_path))
    with pytest.raises(kit.KitNotFound, match="FOURNOS_KIT is set to"):
        kit.kit_root()


def test_a_process_keeps_the_kit_it_found_first(tmp_path, monkeypatch, fresh_kit):
    """The grader checks answers in a scratch folder: the data must stay the kit's."""
    monkeypatch.delenv("FOURNOS_KIT", raising=False)
    monkeypatch.delenv("FOURNOS_DATA", raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert fournos.data.data_dir() == ROOT / "data"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOURNOS_KIT", str(tmp_path))  # not a kit: looking again would fail
    assert fournos.data.data_dir() == ROOT / "data"


def test_no_tool_looks_for_the_kit_when_it_is_imported(tmp_path):
    """Importing a tool finds no kit: its command does, once, when it runs. (A FOURNOS_KIT
    that is not a kit makes any search fail, so a search at import time would show.)"""
    tools = ["site", "exercises", "answer_keys", "handouts", "lms", "site_content"]
    code = "; ".join(f"import fournos_tools.{t}" for t in tools)
    imported = run([sys.executable, "-c", code], cwd=tmp_path, FOURNOS_KIT=str(tmp_path))
    assert imported.returncode == 0, imported.stderr[-1500:]


def test_every_public_name_resolves_and_shared_names_stay_functions():
    assert sorted(fournos.__all__) == sorted(fournos._EXPORTS)
    assert all(callable(getattr(fournos, n)) for n in fournos.__all__ if not n.isupper())
    code = (
        "import fournos.quiz, fournos.treaties, fournos\n"
        "from fournos import quiz\n"
        "print(callable(fournos.quiz), callable(fournos.treaties), callable(quiz))"
    )
    result = run([sys.executable, "-c", code], cwd=ROOT)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_my_work_imports_no_pandas_or_plotly(tmp_path):
    kit_copy = copy_kit(tmp_path / "kit", leave_out=("src/", "tests/"))
    result = run([sys.executable, "-X", "importtime", "-m", "fournos", "my-work"], cwd=kit_copy)
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert not imported & {"pandas", "plotly", "numpy", "ipywidgets"}
    assert sorted(p.name for p in (kit_copy / "my-work").iterdir()) == sorted(
        p.name for p in (ROOT / "exercises").glob("*.ipynb")
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the kit installed from a wheel (not editable); the packages it
    needs are borrowed from the test environment through a .pth file (no download)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # built from a copy: the build leaves files beside the source
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy2(ROOT / name, source / name)
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", work / "dist", source],
        cwd=work,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    run([sys.executable, "-m", "venv", "--without-pip", work / "venv"], cwd=work)
    python = work / "venv" / "bin" / "python"
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=work)
    Path(site.stdout.strip(), "borrowed.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    wheel = next((work / "dist").glob("fournos-*.whl"))
    uv = Path(sys.executable).parent / "uv"
    done = run([uv, "pip", "install", "--python", python, "--no-deps", "-q", wheel], cwd=work)
    assert done.returncode == 0, done.stderr
    return python, copy_kit(work / "kit", leave_out=("src/", "tests/"))


def test_an_installed_library_serves_the_kit_it_is_run_in(installed):
    python, kit_copy = installed
    code = "import fournos; print(fournos.__file__); print(fournos.data.data_dir()); "
    code += "print(len(fournos.load('events')))"
    result = run([python, "-c", code], cwd=kit_copy / "notebooks")
    assert result.returncode == 0, result.stderr
    where, data, rows = result.stdout.split("\n")[:3]
    assert not Path(where).is_relative_to(ROOT)
    assert Path(data) == (kit_copy / "data").resolve()
    assert int(rows) > 0


def test_my_work_works_with_an_installed_library_and_no_set_up(installed):
    python, kit_copy = installed
    result = run([python, "-m", "fournos", "my-work"], cwd=kit_copy / "notebooks")
    assert result.returncode == 0, result.stderr
    assert any((kit_copy / "my-work").glob("ex01_*.ipynb"))
    assert not (kit_copy / ".venv").exists()


def test_outside_any_kit_the_message_says_what_to_do(installed, tmp_path):
    python, _ = installed
    result = run([python, "-m", "fournos", "my-work"], cwd=tmp_path)
    assert result.returncode == 1
    assert "Could not find the kit" in result.stderr and "FOURNOS_KIT" in result.stderr
    assert "Traceback" not in result.stderr
