"""The students' edition is whole: every path its notebooks (text and stored outputs), its
README and its library's messages mention is in the edition."""

from __future__ import annotations

import json
import re

import pytest
from helpers import ROOT

from fournos_tools import release as rel

TOP = "notebooks|exercises|data|src|tests|scripts|instructors|solutions|jupyter-config|deploy|site"
PATH = re.compile(rf"(?<![\w./-])((?:{TOP})/[\w./-]*[\w])")
MADE_BY_STUDENTS = ("my-work/",)  # made by `make my-work`, never shipped


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "fournos"
    rel.build(out, ROOT, "student", "https://git.example.org/course/fournos.git")
    return out


def mentioned_paths(edition) -> dict[str, set[str]]:
    """{path: files that mention it} over notebooks, README and the library."""
    texts = {"README.md": (edition / "README.md").read_text(encoding="utf-8")}
    for folder in ("notebooks", "exercises"):
        for nb in sorted((edition / folder).glob("*.ipynb")):
            texts[f"{folder}/{nb.name}"] = json.dumps(json.loads(nb.read_text()))
    for py in sorted((edition / "src" / "fournos").glob("*.py")):
        texts[f"src/fournos/{py.name}"] = py.read_text(encoding="utf-8")
    texts["data/datapackage.json"] = (edition / "data" / "datapackage.json").read_text()
    found: dict[str, set[str]] = {}
    for name, text in texts.items():
        for path in PATH.findall(text.replace("\\\\", "/")):
            found.setdefault(path.rstrip("."), set()).add(name)
    return found


def test_every_path_the_edition_mentions_is_in_it(edition):
    missing = {}
    for path, where in mentioned_paths(edition).items():
        if path.startswith(MADE_BY_STUDENTS) or "*" in path:
            continue
        if not (edition / path).exists():
            missing[path] = sorted(where)
    assert not missing, f"the students' edition mentions paths it does not contain: {missing}"


def test_the_check_finds_a_path_the_edition_lacks(edition):
    assert "notebooks/00_start_here.ipynb" in mentioned_paths(edition)
    assert not (edition / "instructors").exists()
