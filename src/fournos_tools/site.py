"""Build the static HTML site (`make site`) with Jupyter Book 1.x, fully offline.

The notebooks are committed executed, so nothing is re-run: their copies in _build/site-src/
get each plotly figure turned from plotly's JSON output (which only JupyterLab draws) into a
small HTML snippet that calls Plotly.newPlot. Outputs that need a live kernel (quizzes, the
claim and timeline explorers) are replaced by static versions made from the kit's data
(site_widgets, site_content); each article gets a page with numbered paragraphs, and
paragraph references become links to it (site_links). plotly.js is shipped once for the
whole site, copied from the installed plotly package; require.js and the widgets' HTML
manager (for any saved widget state left) come from site/vendor/, the site's own style and
quiz script from site/assets/. Solutions are included only with INSTRUCTOR=1.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import plotly
import plotly.io as pio

import fournos
from fournos import freshness
from fournos.kit import current_kit
from fournos_tools import site_about, site_documents
from fournos_tools import site_content as content
from fournos_tools import site_links as links
from fournos_tools.site_widgets import SiteBuildError, StaticKernel

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

CONFIG = """\
title: "Vietnam's 'no military alliances' policy: a study kit"
author: fournos contributors
copyright: "{year}"
only_build_toc_files: true
execute:
  execute_notebooks: "off"
parse:
  myst_enable_extensions: [colon_fence, deflist]
html:
  use_repository_button: false
  use_issues_button: false
  use_edit_page_button: false
  use_download_button: true
  home_page_in_navbar: true
launch_buttons:
  notebook_interface: classic
  binderhub_url: ""
  jupyterhub_url: ""
  thebe: false
  colab_url: ""
sphinx:
  config:
    html_static_path: ["vendor", "assets"]
    html_extra_path: ["extra"]
    html_css_files: ["fournos-site.css"]
    html_js_files:
      - ["plotly.min.js", {"priority": 100}]
      - ["fournos-site.js", {"defer": "defer"}]
    nb_ipywidgets_js:
      require.js: {}
      embed-amd.js: {"data-jupyter-widgets-cdn": "", "data-jupyter-widgets-cdn-only": "false"}
    html_theme_options:  # replaces the theme options the html: section above would set
      navigation_with_keys: false
      home_page_in_toc: true
      extra_footer: >-
        <p>The kit's own text and data are under the CC BY 4.0 licence and its code under the
        MIT licence. The five articles remain their publishers' and authors' property, included
        for study, criticism and review.</p>
    html_context:
      default_mode: light
    html_favicon: assets/favicon.svg
"""


def _output(html_text: str, execution_count: int | None) -> dict:
    return nbformat.v4.new_output(
        "execute_result", data={"text/html": html_text}, execution_count=execution_count
    )


def figure_from_output(output: dict, div_id: str) -> str:
    """A stored plotly JSON output as HTML for the site's single copy of plotly.js."""
    figure = pio.from_json(json.dumps(output["data"][PLOTLY_MIME]), skip_invalid=True)
    return content.figure_html(figure, div_id)


def prepare_notebook(source: Path, target: Path) -> int:
    """Copy a notebook for the site. Plotly outputs become HTML; outputs that need a kernel
    (quizzes, explorers) become their static versions; paragraph numbers become links; the
    start page states the course's times. Returns how many figures were converted."""
    notebook = nbformat.read(source, as_version=4)
    if source.stem == "00_start_here":
        times = content.course_times(source.parents[1])
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = content.with_course_time(cell.source, times)
    kernel = StaticKernel(notebook, key=source.stem)
    article = kernel.article()
    converted = 0
    dropped = content.notebook_only(notebook.cells)
    names = content.readable_names()
    key = {}  # the last timeline's numbered key: a table of some of its events numbers them so
    for index, cell in enumerate(notebook.cells):
        if index in dropped:  # Jupyter Book leaves the cell out of the page
            cell.metadata.setdefault("tags", []).append("remove-cell")
        if cell.cell_type == "markdown":
            cell.source = content.reader_wording(links.link_markdown(cell.source, article))
            continue
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.setdefault("tags", [])
        if "hide-input" not in tags:  # the reader sees what the code shows, the code folded
            tags.append("hide-input")
        static = kernel.static_output(index)
        if static is not None:
            static = content.reader_prose(static)
            count = cell.get("execution_count")
            cell.outputs = [_output(static, count)]
            converted += static.count('class="fournos-figure"')
            continue
        for number, output in enumerate(cell.get("outputs", [])):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                said = "".join(output["text"])
                text = content.reader_prose(said)
                printed = links.link_plain(text, article)
                # a printed address becomes a link, a printed id goes, a paragraph reads as one
                if not printed and ("http" in text or text != said or content.one_paragraph(text)):
                    printed = f'<pre class="fournos-printed">{html.escape(text)}</pre>'
                if printed and content.one_paragraph(text):  # prose, not a code box
                    printed = printed.replace("<pre ", "<p ", 1).removesuffix("</pre>") + "</p>"
                if printed:  # "Reread paragraph 3." links to it
                    cell.outputs[number] = nbformat.v4.new_output(
                        "display_data", data={"text/html": content.link_addresses(printed)}
                    )
                continue
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                key = content.chart_key(data[PLOTLY_MIME]) or key
                output["data"] = {
                    "text/html": figure_from_output(output, f"fig-{source.stem}-{index}")
                }
                converted += 1
            elif "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                text = content.numbered_as_the_chart(text, key)
                text = content.reader_tables(links.link_html(text, article), names)
                text = content.reader_prose(text)
                data["text/html"] = content.link_addresses(text)
    if source.stem == "00_start_here" and (warning := freshness.age_warning()):
        notebook.cells.insert(1, nbformat.v4.new_markdown_cell(f"> **Out of date?** {warning}"))
    widgets_left = any(
        WIDGET_MIME in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", [])
    )
    if not widgets_left:  # no saved widget state to draw: the page needs no widget manager
        notebook.metadata.pop("widgets", None)
    if source.parent.name == "exercises" and notebook.cells:  # under the sheet's title
        title, _, rest = notebook.cells[0].source.partition("\n")
        note = content.worksheet_note(source.name)
        notebook.cells[0].source = f"{title}\n\n{note}\n{rest}"
    nbformat.write(notebook, target)
    return converted


def toc(instructor: bool, root: Path | None = None) -> str:
    root = root or current_kit()
    lines = [
        "format: jb-book",
        "root: notebooks/00_start_here",
        "parts:",
        "  - caption: Lessons",
        "    chapters:",
    ]
    names = content.lesson_names(root / "notebooks" / "00_start_here.ipynb")
    for p in sorted((root / "notebooks").glob("*.ipynb")):
        if p.stem != "00_start_here":
            lines.append(f"      - file: notebooks/{p.stem}")
            if p.name in names:  # JSON's quoted string is YAML's too
                lines.append(f"        title: {json.dumps(names[p.name], ensure_ascii=False)}")
    # the exercises follow the lessons, as in the start page's map (step 11): a page's Next
    # link goes where the course goes; the articles and the readers' pages come after
    lines += ["  - caption: Exercises", "    chapters:"]
    lines += [
        f"      - file: exercises/{p.stem}" for p in sorted((root / "exercises").glob("*.ipynb"))
    ]
    lines += ["  - caption: The five articles, full texts", "    chapters:"]
    lines += [f"      - file: {content.ARTICLES_DIR}/{a}" for a in fournos.article_ids()]
    lines += ["  - caption: For readers", "    chapters:", "      - file: glossary"]
    lines += [f"      - file: {site_documents.PAGE}", f"      - file: {site_about.PAGE}"]
    if instructor:
        lines += ["  - caption: Solutions (instructors)", "    chapters:", "      - file: guide"]
        lines += [
            f"      - file: solutions/{p.stem}"
            for p in sorted((root / "solutions").glob("*.ipynb"))
        ]
    return "\n".join(lines) + "\n"


def citation_year(root: Path) -> str:
    """The year the kit's citation gives (CITATION.cff's date-released): the footer's too."""
    text = (root / "CITATION.cff").read_text(encoding="utf-8")
    return re.search(r'^date-released:\s*"?(\d{4})', text, re.MULTILINE)[1]


def prepare(source_dir: Path, instructor: bool, root: Path) -> int:
    """Lay out the book's sources in `source_dir`. Returns how many figures were converted."""
    if source_dir.exists():
        shutil.rmtree(source_dir)
    folders = ["notebooks", "exercises"] + (["solutions"] if instructor else [])
    figures = 0
    for folder in folders:
        (source_dir / folder).mkdir(parents=True)
        for notebook in sorted((root / folder).glob("*.ipynb")):
            figures += prepare_notebook(notebook, source_dir / folder / notebook.name)
    (source_dir / content.ARTICLES_DIR).mkdir()
    for article_id in fournos.article_ids():
        references = root / "data" / "articles" / f"{article_id}.references.txt"
        page = content.article_page(
            article_id, references.read_text(encoding="utf-8") if references.exists() else None
        )
        (source_dir / content.ARTICLES_DIR / f"{article_id}.md").write_text(page, encoding="utf-8")
    (source_dir / "glossary.md").write_text(content.glossary_page(), encoding="utf-8")
    documents = site_documents.page(site_documents.cited(source_dir))
    (source_dir / f"{site_documents.PAGE}.md").write_text(documents, encoding="utf-8")
    about = site_about.page(root)
    (source_dir / f"{site_about.PAGE}.md").write_text(about, encoding="utf-8")
    if instructor:  # the instructor guide goes with the solutions
        shutil.copy(root / "instructors" / "README.md", source_dir / "guide.md")
    shutil.copytree(root / "site" / "vendor", source_dir / "vendor")
    shutil.copytree(root / "site" / "assets", source_dir / "assets")
    # the widgets' HTML manager loads its icon fonts relative to each page's folder, from
    # the module path of whichever of its bundles asks first
    for folder in folders:
        for module in ["@jupyter-widgets", "@jupyter-widgets/html-manager/dist"]:
            fonts = source_dir / "extra" / folder / module
            fonts.mkdir(parents=True, exist_ok=True)
            for font in (root / "site" / "vendor").glob("*.woff2"):
                shutil.copy(font, fonts)
    shutil.copy(
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js", source_dir / "vendor"
    )
    config = CONFIG.replace("{year}", citation_year(root))
    (source_dir / "_config.yml").write_text(config, encoding="utf-8")
    (source_dir / "_toc.yml").write_text(toc(instructor, root), encoding="utf-8")
    return figures


def build(out: Path | None = None, instructor: bool = False, root: Path | None = None) -> Path:
    """Build the site; returns the folder holding index.html. The students' site goes to
    _build/site and the instructors' (with solutions) to _build/site-instructor, each built
    from scratch: an incremental build would keep pages of a removed notebook, such as a
    solution left over from an instructor build."""
    root = root or current_kit()
    out = out or root / "_build" / ("site-instructor" if instructor else "site")
    if out.exists():
        shutil.rmtree(out)
    source_dir = out.with_name(out.name + "-src")  # one per output: builds can run side by side
    started = time.perf_counter()
    figures = prepare(source_dir, instructor, root)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    subprocess.run(
        [str(jupyter_book), "build", str(source_dir), "--path-output", str(out), "--quiet"],
        check=True,
    )
    html = out / "_build" / "html"
    for page in html.rglob("*.html"):
        fix_theme_accessibility(page)
    for page in (html / "exercises").glob("*.html"):
        name_answer_cells(page)
    write_start_redirect(html / "index.html")
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    print(
        f"Built {html} in {time.perf_counter() - started:.0f} s: {figures} figures, "
        f"{size / 1e6:.1f} MB. Open {html / 'index.html'} in a browser."
    )
    return html


def write_start_redirect(index: Path) -> None:
    """Jupyter Book's root index.html is a bare meta refresh: before it moves on, a browser may
    ask for /favicon.ico (a 404 in the console), and a reader whose browser does not follow
    refreshes sees a blank page. Keep the redirect, with the site's icon and a link to follow."""
    match = re.search(r'url=([^"\s]+)"', index.read_text(encoding="utf-8"))
    if match is None:
        return
    target = html.escape(match.group(1))
    index.write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        "<title>Vietnam's 'no military alliances' policy: a study kit</title>\n"
        '<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n'
        f'</head><body><p><a href="{target}">Start here</a></p></body></html>\n',
        encoding="utf-8",
    )


# The theme's search button carries aria-label="Search" while it shows "Search Ctrl+K", and
# its colour-mode button shows three titled icons under the label "Color mode": both fail
# axe's label-content-name-mismatch rule (serious). The visible text (for the colour-mode
# button, a visually hidden "Color mode") names them instead.
THEME_FIXES = [
    # folded code's toggle: its name is what it shows, not a label, and it says what is folded
    # in a reader's words ("Show code cell source" is a notebook user's)
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    (
        '<p class="collapsed admonition-title">Show code cell source</p>',
        '<p class="collapsed admonition-title">Show the code that made this</p>',
    ),
    (
        '<p class="expanded admonition-title">Hide code cell source</p>',
        '<p class="expanded admonition-title">Hide the code</p>',
    ),
    # a wide table scrolls inside its own box on a phone: the keyboard must reach it too
    ('<table border="1" class="dataframe">', '<table border="1" class="dataframe" tabindex="0">'),
    (
        'search-button__button pst-js-only" title="Search" aria-label="Search"',
        'search-button__button pst-js-only" title="Search"',
    ),
    (
        (
            'theme-switch-button pst-js-only" aria-label="Color mode" data-bs-title="Color mode"  '
            'data-bs-placement="bottom" data-bs-toggle="tooltip">'
        ),
        (
            'theme-switch-button pst-js-only" data-bs-title="Color mode"  '
            'data-bs-placement="bottom" data-bs-toggle="tooltip"><span class="visually-hidden">'
            "Color mode</span>"
        ),
    ),
    ('<i class="theme-switch ', '<i aria-hidden="true" class="theme-switch '),
    # the site's title link in the sidebar sits outside any landmark (axe "region")
    (
        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">',
        (
            '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" role="region" '
            'aria-label="Site contents">'
        ),
    ),
]


# Jupyter Book 1 always loads sphinx-thebe, whose set-up script it writes twice into every
# page ("Identifier 'THEBE_JS_URL' has already been declared") and which would fetch thebe
# from a CDN on use. The site has no live code, so every trace of it goes.
THEBE = [
    re.compile(r"[ \t]*<script>const THEBE_JS_URL = [^\n]*</script>\n"),
    re.compile(r'[ \t]*<script async="async" src="[^"]*sphinx-thebe\.js[^"]*"></script>\n'),
    re.compile(
        r'[ \t]*<link rel="stylesheet" type="text/css" href="[^"]*sphinx-thebe\.css[^"]*" />\n'
    ),
    re.compile(r'[ \t]*<script type="text/x-thebe-config">.*?</script>\n', re.DOTALL),
]


def name_answer_cells(page: Path) -> None:
    """An exercise's code cells are answer cells and checks, with no output: their toggle
    says so, not "Show the code that made this" over nothing."""
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace(">Show the code that made this<", ">Show the code cell (done in the kit)<"),
        encoding="utf-8",
    )


def fix_theme_accessibility(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    fixed = text
    for old, new in THEME_FIXES:
        fixed = fixed.replace(old, new)
    for pattern in THEBE:
        fixed = pattern.sub("", fixed)
    if fixed != text:
        page.write_text(fixed, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the kit's static HTML site.")
    parser.add_argument("--instructor", action="store_true", help="include the solutions")
    args = parser.parse_args(argv)
    try:
        build(instructor=args.instructor)
    except SiteBuildError as err:
        print(f"The site was not built: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
