"""What a chart shows when a reader points at or taps a mark is read as HTML by plotly: an
escaped tag ("&lt;br&gt;") is shown raw ("…Vietnam has<br>to come to Laos' defense", lesson
10's matrix, reader trial)."""

from __future__ import annotations

import json
import re

import pytest
from helpers import ROOT

from fournos import region

PLOTLY = "application/vnd.plotly.v1+json"
ESCAPED_TAG = re.compile(r"&lt;/?(?:br|b|i|em|span)\b[^&]*&gt;")


def hover_texts(figure: dict) -> list[str]:
    """Every string a figure's traces show on hover (customdata, hovertext, text)."""
    found = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for trace in figure.get("data", []):
        for key in ["customdata", "hovertext", "text"]:
            walk(trace.get(key))
    return found


@pytest.mark.parametrize("chart", [region.matrix_chart, region.spectrum_chart])
def test_region_charts_hover_text_has_no_escaped_tags(chart):
    texts = hover_texts(json.loads(chart().to_json()))
    assert texts and [t for t in texts if ESCAPED_TAG.search(t)] == []


def test_no_stored_chart_shows_a_raw_tag_on_hover():
    raw = {}
    for notebook in sorted(ROOT.glob("*/*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                figure = output.get("data", {}).get(PLOTLY)
                if figure:
                    bad = [t for t in hover_texts(figure) if ESCAPED_TAG.search(t)]
                    if bad:
                        raw[notebook.name] = bad[0][:120]
    assert raw == {}


@pytest.mark.parametrize("chart", [region.matrix_chart, region.spectrum_chart])
def test_region_charts_hover_text_names_things_in_words(chart):
    """No code on hover or tap: 'no hostile alliance pledge', not no_hostile_alliance_pledge;
    a document's title, not ref_hansard_1971_fpda (second reader trial)."""
    texts = hover_texts(json.loads(chart().to_json()))
    codes = {word for t in texts for word in re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", t)}
    assert codes == set()
