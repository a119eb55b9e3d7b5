"""The cleaned reading texts keep the articles' words exactly, in order, and are reproducible."""

from __future__ import annotations

import importlib.util
import re

import pytest
from helpers import DATA, ROOT

spec = importlib.util.spec_from_file_location(
    "clean_articles", ROOT / "scripts" / "clean_articles.py"
)
clean_articles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(clean_articles)

ARTICLES = clean_articles.ARTICLES


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def appears_in_order(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


@pytest.mark.parametrize(
    "filename,rules", ARTICLES.items(), ids=[r["id"] for r in ARTICLES.values()]
)
def test_every_cleaned_word_is_in_the_raw_file_in_order(filename, rules):
    raw = words((DATA / "raw" / filename).read_text(encoding="utf-8"))
    body = words((DATA / "articles" / f"{rules['id']}.txt").read_text(encoding="utf-8"))
    assert appears_in_order(body, raw)
    assert len(body) > 0.85 * len(raw) - 150  # only furniture was removed


def test_a_changed_word_is_caught():
    raw = words("National sovereignty is sacred and supreme")
    assert not appears_in_order(words("National sovereignty is sacred and absolute"), raw)
    assert not appears_in_order(words("sovereignty National is"), raw)


def test_rerunning_the_script_reproduces_the_committed_texts(tmp_path):
    clean_articles.main(DATA / "raw", tmp_path)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (DATA / "articles" / made.name).read_bytes(), made.name


def test_every_removed_line_is_logged_and_nothing_else_is_lost():
    for filename, rules in ARTICLES.items():
        raw_lines = [
            line.strip() for line in (DATA / "raw" / filename).read_text("utf-8").splitlines()
        ]
        body, refs, removed = clean_articles.split_article("\n".join(raw_lines), rules)
        kept = len(body) + len(refs) + sum(r["kind"] == "joined_to_previous_line" for r in removed)
        logged = sum(r["kind"] != "joined_to_previous_line" for r in removed)
        assert kept + logged == sum(1 for line in raw_lines if line)


def test_page_furniture_named_in_the_sources_readme_is_removed():
    def body(article_id):
        return (DATA / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")

    assert "Lt. Gen. Nguyen Tan Cuong welcomes" not in body("art_ndj_no_alliances")
    assert "Paris Commune" not in body("art_ndj_no_alliances")
    assert "Lượt xem" not in body("art_duong_integration")
    assert "Related Articles" not in body("art_duong_integration")
    assert "Motorcyclists ride past" not in body("art_vu_sui_generis")
    assert "Your Comment" not in body("art_thuc_resolution44")
    assert "(photo: VNA)" not in body("art_thuc_resolution44")
    refs = (DATA / "articles" / "art_duong_integration.references.txt").read_text("utf-8")
    assert refs.count("\n\n") == 4  # the five numbered references are kept
