"""`fournos update` keeps the student's edits and takes the instructor's, as a student runs it:
a clone of a (local, bare) kit repository, `python -m fournos update` in its folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

LESSON = "notebooks/01_duong_2018_integration.ipynb"
EXERCISE = "ex01_themes_and_words.ipynb"
GIT_ID = {
    "GIT_AUTHOR_NAME": "Instructor",
    "GIT_AUTHOR_EMAIL": "instructor@example.org",
    "GIT_COMMITTER_NAME": "Instructor",
    "GIT_COMMITTER_EMAIL": "instructor@example.org",
}


def run(*command, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, **GIT_ID)
    env.pop("FOURNOS_KIT", None)
    env.pop("FOURNOS_DATA", None)
    return subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=check, env=env
    )


def fournos(*args, cwd: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "fournos", *args, cwd=cwd, check=False)


def edit_cell(path: Path, index: int, text: str) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][index]["source"] = text
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def cell(path: Path, index: int) -> str:
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][index]["source"]
    return "".join(source)


@pytest.fixture
def classroom(tmp_path):
    """A bare 'kit' repository, the instructor's working copy, and a student's clone."""
    instructor = tmp_path / "instructor"
    for name in [".gitignore", "data/datapackage.json", LESSON, f"exercises/{EXERCISE}"]:
        (instructor / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, instructor / name)
    run("git", "init", "-q", "-b", "main", cwd=instructor)
    run("git", "add", "-A", cwd=instructor)
    run("git", "commit", "-qm", "The kit", cwd=instructor)
    bare = tmp_path / "kit.git"
    run("git", "clone", "-q", "--bare", instructor, bare, cwd=tmp_path)
    run("git", "remote", "add", "origin", bare, cwd=instructor)
    run("git", "fetch", "-q", "origin", cwd=instructor)
    student = tmp_path / "student"
    run("git", "clone", "-q", bare, student, cwd=tmp_path)
    return instructor, student


def push(instructor: Path, message: str) -> None:
    run("git", "commit", "-qam", message, cwd=instructor)
    run("git", "push", "-q", "origin", "main", cwd=instructor)


def test_update_keeps_the_students_edits_and_brings_the_instructors(classroom):
    instructor, student = classroom
    assert fournos("my-work", cwd=student).returncode == 0
    # the student writes in the lesson's first cell and answers in their my-work notebook
    edit_cell(student / LESSON, 0, "# My notes on Duong (2018)")
    mine = student / "my-work" / EXERCISE
    edit_cell(mine, 1, "My answer")
    my_work_before = mine.read_bytes()
    # the instructor changes the same lesson, further down, and publishes it
    last = len(json.loads((instructor / LESSON).read_text(encoding="utf-8"))["cells"]) - 1
    edit_cell(instructor / LESSON, last, "## Key points (revised)")
    push(instructor, "Revise the key points")

    result = fournos("update", cwd=student)

    assert result.returncode == 0, result.stderr
    assert cell(student / LESSON, 0) == "# My notes on Duong (2018)"
    assert cell(student / LESSON, last) == "## Key points (revised)"
    assert not list(student.glob("**/*-update.ipynb")), "no lines were overruled"
    assert mine.read_bytes() == my_work_before
    assert "Your own changes to 1 file were kept" in result.stdout
    assert LESSON in result.stdout and "my-work/ was not touched" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    again = fournos("update", cwd=student)
    assert "already up to date" in again.stdout, again.stdout


def test_update_with_nothing_new_says_so_and_changes_nothing(classroom):
    _, student = classroom
    edit_cell(student / LESSON, 0, "# My notes")
    result = fournos("update", cwd=student)
    assert result.returncode == 0, result.stderr
    assert "already up to date" in result.stdout
    assert cell(student / LESSON, 0) == "# My notes"


def test_update_where_both_changed_the_same_cell_keeps_the_students(classroom):
    instructor, student = classroom
    edit_cell(student / LESSON, 0, "# Mine")
    edit_cell(instructor / LESSON, 0, "# The instructor's")
    push(instructor, "Retitle")
    result = fournos("update", cwd=student)
    assert result.returncode == 0, result.stderr
    assert cell(student / LESSON, 0) == "# Mine"
    json.loads((student / LESSON).read_text(encoding="utf-8"))  # still a valid notebook
    # the instructor's change is not lost without a word: it is named, and kept beside it
    beside = (student / LESSON).with_name(Path(LESSON).stem + "-update.ipynb")
    assert cell(beside, 0) == "# The instructor's", result.stdout
    assert f"{LESSON}: you and the update changed the same lines" in result.stdout
    assert beside.name in result.stdout


def test_update_outside_a_git_clone_explains_what_to_do(classroom, tmp_path):
    _, student = classroom
    download = tmp_path / "downloaded"
    shutil.copytree(student, download, ignore=shutil.ignore_patterns(".git"))
    result = fournos("update", cwd=download)
    assert result.returncode == 1
    assert "not a git clone" in result.stderr and "my-work/" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_when_the_kit_cannot_be_reached_changes_nothing(classroom):
    _, student = classroom
    run("git", "remote", "set-url", "origin", student.parent / "gone.git", cwd=student)
    edit_cell(student / LESSON, 0, "# Mine")
    before = (student / LESSON).read_bytes()
    result = fournos("update", cwd=student)
    assert result.returncode == 1
    assert "Could not get the new version" in result.stderr
    assert "Traceback" not in result.stderr
    assert (student / LESSON).read_bytes() == before


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="a zip of the kit is not a git clone")
def test_no_tracked_file_is_ever_under_my_work():
    tracked = run("git", "ls-files", "--", "my-work", cwd=ROOT).stdout
    assert tracked == ""
    ignored = run("git", "check-ignore", "my-work/ex01_themes_and_words.ipynb", cwd=ROOT)
    assert ignored.returncode == 0


def test_update_brings_back_a_lesson_the_student_deleted(classroom):
    _, student = classroom
    original = (student / LESSON).read_bytes()
    (student / LESSON).unlink()
    result = fournos("update", cwd=student)
    assert result.returncode == 0, result.stderr
    assert (student / LESSON).read_bytes() == original
    assert f"{LESSON} was missing" in result.stdout


def test_update_says_from_which_release_to_which(classroom):
    instructor, student = classroom
    stamp = {"version": "0.1.0", "release": 1, "date": "2026-11-02", "commit": "aaaaaaa"}
    (instructor / "RELEASE.json").write_text(json.dumps(stamp), encoding="utf-8")
    run("git", "add", "RELEASE.json", cwd=instructor)
    push(instructor, "Release 1")
    assert fournos("update", cwd=student).returncode == 0
    newer = {**stamp, "release": 2, "date": "2026-11-09", "commit": "bbbbbbb"}
    (instructor / "RELEASE.json").write_text(json.dumps(newer), encoding="utf-8")
    push(instructor, "Release 2")

    result = fournos("update", cwd=student)

    assert result.returncode == 0, result.stderr
    assert "from students' release 1 of kit 0.1.0 (2026-11-02" in result.stdout
    assert "to   students' release 2 of kit 0.1.0 (2026-11-09, built from bbbbbbb)" in result.stdout
