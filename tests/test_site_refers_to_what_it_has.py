"""The site refers only to what it has: lesson 06 spoke of "the explorer" and its filter,
lessons 01 to 05 of a claim "menu", lessons 06 and 07 showed a bare "17" and "18", and
lesson 06's filtered tables numbered the chart's events 3, 4, 9 as 1, 2, 3 (reader trial)."""

from __future__ import annotations

import re

import nbformat
import pytest
from helpers import ROOT

from fournos_tools import site


def prepared(tmp_path, stem: str):
    target = tmp_path / f"{stem}.ipynb"
    site.prepare_notebook(ROOT / "notebooks" / f"{stem}.ipynb", target)
    return nbformat.read(target, as_version=4)


def page_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        parts.append(cell.source if cell.cell_type == "markdown" else "")
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/html") or data.get("text/plain") or output.get("text", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def lesson_06(tmp_path_factory):
    return prepared(tmp_path_factory.mktemp("l06"), "06_alliance_timeline")


def test_no_menu_or_explorer_that_the_site_does_not_have(tmp_path, lesson_06):
    assert "Pick a claim in the menu" not in page_text(prepared(tmp_path, "04_hao_2022_rebuttal"))
    assert "The explorer uses the same filter" not in page_text(lesson_06)


@pytest.mark.parametrize(
    "stem, count", [("06_alliance_timeline", 17), ("07_doctrine_four_nos", 18)]
)
def test_a_bare_count_reads_as_words(tmp_path, stem, count):
    notebook = prepared(tmp_path, stem)
    bare = [
        o
        for c in notebook.cells
        for o in c.get("outputs", [])
        if set(o.get("data", {})) == {"text/plain"} and o["data"]["text/plain"].strip().isdigit()
    ]
    assert bare == []
    assert f"{count} events" in page_text(notebook)


def test_lesson_06s_filtered_tables_number_events_as_its_chart_key_does(lesson_06):
    text = page_text(lesson_06)
    after = text[text.index("involve Russia or the USSR") :]
    table = after[after.index("<table") : after.index("</table>")]
    numbers = re.findall(r"<th>(\d+)</th>", table)
    assert numbers[:3] == ["3", "4", "9"], numbers  # the chart's own numbers, not 1, 2, 3
