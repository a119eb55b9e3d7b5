"""The student's reading and exercise path in JupyterLab, in headless Chromium: a lesson opened
before running, the whole article folded, keyboard ordering, a friendly error and a check that
refuses a stale answer. Every wait is on something appearing on the page (or, for an autosave,
in the notebook file the check reads), never a fixed sleep."""

from __future__ import annotations

import json
import time

import pytest
from a11y import run_axe, serious
from helpers import SHOTS, stored_outputs, wait_for_figures
from playwright.sync_api import expect

# a cell's output on a busy 2-core machine (two test runs side by side) can take over 30 s;
# waits on a check's output fail showing what it said
RAN = 120_000
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
KERNEL_READY = ".jp-StatusBar-Widget >> text=/\\| Idle/"  # says "| Initializing" until then


def open_notebook(page, url, token, path):
    workspace = "student-" + path.replace("/", "-").removesuffix(".ipynb")
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    page.wait_for_selector(KERNEL_READY, timeout=90_000)
    if page.locator(".jp-Dialog button.jp-mod-accept").count():  # "Select kernel", if asked
        page.click(".jp-Dialog button.jp-mod-accept")


def run_all(page):
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()  # the notebook has the focus
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']:not(.lm-mod-disabled)")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    yield context.new_page()
    context.close()


def test_a_lesson_reads_well_before_and_after_running(page, lab):
    url, token = lab
    open_notebook(page, url, token, "notebooks/03_vu_sui_generis.ipynb")
    # opened before running: the quiz says what to do, not VBox(children=(HTML(value=...
    hint = page.locator(".fournos-run-first", has_text="This quiz is interactive").first
    hint.wait_for(timeout=30_000)
    assert page.locator("text=VBox(children=").count() == 0
    hint.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "student-03-before-running.png"))

    run_all(page)
    up_buttons = page.locator(".jupyter-widgets button:has-text('↑')")
    up_buttons.first.wait_for(timeout=180_000)  # the quiz's ordering rows are drawn
    page.wait_for_selector(IDLE, timeout=180_000)

    # Run All works in the Lab (the one lesson the browser stage runs: nbval runs them all):
    # no error, every figure drawn, the live widgets shown and accessible, a quiz answers
    assert not [
        o for o in page.locator(".jp-OutputArea-output").all_inner_texts() if "Traceback" in o
    ]
    assert page.locator("text=Error displaying widget").count() == 0
    figures = stored_outputs("notebooks/03_vu_sui_generis.ipynb")
    assert wait_for_figures(page, figures) >= figures
    page.locator(".widget-radio-box label").first.click()
    page.locator("button:has-text('Check')").first.click()
    feedback = ".widget-html-content:has-text('✔'), .widget-html-content:has-text('✘')"
    page.wait_for_selector(feedback, timeout=10_000)  # fails if the quiz gave no feedback
    content = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-OutputArea-output"
    assert serious(run_axe(page, [content])) == []

    # the whole article, folded until opened, with the paragraph numbers the hints use
    article = page.locator(".fournos-full-text").first
    article.scroll_into_view_if_needed()
    assert article.get_attribute("open") is None
    assert not article.locator("text=[9]").is_visible()
    article.locator("summary").click()
    article.locator("text=[9]").wait_for(state="visible")
    page.screenshot(path=str(SHOTS / "student-03-whole-article.png"))
    article.locator("summary").click()

    # put in order with the keyboard: Tab to ↓ on the first item, press Enter
    rows = page.locator(".widget-hbox:has(button:has-text('↑'))")
    first_label = rows.first.locator(".widget-html-content")
    before = first_label.inner_text()
    down = rows.first.locator("button:has-text('↓')")
    down.scroll_into_view_if_needed()
    down.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([el, before]) => el.innerText !== before", arg=[first_label.element_handle(), before]
    )
    item = before.split(". ", 1)[1]
    assert item in rows.nth(1).locator(".widget-html-content").inner_text()
    # the focus followed the item: Enter again moves it one further down
    third = rows.nth(2).locator(".widget-html-content")
    rows.nth(1).locator("button:has-text('↓'):focus").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([el, item]) => el.innerText.includes(item)", arg=[third.element_handle(), item]
    )
    assert rows.first.locator("button:has-text('↑')").is_disabled()
    page.screenshot(path=str(SHOTS / "student-03-ordering.png"))


def replace_cell_text(page, cell, text):
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Enter")


def test_an_error_is_short_and_a_stale_answer_is_not_graded(page, lab, lab_server):
    url, token = lab
    open_notebook(page, url, token, "exercises/ex01_themes_and_words.ipynb")
    run_all(page)
    early = page.locator(".jp-OutputArea-output", has_text="Not answered yet").first
    try:
        early.wait_for(timeout=180_000)  # checks before answers: a prompt, not a NameError
    finally:
        page.screenshot(path=str(SHOTS / "student-ex01-run-all.png"))
    page.wait_for_selector(IDLE, timeout=180_000)

    cells = page.locator(".jp-Notebook .jp-Cell")
    texts = cells.all_inner_texts()  # locators are lazy: pin the cells by position
    answer = cells.nth(next(i for i, t in enumerate(texts) if "theme_matrix = ...  #" in t))
    check = cells.nth(next(i for i, t in enumerate(texts) if "check_theme_matrix(" in t))
    replace_cell_text(
        page, answer, 'theme_matrix = pd.crosstab(claims["article_id"], claims["theme"])'
    )
    replace_cell_text(page, check, "check_theme_matrix(theme_matrix)")
    expect(check.locator(".jp-OutputArea")).to_contain_text("Correct", timeout=RAN)

    # an edit typed but not run, then saved as the READMEs tell students (Ctrl+S: the kit's
    # autosave, every 5 s, comes later on a busy machine, where JupyterLab waits ten times as
    # long as its last save took): the check refuses the old value
    typed = 'theme_matrix = pd.crosstab(claims["theme"], claims["article_id"])'
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(typed)  # one input, as pasted: no bracket is closed for it
    expect(answer.locator(".cm-content")).to_have_text(typed)
    page.keyboard.press("Control+s")
    edit = json.dumps('claims["theme"], claims["article_id"]')[1:-1]  # as the file holds it
    saved = lab_server.kit / "exercises/ex01_themes_and_words.ipynb"
    deadline = time.monotonic() + RAN / 1000
    while edit not in saved.read_text(encoding="utf-8"):
        if time.monotonic() > deadline:
            page.screenshot(path=str(SHOTS / "student-ex01-not-saved.png"))
            raise AssertionError(f"Ctrl+S did not save the edit in {RAN / 1000} s")
        page.wait_for_timeout(100)  # a poll of the file the check reads, not a fixed wait
    replace_cell_text(page, check, "check_theme_matrix(theme_matrix)")
    expect(check.locator(".jp-OutputArea")).to_contain_text("have not run it since", timeout=RAN)

    # a typo in the answer: a short, plain explanation naming the line; the report is folded
    replace_cell_text(
        page, answer, 'theme_matrix = pd.crosstab(claims["article_id"], claims["themes"])'
    )
    error = answer.locator(".fournos-error")
    error.wait_for(timeout=RAN)
    assert "KeyError in line 1 of your cell" in error.inner_text()
    assert not error.locator("pre").last.is_visible()
    error.locator("summary").click()
    error.locator("pre").last.wait_for(state="visible")
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "student-ex01-friendly-error.png"))

    # the old, correct value is still in theme_matrix: the check must not say Correct
    replace_cell_text(page, check, "check_theme_matrix(theme_matrix)")
    expect(check.locator(".jp-OutputArea")).to_contain_text("stopped with an error", timeout=RAN)
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "student-ex01-stale-answer.png"))
