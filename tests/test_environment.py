"""environment.yml (conda) and pyproject.toml (pip) ask for the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml
from helpers import ROOT


def names(requirements) -> set[str]:
    return {
        re.split(r"[<>=!~ \[;]", r.strip(), maxsplit=1)[0].lower().replace("_", "-")
        for r in requirements
    }


def conda_packages() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    return names(conda) - {"python", "pip"}


def test_environment_yml_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = names(project["dependencies"]) | names(project["optional-dependencies"]["test"])
    assert conda_packages() == wanted


def test_environment_installs_the_kit_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_lock_file_pins_every_package_exactly():
    lock = (ROOT / "requirements-lock.txt").read_text(encoding="utf-8")
    pins = [line for line in lock.splitlines() if line and not line.startswith((" ", "#"))]
    assert pins and all("==" in line for line in pins)
    for package in ["jupyterlab", "ipywidgets", "pandas", "plotly", "nbval"]:
        assert re.search(rf"^{package}==", lock, re.MULTILINE), package
