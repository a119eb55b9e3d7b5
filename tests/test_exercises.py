"""Student notebooks are generated from the solutions, in sync, with nothing leaked."""

from __future__ import annotations

import json

import nbformat
import pytest
from helpers import ROOT

from fournos_tools import exercises

SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def test_committed_exercises_match_a_fresh_generation(tmp_path):
    exercises.generate(ROOT / "solutions", tmp_path)
    made = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert made == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    for name in made:
        fresh = nbformat.read(tmp_path / name, as_version=4)
        committed = nbformat.read(ROOT / "exercises" / name, as_version=4)
        assert fresh == committed, f"exercises/{name} is out of date: run `make exercises`"


def test_there_are_at_least_eight_exercises():
    headings = [
        c.source
        for p in SOLUTIONS
        for c in nbformat.read(p, as_version=4).cells
        if c.cell_type == "markdown" and c.source.startswith("## Exercise")
    ]
    assert len(headings) >= 8


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_student_version_has_prompts_and_no_answers(path):
    solution = nbformat.read(path, as_version=4)
    student = exercises.student_version(solution)
    text = json.dumps(student)
    assert exercises.BEGIN not in text and "Instructor rubric" not in text
    assert "your code here" in text and exercises.PROMPT_MD in text
    assert all(
        c.outputs == [] and c.execution_count is None
        for c in student.cells
        if c.cell_type == "code"
    )
    assert "widgets" not in student.metadata
    assert exercises.find_leaks(student, exercises.solution_texts(solution)) == []


def test_prompts_name_every_variable_the_solution_assigns():
    source = "x = 1\n### BEGIN SOLUTION\nanswer = compute()\nfig: object = plot(answer)\nanswer\n### END SOLUTION\ncheck(answer)"
    assert exercises._student_source(source, markdown=False).splitlines() == [
        "x = 1",
        "answer = ...  # your code here",
        "fig = ...  # your code here",
        "check(answer)",
    ]


@pytest.mark.parametrize("where", ["source", "output", "metadata"])
def test_a_planted_solution_line_is_caught_anywhere(where, tmp_path):
    path = SOLUTIONS[0]
    solution = nbformat.read(path, as_version=4)
    secret = exercises.solution_texts(solution)[0]
    student = exercises.student_version(solution)
    cell = next(c for c in student.cells if c.cell_type == "code")
    if where == "source":
        cell.source += "\n# " + secret
    elif where == "output":
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=secret)]
    else:
        cell.metadata["note"] = secret
    assert secret in exercises.find_leaks(student, exercises.solution_texts(solution))


def test_generation_refuses_to_write_a_leaking_notebook(tmp_path):
    solutions, out = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nb = nbformat.read(SOLUTIONS[0], as_version=4)
    secret = exercises.solution_texts(nb)[0]
    nb.cells.append(nbformat.v4.new_markdown_cell(f"A hint: `{secret}`"))  # an accidental leak
    nbformat.write(nb, solutions / "leaky.ipynb")
    with pytest.raises(exercises.LeakError, match="leaky.ipynb"):
        exercises.generate(solutions, out)
    assert not (out / "leaky.ipynb").exists()


def test_regeneration_writes_only_to_exercises(tmp_path):
    my_work = tmp_path / "my-work"
    my_work.mkdir()
    (my_work / "ex01_themes_and_words.ipynb").write_text("my answers", encoding="utf-8")
    exercises.generate(ROOT / "solutions", tmp_path / "exercises")
    assert (my_work / "ex01_themes_and_words.ipynb").read_text(encoding="utf-8") == "my answers"
