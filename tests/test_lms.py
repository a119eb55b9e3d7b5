"""Canvas and Moodle exports from the grader's files and a small roster, checked against
each system's documented layout (see fournos_tools.lms for the sources)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fournos_tools import lms

GRADES_HEADER = (
    "submission,notebook,status,points,out_of,check:check_theme_matrix,check:check_heatmap,"
    "written_answered,written_words,flags,feedback_file\n"
)
SHEET_HEADER = "submission,notebook,question,words,answer_text,points,out_of,comment\n"
NB = "ex01_themes_and_words"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def graded(tmp_path):
    """A class of four on the roster; five submissions, one of them by nobody on the roster."""
    folder = tmp_path / "grading-results" / NB
    write(
        folder / "grades.csv",
        GRADES_HEADER
        + f"alice/{NB}.ipynb,{NB},ok,4,5,pass,pass,2,180,,feedback/alice__{NB}.md\n"
        + f"bao_{NB}.ipynb,{NB},ok,5,5,pass,pass,2,150,,feedback/bao.md\n"
        + f"chi/{NB}.ipynb,{NB},timed out,,5,not run,not run,0,0,,feedback/chi.md\n"
        + f"'=cmd|x/{NB}.ipynb,{NB},ok,1,5,fail,pass,1,20,,feedback/x.md\n",
    )
    write(
        folder / "marking-sheet.csv",
        SHEET_HEADER
        + f"alice/{NB}.ipynb,{NB},1.3,120,Vu explains,,3,\n"
        + f"alice/{NB}.ipynb,{NB},1.4,60,Integration falls,,2,\n"
        + f"bao_{NB}.ipynb,{NB},1.3,100,text,,3,\n"
        + f"bao_{NB}.ipynb,{NB},1.4,50,text,,2,\n",
    )
    roster = write(
        tmp_path / "roster.csv",
        "student_id,name,submission,email\n"
        "s001,Alice Tran,alice,alice@example.org\n"
        f"s002,Bao Le,bao_{NB}.ipynb,bao@example.org\n"
        "s003,Chi Nguyen,chi/,chi@example.org\n"
        "s004,=HYPERLINK(1),dung,dung@example.org\n",
    )
    return folder, roster


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fournos", "lms", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_canvas_and_moodle_files_follow_the_documented_layouts(graded, tmp_path):
    folder, roster = graded
    canvas, moodle = tmp_path / "canvas.csv", tmp_path / "moodle.csv"
    done = run(
        [
            "--grades",
            str(folder),
            "--roster",
            str(roster),
            "--canvas",
            str(canvas),
            "--moodle",
            str(moodle),
            "--name",
            f"{NB}=Exercises 1",
        ]
    )
    assert done.returncode == 0, done.stderr

    table = rows(canvas)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercises 1"]
    by_id = {r[2]: r for r in table[1:]}
    assert len(table) == 5  # every roster student, in roster order
    assert [r[2] for r in table[1:]] == ["s001", "s002", "s003", "s004"]
    assert by_id["s001"] == ["Alice Tran", "", "s001", "", "", "4"]  # marking not started
    assert by_id["s002"][5] == "5"
    assert by_id["s003"][5] == ""  # timed out: no points, not a zero
    assert by_id["s004"][0] == "'=HYPERLINK(1)" and by_id["s004"][5] == ""  # escaped; no file

    table = rows(moodle)
    assert table[0] == [
        "ID number",
        "Full name",
        "Email address",
        "Exercises 1",
        "Exercises 1 feedback",
    ]
    alice = next(r for r in table if r[0] == "s001")
    assert alice[2] == "alice@example.org" and alice[3] == "4"
    assert alice[4] == "4 of 5 points (checked exercises)"


def test_unmatched_and_missing_students_are_listed_not_dropped(graded, tmp_path):
    folder, roster = graded
    done = run(
        ["--grades", str(folder), "--roster", str(roster), "--canvas", str(tmp_path / "c.csv")]
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "match no roster student" in out and f"=cmd|x/{NB}.ipynb ({NB})" in out
    assert "Roster students with no submission" in out and "=HYPERLINK(1) (ex01" in out
    assert "2 of 4 students have a mark" in out
    assert f"Chi Nguyen: chi/{NB}.ipynb has no points (status: timed out)" in out
    assert "has no marks yet: the marks are the checked exercises only" in out


def test_hand_marks_are_added_once_marking_has_started_and_partial_marking_is_reported(
    graded, tmp_path
):
    folder, roster = graded
    sheet = folder / "marking-sheet.csv"
    write(
        sheet,
        SHEET_HEADER
        + f"alice/{NB}.ipynb,{NB},1.3,120,Vu explains,3,3,good\n"
        + f"alice/{NB}.ipynb,{NB},1.4,60,Integration falls,1.5,2,\n"
        + f"bao_{NB}.ipynb,{NB},1.3,100,text,2,3,\n"
        + f"bao_{NB}.ipynb,{NB},1.4,50,text,,2,\n",
    )
    result = lms.combine([folder], roster)
    assert result.marks[("s001", NB)].points == 8.5
    assert result.marks[("s001", NB)].out_of == 10
    assert result.marks[("s002", NB)].points is None  # 1.4 not marked yet: no partial total
    assert any("Bao Le" in p and "1.4" in p for p in result.problems)

    lms.write_moodle(result, tmp_path / "m.csv", {NB: NB})
    alice = next(r for r in rows(tmp_path / "m.csv") if r[0] == "s001")
    assert alice[3] == "8.5"
    assert alice[4] == "8.5 of 10 points (checked exercises and marked written answers)"


def test_two_submissions_for_one_student_give_no_mark_and_a_note(graded):
    folder, roster = graded
    with open(folder / "grades.csv", "a", encoding="utf-8") as f:
        f.write(f"alice/{NB} (copy).ipynb,{NB},ok,5,5,pass,pass,2,180,,feedback/a2.md\n")
    result = lms.combine([folder], roster)
    assert result.marks[("s001", NB)].points is None
    assert any("Alice Tran has 2 submissions" in p for p in result.problems)


def test_several_notebooks_become_several_assignment_columns(graded, tmp_path):
    folder, roster = graded
    other = tmp_path / "grading-results" / "ex02_doctrine_and_dates"
    write(
        other / "grades.csv",
        GRADES_HEADER.replace("check_theme_matrix", "check_formulations")
        + "alice/ex02_doctrine_and_dates.ipynb,ex02_doctrine_and_dates,ok,3,4,pass,pass,1,1,,f\n",
    )
    result = lms.combine([folder, other / "grades.csv"], roster)
    lms.write_canvas(result, tmp_path / "c.csv", {nb: nb for nb in result.notebooks})
    table = rows(tmp_path / "c.csv")
    assert table[0][5:] == [NB, "ex02_doctrine_and_dates"]
    assert table[1][5:] == ["4", "3"]


@pytest.mark.parametrize(
    ("roster_text", "message"),
    [
        ("id,name\n1,A\n", "has no column student_id, submission"),
        ("student_id,name,submission\ns1,A,a\ns1,B,b\n", "student_id 's1' twice"),
        ("student_id,name,submission\ns1,A,a\ns2,B,a/\n", "also the submission of s1"),
        ("student_id,name,submission\n,A,a\n", "the student_id is empty"),
    ],
)
def test_a_bad_roster_gets_a_clear_message_and_writes_nothing(
    graded, tmp_path, roster_text, message
):
    folder, _ = graded
    roster = write(tmp_path / "bad.csv", roster_text)
    canvas = tmp_path / "canvas.csv"
    done = run(["--grades", str(folder), "--roster", str(roster), "--canvas", str(canvas)])
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr and not canvas.exists()


def test_bad_hand_marks_are_named_with_their_row(graded, tmp_path):
    folder, roster = graded
    write(
        folder / "marking-sheet.csv",
        SHEET_HEADER + f"alice/{NB}.ipynb,{NB},1.3,120,x,three,3,\n",
    )
    done = run(
        ["--grades", str(folder), "--roster", str(roster), "--moodle", str(tmp_path / "m.csv")]
    )
    assert done.returncode == 1 and "'three' is not a number of points" in done.stderr
    write(folder / "marking-sheet.csv", SHEET_HEADER + f"alice/{NB}.ipynb,{NB},1.3,1,x,4,3,\n")
    with pytest.raises(lms.LmsError, match="4 points is more than the 3 possible"):
        lms.combine([folder], roster)


def test_an_existing_export_is_replaced_whole_or_not_at_all(graded, tmp_path):
    folder, _ = graded
    canvas = write(tmp_path / "canvas.csv", "old file\n")
    write(tmp_path / "bad.csv", "student_id,name\n")
    run(["--grades", str(folder), "--roster", str(tmp_path / "bad.csv"), "--canvas", str(canvas)])
    assert canvas.read_text(encoding="utf-8") == "old file\n"
    assert list(tmp_path.glob(".canvas.csv*")) == []


def test_missing_grades_file_and_no_output_say_so(tmp_path, graded):
    _, roster = graded
    done = run(
        [
            "--grades",
            str(tmp_path / "nowhere"),
            "--roster",
            str(roster),
            "--canvas",
            str(tmp_path / "c.csv"),
        ]
    )
    assert done.returncode == 1 and "does not exist" in done.stderr
    done = run(["--grades", str(tmp_path), "--roster", str(roster)])
    assert done.returncode == 2 and "--canvas FILE" in done.stderr


def test_control_characters_never_reach_the_export_and_a_hidden_formula_is_escaped(
    graded, tmp_path
):
    folder, roster = graded
    text = roster.read_text(encoding="utf-8")
    text = text.replace("Chi Nguyen", "\x1b[2JChi\x07 Nguyen").replace(
        "=HYPERLINK(1)",
        "\x00=HYPERLINK(1)",  # a NUL in front must not hide the formula
    )
    roster.write_text(text, encoding="utf-8")
    canvas = tmp_path / "canvas.csv"
    done = run(["--grades", str(folder), "--roster", str(roster), "--canvas", str(canvas)])
    assert done.returncode == 0, done.stderr
    written = canvas.read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", written.replace("\r\n", ""))
    by_id = {r[2]: r for r in rows(canvas)[1:]}
    assert by_id["s003"][0] == "[2JChi Nguyen"
    assert by_id["s004"][0] == "'=HYPERLINK(1)"


def test_a_notebook_the_grader_never_ran_exports_no_mark_and_an_auto_zero_is_not_marking(
    tmp_path,
):
    """Red team 3, F6: a 'not graded' row's 0 became a final mark with no warning; and a
    blank answer the grader scored 0 itself made the export think marking had started."""
    folder = tmp_path / "grading-results" / NB
    write(
        folder / "grades.csv",
        GRADES_HEADER
        + f"alice/{NB}.ipynb,{NB},not graded: the grading worker could not start,0,5,"
        + "not run,not run,0,0,,feedback/alice.md\n"
        + f"bao_{NB}.ipynb,{NB},ran,5,5,pass,pass,1,150,,feedback/bao.md\n",
    )
    write(
        folder / "marking-sheet.csv",
        SHEET_HEADER
        + f"bao_{NB}.ipynb,{NB},1.3,100,text,,3,\n"
        + f"bao_{NB}.ipynb,{NB},1.4,0,,0,2,{lms.BLANK_SCORED}\n",
    )
    roster = write(
        tmp_path / "roster.csv",
        f"student_id,name,submission\ns001,Alice Tran,alice\ns002,Bao Le,bao_{NB}.ipynb\n",
    )
    result = lms.combine([folder], roster)
    assert result.marks[("s001", NB)].points is None
    assert any("Alice Tran" in p and "not graded" in p for p in result.problems)
    assert not result.written_included[NB]  # only the grader's own zero: marking not started
    assert result.marks[("s002", NB)].points == 5
