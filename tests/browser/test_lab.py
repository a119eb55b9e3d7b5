"""Every notebook opened in JupyterLab in headless Chromium: Run All, no errors, every figure
drawn, widgets shown, and one interaction per lesson that changes what is on screen."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT, SHOTS

NOTEBOOKS = sorted(
    str(p.relative_to(ROOT))
    for folder in ["notebooks", "exercises", "solutions"]
    for p in (ROOT / folder).glob("*.ipynb")
)
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
KERNEL_IDLE = ".jp-StatusBar-TextItem:has-text('| Idle')"


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
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    page.wait_for_timeout(1500)
    page.wait_for_selector(IDLE, timeout=180_000)
    page.wait_for_timeout(1500)


def interact(page, path: str) -> None:
    """One interaction that must change what the student sees."""
    if "notebooks/0" in path and any(f"/0{n}_" in path for n in "12345"):
        page.locator(".widget-radio-box label").first.click()
        page.locator("button:has-text('Check')").first.click()
        page.wait_for_timeout(800)
        feedback = page.locator(
            ".widget-html-content:has-text('✔'), .widget-html-content:has-text('✘')"
        )
        assert feedback.count() >= 1, "the quiz gave no feedback"
    elif path.endswith("06_alliance_timeline.ipynb"):
        explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-checkbox")).first
        explorer.scroll_into_view_if_needed()
        before = explorer.locator(".js-plotly-plot .legendtext").count()
        explorer.locator(".widget-checkbox input").first.uncheck()
        page.wait_for_timeout(2000)
        after = explorer.locator(".js-plotly-plot .legendtext").count()
        assert after < before, "unticking a category did not change the timeline"
    elif path.endswith("07_doctrine_four_nos.ipynb"):
        plot = page.locator(".js-plotly-plot").last
        plot.scroll_into_view_if_needed()
        point = plot.locator(".scatterlayer .point").first
        point.hover(force=True)
        page.wait_for_timeout(800)
        assert plot.locator(".hoverlayer .hovertext").count() >= 1, "hovering showed nothing"
    elif path.endswith("09_the_case_for_alliance.ipynb"):
        plot = page.locator(".js-plotly-plot").last
        point = plot.locator(".scatterlayer .point").first
        point.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of Lab's toolbar
        point.hover(force=True)
        page.wait_for_selector(".hoverlayer .hovertext", timeout=5_000)
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
        drawn = page.locator(".js-plotly-plot .main-svg").count()
        assert drawn >= expected_figures(path), f"{drawn} figures drawn"
        interact(page, path)
        page.screenshot(path=str(SHOTS / f"lab_{path.replace('/', '_')}.png"))
    finally:
        page.close()
