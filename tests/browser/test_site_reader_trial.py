"""What a reader with no Python found on the site with a phone (reader trial, issue 25): a
chart's hover label cut off on both sides and showing a raw "<br>", words in tables broken
mid-word, and short answers whose spelling tolerance differed from one slip to another."""

from __future__ import annotations

import json

import pytest

import fournos

LESSON_10 = "notebooks/10_southeast_asia_compared.html"
MATRIX = "#fig-10_southeast_asia_compared-8"
FITTED = (
    "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
    ".filter(p => !p.closest('details:not([open])')).every(p => p.getAttribute('data-fitted'))"
)


@pytest.fixture(scope="module")
def phone(browser, site):
    _, url = site
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()

    def open_page(path: str):
        page.goto(f"{url}/{path}")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(FITTED)
        return page

    yield open_page
    context.close()


def test_a_tapped_cell_of_lesson_10s_matrix_is_read_within_the_screen(phone):
    page = phone(LESSON_10)
    grid = page.locator(f"{MATRIX} .nsewdrag")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    rows = 9  # the matrix's fifth row is the 1977 treaty with Laos
    page.touchscreen.tap(box["x"] + 8, box["y"] + box["height"] * 4.5 / rows)
    said = page.locator(f".fournos-figure:has({MATRIX}) .fournos-tapped")
    said.filter(has_text="defense").wait_for()
    text = said.first.inner_text()
    assert "Vietnam–Laos" in text and "contested" in text and "<" not in text, text
    shown = said.first.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 390
    labels = page.locator(f"{MATRIX} .hoverlayer .hovertext")
    assert labels.count() == 0  # no hover label to run off the screen


def test_a_hover_label_on_a_desk_shows_no_raw_tag(browser, site):
    _, url = site
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/{LESSON_10}")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(FITTED)
    grid = page.locator(f"{MATRIX} .nsewdrag")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + box["height"] * 4.5 / 9)
    label = page.locator(f"{MATRIX} .hoverlayer .hovertext")
    label.wait_for()
    assert "Vietnam has" in label.text_content() and "<br>" not in label.text_content()
    context.close()


# every word of a table cell on one line: a word whose letters lie on two lines was broken
BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll('.bd-article table:not(.fournos-card, .fournos-card table)').forEach(table => {
    if (table.closest('details:not([open])')) return;
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (const m of node.data.matchAll(/[\\p{L}\\p{N}]+/gu)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  });
  return broken;
}"""

# a table wider than the screen must scroll (its own box), with the note that says so
CUT_TABLES = """() => Array.from(document.querySelectorAll('.bd-article table'))
  .filter(t => !t.closest('details:not([open])') && !t.closest('.fournos-card'))
  .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1
    || (t.scrollWidth > t.clientWidth + 1 && !(['auto', 'scroll'].includes(getComputedStyle(t).overflowX)
        && t.parentElement.classList.contains('fournos-wide-table'))))
  .map(t => t.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize(
    "path",
    [
        "notebooks/00_start_here.html",
        "notebooks/01_duong_2018_integration.html",
        "notebooks/08_treaties_compared.html",
        "notebooks/09_the_case_for_alliance.html",
        LESSON_10,
    ],
)
def test_on_a_phone_no_word_in_a_table_is_broken_and_wide_tables_scroll_whole(phone, path):
    page = phone(path)
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(CUT_TABLES) == []


SLIPS = {
    "notebooks/03_vu_sui_generis.html": [
        ("q_vu_4", "Loas"),
        ("q_vu_4", "Lao"),
        ("q_vu_4", "Laso"),
        ("q_vu_4", "Loa"),
    ],
    LESSON_10: [("q_region_5", "Cambodai"), ("q_region_5", "Cmabodia")],
}


@pytest.mark.parametrize("path", list(SLIPS))
def test_the_page_and_the_library_judge_slips_and_short_names_alike(phone, path):
    """A swap of two letters ("Loas") was wrong where "Cambodai" passed; "Lao" was right in
    the kit and wrong on the site."""
    page = phone(path)
    page.wait_for_selector(".fournos-quiz[data-ready='true']")
    rules = json.loads(page.locator(".fournos-quiz-rules").first.text_content())
    for question_id, answer in SLIPS[path]:
        data = json.loads(
            page.locator(
                f"form[data-question='{question_id}'] .fournos-question-data"
            ).text_content()
        )
        in_page = page.evaluate("([q, a, r]) => fournosQuiz.check(q, a, r)", [data, answer, rules])
        expected = fournos.check_answer(question_id, answer)
        assert in_page["correct"] == expected.correct, answer
        assert in_page["correct"] == (answer != "Loa"), answer
