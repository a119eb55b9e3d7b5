"""Every page of the built static site, opened with all non-local requests blocked."""

from __future__ import annotations

import json

from helpers import ROOT, SHOTS, wait_for_figures


def stored_figures(folder: str, stem: str) -> int:
    nb = json.loads((ROOT / folder / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return sum(
        1
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "application/vnd.plotly.v1+json" in o.get("data", {})
    )


def test_every_page_works_offline_with_its_figures(browser, site):
    html, url = site
    pages = sorted(
        p.relative_to(html).as_posix()
        for folder in ["notebooks", "exercises"]
        for p in (html / folder).glob("*.html")
    )
    assert len(pages) == len(list((ROOT / "notebooks").glob("*.ipynb"))) + len(
        list((ROOT / "exercises").glob("*.ipynb"))
    )
    context = browser.new_context(viewport={"width": 1300, "height": 1200})
    blocked, failed = [], []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(url)
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in pages:
        page.goto(f"{url}/{path}")
        page.wait_for_load_state("load")
        folder, stem = path.removesuffix(".html").split("/")
        drawn = wait_for_figures(page, stored_figures(folder, stem))  # waits on the page
        assert drawn >= stored_figures(folder, stem), f"{path}: {drawn} figures drawn"
        assert page.locator("text=Error displaying widget").count() == 0, path
        page.screenshot(path=str(SHOTS / f"site_{stem}.png"))
    assert blocked == [], f"pages asked for non-local resources: {blocked[:3]}"
    assert failed == [], f"missing files: {failed[:3]}"
    context.close()


def test_plotly_js_is_shipped_once_and_solutions_stay_out(site):
    html, _ = site
    assert len(list(html.rglob("plotly*.js"))) == 1
    assert not (html / "solutions").exists()
    for page in (html / "notebooks").glob("*.html"):
        assert "cdn.plot.ly" not in page.read_text(encoding="utf-8")
