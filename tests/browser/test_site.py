"""The built static site in headless Chromium, as a reader with no kernel uses it: every page
offline with its figures, article pages with paragraph anchors, links to paragraphs, quizzes
that check answers in the page (mouse and keyboard), static explorers, wrapped text and no
serious accessibility problems (axe-core)."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from a11y import run_axe, serious, summary
from helpers import ROOT, SHOTS, normalise, stored_outputs

import fournos
from fournos_tools import handouts

FIGURES = "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n"


def stored_figures(folder: str, stem: str) -> int:
    """Plotly outputs the notebook stores outside widgets: the site draws each one."""
    return stored_outputs(f"{folder}/{stem}.ipynb")


def site_pages(html) -> list[str]:
    return sorted(
        p.relative_to(html).as_posix()
        for folder in ["notebooks", "exercises", "articles"]
        for p in (html / folder).glob("*.html")
    )


def test_the_students_site_starts_clean_and_has_no_solutions(site, stale_page):
    html, _ = site
    assert not stale_page.exists()
    assert not (html / "solutions").exists()
    pages = {p.name for p in (html / "exercises").glob("*.html")}
    assert "ex01_themes_and_words.html" in pages
    articles = {p.stem for p in (html / "articles").glob("*.html")}
    assert articles == set(fournos.article_ids())
    assert "Solutions" not in (html / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def offline(browser, site):
    """A page in a context where every request that is not to the site fails (and is noted)."""
    _, url = site
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
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
    yield page, url, blocked, failed
    context.close()


def open_page(page, url: str, path: str) -> None:
    """Open a page of the site; a lesson's or article's (folder/page.html) once its stored
    figures are drawn."""
    page.goto(f"{url}/{path}")
    page.wait_for_load_state("load")
    if "/" not in path:  # index, search, genindex: no figures
        return
    folder, stem = path.removesuffix(".html").split("/")
    page.wait_for_function(FIGURES, arg=stored_figures(folder, stem), timeout=20_000)


def fonts_loaded(page) -> None:
    """Wait until the page's web fonts are in (text measured before would be measured in a
    fallback font). Playwright's "networkidle" would also do, but it waits half a second on
    every page, a minute of the browser stage in all."""
    page.evaluate("() => document.fonts.ready.then(() => true)")


TOO_WIDE = """() => Array.from(document.querySelectorAll(
    '.bd-article p, .bd-article pre, .bd-article blockquote, .bd-article li, .bd-article summary'))
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto')
    .map(e => e.tagName + ': ' + e.textContent.slice(0, 60))"""


@pytest.fixture(scope="module")
def visited(offline, site):
    """Every page of the site opened once, offline, at a desk's width, with its figures drawn
    and the network quiet: what each page showed (live widgets, text too wide for its box,
    what_the_page_holds, then, with its folds open, axe-core's findings and the figures' text
    alternatives) and every console error, script error or missing file on the way. The tests
    below assert on it (one visit of each page instead of one per test)."""
    page, url, blocked, failed = offline
    html, _ = site
    errors = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    def on_error(error) -> None:
        errors.append(f"{page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    shown = {}
    try:
        for path in ["index.html", *site_pages(html), "search.html", "genindex.html"]:
            open_page(page, url, path)
            if path == "index.html":  # it sends the reader on to the start page
                page.wait_for_load_state("networkidle")
            fonts_loaded(page)
            shown[path] = {
                "widgets": page.locator(".jupyter-widgets, .widget-radio-box").count(),
                "widget_errors": page.locator("text=Error displaying widget").count(),
                "too_wide": page.evaluate(TOO_WIDE),
            }
            page.screenshot(path=str(SHOTS / f"site_{path.replace('/', '_')}.png"))
            shown[path].update(what_the_page_holds(page, path))
            if path != "index.html":
                shown[path].update(accessibility(page))
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
    return {"pages": shown, "errors": errors, "blocked": list(blocked), "failed": list(failed)}


# the site page of each article's lesson (01 to 05), with its article's id
ARTICLE_LESSONS = {
    f"notebooks/{next((ROOT / 'notebooks').glob(f'0{n}_*.ipynb')).stem}.html": article_id
    for n, article_id in enumerate(fournos.article_ids(), start=1)
}
# the lessons whose charts' texts are measured, at a phone's, a narrow desk's and a desk's width
CHARTED = [
    f"notebooks/{stem}.html"
    for stem in [
        "06_alliance_timeline",
        "07_doctrine_four_nos",
        "09_the_case_for_alliance",
        "10_southeast_asia_compared",
    ]
]


def what_the_page_holds(page, path: str) -> dict:
    """What the tests below read on a page of `visited`, before its folds are opened: an
    article lesson's paragraph links and its quizzes' verdicts, an article's last paragraph
    as its anchor shows it, a charted lesson's chart texts."""
    found = {}
    if path in ARTICLE_LESSONS:
        found["links"] = links_on(page)
        found["footers"] = page.eval_on_selector_all(
            ".fournos-quote footer",
            "fs => fs.map(f => [f.textContent, f.querySelector('a').getAttribute('href')])",
        )
        found["verdicts"] = quiz_verdicts(page, ARTICLE_LESSONS[path])
    if path.startswith("articles/"):
        found["anchor"] = last_paragraph(page, path)
    if path in CHARTED:
        found["chart_text"] = chart_text(page)
    return found


def test_every_page_works_offline_with_its_figures_and_no_dead_widgets(visited, site):
    html, _ = site
    pages = site_pages(html)
    expected = (
        len(list((ROOT / "notebooks").glob("*.ipynb")))
        + len(list((ROOT / "exercises").glob("*.ipynb")))
        + len(fournos.article_ids())
    )
    assert len(pages) == expected
    assert set(pages) <= set(visited["pages"])  # each drew its stored figures (open_page)
    for path, shown in visited["pages"].items():
        assert shown["widgets"] == 0 and shown["widget_errors"] == 0, path
    assert visited["blocked"] == [], (
        f"pages asked for non-local resources: {visited['blocked'][:3]}"
    )
    assert visited["failed"] == [], f"missing files: {visited['failed'][:3]}"


def test_plotly_js_is_shipped_once_and_solutions_stay_out(site):
    html, _ = site
    assert len(list(html.rglob("plotly*.js"))) == 1
    assert not (html / "solutions").exists()
    for page in (html / "notebooks").glob("*.html"):
        assert "cdn.plot.ly" not in page.read_text(encoding="utf-8")


# ------------------------------------------------------------------ articles and links


def last_paragraph(page, path: str) -> dict:
    """An article page's paragraphs, and the one its last anchor (#pN, as a lesson's link
    names it) points to."""
    article_id = path.removeprefix("articles/").removesuffix(".html")
    last = len(fournos.paragraphs(article_id))
    page.evaluate("n => { location.hash = 'p' + n; }", last)
    target = page.locator(".fournos-para:target")
    found = {
        "paragraphs": page.locator(".fournos-article .fournos-para").count(),
        "id": target.get_attribute("id"),
        "text": target.inner_text(),
        "visible": target.is_visible(),
    }
    if article_id == "art_hao_rebuttal":  # a picture to look at
        page.evaluate("() => { location.hash = 'p6'; }")
        page.screenshot(path=str(SHOTS / "site_article_hao_p6.png"))
    return found


def test_each_article_page_has_every_paragraph_with_its_anchor(visited):
    for article_id in fournos.article_ids():
        paras = fournos.paragraphs(article_id)
        shown = visited["pages"][f"articles/{article_id}.html"]["anchor"]
        assert shown["paragraphs"] == len(paras)
        assert shown["id"] == f"p{len(paras)}"
        assert normalise(paras[-1]) in normalise(shown["text"])
        assert shown["visible"]


def test_the_paragraph_a_reader_is_sent_to_reads_well_in_both_themes(offline):
    """A lesson's link opens an article at its paragraph, outlined on a light background: its
    number was in the theme's blue, too faint on it, and in the dark theme its text was light
    on light. Arriving by the address (#pN, its last), in either theme, axe-core finds no serious
    problem in that paragraph."""
    page, url, _, _ = offline
    last = f"p{len(fournos.paragraphs('art_duong_integration'))}"
    page.goto(f"{url}/articles/art_duong_integration.html#{last}")
    page.wait_for_load_state("load")
    assert page.locator(".fournos-para:target").get_attribute("id") == last
    for theme in ("light", "dark"):
        page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme)
        assert serious(run_axe(page, [f"#{last}"])) == [], theme


def links_on(page) -> list[str]:
    return page.eval_on_selector_all("a.fournos-plink", "as => as.map(a => a.href)")


def test_paragraph_links_in_lessons_point_to_the_right_paragraph(visited, offline):
    names = {fournos.text.article_name(a): a for a in fournos.article_ids()}
    for path, article_id in ARTICLE_LESSONS.items():
        hrefs = visited["pages"][path]["links"]
        # every argument-map row links to its paragraph
        claims = fournos.argument_map(article_id)
        for n in set(claims["paragraph"]):
            assert any(h.endswith(f"/articles/{article_id}.html#p{n}") for h in hrefs), n
        # every quote's footer links to the paragraph it names
        for footer, link in visited["pages"][path]["footers"]:
            match = re.search(r"(.+), paragraph (\d+)", footer)
            assert link.endswith(f"articles/{names[match[1]]}.html#p{match[2]}")
        for href in hrefs:
            target, n = re.search(r"articles/(art_[a-z0-9_]+)\.html#p(\d+)$", href).groups()
            assert 1 <= int(n) <= len(fournos.paragraphs(target)), href
    page, url, _, _ = offline
    # following one: the reader lands on the paragraph the lesson names
    page.goto(f"{url}/notebooks/04_hao_2022_rebuttal.html")
    page.locator("#read-the-article a.fournos-plink:has-text('paragraph 2')").first.click()
    page.wait_for_url(re.compile(r"art_hao_rebuttal\.html#p2$"))
    target = page.locator(".fournos-para:target")
    assert normalise(fournos.paragraph("art_hao_rebuttal", 2)) in normalise(target.inner_text())


def test_the_claim_explorer_shows_every_claim_with_its_own_paragraph(offline):
    page, url, _, _ = offline
    page.goto(f"{url}/notebooks/03_vu_sui_generis.html")
    page.wait_for_load_state("load")
    claims = fournos.argument_map("art_vu_sui_generis")
    folded = page.locator(".fournos-claims details")
    assert folded.count() == len(claims)
    sixth = folded.nth(5)
    assert not sixth.locator("mark").is_visible()
    sixth.locator("summary").click()
    assert sixth.locator("mark").is_visible()
    claim = claims.iloc[5]
    assert normalise(sixth.locator("mark").inner_text()) == normalise(claim["quote"])
    assert f"paragraph {claim['paragraph']}" in sixth.locator("footer").inner_text()
    assert normalise(fournos.paragraph("art_vu_sui_generis", int(claim["paragraph"]))) in (
        normalise(sixth.locator("blockquote p").inner_text())
    )


def test_the_timeline_explorer_is_shown_as_folded_views(offline):
    page, url, _, _ = offline
    open_page(page, url, "notebooks/06_alliance_timeline.html")
    views = page.locator(".fournos-explorer details")
    assert views.count() >= 1
    view = views.first
    view.locator("summary").click()
    view.locator(".js-plotly-plot .main-svg").first.wait_for()
    box = view.locator(".js-plotly-plot").bounding_box()
    assert box["width"] > 400, "the figure opened in a fold was not drawn to the page's width"


def test_text_wraps_in_every_page(visited, offline):
    page, url, _, _ = offline
    for path, shown in visited["pages"].items():
        assert shown["too_wide"] == [], path
    # the issue's example: Article 4's section 3 paragraph fits its column
    page.goto(f"{url}/notebooks/04_hao_2022_rebuttal.html")
    shown = page.locator("#read-the-article .fournos-quote p").first
    column = page.locator(".bd-article").bounding_box()["width"]
    assert shown.bounding_box()["width"] <= column


# ------------------------------------------------------------------------- quizzes


def feedback_of(form) -> str:
    box = form.locator(".fournos-feedback")
    box.locator("p").wait_for()
    return box.inner_text()


def test_a_quiz_checks_answers_with_the_mouse(offline):
    page, url, _, _ = offline
    page.goto(f"{url}/notebooks/04_hao_2022_rebuttal.html")
    page.wait_for_selector(".fournos-quiz[data-ready='true']")
    questions = fournos.questions("art_hao_rebuttal")
    choice = questions[questions["kind"] == "choice"].iloc[0]
    form = page.locator(f"form[data-question='{choice['question_id']}']")
    wrong = next(o for o in choice["options"] if o != choice["answer"][0])
    form.get_by_label(wrong, exact=True).check()
    form.get_by_role("button", name="Check").click()
    text = feedback_of(form)
    assert text.startswith("✘ Not quite.") and choice["hint"] in text
    assert (
        form.locator(".fournos-feedback a")
        .get_attribute("href")
        .endswith(f"art_hao_rebuttal.html#p{choice['paragraph']}")
    )
    form.get_by_label(choice["answer"][0], exact=True).check()
    form.get_by_role("button", name="Check").click()
    form.locator(".fournos-feedback .fournos-right").wait_for()
    assert feedback_of(form) == f"✔ Correct. {choice['explanation']}"
    form.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "site_quiz_answered.png"))


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_quiz_works_with_the_keyboard_alone(offline):
    page, url, _, _ = offline
    page.goto(f"{url}/notebooks/04_hao_2022_rebuttal.html#check-your-understanding")
    page.wait_for_selector(".fournos-quiz[data-ready='true']")
    questions = fournos.questions("art_hao_rebuttal").set_index("question_id")
    first = questions.index[0]
    form = page.locator(f"form[data-question='{first}']")
    q = questions.loc[first]
    # choose with the arrow keys until the right option is checked, then Check with Enter
    tab_to(page, f"form[data-question='{first}'] input")
    right = list(q["options"]).index(q["answer"][0]) if q["kind"] == "choice" else None
    if q["kind"] == "choice":
        page.keyboard.press("Space")
        for _ in range(right):
            page.keyboard.press("ArrowDown")
        tab_to(page, f"form[data-question='{first}'] .fournos-check")
        page.keyboard.press("Enter")
        assert feedback_of(form).startswith("✔ Correct.")
    # an ordering question: move an item with the keyboard, then check
    order = questions[questions["kind"] == "order"].index[0]
    form = page.locator(f"form[data-question='{order}']")
    tab_to(page, f"form[data-question='{order}'] .fournos-down")
    before = form.locator("li").first.get_attribute("data-item")
    page.keyboard.press("Enter")
    assert form.locator("li").nth(1).get_attribute("data-item") == before
    assert page.evaluate("() => document.activeElement.classList.contains('fournos-down')")
    assert "is now number 2" in form.locator(".fournos-feedback").inner_text()
    tab_to(page, f"form[data-question='{order}'] .fournos-check")
    page.keyboard.press("Space")
    text = feedback_of(form)
    assert re.match(r"✘ \d of \d (is|are) in the right place|✔ Correct", text), text
    # a short answer: type it and press Enter
    short = questions[questions["kind"] == "short"]
    if len(short):
        qid = short.index[0]
        form = page.locator(f"form[data-question='{qid}']")
        tab_to(page, f"form[data-question='{qid}'] input[type=text]")
        page.keyboard.type(short.iloc[0]["answer"][0])
        page.keyboard.press("Enter")
        assert feedback_of(form).startswith("✔ Correct.")


def candidate_answers(q) -> list:
    """Right, wrong, padded, hedged and empty answers for one question."""
    if q["kind"] == "order":
        items = list(q["options"])
        return [list(p) for p in itertools.islice(itertools.permutations(items), 12)] + [[]]
    base = list(q["answer"]) + (list(q["options"]) if isinstance(q["options"], list) else [])
    padded = [f"the {a}" for a in base] + [f"about {a}!" for a in base]
    hedged = [f"not {a}" for a in base] + [f"{base[0]} or 1999", f"{base[0]} Laos"]
    other_claims = [f"over {a} countries" for a in base] + [f"{a} attache offices" for a in base]
    misspelt = [a[:2] + a[3:] for a in base if len(a) >= 6] + [f"{base[0]}, its old ally"]
    return (
        base
        + padded
        + hedged
        + other_claims
        + misspelt
        + [
            "",
            "no idea at all here",
            "  ",
            "ASEAN",
            "Decmber 2013",
        ]
    )


def quiz_verdicts(page, article_id: str) -> dict:
    """The page's own message for each candidate answer to each of the article's questions."""
    page.wait_for_selector(".fournos-quiz[data-ready='true']")
    rules = json.loads(page.locator(".fournos-quiz-rules").text_content())
    verdicts = {}
    for _, q in fournos.questions(article_id).iterrows():
        question = f"form[data-question='{q['question_id']}'] .fournos-question-data"
        data = json.loads(page.locator(question).text_content())
        answers = candidate_answers(q)
        in_page = page.evaluate(
            "([q, as, r]) => as.map(a => fournosQuiz.message(fournosQuiz.check(q, a, r)))",
            [data, answers, rules],
        )
        verdicts[q["question_id"]] = list(zip(answers, in_page, strict=True))
    return verdicts


def test_the_page_checker_agrees_with_the_library(visited):
    """The site's script and fournos.quiz.check give the same message for the same answer."""
    for path, article_id in ARTICLE_LESSONS.items():
        verdicts = visited["pages"][path]["verdicts"]
        assert set(verdicts) == set(fournos.questions(article_id)["question_id"])
        for question_id, said in verdicts.items():
            for answer, message in said:
                expected = fournos.check_answer(question_id, answer).message
                assert message == expected, (question_id, answer)


# ------------------------------------------------------------------- accessibility


def accessibility(page) -> dict:
    """axe-core's findings on the page with every fold open, and its figures' labels."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    # opened folds fade in: measure colours once every animation has finished, not mid-fade
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    return {
        "axe": run_axe(page),
        "figure_labels": page.eval_on_selector_all(
            ".js-plotly-plot",
            "ps => ps.map(p => p.closest('[aria-label]')?.getAttribute('aria-label'))",
        ),
    }


def test_no_serious_accessibility_problems_on_any_page(visited, site):
    html, _ = site
    problems, counts = {}, {}
    for path in site_pages(html) + ["search.html", "genindex.html"]:
        found = visited["pages"][path]["axe"]
        counts[path] = sum(v["count"] for v in found)
        if serious(found):
            problems[path] = summary(serious(found))
        # every figure has a text alternative
        for label in visited["pages"][path]["figure_labels"]:
            assert label and len(label) > 20, f"{path}: a figure without a text alternative"
    print("axe violations (all impacts) per page:", counts)
    assert problems == {}, problems


# ------------------------------------------------------------------------- handouts


def test_a_page_made_ready_for_print_has_images_open_folds_and_no_controls(browser, site):
    _, url = site
    page = browser.new_page()
    try:
        open_page(page, url, "notebooks/04_hao_2022_rebuttal.html")
        labels = page.eval_on_selector_all(
            ".fournos-figure", "fs => fs.map(f => f.getAttribute('aria-label'))"
        )
        assert page.evaluate(handouts.PREPARE, {"withAnswers": True, "withCode": False}) == 0
        assert (
            page.eval_on_selector_all("img[src^='data:image/png']", "is => is.map(i => i.alt)")[
                -len(labels) :
            ]
            == labels
        )
        assert page.evaluate(
            "() => Array.from(document.querySelectorAll('details')).every(d => d.open)"
        )
        questions = fournos.questions("art_hao_rebuttal")
        keys = page.locator(".fournos-answer-key").all_inner_texts()
        assert len(keys) == len(questions)
        assert keys[2].startswith(f"Answer: {questions.iloc[2]['answer'][0]}")
        page.emulate_media(media="print")
        assert not page.locator(".fournos-check").first.is_visible()
        assert not page.locator(".bd-sidebar-primary").is_visible()
        assert page.locator("h1:visible").count() == 1  # the title, printed once
        # no code on a lesson's paper, and no section forced onto a new page (a short section
        # then left a page nearly empty)
        assert page.locator(".cell_input").count() > 0
        assert not page.locator(".cell_input:visible").count()
        assert not page.locator("text=Hide the code").first.is_visible()
        breaks = page.eval_on_selector_all(
            "section > h2", "hs => hs.map(h => getComputedStyle(h).breakBefore)"
        )
        assert breaks and "page" not in breaks
    finally:
        page.close()


# The pages printed in the test, one of each kind: a lesson with wide tables (fitted to the
# paper) and two figures, an article's lesson with its figure and questions, an article, and
# the longest exercise sheet. Printing all 26 took two minutes of the browser stage; the
# others share the same template and print style, and every page of the site is opened with
# its figures drawn and its text wrapped (`visited`).
PRINTED = [
    "notebooks/10_southeast_asia_compared.html",
    "notebooks/04_hao_2022_rebuttal.html",
    "articles/art_hao_rebuttal.html",
    "exercises/ex05_southeast_asia_compared.html",
]


def test_handouts_print_every_lesson_article_and_exercise_sheet(
    browser, site, tmp_path, monkeypatch
):
    """`fournos handouts` prints every lesson, article and exercise sheet (its list of pages);
    the PDFs of one page of each kind (PRINTED) have no nearly empty page, nothing past the
    paper's edge, and their figures as images."""
    html, _ = site
    expected = {
        f"{folder}/{p.stem}.html"
        for folder in ["notebooks", "exercises"]
        for p in (ROOT / folder).glob("*.ipynb")
    } | {f"articles/{a}.html" for a in fournos.article_ids()}
    assert set(handouts.pages(html, instructor=False)) == expected
    assert set(PRINTED) <= expected
    monkeypatch.setattr(handouts, "pages", lambda *_: PRINTED)
    written = handouts.print_pages(html, tmp_path, instructor=False, browser=browser)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        p.replace(".html", ".pdf") for p in PRINTED
    }
    # no nearly empty page, nothing past the paper's right edge (a wide table is fitted)
    problems = {p.name: found for p, found in written.items() if found}
    assert problems == {}, problems
    for pdf in written:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000, pdf.name
        folder, stem = pdf.relative_to(tmp_path).as_posix().removesuffix(".pdf").split("/")
        if stored_figures(folder, stem):
            assert b"/Subtype /Image" in data, f"{pdf.name}: its figures were not printed"
    assert not (tmp_path / "solutions").exists()


# ------------------------------------------------------------------- console


def test_no_console_error_on_any_page(visited):
    """Every page of the site, including the home, search and index pages, loads with no
    script error, no console error and no missing file (a favicon included)."""
    assert visited["errors"] == [], "\n".join(visited["errors"][:10])
    assert visited["failed"] == [], "\n".join(visited["failed"][:10])


def test_the_menus_open_on_a_phone_and_the_sidebar_folds_on_a_desk(browser, site):
    """At 390×844 the ☰ button opens the site's contents and the list button the page's; at
    desktop size ☰ folds the sidebar away and back."""
    _, url = site
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(f"{url}/notebooks/01_duong_2018_integration.html")
    page.wait_for_load_state("networkidle")
    page.locator("button.sidebar-toggle.primary-toggle.btn").click()
    menu = page.locator("#pst-primary-sidebar-modal")
    menu.wait_for(state="visible")
    assert menu.get_by_role("link", name=re.compile("Article 2")).first.is_visible()
    page.screenshot(path=str(SHOTS / "site_phone_menu_open.png"))
    page.keyboard.press("Escape")
    page.locator("button.sidebar-toggle.secondary-toggle.btn").click()
    page.locator("#pst-secondary-sidebar-modal").wait_for(state="visible")
    phone.close()

    desk = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = desk.new_page()
    page.goto(f"{url}/notebooks/01_duong_2018_integration.html")
    page.wait_for_load_state("networkidle")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator("button.sidebar-toggle.primary-toggle.btn").click()
    page.wait_for_function(
        "() => document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')"
    )
    desk.close()


# each chart's texts (title, axis labels, legend, the timelines' key) that run past the chart's
# own edge, pairs of them drawn over each other (a key over the legend, the title over the
# timelines' note on markers), and a timeline's marker numbers drawn over each other or under
# an article's star (each number measured by its visible line: a number raised clear of a
# star is drawn with an empty line under it)
CHART_TEXT = r"""() => {
  const found = [];
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    if (plot.closest('details:not([open])')) return;
    const box = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const texts = Array.from(plot.querySelectorAll('svg text'))
      .filter(t => t.textContent.trim() && !t.closest('.hovertext, .modebar'))
      .map(t => ({group: t.closest('.annotation') ? 'key' : t.closest('.legend') ? 'legend'
        : 'chart', text: t.textContent.slice(0, 40), r: t.getBoundingClientRect()}));
    for (const t of texts) {
      if (t.r.left < box.left - 1 || t.r.right > box.right + 1) found.push('cut: ' + t.text);
    }
    const over = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const title = plot.querySelector('.g-gtitle text');
    for (const t of texts) {
      if (title && t.group === 'key' && over(title.getBoundingClientRect(), t.r)) {
        found.push('over: the title / ' + t.text);
      }
    }
    const numbers = Array.from(plot.querySelectorAll('.scatterlayer .textpoint text'))
      .filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent.trim(), r: (Array.from(t.querySelectorAll('tspan.line'))
        .find(l => l.textContent.trim()) || t).getBoundingClientRect()}));
    numbers.forEach((a, i) => numbers.slice(i + 1).forEach(b => {
      if (over(a.r, b.r)) found.push('numbers over each other: ' + a.text + ' / ' + b.text);
    }));
    const stars = Array.from(plot.querySelectorAll('.scatterlayer .trace'))
      .filter(t => !t.querySelector('.textpoint'))
      .flatMap(t => Array.from(t.querySelectorAll('.point')));
    for (const star of stars) for (const n of numbers) {
      if (over(star.getBoundingClientRect(), n.r)) found.push('a star over number ' + n.text);
    }
    const blocks = texts.filter(t => t.group !== 'chart');
    for (const a of blocks) for (const b of blocks) {
      if (a.group === b.group) continue;
      if (Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left) > 2
          && Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top) > 2) {
        found.push('over: ' + a.text + ' / ' + b.text);
      }
    }
  });
  return found;
}"""


# every chart shown (not in a closed fold) has had its text fitted and its labels set apart
SETTLED = (
    "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
    ".filter(p => !p.closest('details:not([open])'))"
    ".every(p => p.getAttribute('data-settled'))"
)


def chart_text(page) -> list[str]:
    """CHART_TEXT's findings on the page, its first two folded views opened, once every chart
    shown has settled."""
    for fold in page.locator("details.fournos-view > summary").all()[:2]:
        fold.click()
    page.wait_for_function(SETTLED)
    return page.evaluate(CHART_TEXT)


def test_chart_titles_labels_and_timeline_keys_fit_their_charts(browser, site, visited, on_a_phone):
    """Charts kept their notebook layout: titles ran past the chart's edge on a phone, and the
    timelines' numbered key ran off the right (even on a desk) and over the legend (reader
    trials); on a phone a timeline's title lay over its note on markers, and marker numbers
    close in time over each other (lesson 6: "12" over "15–16"). Every text of every chart,
    folded views opened, lies inside its chart, no key line is drawn over the legend or the
    title, and no marker number over another or under a star: on a phone (`on_a_phone`), on
    a desk (`visited`, 1300 px) and at a narrow desk's 1100 px, where the sidebar still shows."""
    _, url = site
    found = {("phone", path): on_a_phone[path]["chart_text"] for path in CHARTED}
    found |= {("desk", path): visited["pages"][path]["chart_text"] for path in CHARTED}
    context = browser.new_context(viewport={"width": 1100, "height": 844})
    page = context.new_page()
    for path in CHARTED:
        page.goto(f"{url}/{path}")
        page.wait_for_load_state("networkidle")
        found[("narrow desk", path)] = chart_text(page)
    context.close()
    assert {where: text for where, text in found.items() if text} == {}


# ------------------------------------------------------------------- a phone, every page

# what lies past the right edge of a 390 px screen: a figure, or a line of text (a long
# address in a reading card); only a wide data table scrolls sideways in its own box
PAST_THE_EDGE = """() => {
  const inDataTable = e => { const t = e.closest('table.dataframe, table.fournos-table');
    return t && t.scrollWidth > t.clientWidth; };
  return Array.from(document.querySelectorAll(
      '.bd-article p, .bd-article li, .bd-article a, .bd-article td, .bd-article dd, '
      + '.bd-article .js-plotly-plot'))
    .filter(e => e.offsetParent && e.getBoundingClientRect().right > window.innerWidth + 1
      && !e.closest('details:not([open])') && !inDataTable(e))
    .map(e => e.tagName + ': ' + (e.textContent.trim().slice(0, 50) || e.className));
}"""


# the words a reader reads on a page, tables and printed outputs included, code and folded
# code left out (a worksheet's task may name a function to call in the kit, or show a line
# of code to write there)
PROSE = """() => { const main = document.querySelector('main');
  if (!main) return '';
  const copy = main.cloneNode(true);
  copy.querySelectorAll('code, script, style, details.hide').forEach(e => e.remove());
  copy.querySelectorAll('.highlight').forEach(e => e.closest('.cell_output') || e.remove());
  return copy.textContent; }"""

# what a reader cannot read in a page's outputs: a table headed by two rows (pandas' columns,
# then its index's name), and a printout of bare code output (a lone number, pandas' "dtype:")
RAW_OUTPUTS = r"""() => Array.from(document.querySelectorAll('main .cell_output'))
  .flatMap(out => [
    ...Array.from(out.querySelectorAll('table')).filter(t => t.querySelectorAll('thead tr').length > 1)
      .map(t => 'two header rows: ' + t.textContent.trim().slice(0, 40)),
    ...Array.from(out.querySelectorAll('pre')).map(p => p.textContent.trim())
      .filter(t => /^[\d.,]+$|dtype: |^\[\d+ rows x \d+ columns\]$/m.test(t))
      .map(t => 'printout: ' + t.slice(0, 40))])"""


# tables, figures and outputs that run past the screen's edge with nothing to scroll them
CLIPPED = """() => Array.from(document.querySelectorAll('table, .js-plotly-plot, pre'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 2
    && getComputedStyle(e).overflowX === 'visible'
    && getComputedStyle(e.parentElement).overflowX === 'visible')
  .map(e => e.tagName + ' ' + e.className)"""
# (all, beyond the screen's right edge) of the summaries and definitions in tables of prose,
# which a phone shows as one block per row
LONG_CELLS = """() => { const cells = Array.from(
    document.querySelectorAll('table.fournos-stack td.fournos-long'));
  return [cells.length,
          cells.filter(c => c.getBoundingClientRect().right > window.innerWidth + 1).length]; }"""


@pytest.fixture(scope="module")
def on_a_phone(browser, site):
    """Every lesson, exercise, article and reader's page opened once at 390×844, its charts
    fitted: what lies past the screen's edge, whether the page slides sideways, the page's
    text and its Next and Previous links."""
    html, url = site
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    shown = {}
    for path in [*site_pages(html), "glossary.html", "documents.html", "about.html"]:
        page.goto(f"{url}/{path}")  # returns once the page has loaded
        fonts_loaded(page)
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".filter(p => !p.closest('details:not([open])'))"
            ".every(p => p.getAttribute('data-fitted'))"
        )
        main = page.locator("main")
        shown[path] = {
            "past_the_edge": page.evaluate(PAST_THE_EDGE),
            "slides": page.evaluate("document.documentElement.scrollWidth > window.innerWidth"),
            "text": main.inner_text() if main.count() else "",
            "prose": page.evaluate(PROSE),
            "raw_outputs": page.evaluate(RAW_OUTPUTS),
            "next": page.locator("a.right-next").get_attribute("href")
            if page.locator("a.right-next").count()
            else None,
            "clipped": page.evaluate(CLIPPED),
            "long_cells": page.evaluate(LONG_CELLS),
        }
        if path.startswith("notebooks/"):
            shown[path]["read"] = page.evaluate(READ)
            shown[path]["read_outside_tables"] = page.evaluate(READ_OUTSIDE_TABLES)
        if path in CHARTED:  # last: it opens folds
            shown[path]["chart_text"] = chart_text(page)
            if path == "notebooks/06_alliance_timeline.html":
                page.locator(".fournos-figure").first.screenshot(
                    path=str(SHOTS / "site_phone_06_timeline.png")
                )
    phone.close()
    return shown


def test_on_a_phone_nothing_lies_past_the_screens_edge(on_a_phone):
    """Charts drawn for a notebook stayed 600 px wide (lesson 10's spectrum showed 7 of its
    11 states), and a reading card's long address ran off lesson 9's page (reader trial)."""
    problems = {
        path: shown["past_the_edge"][:3]
        for path, shown in on_a_phone.items()
        if shown["past_the_edge"] or shown["slides"]
    }
    assert problems == {}


def test_on_a_phone_wide_tables_figures_and_code_scroll_in_their_own_box(on_a_phone):
    clipped = {path: shown["clipped"] for path, shown in on_a_phone.items() if shown["clipped"]}
    assert clipped == {}


def test_on_a_phone_a_table_of_prose_reads_as_one_block_per_row(on_a_phone):
    """Every summary and definition of lesson 01's tables (and any other table of prose) lies
    within the screen: they were squeezed to a word a line, or off to the right."""
    assert on_a_phone["notebooks/01_duong_2018_integration.html"]["long_cells"][0] > 20
    beyond = {path: shown["long_cells"][1] for path, shown in on_a_phone.items()}
    assert {path: n for path, n in beyond.items() if n} == {}


def test_exercise_pages_say_they_are_worksheets_done_in_the_kit_with_python(on_a_phone):
    for path, shown in on_a_phone.items():
        if path.startswith("exercises/"):
            text = shown["text"]
            assert "worksheet" in text.lower() and "Python" in text, path
            assert "make lab" in text and "README" in text, path
            assert "Show the code that made this" not in text, path


def test_next_and_previous_follow_the_course_map(on_a_phone):
    """Lessons 0 to 10 in order, then the exercise sheets (step 11 of the start page's map);
    each lesson's own "Next:" line names the page its Next link opens."""
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    sheets = sorted(p.stem for p in (ROOT / "exercises").glob("*.ipynb"))
    course = [f"notebooks/{s}.html" for s in lessons] + [f"exercises/{s}.html" for s in sheets]
    for here, there in itertools.pairwise(course):
        assert on_a_phone[here]["next"].endswith(there.split("/")[1]), here
    for here, there in itertools.pairwise(lessons + ["Exercises 1"]):
        said = re.search(r"^Next: .*$", on_a_phone[f"notebooks/{here}.html"]["text"], re.MULTILINE)
        step = there if there.startswith("Ex") else f"{int(there[:2])}"
        names = [step] if there.startswith("Ex") else [f"Lesson {step}", f"Article {step}"]
        assert said and any(n.lower() in said[0].lower() for n in names), (here, said)


def test_no_internal_ids_or_codes_in_what_a_reader_reads(on_a_phone):
    """Lessons 7 and 8 showed the kit's ids (ref_..., art_...) and codes (quotes_only) in
    their prose, notes, tables and document cards, lesson 4 its claims' roles
    (counterclaim_rebutted), and lessons 6 and 7 a bare count, printed by code a reader does
    not see. No word of the kit's code (a word joined by underscores) is left in what a
    reader reads, but in an address or a file name; no table has pandas' two header rows."""
    addresses = re.compile(r"https?://\S+|\S+\.(?:csv|txt|json|ipynb|md|py)\b")
    code_word = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
    found = {
        path: code_word.findall(addresses.sub(" ", shown["prose"])) + shown["raw_outputs"]
        for path, shown in on_a_phone.items()
    }
    assert {path: words[:5] for path, words in found.items() if words} == {}


# what a reader reads, inline code included (an inline `one_source` is read too), addresses left out
READ = """() => { const main = document.querySelector('main');
  if (!main) return '';
  const copy = main.cloneNode(true);
  copy.querySelectorAll('script, style, details.hide').forEach(e => e.remove());
  return copy.innerText.replace(/https?:\\/\\/\\S+/g, ' '); }"""
NO_FILE_NAMES = [
    "notebooks/00_start_here.html",
    "notebooks/01_duong_2018_integration.html",
    "notebooks/04_hao_2022_rebuttal.html",
    "notebooks/10_southeast_asia_compared.html",
]
READ_OUTSIDE_TABLES = READ.replace("'script, style", "'table, script, style")
CODE_WORDS = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LISTS = re.compile(r"\[[A-Z][^\]]*, [^\]]*\]")  # a Python list, "[Vietnam, Laos]"
ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def test_lessons_and_the_start_page_show_words_not_codes_lists_or_iso_dates(on_a_phone):
    """Lesson 04 printed "counterclaim_rebutted:", lesson 01 `ev_2013_resolution_22`, the
    start page `one_source`, `date_precision` and a column of data files, lesson 10 lists
    ("[Vietnam, Laos]") and ISO dates in its prose (reader trial). No lesson does now. A
    sentence may name the data file a count comes from (lessons 08 and 09 do); the pages the
    trial read may not."""
    assert set(NO_FILE_NAMES) <= set(on_a_phone)
    found = {}
    for path, shown in on_a_phone.items():
        if not path.startswith("notebooks/"):
            continue
        text, prose = shown["read"], shown["read_outside_tables"]
        words = CODE_WORDS.findall(text) + LISTS.findall(text) + ISO_DATE.findall(prose)
        if path in NO_FILE_NAMES:
            words += re.findall(r"data/\w+\.csv", text)
        if words:
            found[path] = sorted(set(words))[:6]
    assert found == {}


def test_the_about_page_says_who_made_the_kit_and_is_linked_from_home(on_a_phone, site):
    html, _ = site
    text = on_a_phone["about.html"]["text"]
    for words in ["CC BY 4.0", "MIT", "cite", "CITATION.cff"]:
        assert words in text, words
    start = (html / "notebooks" / "00_start_here.html").read_text(encoding="utf-8")
    assert 'href="../about.html"' in start
