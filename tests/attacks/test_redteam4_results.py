"""Red team round 4 on the grader's results (R4-5): one written answer longer than 131,072
characters (Python's csv field limit) blocked the whole class's LMS export, and a re-grade
carried none of the instructor's marks over ("Kept 0 marks"); a second re-grade overwrote
marking-sheet.previous.csv with the empty sheet, losing every mark for good.

The results folder is written by the grader's own writer (batch._write), from the results of
three ex02 solutions, one of whose answer 2.2 is one sentence repeated (about 146,000
characters); no notebook needs to run.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from fournos_tools import lms
from fournos_tools.grading import batch, manifest, outputs, submission

EX02 = "ex02_doctrine_and_dates"
SENTENCE = "Vietnam's four noes are stated in its defence white papers, and they bind it. "


def _results(long_answer: bool = True) -> list[dict]:
    plan = manifest.load(ROOT / "exercises" / "manifest.json")
    solution = ROOT / "solutions" / f"{EX02}.ipynb"
    results = []
    for who in ("a_ana", "b_bao", "c_carla"):
        sub = submission.read(solution, solution.parent, plan, EX02)
        sub.relative, sub.status = f"{who}_{EX02}.ipynb", "ran"
        result = batch._result(sub, plan["notebooks"][EX02])
        result.update(points=3, out_of=3)
        if who == "b_bao" and long_answer:
            text = SENTENCE * 1900
            result["written"][0].update(text=text, words=len(text.split()))
        results.append(result)
    return results, plan


PYTHON_FIELD_LIMIT = 131_072  # csv's default: what a fresh grader or LMS process starts with


def _rows(sheet) -> list[dict]:
    """A sheet read as a spreadsheet would (no field limit); the limit is put back after."""
    csv.field_size_limit(sys.maxsize)
    try:
        with open(sheet, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    finally:
        csv.field_size_limit(PYTHON_FIELD_LIMIT)


def _mark_every_answer(sheet) -> int:
    """The instructor's marks, typed as a spreadsheet would save them."""
    rows = _rows(sheet)
    columns = list(rows[0])
    for row in rows:
        row["points"], row["comment"] = "1", "marked by hand"
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,name,submission\n"
        + "".join(
            f"{n},{who},{who}_{EX02}.ipynb\n"
            for n, who in enumerate(("a_ana", "b_bao", "c_carla", "d_dan"), 1)
        ),
        encoding="utf-8",
    )
    return roster


@pytest.fixture
def marked(tmp_path):
    results, plan = _results()
    folder = tmp_path / "round1"
    folder.mkdir()
    batch._write(folder, results, plan)
    count = _mark_every_answer(folder / "marking-sheet.csv")
    return folder, count, plan


def test_a_long_written_answer_does_not_block_the_lms_export(marked, tmp_path):
    folder, _, _ = marked
    canvas = tmp_path / "canvas.csv"
    code = lms.main(
        ["--grades", str(folder), "--roster", str(_roster(tmp_path)), "--canvas", str(canvas)]
    )
    assert code == 0
    with open(canvas, encoding="utf-8") as f:
        marks = {r["Student"]: r[EX02] for r in csv.DictReader(f)}
    assert marks["a_ana"] == marks["b_bao"] == marks["c_carla"] != ""


def test_the_sheet_keeps_a_long_answer_within_a_spreadsheet_cell(marked):
    folder, _, _ = marked
    rows = _rows(folder / "marking-sheet.csv")
    longest = max((r["answer_text"] for r in rows), key=len)
    assert 30_000 < len(longest) < 32_767  # a spreadsheet cell's limit
    assert longest.endswith("read it whole in the student's notebook]")


def test_a_regrade_with_a_long_answer_keeps_every_typed_mark(marked, tmp_path, capsys):
    folder, count, plan = marked
    results, _ = _results()
    again = tmp_path / "round2"
    again.mkdir()
    batch._write(again, results, plan, folder / "marking-sheet.csv")
    rows = _rows(again / "marking-sheet.csv")
    assert sum(r["comment"] == "marked by hand" for r in rows) == count
    assert f"Kept {count} marks" in capsys.readouterr().err


def test_a_backup_with_marks_is_never_replaced_by_a_sheet_with_fewer(marked, tmp_path):
    folder, count, plan = marked
    # the sheet as a broken re-grade left it: the marks only in the backup
    (folder / "marking-sheet.previous.csv").write_bytes((folder / "marking-sheet.csv").read_bytes())
    results, _ = _results()
    emptied = tmp_path / "emptied"
    emptied.mkdir()
    batch._write(emptied, results, plan)
    (folder / "marking-sheet.csv").write_bytes((emptied / "marking-sheet.csv").read_bytes())
    again = tmp_path / "round3"
    again.mkdir()
    batch._write(again, results, plan, folder / "marking-sheet.csv")
    backup = _rows(again / "marking-sheet.previous.csv")
    assert sum(r["comment"] == "marked by hand" for r in backup) == count


def test_a_last_sheet_that_cannot_be_read_stops_the_regrade(marked, tmp_path, monkeypatch):
    folder, _, plan = marked
    monkeypatch.setattr(outputs, "FIELD_LIMIT", 1000)  # b_bao's answer is now past the limit
    results, _ = _results()
    again = tmp_path / "round2"
    again.mkdir()
    with pytest.raises(outputs.SheetError, match="Nothing was replaced"):
        batch._write(again, results, plan, folder / "marking-sheet.csv")


def test_answers_are_never_shifted_to_the_next_question_when_cell_ids_changed(tmp_path):
    """R4-11: the ex02 solution with every cell id new (pasted into a fresh notebook) and the
    header line of its first answer typed over: each later answer moved up one question and
    the last was scored 0 as blank."""
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / f"{EX02}.ipynb", as_version=4)
    for n, cell in enumerate(nb.cells):
        cell.id = f"pasted-{n}"
    answers = [c for c in nb.cells if c.source.startswith("**Your answer:**")]
    model = [submission.answer_text(c.source) for c in answers]
    answers[0].source = answers[0].source.replace("**Your answer:**", "", 1)
    path = tmp_path / f"shifted_{EX02}.ipynb"
    nbformat.write(nb, path)
    plan = manifest.load(ROOT / "exercises" / "manifest.json")
    sub = submission.read(path, tmp_path, plan)
    written = {w["question"]: w for w in sub.written}
    assert written["2.3"]["text"] == model[1] and written["2.4"]["text"] == model[2]
    assert written["2.2"]["text"] != model[1]
    sub.status = "ran"  # as graded: only its written answers matter here
    result = batch._result(sub, plan["notebooks"][EX02])
    marks = {w["question"]: w.get("points") for w in result["written"]}
    assert marks["2.2"] is None and marks["2.4"] is None  # never an automatic 0
    assert any("2.2" in flag for flag in result["flags"])


def test_a_cell_cannot_hide_its_own_error_with_a_forged_record():
    """R4-6: a cell writes {"event": "cell", "index": <its own>, "status": "ok"} on the result
    pipe before it raises; the first record won, so the row said "ran" with no error."""
    from fournos_tools.grading import checking

    forged = '{"event": "cell", "index": 3, "status": "ok"}'
    real = (
        '{"event": "cell", "index": 3, "status": "error", "ename": "NameError", '
        '"evalue": "name \'undefined_name_here\' is not defined", "line": 1}'
    )
    done = '{"event": "done"}'
    run = checking.parse([forged, real, done], 4, set())
    assert run.cells[3]["status"] == "error" and run.cells[3]["ename"] == "NameError"
    assert any("no. 4" in flag and "forged" in flag for flag in run.flags)
    # a forged error or timeout is believed too (it costs only the forger), but flagged
    run = checking.parse([real.replace("error", "timeout", 1), forged, done], 4, set())
    assert run.cells[3]["status"] == "timeout"
    assert any("forged" in flag for flag in run.flags)


def test_each_exercise_of_a_mixed_folder_gets_its_own_results_and_keeps_its_marks(
    tmp_path, monkeypatch
):
    """R4-7 and the instructor trial's B3: one ex03 file among ex02 submissions sent the whole
    class's results to grading-results/<folder name>/, one report mixing both exercises, and
    the marks typed in grading-results/ex02_doctrine_and_dates/ were not carried over."""
    import shutil

    from fournos_tools.grading import sandbox

    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    ex03 = "ex03_alliances_and_treaties"
    subs = tmp_path / "class"
    subs.mkdir()
    for who in ("a_ana", "b_ben"):
        shutil.copy(ROOT / "solutions" / f"{EX02}.ipynb", subs / f"{who}_{EX02}.ipynb")
    shutil.copy(ROOT / "solutions" / f"{ex03}.ipynb", subs / f"e_eve_{ex03}.ipynb")
    (subs / f"c_cam_{EX02}.ipynb").write_text("{not a notebook", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # the instructor's mark on Ana's 2.2 from the last run of Exercise 2
    plan = manifest.load(ROOT / "exercises" / "manifest.json")
    ana = submission.read(subs / f"a_ana_{EX02}.ipynb", subs, plan)
    marked = tmp_path / "grading-results" / EX02
    marked.mkdir(parents=True)
    outputs.write_csv(
        marked / "marking-sheet.csv",
        outputs.SHEET_COLUMNS,
        [
            {
                "submission": ana.relative,
                "notebook": EX02,
                "question": "2.2",
                "answer_text": outputs.sheet_text(ana.written[0]["text"]),
                "points": "3",
                "comment": "marked by hand",
            }
        ],
    )
    results = batch.grade(subs, workers=1, quiet=True, kit=ROOT, timeout=60)
    folders = {r["submission"]: r["out"] for r in results}
    assert folders[f"a_ana_{EX02}.ipynb"] == Path("grading-results") / EX02
    assert folders[f"e_eve_{ex03}.ipynb"] == Path("grading-results") / ex03
    assert not (tmp_path / "grading-results" / "class").exists()
    for name, who in ((EX02, {"a_ana", "b_ben", "c_cam"}), (ex03, {"e_eve", "c_cam"})):
        rows = _rows(tmp_path / "grading-results" / name / "grades.csv")
        assert {"_".join(r["submission"].split("_")[:2]) for r in rows} == who, name
        assert {r["notebook"] for r in rows} <= {name, ""}
    sheet = _rows(tmp_path / "grading-results" / EX02 / "marking-sheet.csv")
    kept = [r for r in sheet if r["comment"] == "marked by hand"]
    assert [(r["submission"], r["question"], r["points"]) for r in kept] == [
        (ana.relative, "2.2", "3")
    ]


def test_a_forged_done_line_cannot_make_the_grader_fail_on_the_notebook():
    """R4-14: a `done` record with a 401-digit memory figure raised OverflowError in the
    grader, so a blank notebook's 0 became "not graded: the grader failed"."""
    from fournos_tools.grading import checking

    huge = "1" + "0" * 400
    for uss in (huge, "1e999", '"x"', "[1]", "-5"):
        run = checking.parse(['{"event": "done", "uss_mib": ' + uss + "}"], 4, set())
        assert run.done and run.uss_mib is None, uss
    # nor any other record shaped to make the grader's own code raise
    odd = [
        '{"event": "cell", "index": 0, "status": [1]}',
        '{"event": "answer", "check": ["check_date_gaps"], "values": {}}',
        '{"event": ["cell"]}',
        '{"event": "cell", "index": 0, "status": "ok", "line": 1e999}',
    ]
    run = checking.parse([*odd, '{"event": "done"}'], 4, {"check_date_gaps"})
    assert run.done and not run.answers and run.cells[0]["line"] is None
    assert "3 line(s) from the notebook's process were not understood" in run.flags


def test_a_file_name_cannot_send_escape_sequences_to_the_instructors_terminal(tmp_path):
    """R4-15: a file name with ESC and BEL bytes was printed raw (progress, log, stderr)."""
    name = "e_eve\x1b]0;GRADES TAMPERED\x07\x1b[2J\x1b[31mALL GRADES LOST\x1b[0m\n_ex02.ipynb"
    shown = submission.shown_name(tmp_path / name, tmp_path)
    assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in shown)
    assert "\\x1b" in shown and "ALL GRADES LOST" in shown


def test_an_answer_typed_in_a_new_cell_in_place_of_the_answer_cell_is_its_own(tmp_path):
    """R4-11's commoner variant: ids intact, the 2.2 answer cell deleted and the answer typed
    in a new Markdown cell in its place; 2.2 and 2.3 both showed the 2.3 answer."""
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / f"{EX02}.ipynb", as_version=4)
    answers = [c for c in nb.cells if c.source.startswith("**Your answer:**")]
    model = [submission.answer_text(c.source) for c in answers]
    at = nb.cells.index(answers[0])
    nb.cells[at] = nbformat.v4.new_markdown_cell(model[0])  # a new id, no header
    path = tmp_path / f"replaced_{EX02}.ipynb"
    nbformat.write(nb, path)
    plan = manifest.load(ROOT / "exercises" / "manifest.json")
    sub = submission.read(path, tmp_path, plan)
    written = {w["question"]: w["text"] for w in sub.written}
    assert written == {"2.2": model[0], "2.3": model[1], "2.4": model[2]}
    assert any("2.2" in flag and "added" in flag for flag in sub.flags)
