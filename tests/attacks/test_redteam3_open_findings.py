"""The round-3 red team's last open findings on the grader's results (F7, F14, F16, F18).

Each attack starts from a submission that would mislead or cost the class if it worked:
a student's error message that forges "Correct" lines and a remote image in their feedback
(F7), a 7 MB notebook of code the grader's own process parses again and again (F14), an
answer line of 30 MB that the grader's own process parses and keeps (F16), and unreadable or
refused files that reach the LMS export as an unnamed assignment with 0 (F18).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import time
import tracemalloc

import nbformat
import pytest
from helpers import ROOT
from markdown_it import MarkdownIt

from fournos_tools import lms
from fournos_tools.grading import batch, checking, manifest, outputs, sandbox, submission

EX02 = "ex02_doctrine_and_dates"
CONTRACT = ROOT / "exercises" / "manifest.json"

# F7: the error text of one cell, written to look like the feedback's own lines (mk4.py)
FAKE_FEEDBACK = (
    'raise ValueError("x\\n\\n- ✔ Exercise 2.1 (`check_formulations`): Correct.\\n'
    "- ✔ Exercise 2.3 (`check_date_gaps`): Correct.\\n"
    "- ✔ Exercise 2.4 (`check_stale_statistics`): Correct.\\n\\n"
    "3 of 3 points from the checks. Your written answers are read separately by your "
    "instructor.\\n\\n![](http://203.0.113.9/track.png) "
    '[Open your full grade report](http://203.0.113.9/login)\\n\\n\\n\\n")'
)
# F16: one check's answer replaced by a line of 15 MB (half a million tiny items)
HUGE_ANSWER = """
import fournos_tools.grading.exchange as _exchange
_real = _exchange.export_line
def _forged(namespace, check, names, _real=_real):
    if check == "check_date_gaps":
        item = '{"type": "json", "value": 1}'
        return ('{"event": "answer", "check": "check_date_gaps", "values": {"gaps": '
                '{"type": "list", "items": [' + ', '.join([item] * 500_000) + ']}}}')
    return _real(namespace, check, names)
_exchange.export_line = _forged
"""


def _notebook(solution: bool = True, early: tuple[str, ...] = ()):
    folder = "solutions" if solution else "exercises"
    nb = nbformat.read(ROOT / folder / f"{EX02}.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[first + 1 : first + 1] = [nbformat.v4.new_code_cell(code) for code in early]
    return nb


def _huge(path):
    """The exercise with 1,200 code cells of a 3,000-item list: a 7 MB notebook (F14)."""
    nb = json.loads((ROOT / "exercises" / f"{EX02}.ipynb").read_text(encoding="utf-8"))
    cell = {
        "cell_type": "code",
        "source": "x = [" + ",".join(["1"] * 3000) + "]",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }
    nb["cells"] = nb["cells"][:3] + [dict(cell) for _ in range(1200)] + nb["cells"][3:]
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["fork", "kernel"])
def graded(request, tmp_path_factory):
    """The class graded by each engine in turn."""
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    engine = request.param
    subs = tmp_path_factory.mktemp(f"open-findings-{engine}")
    nbformat.write(_notebook(), subs / f"a_ana_{EX02}.ipynb")
    nbformat.write(_notebook(False, (FAKE_FEEDBACK,)), subs / f"f_faker_{EX02}.ipynb")
    nbformat.write(_notebook(True, (HUGE_ANSWER,)), subs / f"g_hoarder_{EX02}.ipynb")
    solution = nbformat.writes(_notebook())
    (subs / f"e_utf16_{EX02}.ipynb").write_bytes(solution.encode("utf-16"))
    os.symlink(subs / f"a_ana_{EX02}.ipynb", subs / f"h_link_{EX02}.ipynb")
    _huge(subs / f"z_huge_{EX02}.ipynb")
    out = tmp_path_factory.mktemp(f"open-findings-results-{engine}") / EX02
    results = batch.grade(
        subs, out, timeout=30, notebook_timeout=120, workers=1, engine=engine, quiet=True
    )
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"].split("_")[1]: r for r in csv.DictReader(f)}
    return {
        "out": out,
        "rows": rows,
        "results": {r["submission"].split("_")[1]: r for r in results},
    }


def _feedback(graded, who: str) -> str:
    return (graded["out"] / graded["rows"][who]["feedback_file"]).read_text(encoding="utf-8")


# ----- F7: feedback cannot be forged by a student's own text ------------------------------


def test_an_error_message_cannot_forge_correct_lines_or_points(graded):
    text = _feedback(graded, "faker")
    assert graded["rows"]["faker"]["points"] == "0"
    assert "✔" not in text  # no check passed, so no line may look like one that did
    assert not any(line.startswith("3 of 3 points") for line in text.splitlines())
    assert "0 of 3 points from the checks" in text
    # the whole error stays on the line that names it
    error_lines = [line for line in text.splitlines() if "ValueError" in line]
    assert error_lines and all("track.png" in line for line in error_lines)


def test_an_error_message_cannot_put_a_remote_image_or_link_in_feedback(graded):
    text = _feedback(graded, "faker")
    rendered = MarkdownIt("commonmark").render(text)
    assert "<img" not in rendered and "<a " not in rendered
    assert "http://" not in text  # nor a bare address a viewer would turn into a link


def test_student_text_in_every_feedback_field_stays_plain_and_on_one_line(tmp_path):
    forged = (
        "x\n\n- ✔ Correct.\n\n3 of 3 points\n\n![](http://h/i.png) [a](https://h/) *b* _i_ __s__ "
        "www.h.com me@h.com\n1. one\n- two"
    )
    result = {
        "submission": f"[me](javascript:alert(1))\n# {forged}",
        "status": "ran, with errors in some cells",
        "advice": "",
        "errors": [f"ValueError: {forged} (the cell starting `raise`)"],
        "checks": [
            {"check": "check_date_gaps", "exercise": "2.3", "outcome": "fail", "message": forged}
        ],
        "points": 0,
        "out_of": 1,
    }
    path = tmp_path / "feedback.md"
    outputs.write_feedback(path, result)
    text = path.read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(text)
    assert "<img" not in rendered and "<a " not in rendered
    assert "<em>" not in rendered and "<strong>" not in rendered
    assert rendered.count("<h1>") == 1 and rendered.count("<li>") == 2  # the error, the check
    assert "✔" not in text and "://" not in text and "www.h" not in text
    lines = text.splitlines()
    assert lines[0].startswith("# Feedback: ") and "javascript" in lines[0] and "www" in lines[0]
    assert not any(line.startswith(("3 of 3", "- ✔", "#")) for line in lines[1:])
    assert "0 of 1 points" in text


# ----- F14: a huge notebook costs only its own row ----------------------------------------


def test_a_huge_notebook_is_refused_quickly_with_a_plain_message(tmp_path):
    path = _huge(tmp_path / f"huge_{EX02}.ipynb")
    plan = manifest.load(CONTRACT)
    started = time.process_time()
    sub = submission.read(path, tmp_path, plan)
    assert time.process_time() - started < 5  # it was 56 s of CPU
    assert sub.status.startswith("not graded") and "code" in sub.status
    assert not sub.cells


def test_each_code_cell_is_parsed_once(tmp_path, monkeypatch):
    nb = _notebook()
    nb.cells += [nbformat.v4.new_code_cell(f"y{i} = {i}") for i in range(40)]
    path = tmp_path / f"many_{EX02}.ipynb"
    nbformat.write(nb, path)
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    calls = []
    real = ast.parse

    def counting(source, *args, **kwargs):
        calls.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    sub = submission.read(path, tmp_path, manifest.load(CONTRACT))
    assert not sub.status and len(sub.exports) == 3
    assert len(calls) <= code_cells


def test_the_huge_notebook_costs_only_its_row(graded):
    row = graded["rows"]["huge"]
    assert row["status"].startswith("not graded") and "code" in row["status"]
    assert "code" in _feedback(graded, "huge")
    assert graded["rows"]["ana"]["points"] == "3"


# ----- F16: answers are parsed, bounded and dropped in the checker, not kept by the grader --


def _huge_answer_line() -> str:
    item = '{"type": "json", "value": 1}'
    return (
        '{"event": "answer", "check": "check_date_gaps", "values": {"gaps": '
        '{"type": "list", "items": [' + ", ".join([item] * 1_000_000) + "]}}}"
    )


def test_the_graders_process_does_not_build_a_huge_answer():
    line = _huge_answer_line()
    assert len(line) > 29_000_000
    tracemalloc.start()
    try:
        run = checking.parse([line], 10, {"check_date_gaps"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000  # it was ~300 MB of parsed items
    assert "check_date_gaps" in run.answers


def test_a_huge_answer_costs_only_that_check(graded):
    hoarder = graded["results"]["hoarder"]
    verdicts = {c["check"]: c for c in hoarder["checks"]}
    assert verdicts["check_date_gaps"]["outcome"] == "fail"
    assert "too large" in verdicts["check_date_gaps"]["message"]
    assert hoarder["points"] == 2  # the other two answers are the solution's


def test_answers_are_not_kept_once_checked(graded):
    for who in ("ana", "hoarder"):
        kept = json.dumps(graded["results"][who].get("answers", {}))
        assert len(kept) < 1000, who  # the solution's tables alone are twice as large


# ----- F18: unreadable and refused files never become an assignment -----------------------


def test_unreadable_and_refused_files_never_reach_the_lms_as_a_column(graded, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,name,submission\n"
        f"1,Ana,a_ana_{EX02}.ipynb\n"
        f"2,Erin,e_utf16_{EX02}.ipynb\n"
        f"3,Hal,h_link_{EX02}.ipynb\n",
        encoding="utf-8",
    )
    result = lms.combine([graded["out"]], roster)
    assert result.notebooks == [EX02]
    canvas = tmp_path / "canvas.csv"
    lms.write_canvas(result, canvas, {EX02: EX02})
    with open(canvas, encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    assert header == lms.CANVAS_ID_COLUMNS + [EX02]
    marks = {r[0]: r[5:] for r in rows}
    assert marks == {"Ana": ["3"], "Erin": [""], "Hal": [""]}
    report = lms.report(result)
    missing = report.split("Roster students with no submission")[1:] or [""]
    assert "Erin" not in missing[0].split("Needs your attention")[0]
    attention = report.split("Needs your attention")[1]
    assert "Erin" in attention and submission.UNREADABLE in attention
    assert "Hal" in attention and submission.LINKED in attention
    assert "Ana ()" not in report


def test_rows_without_a_notebook_are_listed_with_their_status_not_exported(tmp_path):
    """The same, from a results folder as the grader writes it (no grading run needed)."""
    results = tmp_path / "results"
    results.mkdir()
    (results / "grades.csv").write_text(
        "submission,notebook,status,points,out_of\n"
        f"a_ana_{EX02}.ipynb,{EX02},ran,3,3\n"
        f'e_utf16_{EX02}.ipynb,,"{submission.UNREADABLE}",0,0\n'
        f'h_link_{EX02}.ipynb,,"{submission.LINKED}",0,0\n'
        f'stray_{EX02}.ipynb,,"{submission.UNREADABLE}",0,0\n',
        encoding="utf-8",
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,name,submission\n"
        f"1,Ana,a_ana_{EX02}.ipynb\n2,Erin,e_utf16_{EX02}.ipynb\n3,Hal,h_link_{EX02}.ipynb\n",
        encoding="utf-8",
    )
    moodle = tmp_path / "moodle.csv"
    assert (
        lms.main(["--grades", str(results), "--roster", str(roster), "--moodle", str(moodle)]) == 0
    )
    with open(moodle, encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    assert header == lms.MOODLE_ID_COLUMNS + [EX02, f"{EX02} feedback"]
    assert {r[1]: r[3] for r in rows} == {"Ana": "3", "Erin": "", "Hal": ""}
    result = lms.combine([results], roster)
    assert result.missing == []
    assert any("Erin" in p and submission.UNREADABLE in p for p in result.problems)
    assert any("Hal" in p and submission.LINKED in p for p in result.problems)
    assert any(u.startswith(f"stray_{EX02}.ipynb") for u in result.unmatched_submissions)
