"""Timelines, the wording matrix and the treaty tables: what they contain, not only that they run."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import fournos
from fournos import DataError
from fournos.timelines import is_span

ALLIANCE = ["alliance_treaty", "alignment_without_treaty", "war", "diplomacy", "world_event"]


def alliance_period():
    return fournos.filter_events(fournos.events(), categories=ALLIANCE, until=2002)


def test_filter_keeps_only_the_chosen_categories_years_and_partner():
    period = alliance_period()
    assert set(period["category"]) == set(ALLIANCE)
    assert period["start"].dt.year.max() <= 2002
    assert {
        "ev_1951_alliance",
        "ev_1978_ussr_treaty",
        "ev_1979_border_war",
        "ev_1994_russia_treaty",
        "ev_2002_cam_ranh",
    } <= set(period["event_id"])
    russia = fournos.filter_events(period, partner="Russia")
    assert all("Russia" in actors for actors in russia["actors"])
    assert "ev_1978_ussr_treaty" not in set(russia["event_id"])


def test_every_event_appears_once_in_the_timeline_in_its_own_lane():
    period = alliance_period()
    fig = fournos.timeline(period, "t")
    drawn = [(y, t.name) for t in fig.data if t.y is not None and t.y[0] is not None for y in t.y]
    assert len(drawn) == len(period)
    assert sorted(y for y, _ in drawn) == sorted(period["category"].str.replace("_", " "))


def test_month_and_year_dates_get_whiskers_covering_the_whole_period():
    fig = fournos.timeline(alliance_period(), "t")
    diplomacy = next(t for t in fig.data if t.name == "diplomacy" and t.error_x.array is not None)
    events = alliance_period().query("category == 'diplomacy'").reset_index(drop=True)
    november = events.index[events["event_id"] == "ev_1991_china_normalisation"][0]
    half_width = pd.Timedelta(milliseconds=diplomacy.error_x.array[november])
    assert half_width == pd.Timedelta(days=15)  # the 30 days of November, centred
    assert diplomacy.marker.symbol[november] == "diamond"
    exact = events.index[events["event_id"] == "ev_1995_asean"][0]
    assert diplomacy.marker.symbol[exact] == "circle"


def test_unconfirmed_events_are_drawn_hollow_or_hatched():
    period = alliance_period().copy()
    point = period.index[period["event_id"] == "ev_1979_border_war"][0]
    period.loc[point, "confidence"] = "one_source"  # every point event here is now confirmed
    fig = fournos.timeline(period, "t")
    symbols = [
        s
        for t in fig.data
        if t.type == "scatter"
        and t.marker.symbol is not None
        and not isinstance(t.marker.symbol, str)
        for s in t.marker.symbol
    ]
    assert any(s.endswith("-open") for s in symbols) and any(
        not s.endswith("-open") for s in symbols
    )
    span = next(t for t in fig.data if t.name == "alignment without treaty (period)")
    assert span.marker.pattern.shape == "."  # 1954-1975: one article, no treaty: dotted


def test_long_periods_are_bars_and_short_ones_markers():
    period = alliance_period().set_index("event_id")
    assert is_span(period.loc[["ev_1954_china_alliance"]]).all()
    assert not is_span(period.loc[["ev_1979_border_war", "ev_1951_alliance"]]).any()


def test_treaty_spans_end_where_the_sources_say():
    spans = fournos.treaty_spans(until="2002-12-31").set_index("treaty_id")
    assert spans.loc["treaty_1978_ussr", "start"] == pd.Timestamp("1978-12-13")
    assert spans.loc["treaty_1978_ussr", "end"] == pd.Timestamp("1994-06-16")
    assert spans.loc["treaty_1977_laos", "end"] == pd.Timestamp("2002-12-31")
    assert "no end recorded" in spans.loc["treaty_1977_laos", "hover"]


def test_article_overlay_rings_exactly_the_events_it_mentions():
    fig = fournos.timeline(alliance_period(), "t", highlight=["ev_1951_alliance"])
    ring = next(t for t in fig.data if t.name == "mentioned in the article")
    assert list(ring.y) == ["alliance treaty"]


def test_an_empty_selection_is_explained():
    with pytest.raises(DataError, match="no events to draw"):
        fournos.timeline(alliance_period().iloc[0:0], "t")


def test_wording_matrix_quotes_articles_and_marks_summaries():
    matrix = fournos.wording_matrix()
    assert list(matrix.index) == fournos.principles()["short_name"].tolist()
    assert (
        matrix.loc["no use or threat of force in international relations", "Khang Vu (undated)"]
        == "—"
    )
    assert matrix.loc["no military alliances", "Khang Vu (undated)"] == "“no military alliances”"
    assert matrix.loc["no military alliances", "White Paper 2019"].startswith("[")
    columns = list(matrix.columns)
    assert (
        columns.index("White Paper 2009")
        < columns.index("White Paper 2019")
        < columns.index("Nguyen Minh Thuc (2024)")
    )


def test_wording_matrix_is_headed_by_names_a_reader_knows_not_ids():
    """Lesson 07's matrix was headed by ids (ref_white_paper_2009, art_duong_integration):
    every column is a document's short name or an article's author and year."""
    columns = list(fournos.wording_matrix().columns)
    assert len(columns) == len(set(columns)) > 5
    assert not any("_" in column for column in columns)
    assert "Nguyen Ba Duong (2018)" in columns


def test_formulation_counts_three_and_four_nos():
    forms = fournos.formulation_by_source().set_index("source_id")["principles_stated"]
    assert forms["art_vu_sui_generis"] == 3
    assert forms["art_thuc_resolution44"] == 4
    assert forms["ref_white_paper_2019"] == 4


def test_partnership_chart_has_every_partner_up_to_the_as_of_date():
    fig = fournos.partnership_chart()
    partners = [y for t in fig.data for y in t.y]
    assert len(partners) == len(fournos.partnership_table())  # the count the lesson prints
    assert set(partners) >= {"China", "United States", "United Kingdom", "European Union (bloc)"}
    assert "Philippines" not in partners  # an enhanced strategic partnership is another kind
    assert fournos.as_of() in fig.layout.title.text
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_treaty_table_and_alliance_types():
    table = fournos.treaty_table()
    assert list(table.columns) == ["treaty_1977_laos", "treaty_1978_ussr", "treaty_1994_russia"]
    assert table.loc["ideology_clause", "treaty_1978_ussr"] == "yes"  # the preamble says so
    assert set(table["treaty_1994_russia"]) == {"unknown"}  # no text of it was found
    assert fournos.alliance_type("treaty_1977_laos").startswith("uncertain")
    assert fournos.alliance_type("treaty_1978_ussr").startswith("Type III")
    assert "Type I" in fournos.alliance_type("treaty_1978_ussr")  # still open: contested
    with pytest.raises(DataError, match="There is no treaty"):
        fournos.alliance_type("treaty_2000_x")


def test_compare_puts_the_two_treaties_side_by_side_with_quotes():
    pair = fournos.compare("treaty_1978_ussr", "treaty_1994_russia")
    assert pair.loc["consultation", "treaty_1978_ussr present"] == "yes"
    assert "bị tấn công" in pair.loc["consultation", "treaty_1978_ussr quote"]  # Article 6
    assert pair.loc["consultation", "treaty_1994_russia present"] == "unknown"
    assert pair.loc["consultation", "treaty_1994_russia quote"] == ""


def test_explorer_starts_with_every_event_drawn():
    from fournos.timelines import explorer_view

    box = fournos.timeline_explorer(alliance_period(), "t")
    checkboxes, (partner, article) = box.children[0].children, box.children[1].children
    chosen = [b.description.replace(" ", "_") for b in checkboxes if b.value]
    view = explorer_view(alliance_period(), "t", None, chosen, partner.value, article.value)
    assert not isinstance(view, str), view
    assert partner.label == "any" and article.label == "none"
    assert "Russia" in [label for label, _ in partner.options]


def test_explorer_filters_by_partner_and_overlays_an_article():
    from fournos.timelines import explorer_view

    view = explorer_view(alliance_period(), "t", None, ALLIANCE, "Laos", "art_vu_sui_generis")
    drawn = [
        y
        for t in view.data
        if t.y is not None and t.name != "mentioned in the article"
        for y in t.y
        if y is not None
    ]
    assert len(drawn) == len(fournos.filter_events(alliance_period(), partner="Laos"))
    assert any(t.name == "mentioned in the article" for t in view.data)
    assert explorer_view(alliance_period(), "t", None, [], "", "").startswith("No events match")


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda e: fournos.filter_events(e, until="2002-12-31"), "a year as a whole number"),
        (lambda e: fournos.filter_events(e, categories=["battles"]), "Unknown category"),
        (lambda e: fournos.filter_events(e, partner="Soviet Union"), "Partners: ASEAN"),
        (lambda e: fournos.timeline("events", "t"), "Give a table of events"),
        (lambda e: fournos.timeline(fournos.load("events"), "t"), "Use fournos.events"),
        (lambda e: fournos.timeline(e.drop(columns="confidence"), "t"), "no column.s. confidence"),
        (lambda e: fournos.timeline(e, "t", treaties=fournos.treaties()), "treaty_spans"),
        (lambda e: fournos.filter_events(e, since=2000, until=1990), "swap them"),
        (lambda e: fournos.treaty_spans(until="soon"), "until takes a date"),
        (lambda e: fournos.compare("treaty_1978_ussr", "nope"), "There is no treaty 'nope'"),
    ],
)
def test_wrong_arguments_get_a_message_not_a_traceback(call, message):
    with pytest.raises(DataError, match=message):
        call(fournos.events())


def test_filters_accept_a_single_category_and_any_capitalisation_of_a_partner():
    events = fournos.events()
    assert len(fournos.filter_events(events, categories="war")) == len(
        fournos.filter_events(events, categories=["war"])
    )
    assert (
        len(fournos.filter_events(events, partner="russia"))
        == len(fournos.filter_events(events, partner="Russia"))
        > 0
    )


def test_one_event_id_can_be_highlighted_without_a_list():
    fig = fournos.timeline(fournos.events(), "t", highlight="ev_1979_border_war")
    assert any(t.name == "mentioned in the article" for t in fig.data)


def test_legends_lanes_and_menus_show_readable_names_not_ids():
    fig = fournos.timeline(fournos.events(), "t")
    shown = {t.name for t in fig.data} | set(fig.layout.yaxis.categoryarray)
    assert "world event" in shown and not any("_" in name for name in shown)
    box = fournos.timeline_explorer(alliance_period(), "t")
    overlay = box.children[1].children[1]
    assert ("Khang Vu (undated)", "art_vu_sui_generis") in overlay.options
    assert all("_" not in b.description for b in box.children[0].children)
    chart = fournos.term_chart("art_vu_sui_generis")
    assert "Khang Vu" in chart.layout.title.text and "art_" not in chart.layout.title.text
    assert {t.name for t in chart.data} <= {"keyword", "policy phrase", "loaded term", "actor"}


def _plain(hover: str) -> list[str]:
    """The lines of a hover box as a reader sees them."""
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in hover.split("<br>")]


def test_hover_text_is_wrapped_between_words_and_fits_the_plot():
    from fournos.timelines import HOVER_WIDTH

    frame = fournos.events()
    fig = fournos.timeline(frame, "t")
    texts = [t for trace in fig.data if trace.hovertext is not None for t in trace.hovertext]
    assert texts
    for text in texts:
        assert all(len(line) <= HOVER_WIDTH for line in _plain(text)), text
    # every summary is shown whole: each of its words, in order, none sliced
    for hover, summary in zip(fournos.timelines._hover(frame), frame["summary"]):
        assert " ".join(summary.split()) in " ".join(" ".join(_plain(hover)).split())
    alliance = next(t for t in texts if "people's alliance" in " ".join(_plain(t)))
    assert "Liên minh nhân dân" in " ".join(_plain(alliance))


def test_a_text_too_long_for_its_box_ends_with_an_ellipsis_after_a_whole_word():
    from fournos.timelines import wrap

    long = "alliance " * 60
    lines = wrap(long.strip(), 2).split("<br>")
    assert len(lines) == 2 and lines[-1].endswith(" …")
    assert all(word == "alliance" for line in lines for word in line.removesuffix(" …").split())
    assert "…" not in wrap("A short summary.", 2)
    assert wrap("<b>x</b>", 1) == "&lt;b&gt;x&lt;/b&gt;"


def test_every_marker_is_numbered_and_named_in_a_key_a_student_reads_without_hovering():
    period = fournos.filter_events(fournos.events(), until=2002)
    fig = fournos.timeline(period, "t", treaties=fournos.treaty_spans(until="2002-12-31"))
    key = " ".join(a.text for a in fig.layout.annotations)
    lines = next(a.text for a in fig.layout.annotations if a.text.startswith("<b>1</b>"))
    # every line of the key fits JupyterLab's figure at 1100 px (a long title is wrapped: its
    # next line starts without a number)
    assert max(len(html.unescape(re.sub(r"<[^>]+>", "", n))) for n in lines.split("<br>")) <= 70
    key = re.sub(r"<br>(?!<b>)", " ", key)
    for mark, title in enumerate(period.sort_values(["start", "event_id"])["title"], start=1):
        assert f"<b>{mark}</b> {html.escape(title)}" in key
    labels = [
        t
        for trace in fig.data
        if getattr(trace, "mode", "") == "markers+text"
        for t in trace.text
        if t
    ]
    shown = set()
    for label in labels:  # "7–10" or "3": every number once, merged where markers crowd
        if "–" in label:
            first, last = map(int, label.split("–"))
            shown.update(range(first, last + 1))
        else:
            shown.update(int(n) for n in label.split(", "))
    points = sum(len(t.x) for t in fig.data if getattr(t, "mode", "") == "markers+text")
    assert len(shown) == points


def test_an_overlay_lifts_the_event_numbers_clear_of_its_stars():
    """A star (size 22) round a marker covered the number printed just above it (student
    trial): with an overlay, each number sits a line higher; without one, where it was."""

    def labels(fig):
        return [
            t
            for trace in fig.data
            if getattr(trace, "mode", "") == "markers+text"
            for t in trace.text
            if t
        ]

    plain = labels(fournos.timeline(alliance_period(), "t"))
    ringed = labels(fournos.timeline(alliance_period(), "t", highlight=["ev_1951_alliance"]))
    assert plain and all("<br>" not in t for t in plain)
    assert ringed == [f"{t}<br> " for t in plain]


def test_the_timeline_table_is_numbered_as_the_chart_s_key():
    """The key under a timeline numbers events 1, 2 ...; the table under it counted 0, 1 ...
    (student trial): both number each event the same."""
    period = alliance_period()
    table = fournos.timeline_table(period)
    fig = fournos.timeline(period, "t")
    key = next(a.text for a in fig.layout.annotations if a.text.startswith("<b>1</b>"))
    assert table.index[0] == 1 and table.index.name == "number"
    last = table.index[-1]
    assert f"<b>{last}</b> {html.escape(table.loc[last, 'title'])}" in key
