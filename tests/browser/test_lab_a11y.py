"""Each lesson open in JupyterLab with the outputs it is committed with (nbval has just proved
them current), checked with axe-core: the kit's own content (rendered lesson text and every
output: tables, quotes, figures, the line that stands for a widget until the cells run) has no
serious or critical accessibility problem. The live widgets are checked once, in the lesson
run in the Lab (test_student_reading.py). JupyterLab's own interface (menus, cell editors,
heading collapse buttons) is counted and printed, not asserted: the kit does not make it."""

from __future__ import annotations

import pytest
from a11y import run_axe, serious, summary
from helpers import ROOT, SHOTS
from lab_page import open_notebook, stop_kernel

LESSONS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
# Known problems in output made by the runtime library (src/fournos, not this test's owners),
# reported to them. Each must still occur: once fixed, the test fails until it is removed here.
KNOWN = {
    # fournos.wording_matrix() is wider than the notebook, so JupyterLab gives the table a
    # scrolling region that a keyboard cannot reach.
    "notebooks/07_doctrine_four_nos.ipynb": {"scrollable-region-focusable"},
}
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
KIT_CONTENT = [f"{NOTEBOOK} .jp-RenderedMarkdown", f"{NOTEBOOK} .jp-OutputArea-output"]


def lab_address(lab) -> tuple[str, str]:
    """The fixture's server address and token, however the fixture starts JupyterLab."""
    url, token = lab[:2] if isinstance(lab, tuple) else (lab, "")
    return url.rstrip("/"), token


@pytest.mark.parametrize("path", LESSONS)
def test_lesson_in_jupyterlab_has_no_serious_accessibility_problems(browser, lab, path):
    url, token = lab_address(lab)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        workspace = "a11y-" + path.replace("/", "-").removesuffix(".ipynb")
        open_notebook(page, url, token, path, workspace)
        page.locator(f"{NOTEBOOK} .jp-Cell").last.scroll_into_view_if_needed()
        content = run_axe(page, KIT_CONTENT)
        whole = run_axe(page)
        print(
            f"{path}: kit content {sum(v['count'] for v in content)} violations "
            f"({sum(v['count'] for v in serious(content))} serious or critical: "
            f"{', '.join(sorted({v['id'] + ':' + v['impact'] for v in content}))}); whole Lab page "
            f"{sum(v['count'] for v in serious(whole))} serious or critical: {summary(serious(whole))}"
        )
        page.screenshot(path=str(SHOTS / f"lab_a11y_{path.replace('/', '_')}.png"))
        known = KNOWN.get(path, set())
        assert [v for v in serious(content) if v["id"] not in known] == [], summary(
            serious(content)
        )
        assert known <= {v["id"] for v in serious(content)}, "fixed: remove it from KNOWN"
    finally:
        stop_kernel(page, url, token, path)
        page.close()
