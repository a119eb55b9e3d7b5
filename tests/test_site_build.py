"""The students' site never carries a solution page, even one left by an earlier build."""

from __future__ import annotations

from fournos_tools import site


def test_a_student_build_starts_clean_and_has_no_solutions(tmp_path):
    stale = tmp_path / "_build" / "html" / "solutions" / "ex01_themes_and_words.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<p>### BEGIN SOLUTION</p>", encoding="utf-8")
    html = site.build(out=tmp_path)
    assert not stale.exists() and not (html / "solutions").exists()
    pages = {p.name for p in (html / "exercises").glob("*.html")}
    assert "ex01_themes_and_words.html" in pages
    assert "Solutions" not in (html / "index.html").read_text(encoding="utf-8")


def test_only_the_instructor_site_has_the_guide_and_solutions():
    assert "file: guide" in site.toc(instructor=True)
    assert "solutions/ex01_themes_and_words" in site.toc(instructor=True)
    assert "guide" not in site.toc(instructor=False)
    assert "solutions/" not in site.toc(instructor=False)
