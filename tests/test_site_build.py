"""The site build without a browser and without building the whole site: only the instructor
site lists the guide and solutions; what the site makes of the notebooks (article pages,
links, static quizzes and explorers). The built site itself is tested once per run, in the
browser stage (tests/browser/test_site.py)."""

from __future__ import annotations

import html
import json
import re
import zlib

import nbformat
import pytest
from helpers import ROOT

import fournos
from fournos_tools import site, site_content, site_links
from fournos_tools.site_widgets import SiteBuildError


def test_only_the_instructor_site_has_the_guide_and_solutions():
    assert "file: guide" in site.toc(instructor=True)
    assert "solutions/ex01_themes_and_words" in site.toc(instructor=True)
    assert "guide" not in site.toc(instructor=False)
    assert "solutions/" not in site.toc(instructor=False)


# ------------------------------------------------- what the site makes of the notebooks


WIDGET = "application/vnd.jupyter.widget-view+json"


def prepared(tmp_path, stem: str):
    target = tmp_path / f"{stem}.ipynb"
    site.prepare_notebook(ROOT / "notebooks" / f"{stem}.ipynb", target)
    return nbformat.read(target, as_version=4)


def html_outputs(notebook) -> str:
    return "\n".join(
        o.get("data", {}).get("text/html", "") for c in notebook.cells for o in c.get("outputs", [])
    )


def test_lesson_text_links_paragraph_numbers_to_the_article_page():
    text = "In paragraph 31 the article says; paragraphs 28–29 list limits; it has 44 paragraphs."
    linked = site_links.link_markdown(text, "art_duong_integration")
    assert '<a class="fournos-plink" href="../articles/art_duong_integration.html#p31">' in linked
    assert 'href="../articles/art_duong_integration.html#p28">paragraphs 28–29</a>' in linked
    assert "44 paragraphs." in linked  # a count, not a reference


def test_a_named_author_decides_the_article_and_code_is_left_alone():
    text = "(Hao, paragraph 1) but `paragraph(ARTICLE, 2)` and paragraph 3 with no article"
    linked = site_links.link_markdown(text, None)
    assert 'href="../articles/art_hao_rebuttal.html#p1">paragraph 1</a>' in linked
    assert "`paragraph(ARTICLE, 2)`" in linked
    assert linked.endswith("paragraph 3 with no article")


def test_a_paragraph_the_article_does_not_have_stays_plain_text():
    last = len(fournos.paragraphs("art_vu_sui_generis"))
    linked = site_links.link_markdown(f"paragraph {last + 1}", "art_vu_sui_generis")
    assert "<a" not in linked


def test_the_article_file_mention_becomes_a_link_to_its_page():
    linked = site_links.link_markdown(
        "The full reading text is in `data/articles/art_hao_rebuttal.txt`.", None
    )
    assert '<a href="../articles/art_hao_rebuttal.html">' in linked


def test_an_article_page_numbers_and_anchors_every_paragraph():
    page = site_content.article_page("art_ndj_no_alliances")
    paragraphs = fournos.paragraphs("art_ndj_no_alliances")
    for number in range(1, len(paragraphs) + 1):
        assert f'<p id="p{number}" class="fournos-para">' in page
    assert page.count('class="fournos-para"') == len(paragraphs)


def test_lesson_pages_lose_their_dead_widgets_and_gain_static_versions(tmp_path):
    notebook = prepared(tmp_path, "03_vu_sui_generis")
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if WIDGET in o.get("data", {})]
    assert "widgets" not in notebook.metadata
    html = html_outputs(notebook)
    claims = fournos.argument_map("art_vu_sui_generis")
    assert html.count('<details class="fournos-claim">') == len(claims)
    questions = fournos.questions("art_vu_sui_generis")
    assert html.count('<form class="fournos-question"') == len(questions)
    for qid in questions["question_id"]:
        assert f'data-question="{qid}"' in html
    # the argument map's rows link to their paragraphs
    for n in set(claims["paragraph"]):
        assert f'href="../articles/art_vu_sui_generis.html#p{n}"' in html


def test_printed_feedback_links_the_paragraph_to_reread(tmp_path):
    notebook = prepared(tmp_path, "04_hao_2022_rebuttal")
    printed = [
        o["data"]["text/html"]
        for c in notebook.cells
        for o in c.get("outputs", [])
        if "fournos-printed" in o.get("data", {}).get("text/html", "")
        and re.search(r"paragraphs? \d", o["data"]["text/html"])
    ]
    assert printed, "no printed output names a paragraph"
    assert all('href="../articles/art_hao_rebuttal.html#p' in p for p in printed)


def test_the_timeline_explorer_becomes_one_folded_view_per_article(tmp_path):
    notebook = prepared(tmp_path, "06_alliance_timeline")
    html = html_outputs(notebook)
    views = html.count('<details class="fournos-view">')
    silent = re.search(r"<p>Articles? ([\d, and]+) mentions? none of these events\.</p>", html)
    assert views >= 1
    assert views + len(re.findall(r"\d", silent[1] if silent else "")) == len(fournos.article_ids())
    assert html.count('role="figure"') == 1 + views


def test_question_data_cannot_end_its_script_element():
    assert "</script>" not in site_content._json_for_script({"hint": "a </script> b"})


def test_a_notebook_cell_that_fails_is_named_in_a_plain_message(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import fournos\nraise ValueError('broken data')"),
        nbformat.v4.new_code_cell(
            "fournos.quiz('art_hao_rebuttal')",
            outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "VBox()"})],
        ),
    ]
    source = tmp_path / "broken.ipynb"
    nbformat.write(notebook, source)
    with pytest.raises(SiteBuildError, match=r"broken: cell 0 failed .*broken data"):
        site.prepare_notebook(source, tmp_path / "out.ipynb")


def test_quiz_rules_in_the_page_are_the_library_s(tmp_path):
    from fournos.quiz import COUNTING, FILLER, NEGATIONS, QUANTIFIERS, VALUE_WORDS

    html = site_content.quiz_html("art_thuc_resolution44")
    start = html.index('class="fournos-quiz-rules">') + len('class="fournos-quiz-rules">')
    rules = json.loads(html[start : html.index("</script>", start)])
    assert set(rules["filler"]) == FILLER
    assert set(rules["negations"]) == NEGATIONS | {"or"}
    assert set(rules["counting"]) == COUNTING and set(rules["quantifiers"]) == QUANTIFIERS
    assert set(rules["values"]) == VALUE_WORDS


def test_the_site_has_a_glossary_page_with_every_term_and_no_internal_ids():
    page = site_content.glossary_page()
    for term in fournos.glossary()["term"]:
        assert f"**{term}**" in page
    shown = re.sub(r"\]\([^)]*\)", "]", page)  # what a reader sees, not link targets
    assert "art_" not in shown and "fournos.glossary()" not in shown


def test_site_readers_get_their_own_wording_where_notebook_users_differ():
    for notebook_words, _ in site_content.READER_WORDING:
        said = site_content.reader_wording(f"Before. {notebook_words} After.")
        assert notebook_words not in said and said.startswith("Before.")
    note = site_content.worksheet_note("ex01_themes_and_words.ipynb")
    assert "make my-work" in note and "my-work/ex01_themes_and_words.ipynb" in note


def test_site_pages_fold_code_and_exercise_pages_are_worksheets(tmp_path):

    lesson = tmp_path / "lesson.ipynb"
    site.prepare_notebook(ROOT / "notebooks" / "01_duong_2018_integration.ipynb", lesson)
    cells = nbformat.read(lesson, as_version=4).cells
    assert all("hide-input" in c.metadata.get("tags", []) for c in cells if c.cell_type == "code")
    assert not any("Shift + Enter" in c.source or "Run the next cell" in c.source for c in cells)
    (tmp_path / "exercises").mkdir()
    sheet = tmp_path / "exercises" / "ex01.ipynb"
    site.prepare_notebook(ROOT / "exercises" / "ex01_themes_and_words.ipynb", sheet)
    # the note comes first, under the sheet's title, before the notebook's own instructions
    top = nbformat.read(sheet, as_version=4).cells[0].source
    assert top.startswith("# Exercises 1") and top.index("A worksheet") < top.index("How to work")


def test_no_stored_table_cell_or_output_is_cut_short_with_dots():
    cut = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                html_text = str(output.get("data", {}).get("text/html", ""))
                cut += [(path.name, m) for m in re.findall(r"[^<>]{0,40}\.\.\.</td>", html_text)]
    assert not cut, cut[:5]


# ------------------------------------------------------------ the course's time, the sidebar


def test_the_home_page_gives_the_whole_course_time_from_each_notebook_s_own_time_line(tmp_path):
    times = site_content.course_times(ROOT)
    assert len(times) == len(list((ROOT / "notebooks").glob("*.ipynb"))) + len(
        list((ROOT / "exercises").glob("*.ipynb"))
    )
    home = "\n".join(
        c.source for c in prepared(tmp_path, "00_start_here").cells if c.cell_type == "markdown"
    )
    total = sum(times.values())
    assert f"the whole course takes about {site_content.hours(total)}" in home
    assert f"**The whole course takes about {site_content.hours(total)}:**" in home
    # the map's time column is each lesson's own
    for name, minutes in times.items():
        if not name.startswith("ex"):
            row = next(
                r
                for r in home.split("\n")
                if name in r or (name.startswith("00") and r.startswith("| 0 |"))
            )
            assert row.endswith(f"| {minutes} min |"), row
    exercises = sum(m for n, m in times.items() if n.startswith("ex"))
    assert next(r for r in home.split("\n") if r.startswith("| 11 |")).endswith(
        f"| {exercises} min |"
    )
    assert site_content.hours(455) == "7 hours 35 minutes" and site_content.hours(60) == "1 hour"


def test_a_notebook_without_a_time_line_is_named(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# A lesson\n\n**Time:** soon.")]
    nbformat.write(notebook, tmp_path / "11_new.ipynb")
    with pytest.raises(ValueError, match="11_new.ipynb has no time line"):
        site_content.stated_minutes(tmp_path / "11_new.ipynb")


def test_the_sidebar_tells_lessons_from_the_articles_texts():
    toc = site.toc(instructor=False)
    titles = re.findall(r'title: "(.*)"', toc)
    assert len(titles) == len(list((ROOT / "notebooks").glob("*.ipynb"))) - 1
    assert all(t.startswith(f"Lesson {n}: ") for n, t in enumerate(titles, start=1))
    assert "caption: The five articles, full texts" in toc
    for name in site_content.lesson_names(ROOT / "notebooks" / "00_start_here.ipynb").values():
        assert "*" not in name and "](" not in name


# ------------------------------------------------------------------------------ print


def test_no_page_tells_a_reader_to_hover(tmp_path):
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert "hover" not in site_content.reader_wording(cell.source).lower(), path.name


def pdf_of(pages: list[bytes]) -> bytes:
    """A PDF laid out as Chromium writes one: a page tree, each page's text in a compressed
    stream, one page's in a drawn form."""
    objects = {1: b"<</Type /Catalog /Pages 2 0 R>>"}
    kids, number = [], 3
    for content in pages:
        page, stream, form = number, number + 1, number + 2
        packed = zlib.compress(content)
        objects[page] = (
            b"<</Type /Page /Parent 2 0 R /Resources <</XObject <</X1 %d 0 R>>>> /Contents %d 0 R>>"
            % (form, stream)
        )
        objects[stream] = b"<</Filter /FlateDecode /Length %d>> stream\n%s\nendstream" % (
            len(packed),
            packed,
        )
        inner = b"BT <00270052> Tj ET"
        objects[form] = b"<</Type /XObject /Subtype /Form /Length %d>> stream\n%s\nendstream" % (
            len(inner),
            inner,
        )
        kids.append(b"%d 0 R" % page)
        number += 3
    objects[2] = b"<</Type /Pages /Count %d /Kids [%s]>>" % (len(pages), b" ".join(kids))
    return b"%PDF-1.4\n" + b"".join(
        b"%d 0 obj\n%s\nendobj\n" % (n, body) for n, body in sorted(objects.items())
    )


def test_a_nearly_empty_printed_page_is_found():
    from fournos_tools import handouts

    full = b"BT " + b"<" + b"0041" * 900 + b"> Tj [<00420043> 5 <0044>] TJ ET /X1 Do"
    nearly_empty = b"BT <" + b"0041" * 60 + b"> Tj ET"
    last = b"BT <0041> Tj ET"
    data = pdf_of([full, nearly_empty, full, last])
    assert handouts.page_ink(data) == [(905, 0), (60, 0), (905, 0), (1, 0)]
    assert handouts.nearly_empty_pages(data, footer_letters=40) == [2]  # the last may be short
    assert handouts.nearly_empty_pages(pdf_of([full, full, last]), footer_letters=40) == []


# ------------------------------------------------------- links out, the footer, reader's words


def test_each_article_page_links_the_original_from_the_sources_table():
    sources = fournos.sources().set_index("source_id")
    for article_id in fournos.article_ids():
        page = site_content.article_page(article_id)
        address = sources.loc[article_id, "url"]
        if address:
            assert f'<a href="{html.escape(address)}">read it on the outlet\'s own site</a>' in page
        else:
            assert "the kit has no web address for this article" in page
    assert sum(bool(sources.loc[a, "url"]) for a in fournos.article_ids()) >= 4


def test_addresses_written_in_outputs_become_links_but_links_and_scripts_stay():
    text = (
        '<td>See https://a.example/b?x=1&amp;y=2, then <a href="https://c.example">'
        'https://c.example</a>.</td><script>u = "https://d.example"</script>'
    )
    linked = site_content.link_addresses(text)
    assert (
        '<a href="https://a.example/b?x=1&amp;y=2">https://a.example/b?x=1&amp;y=2</a>,' in linked
    )
    assert linked.count("https://c.example") == 2 and 'u = "https://d.example"' in linked


def test_stored_outputs_with_an_address_link_it_on_the_site(tmp_path):
    shown = html_outputs(prepared(tmp_path, "08_treaties_compared"))
    written = re.findall(
        r"(?<![\"'>])https?://[^\s<\"']+",
        re.sub(r"<script.*?</script>", "", shown, flags=re.DOTALL),
    )
    assert written == [], written[:3]
    assert '<a href="https://worldjpn.net/' in shown


def test_the_footer_year_is_the_citation_s_and_the_start_page_s():
    year = site.citation_year(ROOT)
    start = (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    assert f"defence policy* ({year})" in start
    assert 'copyright: "{year}"' in site.CONFIG
    # the licences (as LICENSE-CONTENT.md) and the start page's sidebar entry sit in sphinx's
    # html_theme_options, which replace the theme options of the html: section
    theme = site.CONFIG[site.CONFIG.index("html_theme_options:") :]
    assert "CC BY 4.0" in theme and "MIT" in theme and "home_page_in_toc: true" in theme


def test_quiz_hints_on_the_site_ask_for_no_code():
    import pandas as pd

    hints = pd.read_csv(ROOT / "data" / "quiz_questions.csv", keep_default_na=False)["hint"]
    assert any("fournos." in h for h in hints)  # the kit's own hints do
    for hint in hints:
        said = site_content.reader_hint(hint)
        assert "fournos." not in said and said
    assert (
        site_content.reader_hint("Look in the documents: fournos.find_clauses('base').")
        == "Look in the documents."
    )
    assert (
        site_content.reader_hint("Read the chart (in the kit: fournos.spectrum()).")
        == "Read the chart."
    )


def test_lesson_10s_hints_point_somewhere_on_the_site_and_keep_the_answer_back():
    """Lesson 10's hints were only code: on the site each became the same "Look again at the
    tables and charts" (reader trial); one question named the band that gave its answer."""
    import pandas as pd

    questions = pd.read_csv(ROOT / "data" / "quiz_questions.csv", keep_default_na=False)
    region = questions[questions["question_id"].str.startswith("q_region")]
    assert len(region) == 5
    for q in region.itertuples():
        said = site_content.reader_hint(q.hint)
        assert said != site_content.READER_HINT and "in the kit" not in said, q.question_id
        if q.kind != "order":
            for answer in q.answer.split(" | "):
                assert answer.lower() not in f"{q.prompt} {said}".lower(), q.question_id
    assert "band 2" not in region.set_index("question_id").loc["q_region_2", "prompt"]


def test_the_site_leaves_out_set_up_cells_the_version_line_and_the_error_demo(tmp_path):
    cells = prepared(tmp_path, "00_start_here").cells
    removed = [c.source for c in cells if "remove-cell" in c.metadata.get("tags", [])]
    assert any(s.startswith("## Set up") for s in removed)
    assert "print(fournos.edition())" in removed
    assert 'fournos.article_text("art_unknown")' in removed
    shown = "\n".join(
        c.source for c in cells if c.cell_type == "markdown" and c.source not in removed
    )
    for jargon in ["fournos.", "Shift + Enter", "as_of", "make my-work"]:
        assert jargon not in shown, jargon


def test_glossary_notes_keep_no_working_notes_or_ids():
    page = site_content.glossary_page()
    shown = re.sub(r"\]\([^)]*\)", "]", page)
    for jargon in ["Judgement call", "ev_", "ref_", "fournos.", "reference ids"]:
        assert jargon not in shown, jargon
    assert "the Vietnamese originals were not seen" in shown  # a caveat is kept


def test_tables_on_the_site_show_names_not_ids(tmp_path):
    shown = html_outputs(prepared(tmp_path, "09_the_case_for_alliance"))
    assert ">adv_tuong_01<" not in shown and ">Tuong Lai 2014: homeland protection<" in shown
    home = html_outputs(prepared(tmp_path, "00_start_here"))
    assert ">art_duong_integration<" not in home and ">Nguyen Ba Duong (2018)<" in home
    # each article, by name, links to its full text (reader trial 2: no way from the start page)
    assert '<a href="../articles/art_duong_integration.html">Nguyen Ba Duong (2018)</a>' in home


PANDAS_TABLE = (
    '<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th>'
    "<th>when</th><th>perspective</th><th>in_four_nos</th></tr><tr><th>event_id</th><th></th>"
    "<th></th><th></th></tr></thead><tbody><tr><th>ev_2013_resolution_22</th><td>10 April 2013"
    "</td><td>party_state</td><td>True</td></tr></tbody></table>"
)


def test_a_table_indexed_by_an_id_gets_one_header_row_and_names(tmp_path):
    """pandas heads an id-indexed table with two rows (the index's name under empty cells, which
    the site labelled 'row'): one row on the site, the id a name, codes words (reader trial)."""
    shown = site_content.reader_tables(
        site_links.link_html(PANDAS_TABLE, None), site_content.readable_names()
    )
    assert shown.count("<tr") == 2 and ">row<" not in shown
    assert ">event<" in shown and ">in the Four Nos<" in shown
    assert ">Politburo Resolution 22-NQ/TW on international integration<" in shown
    assert ">party-state<" in shown and ">yes<" in shown and "_" not in shown.split("<tbody>")[1]


def test_row_numbers_go_but_a_meaningful_index_stays():
    numbered = (
        '<table border="1" class="dataframe"><thead><tr><th></th><th>when</th><th>title</th>'
        "</tr></thead><tbody><tr><th>0</th><td>1998</td><td>First Defence White Paper</td></tr>"
        "<tr><th>7</th><td>2009</td><td>Second Defence White Paper</td></tr></tbody></table>"
    )
    shown = site_content.reader_tables(numbered, {})
    assert "<th>0</th>" not in shown and "<th>7</th>" not in shown and shown.count("<th>") == 2
    years = numbered.replace("<th>0</th>", "<th>1998</th>").replace("<th>7</th>", "<th>2009</th>")
    assert site_content.reader_tables(years, {}).count("<th>") == 5


def test_no_table_on_the_lesson_pages_is_headed_by_an_id_or_a_row_label(tmp_path):
    for stem in [
        "00_start_here",
        "01_duong_2018_integration",
        "07_doctrine_four_nos",
        "08_treaties_compared",
    ]:
        shown = html_outputs(prepared(tmp_path, stem))
        heads = re.findall(r"<th[^>]*>(.*?)</th>", shown, re.DOTALL)
        assert not [h for h in heads if re.fullmatch(r"\s*(row|[a-z]+_[a-z0-9_]+)\s*", h)], stem
        assert "dtype:" not in shown and ">party_state<" not in shown, stem
        assert "ref_white_paper_2009" not in shown, stem


def test_the_source_checks_read_as_one_card_per_claim_on_the_site():
    """Lesson 08's explorer was a 1110 px table with ids and codes in a phone's 356 px: one
    card per claim, the verdict in words, the evidence by name."""
    shown = site_content.check_explorer_html()
    assert "fournos-check-card" in shown and "<table border" not in shown
    assert "cannot_check" not in shown and "ref_garver_2016" not in shown
    assert "John W. Garver (2016)" in shown and "What would settle it" in shown


def test_notebook_file_names_in_lesson_text_become_links_to_their_pages():
    said = site_content.reader_wording(
        "**Prerequisites:** `00_start_here.ipynb`; Article 3 (`03_vu_sui_generis.ipynb`). Next: "
        "(`exercises/ex04_arguments_and_answers.ipynb`). [Map](01_duong_2018_integration.ipynb)"
    )
    assert ".ipynb`" not in said
    assert "[the start page](../notebooks/00_start_here.ipynb)" in said
    assert "[lesson 3](../notebooks/03_vu_sui_generis.ipynb)" in said
    assert "[exercise sheet 4](../exercises/ex04_arguments_and_answers.ipynb)" in said
    assert said.endswith("[Map](01_duong_2018_integration.ipynb)")


def test_lesson_text_on_the_site_names_no_function_of_the_kit():
    for path in sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        dropped = site_content.notebook_only(cells)
        for index, cell in enumerate(cells):
            if cell.cell_type == "markdown" and index not in dropped:
                said = site_content.reader_wording(cell.source)
                assert "fournos." not in said and "Shift + Enter" not in said, (
                    path.name,
                    said[:80],
                )


def test_the_root_redirect_names_the_sites_icon_and_gives_a_link(tmp_path):
    """A bare meta refresh let the browser ask for /favicon.ico (a console 404) first."""
    index = tmp_path / "index.html"
    index.write_text('<meta http-equiv="Refresh" content="0; url=notebooks/00_start_here.html" />')
    site.write_start_redirect(index)
    page = index.read_text(encoding="utf-8")
    assert '<link rel="icon" href="_static/favicon.svg"' in page
    assert 'url=notebooks/00_start_here.html"' in page
    assert '<a href="notebooks/00_start_here.html">Start here</a>' in page


def test_the_documents_page_lists_its_documents_and_links_their_addresses():
    """Reader trial: 24 documents in no visible order, no contents, addresses as plain text and
    an id after each file name. A dated list of links comes first, the page says how many of
    the kit's documents it holds, and every web address is a link."""
    from fournos_tools import site_documents

    chosen = ["ref_treaty_1978_ussr", "ref_bbc_2002_cam_ranh", "ref_treaty_1977_laos"]
    page = site_documents.page(chosen)
    contents = re.findall(r'^- <a href="#(\w+)">', page, re.MULTILINE)
    assert contents == ["ref_treaty_1977_laos", "ref_treaty_1978_ussr", "ref_bbc_2002_cam_ranh"]
    assert f"These are 3 of the {len(site_documents.documents())} documents" in page
    sources = re.findall(r"<i>Source:</i> (.*?)<br>", page)
    assert sources and all(s.startswith('<a href="http') for s in sources if "http" in s)
    assert "(<code>ref_" not in page


def test_the_documents_page_writes_dates_as_a_reader_does():
    """Second reader trial: dates on the documents page read '1954-09-08'."""
    from fournos_tools import site_documents

    page = site_documents.page(["ref_treaty_1978_ussr", "ref_treaty_1977_laos"])
    assert "3 November 1978" in page
    assert not re.search(
        r"\b\d{4}-\d{2}(-\d{2})?\b", re.sub(r'href="[^"]*"|<code>.*?</code>', "", page)
    )
