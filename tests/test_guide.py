"""The instructor guide stays honest: what it names exists, every open question has notes
that match the question as the notebook asks it now, every quote it pins to a paragraph is
in that paragraph, and every plan's timings add up to its meetings."""

from __future__ import annotations

import re

import nbformat
import pytest
from helpers import ROOT, normalise

import fournos

GUIDE = ROOT / "instructors"
NOTES = GUIDE / "discussion-notes.md"
PLAN_FILES = [GUIDE / "README.md", GUIDE / "five-week-module.md"]
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def guide_texts() -> dict[str, str]:
    return {
        p.relative_to(GUIDE).as_posix(): p.read_text(encoding="utf-8") for p in GUIDE.rglob("*.md")
    }


def markdown_of(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def think_further(path) -> list[str]:
    """The numbered questions of a lesson's "Think further" section, in order."""
    text = markdown_of(path)
    match = re.search(r"## \d+\. Think further\n(.*?)(?=\n## |\Z)", text, re.DOTALL)
    if not match:
        return []
    return [normalise(q) for q in re.findall(r"^\d+\.\s+(.+)$", match.group(1), re.MULTILINE)]


def notes() -> dict[str, str]:
    """Heading -> body of each note in discussion-notes.md."""
    text = NOTES.read_text(encoding="utf-8")
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def first_quote(body: str) -> str:
    lines = [line[1:].strip() for line in body.strip().splitlines() if line.startswith(">")]
    return normalise(" ".join(lines))


def open_exercises() -> list[str]:
    """Ids of the exercises with a written answer (a model answer in a markdown cell)."""
    ids = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        current = None
        for cell in nbformat.read(path, as_version=4).cells:
            heading = re.search(r"## Exercise (\d+\.\d+)", cell.source)
            if heading:
                current = heading.group(1)
            if cell.cell_type == "markdown" and "### BEGIN SOLUTION" in cell.source and current:
                ids.append(current)
    return list(dict.fromkeys(ids))


# ------------------------------------------------------------- what it names exists


def test_every_notebook_the_guide_names_exists():
    lessons = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    exercises = {p.stem for p in (ROOT / "exercises").glob("*.ipynb")}
    for name, text in guide_texts().items():
        for stem in set(re.findall(r"\b(\d\d_[a-z0-9_]+[a-z0-9])\b", text)):
            assert stem in lessons, f"{name} names a lesson {stem} that does not exist"
        for stem in set(re.findall(r"\b(ex\d\d_[a-z0-9_]+[a-z0-9])\b", text)):
            assert stem in exercises, (
                f"{name} names an exercise notebook {stem} that does not exist"
            )


def test_every_exercise_number_the_guide_names_exists():
    known = set()
    for path in (ROOT / "solutions").glob("*.ipynb"):
        known |= set(re.findall(r"## Exercise (\d+\.\d+)", markdown_of(path)))
    for name, text in guide_texts().items():
        for ids in re.findall(r"Exercises? (\d+\.\d+(?:(?:,| and| to|–)\s*\d+\.\d+)*)", text):
            for number in re.findall(r"\d+\.\d+", ids):
                assert number in known, f"{name} names Exercise {number}, which does not exist"


# ------------------------------------------------------------- every open question has notes


@pytest.mark.parametrize(
    "lesson", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_every_think_further_question_has_notes_for_the_question_as_asked(lesson):
    found = notes()
    for number, question in enumerate(think_further(lesson), start=1):
        heading = f"{lesson.stem}, Think further {number}"
        assert heading in found, f"discussion-notes.md has no notes for {heading}"
        assert first_quote(found[heading]) == question, (
            f"{heading}: the question in the notebook changed; update its notes "
            f"(the notebook now asks: {question!r})"
        )


def test_lessons_have_think_further_questions_to_check():
    assert sum(len(think_further(p)) for p in (ROOT / "notebooks").glob("*.ipynb")) >= 15


def test_every_open_exercise_question_has_notes():
    headings = [h.split(":")[0] for h in notes()]
    ids = open_exercises()
    assert len(ids) >= 7
    for exercise in ids:
        assert f"Exercise {exercise}" in headings, f"no discussion notes for Exercise {exercise}"


def test_every_note_quotes_its_lesson_verbatim_and_gives_purpose_evidence_positions():
    for heading, body in notes().items():
        for part in ("**What it is for:**", "**Evidence:**", "**Positions:**", "**Listen for:**"):
            assert part in body, f"{heading}: no {part}"
        positions = body.split("**Positions:**")[1].split("**Listen for:**")[0]
        assert "(1)" in positions and "(2)" in positions, f"{heading}: fewer than two positions"
        stem = heading.split(",")[0]
        if re.fullmatch(r"\d\d_[a-z0-9_]+", stem):
            lesson = normalise(markdown_of(ROOT / "notebooks" / f"{stem}.ipynb"))
            assert first_quote(body) in lesson, f"{heading}: its question is not in {stem}"


# ------------------------------------------------------------- paragraph references


REFERENCE = re.compile(r"\(Article (\d), ¶(\d+)(?:[–-]¶?(\d+))?(?:, ¶(\d+))*\)")


def test_every_quote_pinned_to_a_paragraph_is_in_that_paragraph():
    """A reference "(Article N, ¶P)" covers the quotes before it in the same list item or
    paragraph, back to the previous reference."""
    ids = fournos.article_ids()
    checked = 0
    for name, text in guide_texts().items():
        if name.startswith("answer-keys/"):
            continue
        for block in re.split(r"\n\s*\n|\n(?=\s*- )", text):
            if block.lstrip().startswith(">"):
                continue
            flat, start = normalise(block), 0
            for ref in REFERENCE.finditer(flat):
                article = ids[int(ref.group(1)) - 1]
                numbers = [int(n) for n in re.findall(r"¶(\d+)", ref.group(0))]
                if ref.group(3):
                    numbers = list(range(numbers[0], int(ref.group(3)) + 1))
                paragraphs = " ".join(fournos.paragraph(article, n) for n in numbers)
                haystack = normalise(paragraphs).translate(TYPOGRAPHY)
                for quote in re.findall(r"“([^”]+)”", flat[start : ref.start()]):
                    wanted = normalise(quote).translate(TYPOGRAPHY)
                    assert wanted in haystack, (
                        f"{name}: “{quote}” is not in {article} paragraph(s) {numbers}"
                    )
                    checked += 1
                start = ref.end()
    assert checked >= 60


# ------------------------------------------------------------- plans add up


def plan_meetings(text: str) -> list[tuple[str, int, int]]:
    """(heading, minutes the heading declares, minutes its table adds up to)."""
    meetings = []
    for match in re.finditer(r"^### (.+\((\d+) min\).*)$", text, re.MULTILINE):
        rest = text[match.end() :]
        rest = rest[: rest.find("\n### ")] if "\n### " in rest else rest
        table = re.search(r"\| min \|.*?\n((?:\|.*\n?)+)", rest)
        assert table, f"{match.group(1)}: no timed table"
        minutes = [int(m) for m in re.findall(r"^\| (\d+) \|", table.group(1), re.MULTILINE)]
        meetings.append((match.group(1), int(match.group(2)), sum(minutes)))
    return meetings


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_each_meetings_timings_add_up_to_its_length(path):
    meetings = plan_meetings(path.read_text(encoding="utf-8"))
    assert meetings
    for heading, declared, total in meetings:
        assert total == declared, f"{path.name}: {heading} adds up to {total}, not {declared}"


def test_the_plans_have_the_meetings_they_promise():
    week = plan_meetings((GUIDE / "README.md").read_text(encoding="utf-8"))
    assert len(week) == 5 and all(d == 90 for _, d, _ in week)  # "five 90-minute meetings"
    module = plan_meetings((GUIDE / "five-week-module.md").read_text(encoding="utf-8"))
    assert len(module) == 10  # twice a week for five weeks
    for n in range(1, 6):
        assert sum(h.startswith(f"Week {n}, session") for h, _, _ in module) == 2


def test_essay_rubric_points_add_up():
    text = (GUIDE / "five-week-module.md").read_text(encoding="utf-8")
    total = int(re.search(r"\*\*Rubric\*\* \((\d+) points\)", text).group(1))
    rubric = text.split("**Rubric**")[1].split("\n\n")[1]
    points = [int(p) for p in re.findall(r"^\| [^|]+ \| (\d+) \|", rubric, re.MULTILINE)]
    assert sum(points) == total
    shares = re.search(
        r"Exercises 1 to (\d): (\d+) % each.*?participation: (\d+) %;"
        r".*?proposal: (\d+) %; final essay: (\d+) %",
        text,
        re.DOTALL,
    )
    sets, ex, debate, proposal, essay = (int(x) for x in shares.groups())
    assert sets * ex + debate + proposal + essay == 100
    # every exercise notebook is marked: the plan counts as many sets as there are
    assert sets == len(list((ROOT / "exercises").glob("ex*.ipynb")))


def test_the_guide_gives_every_marked_written_answer_its_rubric_with_the_manifests_points():
    """An instructor marks from the guide: each written answer the grader counts has a rubric
    in README.md section 4 with the points the manifest gives, and a row in the exercise table."""
    import json

    manifest = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))
    guide = (GUIDE / "README.md").read_text(encoding="utf-8")
    rubrics = dict(
        re.findall(r"^\*\*Exercise (\d+\.\d+)[^*]*\*\* \((\d+) points?\)", guide, re.MULTILINE)
    )
    for name, notebook in manifest["notebooks"].items():
        for written in notebook["written"]:
            question, points = written["question"], written["points"]
            assert rubrics.get(question) == str(points), (
                f"{name}: Exercise {question} is worth {points} points in the manifest; the "
                f"guide's rubric says {rubrics.get(question)}"
            )
            row = re.search(rf"^\| {re.escape(question)} .*\| (.+) \|$", guide, re.MULTILINE)
            assert row and re.search(rf"open \({points}\b", row.group(1)), f"no row for {question}"
