"""Students never lose work (grading is tested in test_grading.py and tests/attacks/)."""

from __future__ import annotations

from helpers import ROOT

from fournos import mywork


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
