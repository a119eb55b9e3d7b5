"""Students never lose work, and the instructor's batch checker grades without touching submissions."""

from __future__ import annotations

import csv
import hashlib
import shutil

import nbformat
import pytest
from helpers import ROOT

from fournos import mywork
from fournos_tools import grading


def test_my_work_copies_new_notebooks_and_never_overwrites(tmp_path):
    target = tmp_path / "my-work"
    copied, skipped = mywork.copy_exercises(ROOT / "exercises", target)
    assert len(copied) == len(list((ROOT / "exercises").glob("*.ipynb"))) and skipped == []
    mine = target / copied[0].name
    mine.write_text("my answers", encoding="utf-8")
    copied, skipped = mywork.copy_exercises(ROOT / "exercises", target)
    assert copied == [] and mine in skipped
    assert mine.read_text(encoding="utf-8") == "my answers"


def test_my_work_is_ignored_by_git():
    assert "my-work/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    submissions = tmp_path_factory.mktemp("submissions")
    shutil.copy(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", submissions / "ana.ipynb")
    shutil.copy(ROOT / "exercises" / "ex02_doctrine_and_dates.ipynb", submissions / "ben.ipynb")
    (submissions / "cam.ipynb").write_text("{not a notebook", encoding="utf-8")
    broken = nbformat.read(ROOT / "solutions" / "ex02_doctrine_and_dates.ipynb", as_version=4)
    imports = next(c for c in broken.cells if "from fournos.checks import" in c.source)
    imports.source = "import fournos.chekcs\n" + imports.source  # a typo stops the imports
    nbformat.write(broken, submissions / "dan.ipynb")
    tampered = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import os\nprint(os.environ['FOURNOS_GRADE_LOG'])")]
    )
    nbformat.write(tampered, submissions / "eve.ipynb")
    before = digest(submissions)
    out = tmp_path_factory.mktemp("results")
    (out / "feedback").mkdir()
    (out / "feedback" / "left-from-last-term.md").write_text("old", encoding="utf-8")
    table = grading.grade(submissions, out, timeout=60, workers=2)
    return submissions, before, out, table


def test_grading_never_modifies_submissions(graded):
    submissions, before, _, _ = graded
    assert digest(submissions) == before


def test_grades_csv_has_a_row_per_file_and_a_column_per_check(graded):
    _, _, out, _ = graded
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"ana.ipynb", "ben.ipynb", "cam.ipynb", "dan.ipynb", "eve.ipynb"}
    checks = ["check_date_gaps", "check_formulations", "check_stale_statistics"]
    assert [rows["ana.ipynb"][c] for c in checks] == ["pass"] * 3
    assert [rows["ben.ipynb"][c] for c in checks] == ["not answered"] * 3
    assert [rows["dan.ipynb"][c] for c in checks] == ["not run"] * 3
    assert rows["ana.ipynb"]["passed"] == "3" and rows["ben.ipynb"]["passed"] == "0"
    assert rows["ana.ipynb"]["out_of"] == "3" and rows["cam.ipynb"]["out_of"] == "0"
    assert rows["cam.ipynb"]["check_formulations"] == ""  # unreadable: nothing to expect
    assert rows["cam.ipynb"]["status"] == "could not be read: not a valid notebook file"


def test_each_student_gets_a_feedback_file_and_old_ones_go(graded):
    _, _, out, _ = graded
    names = sorted(p.name for p in (out / "feedback").iterdir())
    assert names == ["ana.md", "ben.md", "cam.md", "dan.md", "eve.md"]
    ben = (out / "feedback" / "ben.md").read_text(encoding="utf-8")
    assert "Not answered yet" in ben and "check_formulations" in ben


def test_feedback_names_the_first_error_and_the_checks_that_never_ran(graded):
    _, _, out, _ = graded
    dan = (out / "feedback" / "dan.md").read_text(encoding="utf-8")
    assert "The first error was in the cell starting `import fournos.chekcs`" in dan
    assert "ModuleNotFoundError" in dan
    assert "- ✘ Exercise 2.3 (`check_date_gaps`): not run" in dan
    assert "0 of 3 checks passed" in dan


def test_an_unreadable_file_is_explained(graded):
    _, _, out, _ = graded
    cam = (out / "feedback" / "cam.md").read_text(encoding="utf-8")
    assert "not a valid notebook" in cam and "download it again" in cam


def test_code_that_touches_the_grading_log_is_flagged(graded):
    _, _, out, _ = graded
    with open(out / "grades.csv", encoding="utf-8") as f:
        flags = {r["file"]: r["flag"] for r in csv.DictReader(f)}
    assert flags["eve.ipynb"].startswith("review") and flags["ana.ipynb"] == ""


def test_a_cell_that_never_finishes_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(30)")])
    nbformat.write(nb, tmp_path / "slow.ipynb")
    result = grading.grade_one(tmp_path / "slow.ipynb", timeout=2)
    assert "longer than 2 s" in result["status"]


def test_grading_command_explains_a_missing_folder(capsys):
    assert grading.main(["/no/such/folder"]) == 2
    assert "No folder called" in capsys.readouterr().out


def test_an_empty_folder_is_explained_and_changes_nothing(tmp_path, capsys):
    out = tmp_path / "results"
    (out / "feedback").mkdir(parents=True)
    (out / "feedback" / "kept.md").write_text("earlier feedback", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert grading.main([str(tmp_path / "empty"), "--out", str(out)]) == 2
    assert "No notebooks" in capsys.readouterr().out
    assert (out / "feedback" / "kept.md").exists()


def test_only_redefining_a_check_is_flagged():
    assert grading.SUSPICIOUS.search("check_quotes = lambda answer: True")
    assert not grading.SUSPICIOUS.search("check_ok = True")
    assert not grading.SUSPICIOUS.search("assert_frame_equal(a, b, check_dtype=False)")
