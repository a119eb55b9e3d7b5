"""The quiz answer keys are generated from data/quiz_questions.csv and never drift from it."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

from fournos.data import load
from fournos.quiz import REGION_PREFIX
from fournos_tools import answer_keys

KEYS = ROOT / "instructors" / "answer-keys"


def test_committed_answer_keys_are_exactly_what_the_command_writes():
    expected = answer_keys.answer_keys()
    committed = {p.name: p.read_text(encoding="utf-8") for p in KEYS.glob("*.md")}
    assert committed == expected, "run `python -m fournos answer-keys` and commit the result"


def test_every_quiz_question_and_its_answer_is_in_its_lessons_key():
    lessons = answer_keys.lesson_of_article()
    for q in load("quiz_questions").itertuples():
        regional = q.question_id.startswith(REGION_PREFIX)  # lesson 10 quizzes several articles
        lesson = answer_keys.REGION_LESSON if regional else lessons[q.article_id]
        key = (KEYS / f"{lesson}.md").read_text(encoding="utf-8")
        assert f"## Question {q.number} ({q.kind}): {' '.join(q.prompt.split())}" in key
        assert all(answer in key for answer in q.answer), q.question_id
        where = f" of {q.article_id}" if regional else ""
        assert f"**Paragraph {q.paragraph}{where}:**" in key


def test_each_lesson_key_names_an_existing_lesson():
    for path in KEYS.glob("*.md"):
        assert (ROOT / "notebooks" / f"{path.stem}.ipynb").is_file(), path.name


def test_the_command_rewrites_a_drifted_key(tmp_path):
    out = tmp_path / "keys"
    out.mkdir()
    (out / "old_lesson.md").write_text("stale", encoding="utf-8")
    written = answer_keys.write(out)
    assert not (out / "old_lesson.md").exists()
    assert sorted(p.name for p in written) == sorted(answer_keys.answer_keys())


def test_the_command_line_runs():
    done = subprocess.run(
        [sys.executable, "-m", "fournos", "answer-keys", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "answer keys" in done.stdout
