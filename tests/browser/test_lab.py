"""Notebooks opened in JupyterLab in headless Chromium, with the outputs they are committed
with (nbval has just proved them current; nothing runs again here): no error shown, every
stored figure drawn, each widget replaced by a line saying how to start it, a figure that
answers the mouse, and, in each lesson, no serious or critical accessibility problem in the
kit's own content (axe-core: the rendered text and every output; JupyterLab's own interface
is counted and printed, not asserted: the kit does not make it). Run All in the Lab is
proved once, on one lesson, with its live widgets (test_student_reading.py); the start page
and my-work as `fournos lab` opens them.

The notebooks are opened one after another in one page, where JupyterLab starts once (File >
Open from Path…), and each is closed, its kernel ended, before the next: only one notebook is
in the page, and every check looks inside the one in view.

Not every notebook is opened: JupyterLab draws the same kinds of output the same way, so one
notebook of each kind is (LAB_NOTEBOOKS, below; a test checks that together they store every
kind of output any notebook stores). Every notebook's outputs are proved current and free of
errors by nbval, and drawn, with their figures, no dead widget and no serious accessibility
problem, on every page of the site (test_site.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from a11y import run_axe, serious, summary
from helpers import ROOT, SHOTS, WIDGET, stored_outputs, wait_for_figures
from lab_page import (
    CURRENT_DOCUMENT,
    IDLE,
    PANEL,
    close_notebook,
    open_from_path,
    open_notebook,
    stop_kernel,
)
from playwright.sync_api import expect

NOTEBOOKS = sorted(
    str(p.relative_to(ROOT))
    for folder in ["notebooks", "exercises", "solutions"]
    for p in (ROOT / folder).glob("*.ipynb")
)
LAB_NOTEBOOKS = [
    "notebooks/00_start_here.ipynb",  # the start page: tables and printed text
    "notebooks/01_duong_2018_integration.ipynb",  # an article's lesson: figure and widgets
    "notebooks/07_doctrine_four_nos.ipynb",  # a wide table; a figure that answers the mouse
    "notebooks/09_the_case_for_alliance.ipynb",  # the hover names the answering argument
    "notebooks/10_southeast_asia_compared.ipynb",  # a wide table, two figures, a widget
    "exercises/ex05_southeast_asia_compared.ipynb",  # an exercise (ex01: the reading test)
    "solutions/ex03_alliances_and_treaties.ipynb",  # a solution: figure, printed text
]
NOTEBOOK = f"{PANEL} .jp-Notebook"
# the lessons whose figure is hovered (lesson 10's was left out of the call for a while)
HOVER = (
    "07_doctrine_four_nos.ipynb",
    "09_the_case_for_alliance.ipynb",
    "10_southeast_asia_compared.ipynb",
)
KIT_CONTENT = [f"{NOTEBOOK} .jp-RenderedMarkdown", f"{NOTEBOOK} .jp-OutputArea-output"]
# Known problems in output made by the runtime library (src/fournos, not this test's owners),
# tolerated here and nowhere else. Not required to occur: JupyterLab draws a long notebook's
# cells lazily, so whether the wide table is on the page when axe runs depends on timing
# (CI failed once on exactly that), and a test must not fail on how fast the machine is.
KNOWN = {
    # fournos.wording_matrix() is wider than the notebook, so JupyterLab gives the table a
    # scrolling region that a keyboard cannot reach.
    "notebooks/07_doctrine_four_nos.ipynb": {"scrollable-region-focusable"},
    # fournos.commitment_matrix() (lesson 10's table of coded clauses) is wider than the notebook.
    "notebooks/10_southeast_asia_compared.ipynb": {"scrollable-region-focusable"},
}


def accessible(page, path: str) -> None:
    """No serious or critical axe-core problem in the kit's own content, but the known ones."""
    content = run_axe(page, KIT_CONTENT)
    whole = serious(run_axe(page))
    print(f"{path}: whole Lab page {sum(v['count'] for v in whole)} serious: {summary(whole)}")
    known = KNOWN.get(path, set())
    assert [v for v in serious(content) if v["id"] not in known] == [], summary(serious(content))


def hover_answers(page, path: str) -> None:
    """A stored figure answers the mouse: plotly draws its hover text with no kernel."""
    plots = page.locator(PANEL).locator(".js-plotly-plot")
    plot = plots.last
    if path.endswith("10_southeast_asia_compared.ipynb"):
        for name, shown in (("matrix", plots.nth(0)), ("spectrum", plots.nth(1))):
            shown.evaluate("e => e.scrollIntoView({block: 'center'})")
            shown.screenshot(path=str(SHOTS / f"lab_region_{name}.png"))  # pictures to look at
        plot = plots.nth(1)  # the spectrum: each state's declared posture on hover
    point = plot.locator(".scatterlayer .point").first
    point.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of Lab's toolbar
    point.hover(force=True)
    expect(plot.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=10_000)
    if path.endswith("09_the_case_for_alliance.ipynb"):
        assert "answered by" in plot.locator(".hoverlayer").text_content(), "no answer on hover"
    if path.endswith("10_southeast_asia_compared.ipynb"):
        assert "Declared" in plot.locator(".hoverlayer").text_content(), "no posture on hover"


def output_kinds(path: str) -> set[tuple[str, str]]:
    """(folder, kind) of each output the notebook stores: a stream, an error or a MIME type."""
    cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    folder = path.split("/")[0]
    return {(folder, o["output_type"]) for o in outputs if "data" not in o} | {
        (folder, mime) for o in outputs for mime in o.get("data", {})
    }


def test_the_notebooks_opened_in_the_lab_hold_every_kind_of_output():
    """A new kind of output (or a folder's first) in any notebook must be opened in the Lab:
    add its notebook to LAB_NOTEBOOKS. The known wide tables are among them too."""
    opened = set().union(*(output_kinds(p) for p in LAB_NOTEBOOKS))
    stored = set().union(*(output_kinds(p) for p in NOTEBOOKS))
    assert stored - opened == set()
    assert set(KNOWN) <= set(LAB_NOTEBOOKS) <= set(NOTEBOOKS)
    assert {p.split("/")[0] for p in LAB_NOTEBOOKS} == {"notebooks", "exercises", "solutions"}


class OneLab:
    """One Chromium page in which JupyterLab starts once (on first use, so that any one test
    can run alone) and opens the notebooks one after another, one notebook in the page at a
    time: starting the Lab costs several CPU seconds, opening a notebook in it far fewer."""

    def __init__(self, page, url: str, token: str) -> None:
        self.page, self.url, self.token = page, url, token
        self.started = False
        self.conflicts: list[str] = []  # what JupyterLab's "File Changed" dialogs said

    def open(self, path: str) -> None:
        self.conflicts.clear()
        if self.started:
            open_from_path(self.page, path)
        else:
            open_notebook(self.page, self.url, self.token, path, "lab-notebooks")
            self.started = True
        expect(self.page.locator(".jp-NotebookPanel")).to_have_count(1)

    def close(self, path: str, cleanly: bool) -> None:
        """Close the notebook's tab and end its kernel. After a failure, whatever state the
        page is in, the next test starts the Lab afresh."""
        self.started = False  # until the notebook is closed as it should be
        try:
            if cleanly:
                close_notebook(self.page)
                self.started = True
        finally:
            stop_kernel(self.page, self.url, self.token, path)


@pytest.fixture(scope="module")
def one_lab(browser, lab):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # JupyterLab arms its next autosave before a save ends: with the one-second interval the
    # kit once set, a save slower than that on a loaded machine overlapped the next, which
    # found the file changed and asked "File Changed: overwrite or revert?" about a notebook
    # only JupyterLab had touched. A student would be asked the same. Should it come again,
    # it is answered (the version shown is the file's: nothing is typed here) so the page
    # goes on, and the test fails saying so.
    lab_page = OneLab(page, *lab)

    def overwrite(dialog) -> None:
        lab_page.conflicts.append(dialog.inner_text())
        dialog.locator("button", has_text="Overwrite").click()

    page.add_locator_handler(page.locator(".jp-Dialog", has_text="changed on disk"), overwrite)
    # A notebook closed while its autosave is under way: JupyterLab reports that save's end
    # as "File Save Error for NAME: Disposed" (seen once under load). The notebook is closed
    # and nothing was typed in it: dismiss the report.
    late_save = page.locator(".jp-Dialog", has_text="File Save Error").filter(has_text="Disposed")
    page.add_locator_handler(late_save, lambda d: d.locator("button").last.click())
    yield lab_page
    page.close()


@pytest.mark.parametrize("path", LAB_NOTEBOOKS)
def test_notebook_shows_its_stored_outputs_in_jupyterlab(one_lab, path):
    page, passed = one_lab.page, False
    try:
        one_lab.open(path)
        notebook = page.locator(PANEL)  # every locator below: this notebook's, none before it
        figures = stored_outputs(path)
        drawn = wait_for_figures(page, figures, within=PANEL)
        assert drawn >= figures, f"{drawn} of {figures} stored figures drawn"
        outputs = notebook.locator(".jp-OutputArea-output").all_inner_texts()
        assert not [o for o in outputs if "Traceback" in o], "a stored output shows an error"
        assert notebook.locator("text=Error displaying widget").count() == 0
        assert notebook.locator("text=VBox(children=").count() == 0
        # each stored widget shows its run-first line once its cell is drawn
        expect(notebook.locator(".fournos-run-first")).to_have_count(
            stored_outputs(path, WIDGET), timeout=15_000
        )
        if path.startswith("notebooks/"):
            accessible(page, path)
        if path.endswith(HOVER):
            hover_answers(page, path)
        assert one_lab.conflicts == [], "JupyterLab asked about a file nobody changed"
        passed = True
    finally:  # also when it fails: the picture shows what went wrong
        page.screenshot(path=str(SHOTS / f"lab_{path.replace('/', '_')}.png"))
        one_lab.close(path, cleanly=passed)


# table cells holding only a date ("2018-03-22", "11 March 1951") whose text takes two lines
SPLIT_DATES = r"""() => Array.from(document.querySelectorAll('.jp-OutputArea-output td'))
  .filter(td => /^(\d{4}-\d\d(-\d\d)?|(\d{1,2} )?[A-Z][a-z]+ \d{4})$/.test(td.textContent.trim()))
  .filter(td => { const range = document.createRange(); range.selectNodeContents(td);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1; })
  .map(td => td.textContent.trim())"""


def test_the_start_page_and_my_work_open_in_the_lab_fournos_lab_starts(browser, lab_server):
    """What a student does: `fournos lab`, open the address it printed (the start page), run
    `fournos my-work` in a second terminal, and open my-work/ in the file browser."""
    made = subprocess.run(
        [sys.executable, "-m", "fournos", "my-work"],
        cwd=lab_server.kit,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(lab_server.start_url)
        expect(page.locator(CURRENT_DOCUMENT)).to_contain_text(
            "00_start_here.ipynb", timeout=90_000
        )
        page.wait_for_selector(IDLE, timeout=90_000)
        # at 1100 px the start page's tables kept their dates on one line ("11 March" / "1951"
        # and "2018-" / "03-22" were split when a long column squeezed theirs)
        page.set_viewport_size({"width": 1100, "height": 900})
        page.wait_for_function(
            "() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"
            ".getBoundingClientRect().right <= 1100"
        )
        page.locator(".jp-OutputArea-output table").first.wait_for()
        assert page.evaluate(SPLIT_DATES) == []
        # the file browser shows the start page's folder; its home icon goes to the kit's root
        expect(page.locator(".jp-BreadCrumbs")).to_contain_text("notebooks")
        page.locator(".jp-BreadCrumbs-home").click()
        listing = page.locator(".jp-DirListing-content")

        def item(name: str):
            return listing.locator(".jp-DirListing-itemText").get_by_text(name, exact=True)

        for folder in ["my-work", "exercises", "data", "notebooks"]:
            expect(item(folder)).to_be_visible()
        item("my-work").dblclick()
        notebooks = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
        for name in notebooks:
            expect(item(name)).to_be_visible()
        item(notebooks[0]).dblclick()
        expect(page.locator(CURRENT_DOCUMENT)).to_contain_text(notebooks[0])
        page.wait_for_selector(IDLE, timeout=90_000)
        expect(page.locator(".jp-BreadCrumbs")).to_contain_text("my-work")
        page.screenshot(path=str(SHOTS / "lab_my-work.png"))
    finally:
        page.close()
