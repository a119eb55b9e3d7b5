"""Bar charts are sized to their number of bars, so that every bar keeps its label."""

from __future__ import annotations

import pytest

import fournos
from fournos.figures import BAR_PX, bar_height


@pytest.mark.parametrize("article_id", fournos.article_ids())
def test_every_bar_of_a_term_chart_has_room_for_its_label(article_id):
    fig = fournos.term_chart(article_id)
    bars = sum(len(trace.y) for trace in fig.data)
    assert fig.layout.height == bar_height(bars)
    plot_area = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_area / bars >= BAR_PX - 8  # plotly shows a category label at ~20 px a bar
    assert fig.layout.yaxis.dtick == 1  # plotly never skips a label to save room


def test_lesson_04s_chart_labels_every_bar():
    fig = fournos.term_chart("art_hao_rebuttal")
    bars = sum(len(trace.y) for trace in fig.data)
    assert bars >= 16  # the article's terms: more bars than a fixed-height chart can label
    assert fig.layout.height >= bar_height(bars)
