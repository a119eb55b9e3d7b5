"""Every notebook opened in JupyterLab in headless Chromium: Run All, no errors, every figure
drawn, widgets shown, and one interaction per lesson that changes what is on screen."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT, SHOTS, wait_for_figures
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

NOTEBOOKS = sorted(
    str(p.relative_to(ROOT))
    for folder in ["notebooks", "exercises", "solutions"]
    for p in (ROOT / folder).glob("*.ipynb")
)
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
KERNEL_IDLE = ".jp-StatusBar-TextItem:has-text('| Idle')"
CURRENT_DOCUMENT = "li.lm-TabBar-tab.jp-mod-current[data-type='document-title']"
# Run All starts from cleared outputs, so every code cell shows "[ ]:". It is finished when
# every code cell that has code shows its new execution count ("[3]:"; "[*]:" is waiting or
# running) and the kernel is idle: a state of the page, not a guess at how long it takes.
RUN_ALL_DONE = """() => {
  const indicator = [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')]
    .find(e => e.offsetParent !== null);
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
    .filter(c => c.querySelector('.jp-InputArea-editor').textContent.trim() !== '');
  const counted = cells.every(
    c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputArea-prompt').textContent));
  return cells.length > 0 && counted && indicator.dataset.status === 'idle';
}"""


def expected_figures(path: str) -> int:
    """Figures the notebook stores (plotly outputs, including inside the explorer's widget)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    return sum(
        1
        for c in json.loads(text)["cells"]
        for o in c.get("outputs", [])
        if "application/vnd.plotly.v1+json" in o.get("data", {})
    )


def run_all(page, url, token, path):
    workspace = path.replace("/", "-").removesuffix(".ipynb")  # one fresh workspace per notebook
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    page.wait_for_selector(IDLE, timeout=90_000)
    # a fresh server may ask "Select Kernel" only after the notebook is shown: wait for the
    # kernel to be ready or for that dialog, whichever comes first
    page.wait_for_selector(f"{KERNEL_IDLE}, .jp-Dialog button.jp-mod-accept", timeout=90_000)
    if page.locator(".jp-Dialog button.jp-mod-accept").count():
        page.click(".jp-Dialog button.jp-mod-accept")
        page.wait_for_selector(KERNEL_IDLE, timeout=90_000)
    page.click("li.lm-MenuBar-item:has-text('Edit')")
    page.click("li.lm-Menu-item[data-command='editmenu:clear-all']")
    expect(page.locator(".jp-Notebook .jp-OutputArea-output")).to_have_count(0)
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    try:
        page.wait_for_function(RUN_ALL_DONE, timeout=180_000, polling=250)
    except PlaywrightTimeout:
        pass  # a cell that raised stops Run All: the assertions below say which problem


def interact(page, path: str) -> None:
    """One interaction that must change what the student sees."""
    if "notebooks/0" in path and any(f"/0{n}_" in path for n in "12345"):
        page.locator(".widget-radio-box label").first.click()
        page.locator("button:has-text('Check')").first.click()
        feedback = ".widget-html-content:has-text('✔'), .widget-html-content:has-text('✘')"
        page.wait_for_selector(feedback, timeout=10_000)  # fails if the quiz gave no feedback
    elif path.endswith("06_alliance_timeline.ipynb"):
        explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-checkbox")).first
        explorer.scroll_into_view_if_needed()
        before = explorer.locator(".js-plotly-plot .legendtext").count()
        explorer.locator(".widget-checkbox input").first.uncheck()
        legend = explorer.locator(".js-plotly-plot .legendtext")
        expect(legend).not_to_have_count(before, timeout=10_000)
        assert legend.count() < before, "unticking a category did not change the timeline"
    elif path.endswith("07_doctrine_four_nos.ipynb"):
        plot = page.locator(".js-plotly-plot").last
        plot.scroll_into_view_if_needed()
        point = plot.locator(".scatterlayer .point").first
        point.hover(force=True)
        expect(plot.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=10_000)
    elif path.endswith("10_southeast_asia_compared.ipynb"):
        plots = page.locator(".js-plotly-plot")
        matrix, spectrum = plots.nth(0), plots.nth(1)
        for name, plot in (("matrix", matrix), ("spectrum", spectrum)):  # pictures to look at
            plot.evaluate("e => e.scrollIntoView({block: 'center'})")
            plot.screenshot(path=str(SHOTS / f"lab_region_{name}.png"))
        point = spectrum.locator(".scatterlayer .point").first
        point.hover(force=True)
        expect(spectrum.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=10_000)
        assert "Declared" in spectrum.locator(".hoverlayer").text_content(), "no posture on hover"
    elif path.endswith("09_the_case_for_alliance.ipynb"):
        plot = page.locator(".js-plotly-plot").last
        point = plot.locator(".scatterlayer .point").first
        point.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of Lab's toolbar
        point.hover(force=True)
        expect(plot.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=10_000)
        assert "answered by" in plot.locator(".hoverlayer").text_content(), "no answer on hover"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_and_renders_in_jupyterlab(browser, lab, path):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_all(page, url, token, path)
        outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
        assert not [o for o in outputs if "Traceback" in o], "a cell raised an error"
        assert page.locator("text=Error displaying widget").count() == 0
        drawn = wait_for_figures(page, expected_figures(path))
        assert drawn >= expected_figures(path), f"{drawn} figures drawn"
        interact(page, path)
    finally:  # also when it fails: the picture shows what went wrong
        page.screenshot(path=str(SHOTS / f"lab_{path.replace('/', '_')}.png"))
        page.close()


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
