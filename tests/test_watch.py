"""The pieces of the answer watch that need no kernel: what a cell assigns, what a check cell
checks, and reading a saved notebook that may be broken."""

from __future__ import annotations

import json
import threading

import pytest

from fournos import watch
from fournos.friendly_errors import error_report


@pytest.mark.parametrize(
    "source, names",
    [
        ("trends = 1", {"trends"}),
        ("a = b = ...", {"a", "b"}),
        ("fig: object = None", {"fig"}),
        ("x, (y, z) = 1, (2, 3)", {"x", "y", "z"}),
        ("total += 1", {"total"}),
        ("trends = counts.pivot(\n", {"trends"}),  # a syntax error still names its answer
        ("if ok:\n    inner = 1", set()),  # only the top level counts
        ("trends == 1", set()),
    ],
)
def test_assigned_names(source, names):
    assert watch.assigned_names(source) == names


def test_checked_names_are_the_first_argument_of_check_calls():
    cell = "check_word_trends(trends)\nchecks.check_heatmap(fig, 1)\nprint(check_x(df['a']))"
    assert watch.checked_names(cell) == ["trends", "fig"]
    assert watch.checked_names("check_word_trends(trends") == []


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", json.dumps({"cells": [1, "x", None]}), json.dumps({"cells": "no"})],
)
def test_a_broken_notebook_file_is_never_an_edit(tmp_path, content):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(content, encoding="utf-8")
    assert watch.saved_source(notebook, "abc") is None
    assert watch.saved_source(tmp_path / "missing.ipynb", "abc") is None


def test_a_saved_cell_is_found_by_its_id(tmp_path):
    notebook = tmp_path / "n.ipynb"
    cells = [{"id": "abc", "source": ["x = 1\n", "y = 2"]}, {"id": "d", "source": "z"}]
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert watch.saved_source(notebook, "abc")[1] == "x = 1\ny = 2"
    assert watch.saved_source(notebook, "d")[1] == "z"


def test_a_notebook_read_while_jupyter_writes_it_in_place_is_read_again(tmp_path):
    """Jupyter's server writes a notebook in place (truncated, then written): a check run
    during a save read half a file, took it for no file and graded a stale answer (seen once
    in the browser test). The watch reads again until the write is done."""
    notebook = tmp_path / "n.ipynb"
    text = json.dumps({"cells": [{"id": "abc", "source": "x = 2", "execution_count": 3}]})
    notebook.write_text(text[: len(text) // 2], encoding="utf-8")  # the save under way
    rest = threading.Timer(0.3, lambda: notebook.write_text(text, encoding="utf-8"))
    rest.start()
    try:
        saved = watch.saved_source(notebook, "abc")
    finally:
        rest.join()
    assert saved is not None and saved.text == "x = 2" and saved.count == 3


def test_without_a_watch_nothing_is_stale():
    watch.stop()
    assert watch.stale_message(...) is None and watch.stale_answers() == {}


def test_an_error_whose_message_cannot_be_shown_is_still_reported():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no")

    bundle = error_report(Odd(), None, "full report")
    assert (
        "Odd in your cell" in bundle["text/plain"] and "could not be shown" in bundle["text/plain"]
    )


@pytest.mark.parametrize(
    "source, calls",
    [
        ("check_quotes(evidence)", [{"check": "check_quotes", "args": [{"name": "evidence"}]}]),
        (
            "check_treaty_coding(coding, 'treaty_1978_ussr')",
            [
                {
                    "check": "check_treaty_coding",
                    "args": [{"name": "coding"}, {"value": "treaty_1978_ussr"}],
                }
            ],
        ),
        ("check_heatmap(fig, scale=2)", []),  # a keyword: not the kit's call
        ("check_heatmap(df['a'])", []),  # an expression: nothing the grader can export
        ("fournos.check_heatmap(fig)", []),  # the contract names bare calls only
        ("check_heatmap(fig", []),  # unreadable code
    ],
)
def test_the_grading_contract_reads_check_calls_with_answer_names_and_literals(source, calls):
    assert watch.check_calls(source) == calls
