"""Marks into the course's learning-management system: Canvas and Moodle grade-import CSVs.

`python -m fournos lms --grades grading-results/ex01_themes_and_words --roster roster.csv
--canvas canvas.csv --moodle moodle.csv`

Reads what the grader wrote (grades.csv: `submission`, `notebook`, `status`, `points`,
`out_of`, …; marking-sheet.csv: `submission`, `notebook`, `question`, …, `points`,
`out_of`, `comment`, where the instructor fills in `points`) and a class roster
(`student_id`, `name`, `submission` = the file or folder each student handed in, relative
to the submissions folder; optional `email`). One column per notebook (assignment).

A student's mark is the auto-checked points plus the hand-marked written answers once the
marking sheet has marks in it. While marking is under way, a student whose written answers
are not all marked gets an empty cell and a line in the report, never a partial total that
looks final. Submissions that match no roster row, roster students with no
submission, and students with more than one submission are listed, never dropped; their
cells stay empty. A file the grader could not read or refused (its row names no notebook)
never becomes an assignment: its student is listed as needing attention, with the grader's
status, and gets no mark.

The layouts follow each system's documentation:
- Canvas, "Import a CSV file to Carmen Grades" (Ohio State's guide to Canvas,
  https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades,
  stored copy read 2026-11-29): columns A to C identify the student (name, Canvas ID or
  SIS User ID; one of the three is required), D is the SIS Login ID, E the Section, then
  one column per assignment, as in Canvas's own gradebook export (Student, ID, SIS User ID,
  SIS Login ID, Section); a new assignment column creates a new assignment, and an
  uploaded score overwrites the one in the gradebook.
- Moodle, "Grade import" (MoodleDocs 3.11, https://docs.moodle.org/311/en/Grade_import,
  stored copy read 2026-11-29): CSV import lets the teacher choose the column mapping; to
  identify users, map "Email address" to useremail or "ID number" to useridnumber; an
  imported feedback column overwrites grades linked to it, so feedback goes with its grade.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fournos_tools.spreadsheet import cell, unescape

# The grader's note on a blank written answer it scored 0 itself: not a mark the instructor typed.
BLANK_SCORED = "blank: scored 0 automatically"
# Rows the grader never ran: their 0 is not a mark and must not reach the course's grade book.
NOT_GRADED = "not graded"

CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID_COLUMNS = ["ID number", "Full name", "Email address"]
ROSTER_REQUIRED = ["student_id", "name", "submission"]
GRADES_REQUIRED = ["submission", "notebook", "status", "points", "out_of"]
SHEET_REQUIRED = ["submission", "notebook", "question", "points", "out_of"]


class LmsError(Exception):
    """An input file cannot be used; the message says which and why."""


# ---------------------------------------------------------------- reading


FIELD_LIMIT = 64_000_000  # a written answer may be long: never refuse the sheet for it


def _read_csv(path: Path, required: list[str], what: str) -> list[dict]:
    if not path.is_file():
        raise LmsError(f"The {what} {path} does not exist.")
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = [dict(r) for r in reader]
            columns = reader.fieldnames or []
    except UnicodeDecodeError:
        raise LmsError(f"The {what} {path} is not UTF-8 text: save it as CSV (UTF-8).") from None
    except csv.Error as err:
        raise LmsError(f"The {what} {path} is not a readable CSV file: {err}.") from None
    missing = [c for c in required if c not in columns]
    if missing:
        raise LmsError(
            f"The {what} {path} has no column {', '.join(missing)} "
            f"(it needs {', '.join(required)}; it has {', '.join(columns) or 'none'})."
        )
    return [{k: (v or "").strip() for k, v in r.items() if k is not None} for r in rows]


def _path(text: str) -> str:
    """A submission path as the grader writes it: forward slashes, no ./, no trailing /."""
    text = unescape(text).replace("\\", "/").strip()
    return PurePosixPath(text).as_posix().removeprefix("./") if text else ""


def _number(text: str, where: str) -> float | None:
    if text == "":
        return None
    try:
        value = float(unescape(text))
    except ValueError:
        raise LmsError(f"{where}: {text!r} is not a number of points.") from None
    if not math.isfinite(value):  # "NaN" and "inf" read as floats, but are no mark
        raise LmsError(f"{where}: {text!r} is not a number of points.")
    if value < 0:
        raise LmsError(f"{where}: points cannot be negative ({text!r}).")
    return value


# ---------------------------------------------------------------- matching


@dataclass
class Student:
    student_id: str
    name: str
    submission: str
    email: str = ""


@dataclass
class Mark:
    """One student's mark on one notebook, or why there is none."""

    points: float | None
    out_of: float | None
    note: str = ""


@dataclass
class Result:
    notebooks: list[str]
    marks: dict[tuple[str, str], Mark]  # (student_id, notebook) -> mark
    students: list[Student]
    unmatched_submissions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "student (notebook)"
    problems: list[str] = field(default_factory=list)
    written_included: dict[str, bool] = field(default_factory=dict)


def read_roster(path: Path) -> list[Student]:
    rows = _read_csv(path, ROSTER_REQUIRED, "roster")
    students, seen_ids, seen_paths = [], set(), {}
    for n, row in enumerate(rows, start=2):
        if not row["student_id"]:
            raise LmsError(f"Roster {path}, line {n}: the student_id is empty.")
        if row["student_id"] in seen_ids:
            raise LmsError(f"Roster {path}, line {n}: student_id {row['student_id']!r} twice.")
        seen_ids.add(row["student_id"])
        submission = _path(row["submission"])
        if submission and submission in seen_paths:
            raise LmsError(
                f"Roster {path}, line {n}: {submission!r} is also the submission of "
                f"{seen_paths[submission]}; each student needs their own file or folder."
            )
        seen_paths[submission] = row["student_id"]
        students.append(Student(row["student_id"], row["name"], submission, row.get("email", "")))
    return students


def _owner(submission: str, students: list[Student]) -> Student | None:
    """The roster student whose file is this submission, or whose folder holds it."""
    for student in students:
        own = student.submission
        if own and (submission == own or submission.startswith(own.rstrip("/") + "/")):
            return student
    return None


def _grade_files(folder: Path) -> tuple[Path, Path]:
    grades = folder / "grades.csv" if folder.is_dir() else folder
    return grades, grades.with_name("marking-sheet.csv")


def combine(grade_folders: list[Path], roster: Path) -> Result:
    """Every roster student's mark on every notebook graded in the given folders."""
    students = read_roster(roster)
    result = Result([], {}, students)
    for folder in grade_folders:
        grades_path, sheet_path = _grade_files(folder)
        grades = _read_csv(grades_path, GRADES_REQUIRED, "grades file")
        sheet = (
            _read_csv(sheet_path, SHEET_REQUIRED, "marking sheet") if sheet_path.is_file() else []
        )
        _combine_one(grades, grades_path, sheet, sheet_path, result)
    return result


def _not_identified(grades, students: list[Student], result: Result) -> dict[str, str]:
    """Rows the grader could not tie to a notebook (a file it could not read or refused):
    never an assignment of their own. Each is listed for the instructor with the grader's
    status; returns {student_id: status} of the roster students they belong to."""
    statuses = {}
    for row in grades:
        if unescape(row["notebook"]):
            continue
        submission = _path(row["submission"])
        status = unescape(row["status"]) or "no status"
        owner = _owner(submission, students)
        if owner is None:
            result.unmatched_submissions.append(f"{submission} (not graded: {status})")
            continue
        statuses.setdefault(owner.student_id, status)
        result.problems.append(
            f"{owner.name or owner.student_id}: {submission} was not graded (status: "
            f"{status}); see its feedback file; no mark exported."
        )
    return statuses


def _combine_one(grades, grades_path, sheet, sheet_path, result: Result) -> None:
    students = result.students
    notebooks = [nb for nb in dict.fromkeys(unescape(r["notebook"]) for r in grades) if nb]
    not_graded = _not_identified(grades, students, result)
    for nb in notebooks:
        if nb not in result.notebooks:
            result.notebooks.append(nb)
        nb_sheet = [r for r in sheet if unescape(r["notebook"]) == nb]
        marking_started = any(
            r["points"] and unescape(r.get("comment", "")) != BLANK_SCORED for r in nb_sheet
        )
        result.written_included[nb] = marking_started
        by_student: dict[str, list[dict]] = {}
        for n, row in enumerate(grades, start=2):
            if unescape(row["notebook"]) != nb:
                continue
            submission = _path(row["submission"])
            owner = _owner(submission, students)
            if owner is None:
                result.unmatched_submissions.append(f"{submission} ({nb})")
                continue
            row = {**row, "_line": n, "_submission": submission}
            by_student.setdefault(owner.student_id, []).append(row)
        for student in students:
            rows = by_student.get(student.student_id, [])
            key = (student.student_id, nb)
            if not rows and student.student_id in not_graded:  # listed as needing attention
                result.marks[key] = Mark(
                    None, None, f"not graded ({not_graded[student.student_id]})"
                )
            elif not rows:
                result.missing.append(f"{student.name or student.student_id} ({nb})")
                result.marks[key] = Mark(None, None, "no submission")
            elif len(rows) > 1:
                files = ", ".join(r["_submission"] for r in rows)
                result.problems.append(
                    f"{student.name or student.student_id} has {len(rows)} submissions of "
                    f"{nb} ({files}): keep one and grade again; no mark exported."
                )
                result.marks[key] = Mark(None, None, "more than one submission")
            else:
                result.marks[key] = _mark(
                    rows[0], grades_path, nb_sheet, sheet_path, marking_started, student, result
                )


def _mark(row, grades_path, nb_sheet, sheet_path, marking_started, student, result) -> Mark:
    where = f"{grades_path}, line {row['_line']}"
    points = _number(row["points"], f"{where}, column points")
    out_of = _number(row["out_of"], f"{where}, column out_of")
    if points is not None and out_of is not None and points > out_of:
        raise LmsError(f"{where}, column points: {points:g} is more than the {out_of:g} possible.")
    status = unescape(row["status"]) or "no status"
    if points is None or status.startswith(NOT_GRADED):
        result.problems.append(
            f"{student.name or student.student_id}: {row['_submission']} has no points "
            f"(status: {status}); see its feedback file."
        )
        return Mark(None, out_of, f"no points ({status})")
    if not marking_started:
        return Mark(points, out_of)
    written = [r for r in nb_sheet if _path(r["submission"]) == row["_submission"]]
    unmarked = [r["question"] for r in written if not r["points"]]
    if unmarked:
        result.problems.append(
            f"{student.name or student.student_id}: written answer(s) "
            f"{', '.join(unmarked)} not marked yet in {sheet_path}; no mark exported."
        )
        return Mark(None, None, "written answers not all marked")
    for r in written:
        line = f"{sheet_path}, {row['_submission']} question {r['question']}, column points"
        given, most = _number(r["points"], line), _number(r["out_of"], line)
        if most is None:
            raise LmsError(
                f"{line}: the sheet gives no maximum (out_of) for this question, so "
                f"{r['points']} cannot be checked: grade again with the current kit."
            )
        if given > most:
            raise LmsError(f"{line}: {r['points']} points is more than the {r['out_of']} possible.")
        points += given
        out_of = None if (out_of is None or most is None) else out_of + most
    return Mark(points, out_of)


# ---------------------------------------------------------------- writing


def _cell(value) -> str | int:
    """A CSV cell a spreadsheet shows as text, never runs as a formula; marks as 4.5, not 4.50."""
    return f"{value:g}" if isinstance(value, float) else cell(value)


def _write_atomic(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([_cell(h) for h in header])
            writer.writerows([[_cell("" if v is None else v) for v in row] for row in rows])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_canvas(result: Result, path: Path, names: dict[str, str]) -> None:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column of points per assignment. The roster's student_id goes in SIS User ID; Canvas's
    own numeric ID, the SIS Login ID and the Section are left empty (not known here)."""
    header = CANVAS_ID_COLUMNS + [names[nb] for nb in result.notebooks]
    rows = [
        [s.name, "", s.student_id, "", ""]
        + [result.marks[(s.student_id, nb)].points for nb in result.notebooks]
        for s in result.students
    ]
    _write_atomic(path, header, rows)


def write_moodle(result: Result, path: Path, names: dict[str, str]) -> None:
    """Moodle grade import: ID number, Full name, Email address, then per assignment its
    points and a feedback column (map both, or neither: see the module docstring)."""
    header = list(MOODLE_ID_COLUMNS)
    for nb in result.notebooks:
        header += [names[nb], f"{names[nb]} feedback"]
    rows = []
    for s in result.students:
        row = [s.student_id, s.name, s.email]
        for nb in result.notebooks:
            mark = result.marks[(s.student_id, nb)]
            feedback = "" if mark.points is None else _feedback(mark, result.written_included[nb])
            row += [mark.points, feedback]
        rows.append(row)
    _write_atomic(path, header, rows)


def _feedback(mark: Mark, written: bool) -> str:
    total = f"{mark.points:g}" + (f" of {mark.out_of:g}" if mark.out_of is not None else "")
    part = "checked exercises and marked written answers" if written else "checked exercises"
    return f"{total} points ({part})"


def report(result: Result) -> str:
    """What the instructor must know: who has no mark and why."""
    lines = []
    for nb in result.notebooks:
        marked = sum(result.marks[(s.student_id, nb)].points is not None for s in result.students)
        lines.append(f"{nb}: {marked} of {len(result.students)} students have a mark.")
        if not result.written_included[nb]:
            lines.append(
                f"  The marking sheet for {nb} has no marks yet: the marks are the checked "
                "exercises only. Fill in its points column and run this again to add them."
            )
    for title, items in (
        (
            "Submissions that match no roster student (add them to the roster):",
            result.unmatched_submissions,
        ),
        ("Roster students with no submission (their cells are empty):", result.missing),
        ("Needs your attention (their cells are empty):", result.problems),
    ):
        if items:
            lines.append(title)
            lines += [f"  - {item}" for item in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos lms",
        description="Write Canvas and Moodle grade-import files from the grader's results and "
        "a class roster (student_id, name, submission; optional email).",
    )
    parser.add_argument(
        "--grades",
        type=Path,
        action="append",
        required=True,
        help="a grading-results folder (or its grades.csv); repeat for more notebooks",
    )
    parser.add_argument("--roster", type=Path, required=True, help="the class roster CSV")
    parser.add_argument("--canvas", type=Path, help="write a Canvas gradebook import CSV here")
    parser.add_argument("--moodle", type=Path, help="write a Moodle grade import CSV here")
    parser.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="NOTEBOOK=TITLE",
        help="the assignment's name in the LMS (default: the notebook name)",
    )
    args = parser.parse_args(argv)
    if not (args.canvas or args.moodle):
        parser.error("say which file to write: --canvas FILE and/or --moodle FILE")
    try:
        result = combine(args.grades, args.roster)
        names = {nb: nb for nb in result.notebooks}
        for item in args.name:
            notebook, _, title = item.partition("=")
            if notebook not in names or not title:
                raise LmsError(f"--name {item!r}: use NOTEBOOK=TITLE with one of {list(names)}.")
            names[notebook] = title
        if args.canvas:
            write_canvas(result, args.canvas, names)
        if args.moodle:
            write_moodle(result, args.moodle, names)
    except LmsError as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 1
    print(report(result))
    for label, path in (("Canvas", args.canvas), ("Moodle", args.moodle)):
        if path:
            print(f"Wrote {label} import: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
