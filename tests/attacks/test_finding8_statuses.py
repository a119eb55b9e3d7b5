"""Finding 8: statuses that tell the truth. A crashed answer cell is "stopped with an error"
naming the error and line (not "not answered"), every error is listed, an answer shaped to
make a check raise is the student's fail (not the kit's error), feedback escapes HTML.
The crash is graded by both engines (each reads the error and its line its own way); the
shaped answer and the HTML only by the forked one: the checker and the feedback writer are
the same for both."""

from __future__ import annotations

from conftest import HTML, feedback, result, row


def test_a_crashed_answer_cell_is_named_with_its_error_and_line(attacked_class):
    crasher = row(attacked_class, "crasher")
    assert crasher["points"] == "2"
    assert crasher["check:check_date_gaps"] == "fail"
    check = next(c for c in result(attacked_class, "crasher")["checks"] if "gaps" in c["check"])
    assert "stopped with an error" in check["message"] and "KeyError" in check["message"]
    assert "line 1" in check["message"]
    assert "replace the" not in check["message"]


def test_every_error_in_the_notebook_is_listed(attacked_class):
    text = feedback(attacked_class, "crasher")
    assert "KeyError" in text and "SyntaxError" in text


def test_an_answer_that_makes_a_check_raise_is_the_students_fail(forked_class):
    shaper = row(forked_class, "shaper")
    assert shaper["check:check_date_gaps"] == "fail"
    assert "kit check failed" not in shaper["flags"]
    assert shaper["points"] == "2"


def test_feedback_files_escape_html(forked_class):
    text = feedback(forked_class, "htmler")
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert HTML not in text
