"""Batch grading: the contract, answers as plain data, the files an instructor reads."""

from __future__ import annotations

import csv
import json
import shutil

import nbformat
import pytest
from helpers import ROOT

from fournos import checks
from fournos_tools import exercises
from fournos_tools.grading import batch, checking, exchange, manifest, outputs, sandbox, submission

CONTRACT = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))
needs_sandbox = pytest.mark.skipif(sandbox.problem() is not None, reason="needs bubblewrap")


def test_the_committed_contract_matches_a_fresh_generation(tmp_path):
    exercises.generate(ROOT / "solutions", tmp_path)
    fresh = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert fresh == CONTRACT, "exercises/manifest.json is out of date: run `make exercises`"


def test_the_contract_lists_every_check_the_exercises_call():
    for name, entry in CONTRACT["notebooks"].items():
        notebook = nbformat.read(ROOT / "exercises" / f"{name}.ipynb", as_version=4)
        called = [
            c["check"]
            for cell in notebook.cells
            if cell.cell_type == "code"
            for c in manifest.check_calls(cell.source)
        ]
        assert [c["check"] for c in entry["checks"]] == called
        assert all(hasattr(checks, c["check"]) and c["points"] >= 1 for c in entry["checks"])
        assert all(c["args"] and "name" in c["args"][0] for c in entry["checks"])
        assert entry["written"], name


def test_a_check_call_is_read_with_its_answer_names_and_literals():
    assert manifest.check_calls("check_treaty_coding(my_coding, 'treaty_1978_ussr')") == [
        {
            "check": "check_treaty_coding",
            "args": [{"name": "my_coding"}, {"value": "treaty_1978_ussr"}],
        }
    ]
    assert manifest.is_check_cell("check_quotes(evidence)")
    assert not manifest.is_check_cell("evidence = []\ncheck_quotes(evidence)")


def _solution_values(name: str) -> dict:
    """The solution's answers, computed here, and their check results."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    notebook = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            shell.run_cell(cell.source, silent=True)
    return shell.user_ns


@pytest.mark.parametrize("name", sorted(CONTRACT["notebooks"]))
def test_answers_as_plain_data_check_the_same_as_the_originals(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = _solution_values(name)
    for check in CONTRACT["notebooks"][name]["checks"]:
        names = [a["name"] for a in check["args"] if "name" in a]
        line = json.loads(exchange.export_line(namespace, check["check"], names))
        args = [namespace[a["name"]] if "name" in a else a["value"] for a in check["args"]]
        original = getattr(checks, check["check"])(*args)
        verdict, message = checking.run_check(check, line["values"])
        assert (verdict, message) == ("pass" if original.correct else "fail", original.message)


def test_unsafe_values_are_never_rebuilt(tmp_path):
    with pytest.raises(exchange.ExchangeError):
        exchange.rebuild({"type": "pickle", "data": "gASV"})
    folder = {
        "type": "path",
        "as": "path",
        "path": "x",
        "exists": True,
        "files": {"../../escape.txt": "x"},
    }
    with pytest.raises(exchange.ExchangeError):
        exchange.rebuild(folder, tmp_path)
    outside = {
        "type": "path",
        "as": "path",
        "path": "x",
        "exists": True,
        "files": {
            "datapackage.json": json.dumps(
                {"resources": [{"name": "events", "path": "/etc/passwd"}]}
            )
        },
    }
    with pytest.raises(exchange.ExchangeError, match="outside your folder"):
        exchange.rebuild(outside, tmp_path)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_bug_in_a_kit_check_is_the_kits_error(monkeypatch):
    def broken(answer):
        raise KeyError("oops")

    monkeypatch.setattr(checks, "check_quotes", checks.checker(broken))
    check = {"check": "check_quotes", "args": [{"name": "evidence"}]}
    values = {"evidence": exchange.export([("art_x", "a quote here")])}
    verdict, message = checking.run_check(check, values)
    assert verdict == "kit error" and "not in your answer" in message


def test_unanswered_and_missing_answers():
    check = {"check": "check_quotes", "args": [{"name": "evidence"}]}
    assert checking.run_check(check, {"evidence": exchange.ELLIPSIS})[0] == "not answered"
    assert checking.run_check(check, {"evidence": exchange.UNDEFINED})[0] == "not answered"
    assert checking.run_check(check, None)[0] == "not run"


def test_csv_cells_never_run_as_formulas_and_escape_sequences_go():
    assert [outputs.cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ok", 3)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "ok",
        3,
    ]
    assert outputs.clean("a\x1b[2Jb\x07c\nd") == "a[2Jbc\nd"


def test_feedback_file_names_are_unique():
    names = outputs.feedback_names(["alice/ex01.ipynb", "alice__ex01.ipynb", "Bob Ex.IPYNB"])
    assert names == {
        "Bob Ex.IPYNB": "Bob_Ex.md",
        "alice/ex01.ipynb": "alice__ex01.md",
        "alice__ex01.ipynb": "alice__ex01-2.md",
    }


def test_a_submission_is_matched_to_its_exercise_by_name_or_content(tmp_path):
    shutil.copy(ROOT / "exercises" / "ex03_alliances_and_treaties.ipynb", tmp_path / "mine.ipynb")
    sub = submission.read(tmp_path / "mine.ipynb", tmp_path, CONTRACT)
    assert sub.notebook == "ex03_alliances_and_treaties" and not sub.status
    assert [w["question"] for w in sub.written] == ["3.1", "3.2"]
    assert all(w["words"] == 0 for w in sub.written)
    (tmp_path / "bad.ipynb").write_text("{not json", encoding="utf-8")
    assert submission.read(tmp_path / "bad.ipynb", tmp_path, CONTRACT).status == (
        submission.UNREADABLE
    )


def test_grading_command_explains_a_missing_or_empty_folder(tmp_path, capsys):
    assert batch.main([str(tmp_path / "nowhere")]) == 2
    assert "No folder called" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert batch.main([str(tmp_path / "empty"), "--out", str(tmp_path / "r")]) == 2
    assert "No notebooks" in capsys.readouterr().out and not (tmp_path / "r").exists()


def test_grading_refuses_without_a_sandbox_unless_unsafe(tmp_path, capsys, monkeypatch):
    shutil.copy(ROOT / "exercises" / "ex02_doctrine_and_dates.ipynb", tmp_path / "a.ipynb")
    monkeypatch.setattr(sandbox, "problem", lambda: "bubblewrap (`bwrap`) is not installed")
    assert batch.main([str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    said = capsys.readouterr().out
    assert "Grading refused" in said and "--unsafe" in said and not (tmp_path / "r").exists()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    shutil.copy(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", subs / "ana.ipynb")
    shutil.copy(ROOT / "exercises" / "ex02_doctrine_and_dates.ipynb", subs / "ben.ipynb")
    (subs / "cam.ipynb").write_text("{not a notebook", encoding="utf-8")
    broken = nbformat.read(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", as_version=4)
    imports = next(c for c in broken.cells if "from fournos.checks import" in c.source)
    imports.source = "import fournos.chekcs\n" + imports.source
    nbformat.write(broken, subs / "dan.ipynb")
    out = tmp_path_factory.mktemp("results") / "ex02"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "left-from-last-term.md").write_text("old", encoding="utf-8")
    results = batch.grade(subs, out, workers=2, quiet=True, notebook="ex02_doctrine_and_dates")
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    return out, rows, results


@needs_sandbox
def test_grades_csv_has_the_agreed_columns_and_verdicts(graded):
    out, rows, _ = graded
    with open(out / "grades.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == [
        "submission",
        "notebook",
        "status",
        "points",
        "out_of",
        "check:check_formulations",
        "check:check_date_gaps",
        "check:check_stale_statistics",
        "written_answered",
        "written_words",
        "flags",
        "feedback_file",
    ]
    checks_ = header[5:8]
    assert [rows["ana.ipynb"][c] for c in checks_] == ["pass"] * 3
    assert [rows["ben.ipynb"][c] for c in checks_] == ["not answered"] * 3
    # its first cell stopped, so each answer cell stopped too: the student's fail, named
    assert [rows["dan.ipynb"][c] for c in checks_] == ["fail"] * 3
    assert rows["ana.ipynb"]["points"] == "3" and rows["ben.ipynb"]["out_of"] == "3"
    assert rows["cam.ipynb"]["status"] == submission.UNREADABLE
    assert (
        rows["ana.ipynb"]["written_answered"] == "3" and rows["ben.ipynb"]["written_words"] == "0"
    )


@needs_sandbox
def test_the_marking_sheet_has_a_row_per_student_and_question(graded):
    out, _, _ = graded
    with open(out / "marking-sheet.csv", encoding="utf-8") as f:
        sheet = list(csv.DictReader(f))
    assert list(sheet[0]) == outputs.SHEET_COLUMNS
    assert {(r["submission"], r["question"]) for r in sheet} >= {
        ("ana.ipynb", "2.2"),
        ("ben.ipynb", "2.4"),
    }
    for r in sheet:  # the maximum from the contract; a blank answer is 0, with a note
        assert r["out_of"] in {"2", "3"}
        blank = r["submission"] == "ben.ipynb"
        assert (r["points"], bool(r["comment"])) == (("0", True) if blank else ("", False))


@needs_sandbox
def test_old_results_are_replaced_whole_and_feedback_explains(graded):
    out, _, _ = graded
    names = sorted(p.name for p in (out / "feedback").iterdir())
    assert names == ["ana.md", "ben.md", "cam.md", "dan.md"]
    dan = (out / "feedback" / "dan.md").read_text(encoding="utf-8")
    assert "cell(s) stopped with an error" in dan
    assert (
        "ModuleNotFoundError" in dan
        # Markdown escaped, as all student text in feedback is (red team 3, F7)
        and "(line 1 of the cell starting \\`import fournos.chekcs\\`)" in dan
    )
    assert "Your answer cell stopped with an error: NameError" in dan
    assert "download it again" in (out / "feedback" / "cam.md").read_text(encoding="utf-8")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js">' in report and (out / "plotly.min.js").exists()
    assert "https://" not in report.split("<body>")[0]


@needs_sandbox
def test_a_second_run_keeps_the_marks_typed_in_the_last_marking_sheet(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    shutil.copy(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", subs / "ana.ipynb")
    out = tmp_path / "ex02"
    batch.grade(subs, out, workers=1, quiet=True, notebook="ex02_doctrine_and_dates")
    sheet_file = out / "marking-sheet.csv"
    with open(sheet_file, encoding="utf-8", newline="") as f:
        sheet = list(csv.DictReader(f))
    sheet[0]["points"], sheet[0]["comment"] = "2", "clear and sourced"
    sheet[1]["points"], sheet[1]["answer_text"] = "1", "an older answer the student replaced"
    outputs.write_csv(sheet_file, outputs.SHEET_COLUMNS, sheet)

    batch.grade(subs, out, workers=1, quiet=True, notebook="ex02_doctrine_and_dates")

    with open(sheet_file, encoding="utf-8", newline="") as f:
        again = list(csv.DictReader(f))
    assert (again[0]["points"], again[0]["comment"]) == ("2", "clear and sourced")
    assert again[1]["points"] == "" and "answer changed since your mark of 1" in again[1]["comment"]
    assert (out / "marking-sheet.previous.csv").read_text(encoding="utf-8").count(
        "clear and sourced"
    ) == 1


def test_written_answers_carry_most_of_the_points_of_every_exercise():
    """The guide says so: auto-checked answers can be searched with the public feedback, so they
    must never be the larger part of a mark."""
    contract = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in contract["notebooks"].items():
        auto = sum(c["points"] for c in entry["checks"])
        written = sum(w["points"] for w in entry["written"])
        assert written > auto, name


@needs_sandbox
def test_the_report_names_every_notebook_whose_cells_stopped_with_an_error(graded):
    out, rows, _ = graded
    assert rows["dan.ipynb"]["status"].startswith("ran, with errors")
    report = (out / "report.html").read_text(encoding="utf-8")
    to_look_at = report.split("Notebooks to look at")[1].split("</table>")[0]
    assert 'href="feedback/dan.md"' in to_look_at and 'href="feedback/cam.md"' in to_look_at
    assert "ana.md" not in to_look_at


def test_a_written_answer_typed_in_a_cell_the_student_added_is_read_not_scored_blank(tmp_path):
    notebook = nbformat.read(ROOT / "exercises" / "ex03_alliances_and_treaties.ipynb", 4)
    question = CONTRACT["notebooks"]["ex03_alliances_and_treaties"]["written"][0]
    at = next(i for i, c in enumerate(notebook.cells) if c.get("id") == question["cell_id"])
    added = nbformat.v4.new_markdown_cell("The 1978 treaty promised consultation, not defence.")
    notebook.cells.insert(at + 1, added)
    nbformat.write(notebook, tmp_path / "mine.ipynb")
    sub = submission.read(tmp_path / "mine.ipynb", tmp_path, CONTRACT)
    first = sub.written[0]
    assert first["question"] == question["question"] and first["words"] == 7
    assert "consultation, not defence" in first["text"]
    assert all(w["words"] == 0 for w in sub.written[1:])


@needs_sandbox
def test_copied_written_answers_are_flagged_for_the_instructor(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    for name in ("alice", "bob"):  # two copies of the solutions
        shutil.copy(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", subs / f"{name}.ipynb")
    shutil.copy(ROOT / "exercises" / "ex02_doctrine_and_dates.ipynb", subs / "ben.ipynb")
    out = tmp_path / "ex02"
    batch.grade(subs, out, workers=1, quiet=True, notebook="ex02_doctrine_and_dates")
    with open(out / "grades.csv", encoding="utf-8") as f:
        flags = {r["submission"]: r["flags"] for r in csv.DictReader(f)}
    assert "is the solutions' model answer" in flags["alice.ipynb"]
    assert "word for word the same as bob.ipynb" in flags["alice.ipynb"]
    assert "word for word the same as alice.ipynb" in flags["bob.ipynb"]
    assert "written answer" not in flags["ben.ipynb"]  # blank answers are not copies
