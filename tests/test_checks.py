"""Every check_… accepts the right answer, explains wrong ones, and never raises (hypothesis)."""

from __future__ import annotations

import inspect

import pandas as pd
import plotly.express as px
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

import fournos
from fournos import checks
from fournos.data import DataError

ALL_CHECKS = [
    checks.check_theme_matrix,
    checks.check_heatmap,
    checks.check_word_trends,
    checks.check_trends_figure,
    checks.check_formulations,
    checks.check_date_gaps,
    checks.check_stale_statistics,
    checks.check_quotes,
    checks.check_treaty_coding,
    checks.check_my_timeline,
]

anything = st.one_of(
    st.none(),
    st.just(...),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(),
    st.booleans(),
    st.lists(st.text(), max_size=4),
    st.lists(st.tuples(st.text(), st.text()), max_size=4),
    st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=8),
    data_frames([column("article_id", dtype=str), column("paragraph", dtype=int)]),
    data_frames([column("event_id", dtype=str), column("days_apart", dtype=float)]),
)


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=anything)
def test_no_answer_ever_raises_on_the_path_the_grader_calls(check, answer):
    """The batch grader calls a check itself, not the notebook's safe wrapper
    (`inspect.unwrap`): anything it raises there but a DataError (the kit explaining the
    student's data) is reported as a fault in the kit. The grader's own path, through the
    instructors' hidden checks, is tests/instructors/test_hidden_checks.py's."""
    assume(answer is not None and answer is not ...)  # these never reach the unwrapped check
    try:
        feedback = inspect.unwrap(check)(answer)
    except DataError as err:
        assert str(err)
    else:
        assert isinstance(feedback.correct, bool) and feedback.message


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_unanswered_gets_a_friendly_prompt(check):
    assert check(...).message.startswith("Not answered yet")
    assert ".show()" in check(None).message


def test_a_wrong_type_is_named_in_plain_english():
    assert "but your answer is a number (42)." in checks.check_theme_matrix(42).message
    assert "but your answer is a list of 1 item." in checks.check_heatmap([1]).message


def test_a_pivot_table_with_two_levels_of_columns_is_explained():
    claims = fournos.load("claims")
    nested = claims.pivot_table(index="article_id", columns="theme", aggfunc="count")
    assert "two levels" in checks.check_theme_matrix(nested).message


class Exploding(pd.DataFrame):
    """A table that raises as soon as a check looks inside it."""

    @property
    def loc(self):
        raise RuntimeError("boom")


def test_an_error_inside_the_students_object_is_explained():
    feedback = checks.check_theme_matrix(Exploding(theme_matrix()))
    assert not feedback.correct
    assert "could not be checked" in feedback.message and "boom" in feedback.message
    assert "RuntimeError" not in feedback.message  # plain words, no exception's name


def theme_matrix():
    claims = fournos.load("claims")
    return pd.crosstab(claims["article_id"], claims["theme"])


def test_theme_matrix_hints_are_specific():
    assert checks.check_theme_matrix(theme_matrix()).correct
    assert "swapped" in checks.check_theme_matrix(theme_matrix().T).message
    assert "missing for: art_" in checks.check_theme_matrix(theme_matrix().iloc[1:]).message
    wrong = theme_matrix()
    wrong.iloc[0, 0] += 1
    assert "different count" in checks.check_theme_matrix(wrong).message
    from fournos_tools.grading import hidden_checks  # the grader's check says how many

    assert "1 cell(s)" in hidden_checks.check_theme_matrix(wrong).message


def test_heatmap_needs_a_title_and_axis_labels():
    plain = px.imshow(theme_matrix())
    assert "title" in checks.check_heatmap(plain).message
    titled = px.imshow(theme_matrix().to_numpy(), title="t")
    assert "Label both axes" in checks.check_heatmap(titled).message
    assert "no heatmap" in checks.check_heatmap(px.bar(x=[1], y=[1])).message


def test_heatmap_rows_must_be_the_articles_in_reading_order():
    labels = {"x": "theme", "y": "article"}
    in_order = theme_matrix().loc[fournos.article_ids()]
    assert checks.check_heatmap(px.imshow(in_order, title="t", labels=labels)).correct
    shuffled = px.imshow(in_order.iloc[::-1], title="t", labels=labels)
    assert "reading order" in checks.check_heatmap(shuffled).message
    unnamed = px.imshow(in_order.to_numpy(), title="t", labels=labels)
    assert "five articles" in checks.check_heatmap(unnamed).message


def trends(column="per_1000_words"):
    counts = fournos.term_counts().query("term in @checks.TREND_TERMS")
    table = counts.pivot(index="article_id", columns="term", values=column)
    return table.loc[fournos.article_ids(), checks.TREND_TERMS]


def test_word_trends_spots_raw_counts_and_order():
    assert checks.check_word_trends(trends()).correct
    assert "raw counts" in checks.check_word_trends(trends("count")).message
    assert "reading (publication) order" in checks.check_word_trends(trends().iloc[::-1]).message


def test_word_trends_says_when_rows_and_columns_are_swapped():
    """As 1.1 does: a transposed table is named as swapped, not as six missing columns."""
    feedback = checks.check_word_trends(trends().T)
    assert not feedback.correct and "swapped" in feedback.message, feedback.message
    lines = px.line(trends().T, title="Key terms", labels={"index": "term", "value": "uses"})
    feedback = checks.check_trends_figure(lines)
    assert not feedback.correct and "one line per article" in feedback.message, feedback.message


def test_date_gaps_hints_at_sign_and_off_by_one():
    gaps = pd.DataFrame(
        {
            "event_id": ["ev_1951_alliance", "ev_2013_resolution_22"],
            "article_date": ["1951-03-13", "2013-12"],
            "record_date": ["1951-03-11", "2013-04-10"],
            "days_apart": [2, 235],
        }
    )
    assert checks.check_date_gaps(gaps).correct
    assert "wrong sign" in checks.check_date_gaps(gaps.assign(days_apart=[-2, -235])).message
    assert "off by one" in checks.check_date_gaps(gaps.assign(days_apart=[3, 235])).message


def test_stale_statistics_needs_both_articles():
    both = fournos.find_paragraphs(r"\b37\b")
    assert checks.check_stale_statistics(both).correct
    assert "1 of the paragraphs" in checks.check_stale_statistics(both.iloc[:1]).message


def test_quotes_must_be_verbatim_and_varied():
    good = [
        (
            "art_vu_sui_generis",
            "The only country that Vietnam maintains an alliance with today is Laos",
        ),
        (
            "art_hao_rebuttal",
            "“No alliances” is a consistent position and policy of our Party and State.",
        ),
        ("art_hao_rebuttal", "there’s no such thing as a free lunch"),
    ]
    assert checks.check_quotes(good).correct
    misquote = good[:2] + [("art_hao_rebuttal", "there is no free lunch")]
    assert "word for word" in checks.check_quotes(misquote).message
    tiny = [("art_vu_sui_generis", "the"), ("art_hao_rebuttal", "a"), ("art_hao_rebuttal", "of")]
    assert "too short" in checks.check_quotes(tiny).message
    assert not checks.check_quotes([("art_vu_sui_generis", 5)] + good[1:]).correct
    assert "different quotes" in checks.check_quotes(good[:1] * 3).message


def test_treaty_coding_reports_differences_by_name():
    kit = fournos.treaty_table()["treaty_1978_ussr"].to_dict()
    assert checks.check_treaty_coding(kit).correct
    differing = checks.check_treaty_coding({**kit, "defense": "yes"})
    assert differing.correct and "differ from the kit's coding on 1: defense" in differing.message
    assert "Use only" in checks.check_treaty_coding({**kit, "defense": "maybe"}).message
    british = {**{k: v for k, v in kit.items() if k != "defense"}, "defence": "no"}
    assert "no obligation called defence" in checks.check_treaty_coding(british).message
    assert "'treaty_1978_ussr'" in differing.message  # a hint the student can paste


def test_treaty_coding_that_contradicts_the_clauses_fails():
    all_no = checks.check_treaty_coding(dict.fromkeys(fournos.treaty_table().index, "no"))
    assert not all_no.correct and "opposite" in all_no.message


def test_treaty_coding_that_claims_clauses_the_documents_do_not_have_fails():
    all_yes = checks.check_treaty_coding(dict.fromkeys(fournos.treaty_table().index, "yes"))
    assert not all_yes.correct and "no clause to point to" in all_yes.message
    assert "basing_access" in all_yes.message  # Vu's Cam Ranh sentence is a motive, not a clause


def test_my_timeline_explains_what_is_missing(tmp_path):
    folder = fournos.copy_dataset(tmp_path / "mine")
    assert "at least three" in checks.check_my_timeline(folder).message
    fournos.add_rows(
        folder,
        "events",
        [
            {
                "event_id": "ev_1972_x",
                "date": "1972-13",
                "date_precision": "month",
                "title": "x",
                "category": "war",
                "summary": "x",
                "confidence": "article_only",
            }
        ],
    )
    assert "not a real date" in checks.check_my_timeline(folder).message


def test_adding_a_row_again_replaces_it_and_the_kits_rows_stay(tmp_path, capsys):
    folder = fournos.copy_dataset(tmp_path / "mine")
    row = {
        "event_id": "ev_1972_x",
        "date": "1972",
        "date_precision": "year",
        "title": "x",
        "summary": "x",
        "confidence": "article_only",
    }
    fournos.add_rows(folder, "events", [{**row, "category": "summit"}])
    assert "'summit' is not allowed" in fournos.validate(folder)[0]
    row["category"] = "war"
    fournos.add_rows(folder, "events", [row, {**row, "event_id": "ev_1973_y"}])
    assert "Replaced 1 you had added before: ev_1972_x" in capsys.readouterr().out
    events = fournos.load("events", folder).set_index("event_id")
    assert events.at["ev_1972_x", "category"] == "war" and "ev_1973_y" in events.index
    fournos.add_rows(folder, "events", [{**row, "event_id": "ev_1979_border_war"}])
    assert "Left ev_1979_border_war alone" in capsys.readouterr().out
    kept = fournos.load("events", folder).set_index("event_id").at["ev_1979_border_war", "title"]
    assert kept == "Sino-Vietnamese border war"


def test_removing_rows_removes_only_the_students_own(tmp_path, capsys):
    folder = fournos.copy_dataset(tmp_path / "mine")
    kit = len(fournos.load("events"))
    row = {"event_id": "ev_1972_x", "date": "1972", "date_precision": "year", "title": "x"}
    fournos.add_rows(folder, "events", [row])
    fournos.remove_rows(folder, "events", ["ev_1972_x", "ev_1979_border_war"])
    assert "not one of your rows): ev_1979_border_war" in capsys.readouterr().out
    assert len(fournos.load("events", folder)) == kit


def test_validate_reports_each_problem_once(tmp_path):
    folder = fournos.copy_dataset(tmp_path / "mine")
    fournos.add_rows(folder, "events", [{"event_id": "1972 summit", "date": "1972"}])
    problems = fournos.validate(folder)
    assert len(problems) == len(set(problems)) and "write it like 'ev_" in problems[0]


def test_word_trends_wants_the_six_terms_only():
    every_term = fournos.term_counts().pivot(
        index="article_id", columns="term", values="per_1000_words"
    )
    feedback = checks.check_word_trends(every_term.loc[fournos.article_ids()])
    assert not feedback.correct and "Keep only the six terms" in feedback.message


def trends_figure(table=None, **kwargs):
    table = trends() if table is None else table
    options = {
        "labels": {"article_id": "article", "value": "uses per 1,000 words"},
        "title": "Key terms",
    }
    options.update(kwargs)
    return px.line(table.reset_index(), x="article_id", y=list(table.columns), **options)


def test_trends_figure_is_checked():
    assert checks.check_trends_figure(trends_figure()).correct
    assert checks.check_trends_figure(None).message.startswith("Your answer is None")
    assert checks.check_trends_figure(...).message.startswith("Not answered yet")
    assert "title" in checks.check_trends_figure(trends_figure(title=None)).message
    three = trends()[checks.TREND_TERMS[:3]]
    assert (
        "missing: integration, multilateral"
        in checks.check_trends_figure(trends_figure(three)).message
    )
    reordered = trends_figure(trends().iloc[::-1])
    assert "reading order" in checks.check_trends_figure(reordered).message
    doubled = trends_figure(trends() * 2)
    assert "does not show the values" in checks.check_trends_figure(doubled).message
    assert "your answer is a table of" in checks.check_trends_figure(trends()).message


def test_treaty_coding_names_a_capitalised_word_as_the_right_word_in_the_wrong_form():
    from fournos.checks_region import check_region_coding
    from fournos.treaties import OBLIGATIONS

    answer = {obligation: "unknown" for obligation in OBLIGATIONS} | {"defense": "Yes"}
    feedback = check_region_coding(answer)
    assert not feedback.correct
    assert "Right word, wrong form" in feedback.message and "'Yes'" in feedback.message


def test_evidence_shows_as_a_table_and_names_every_coded_treaty_when_asked_for_a_wrong_one():
    import fournos
    from fournos.data import DataError

    coding = fournos.evidence("treaty_1951_philippines_us", "defense")
    assert coding["present"] in {"yes", "no", "contested", "unknown"}
    assert coding._repr_html_().startswith("<table") and "coder_note" in coding._repr_html_()
    with pytest.raises(DataError, match="treaty_1971_fpda"):
        fournos.evidence("no_such_treaty", "defense")
