"""HTML for the static site that the notebooks cannot give without a kernel: article pages
with numbered paragraphs, self-check quizzes checked in the browser, the claim explorer as
folded claims, the timeline explorer as folded figures, and links to paragraphs.

Everything here is built from the kit's data through the runtime library, at build time.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import plotly.io as pio
from bs4 import BeautifulSoup

import fournos
from fournos.data import DataError
from fournos.dates import label as date_label
from fournos.figures import readable
from fournos.quiz import (
    COUNTING,
    FILLER,
    NEGATIONS,
    QUANTIFIERS,
    VALUE_WORDS,
    VIETNAMESE_NAMES,
)
from fournos.text import article_name, highlight
from fournos.timelines import explorer_view, mentions

ARTICLES_DIR = "articles"


def article_href(article_id: str, number: int | None = None, prefix: str = "../") -> str:
    """Where an article (or one of its paragraphs) is on the site, from a page one folder deep."""
    anchor = f"#p{number}" if number is not None else ""
    return f"{prefix}{ARTICLES_DIR}/{article_id}.html{anchor}"


def paragraph_link(article_id: str, number: int, text: str | None = None) -> str:
    label = html.escape(text or f"paragraph {number}")
    return f'<a class="fournos-plink" href="{article_href(article_id, number)}">{label}</a>'


def _articles() -> pd.DataFrame:
    return fournos.articles().set_index("article_id")


def article_title(article_id: str) -> str:
    a = _articles().loc[article_id]
    return f"Article {a['reading_order']}: {a['title']}"


def original_link(article_id: str) -> str:
    """Where the article was published, as a link (its address from data/sources.csv), or
    plainly that the kit has no address for it."""
    source = fournos.sources().set_index("source_id").loc[article_id]
    if not source["url"]:
        return (
            "**The original:** the kit has no web address for this article; the card above "
            "names its outlet and date."
        )
    address = html.escape(source["url"], quote=True)
    read = pd.Timestamp(source["accessed"]).strftime("%-d %B %Y") if source["accessed"] else ""
    when = f", checked {read}" if read else ""
    return (
        f'**The original:** <a href="{address}">read it on the outlet\'s own site</a> '
        f"({html.escape(source['issuer'])}{when}): {link_addresses(address)}"
    )


def article_page(article_id: str, references: str | None = None) -> str:
    """A MyST page: the reading card, then every paragraph numbered with an anchor (#p1...)."""
    card = fournos.reading_card(article_id).data
    paras = "\n".join(
        f'<p id="p{n}" class="fournos-para"><a class="fournos-pnum" href="#p{n}" '
        f'aria-label="Paragraph {n}">{n}</a> {html.escape(text)}</p>'
        for n, text in enumerate(fournos.paragraphs(article_id), start=1)
    )
    parts = [
        f"# {article_title(article_id)}",
        "",
        card,
        "",
        original_link(article_id),
        "",
        (
            "The text below is the article's own, word for word, as cleaned for the kit (page "
            "furniture such as captions and navigation links removed). The numbers are the kit's "
            "paragraph numbers: the lessons, quotes and quizzes point to them. The text remains "
            "the property of its publisher and author and is included for study, criticism and "
            "review."
        ),
        "",
        f'<div class="fournos-article" lang="en">\n{paras}\n</div>',
        "",
    ]
    if references:
        items = "\n".join(
            f"<p>{html.escape(r)}</p>" for r in references.strip().split("\n\n") if r.strip()
        )
        parts += [
            "## References as printed",
            "",
            f'<div class="fournos-refs">\n{items}\n</div>',
            "",
        ]
    return "\n".join(parts)


# ---------------------------------------------------------------- quizzes without a kernel


def _quiz_data(q: pd.Series) -> dict:
    paragraph = None if pd.isna(q["paragraph"]) else int(q["paragraph"])
    return {
        "id": q["question_id"],
        "kind": q["kind"],
        "answer": list(q["answer"]),
        "explanation": q["explanation"],
        "hint": reader_hint(q["hint"]),
        "paragraph": paragraph,
        "href": article_href(q["article_id"], paragraph) if paragraph else None,
    }


def _question_html(q: pd.Series) -> str:
    qid = html.escape(q["question_id"])
    prompt = f"<b>Question {q['number']}.</b> {html.escape(q['prompt'])}"
    options = list(q["options"]) if isinstance(q["options"], list) else []
    if q["kind"] == "choice":
        body = "".join(
            f'<div class="fournos-option"><input type="radio" name="{qid}" id="{qid}-{i}" '
            f'value="{html.escape(o)}"><label for="{qid}-{i}">{html.escape(o)}</label></div>'
            for i, o in enumerate(options)
        )
        field = f'<fieldset><legend id="{qid}-prompt">{prompt}</legend>{body}</fieldset>'
    elif q["kind"] == "order":
        items = "".join(
            f'<li data-item="{html.escape(o)}"><span class="fournos-item">{html.escape(o)}</span> '
            f'<span class="fournos-moves"><button type="button" class="fournos-up" '
            f'aria-label="Up: move up {html.escape(o)}">↑ Up</button> <button type="button" '
            f'class="fournos-down" aria-label="Down: move down {html.escape(o)}">↓ Down</button>'
            "</span></li>"
            for o in options
        )
        field = (
            f'<fieldset><legend id="{qid}-prompt">{prompt} <span class="fournos-how">(Put the '
            f"items in order with the Up and Down buttons, first at the top.)</span>"
            '<span class="fournos-print-only"> (Number the items in the right order.)</span>'
            "</legend>"
            f'<ol class="fournos-order">{items}</ol></fieldset>'
        )
    else:
        field = (
            f'<p id="{qid}-prompt">{prompt}</p><label for="{qid}-text">Your answer</label> '
            f'<input type="text" id="{qid}-text" autocomplete="off" spellcheck="false">'
        )
    return (
        f'<form class="fournos-question" data-question="{qid}" aria-labelledby="{qid}-prompt">'
        f"{field}"
        f'<button type="submit" class="fournos-check">Check</button>'
        f'<div class="fournos-feedback" role="status" aria-live="polite"></div>'
        f'<script type="application/json" class="fournos-question-data">'
        f"{_json_for_script(_quiz_data(q))}</script></form>"
    )


def _json_for_script(data) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def quiz_html(article_id: str) -> str:
    """The article's self-check questions as a form that the site's fournos-quiz.js checks."""
    return questions_html(fournos.questions(article_id))


def questions_html(chosen) -> str:
    """Self-check questions (rows of quiz_questions) as a form that fournos-quiz.js checks."""
    rules = {
        "filler": sorted(FILLER),
        "counting": sorted(COUNTING),
        "quantifiers": sorted(QUANTIFIERS),
        "values": sorted(VALUE_WORDS),
        "negations": sorted(NEGATIONS | {"or"}),
        "names": VIETNAMESE_NAMES,
    }
    questions = "".join(_question_html(q) for _, q in chosen.iterrows())
    return (
        '<div class="fournos-quiz">'
        '<p class="fournos-note">These questions work on this page: choose or type an answer '
        "and press <b>Check</b> (or Enter). Nothing is sent anywhere.</p>"
        f'<script type="application/json" class="fournos-quiz-rules">{_json_for_script(rules)}'
        f"</script>{questions}</div>"
    )


# ------------------------------------------------------- explorers rendered without a kernel


def linked_highlight(article_id: str, quote: str) -> str:
    """The paragraph around a quote, quote marked, its footer a link to the paragraph."""
    return link_quote_footers(highlight(article_id, quote))


FOOTER = re.compile(r"<footer>([^<]+), paragraph (\d+)</footer>")


def link_quote_footers(text: str) -> str:
    """Turn every quote footer ('Khang Vu (undated), paragraph 12', the article's readable name)
    into a link to that paragraph; a footer naming no article is left as it is."""
    ids = {html.escape(article_name(a)): a for a in fournos.article_ids()}

    def link(m: re.Match) -> str:
        article_id = ids.get(m.group(1))
        if article_id is None:
            return m.group(0)
        return f"<footer>{m.group(1)}, {paragraph_link(article_id, int(m.group(2)))}</footer>"

    return FOOTER.sub(link, text)


def claims_html(article_id: str) -> str:
    """Every claim of the argument map, folded, each with its highlighted paragraph."""
    claims = fournos.argument_map(article_id)
    items = "".join(
        f'<details class="fournos-claim"><summary>{c.order}. {html.escape(readable(c.role))}: '
        f"{html.escape(c.summary)}</summary>{linked_highlight(article_id, c.quote)}</details>"
        for c in claims.itertuples()
    )
    return (
        '<div class="fournos-claims"><p class="fournos-note">Every claim is listed: open one to '
        f"read the paragraph it comes from, with the quote highlighted.</p>{items}</div>"
    )


def figure_html(figure, div_id: str) -> str:
    """A plotly figure drawn by the site's single copy of plotly.js, with a text label."""
    snippet = pio.to_html(
        figure, include_plotlyjs=False, full_html=False, div_id=div_id, config={"responsive": True}
    )
    title = figure.layout.title.text or "Chart"
    label = html.escape(f"{title}. Chart; its text description is next to it.", quote=True)
    return f'<div class="fournos-figure" role="figure" aria-label="{label}">{snippet}</div>'


def timeline_explorer_html(frame: pd.DataFrame, title: str, treaties=None, *, key: str) -> str:
    """The explorer's views with each article's events ringed, folded, one per article that
    mentions any of the events (for the others the view would be the timeline above)."""
    categories = list(dict.fromkeys(frame["category"]))
    blocks, silent = [], []
    for article_id in fournos.article_ids():
        marked = frame[frame["event_id"].isin(mentions(article_id))]
        view = explorer_view(frame, title, treaties, categories, "", article_id)
        if marked.empty or isinstance(view, str):
            silent.append(str(_articles().loc[article_id, "reading_order"]))
            continue
        listed = "; ".join(f"{r.when}: {r.title}" for r in marked.itertuples())
        blocks.append(
            f'<details class="fournos-view"><summary>Overlay '
            f"{html.escape(article_title(article_id))} ({len(marked)} "
            f"{'event' if len(marked) == 1 else 'events'} ringed)</summary>"
            f"{figure_html(view, f'{key}-{article_id}')}"
            f"<p><i>Text description:</i> the timeline above, with the events this article "
            f"mentions ringed with a star: {html.escape(listed)}.</p></details>"
        )
    none = ""
    if len(silent) == 1:
        none = f"<p>Article {silent[0]} mentions none of these events.</p>"
    elif silent:
        names = ", ".join(silent[:-1]) + " and " + silent[-1]
        none = f"<p>Articles {names} mention none of these events.</p>"
    return (
        '<div class="fournos-explorer"><p class="fournos-note">Open an article to see the '
        "timeline with the events it mentions ringed with a star. (In the kit the chart can "
        "also be filtered by category or partner; here the tables on this page list the "
        f"events.)</p>{''.join(blocks)}{none}</div>"
    )


def check_explorer_html() -> str:
    """The source menu's views, one folded table per source (a reader picks by opening one)."""
    from fournos.criticism import check_cards, checks_for, source_checks

    blocks = [
        f"<details><summary>{html.escape(source)}</summary>"
        f"{check_cards(checks_for(source)).data}</details>"
        for source in dict.fromkeys(source_checks()["source"])
    ]
    return (
        '<div class="fournos-explorer"><p class="fournos-note">Each source\'s checked claims, '
        f"folded: open a source to read its checks.</p>{''.join(blocks)}</div>"
    )


def paragraph_html(article_id: str, number: int) -> str:
    """One paragraph, wrapped, with a link to it in the article page."""
    return (
        f'<blockquote class="fournos-quote"><p>{html.escape(fournos.paragraph(article_id, number))}'
        f"</p><footer>{html.escape(article_name(article_id))}, {paragraph_link(article_id, number)}</footer></blockquote>"
    )


# ------------------------------------------------------------------ words for site readers

# The notebooks speak to someone running them; the site's reader only reads. Where the two
# differ, the site says it its own way (the notebooks keep theirs).
READER_WORDING = [
    ("- **cannot_check**:", "- **cannot check**:"),  # lesson 8's verdicts, as its tables say
    ("(here Article 2; try another name from the dropdown):", "(here Article 2):"),
    (
        "You only need to run cells: click a cell and press **Shift + Enter**.",
        (
            "On this site you only read: figures, tables and quizzes work in the page, and "
            "the code that makes them is folded away (click **Show the code that made this** to see it)."
        ),
    ),
    (
        (
            "Run the next cell and click **The whole article** to open it (click again to fold "
            "it away)."
        ),
        (
            "Tap or click **The whole article** below to open it (again to fold it away), or "
            "read it on its own page under *The five articles*."
        ),
    ),
    (
        "The full glossary is `fournos.glossary()`.",
        "The full glossary is on the [Glossary](../glossary.md) page.",
    ),
    (
        "so it appears only when you run the cell yourself.",
        "so on this site it is shown for each article in turn: open one below.",
    ),
    # a page is also printed, and read on phones: nothing on it may need a hovering mouse
    (
        (
            "The library reads the data for you. `fournos.articles()` gives one row per article, "
            "in reading order"
        ),
        "The table below has one row per article, in reading order",
    ),
    (
        "its title, author, outlet and date are in `fournos.articles()`.",
        "its title, author, outlet and date are on its page under *The five articles, full texts*.",
    ),
    ("the dataset's as-of date (`fournos.as_of()`).", "the dataset's as-of date (given above)."),
    (
        (
            "`fournos.show_quote(article_id, quote)` shows the whole paragraph with the quote "
            "highlighted, and tells you its paragraph number."
        ),
        "The kit shows a quote in its whole paragraph, highlighted, with the paragraph's number:",
    ),
    (
        "- `fournos.show_quote` shows any quote in its paragraph:",
        "- The kit shows any quote in its paragraph:",
    ),
    (
        (
            "run `make my-work` (without make: `.venv/bin/fournos my-work`; on a course "
            "JupyterHub: `fournos my-work` in a terminal), then open your own copies in "
            "`my-work/` (never the originals in `exercises/`, which an update may replace)"
        ),
        "each sheet's page on this site says how to do it in the kit",
    ),
    (" Try it with an article id that does not exist:", ""),
    ("Pick a claim in the menu to read", "Open a claim below to read"),
    (
        "The explorer uses the same filter as the code below. For example,",
        "In the kit the explorer can also pick the events of one partner. For example,",
    ),
    (
        "The card comes from the dataset (`data/articles.csv`).",
        "The card comes from the kit's data.",
    ),
    (
        (
            "The data lives in `data/` as plain CSV tables, described by one schema file, "
            "`data/datapackage.json`. Each table has one kind of row:"
        ),
        (
            "The kit's data is a set of plain tables (CSV files, which any spreadsheet opens). "
            "Each table has one kind of row:"
        ),
    ),
    (
        (
            "Untick categories, choose a partner, or overlay an article: the events that the "
            "article mentions are ringed with a star. In the **Overlay** menu, choose **Khang Vu "
            "(undated)**, the article that tells this history, then **Phan Trong Hao (2022)**."
        ),
        (
            "Overlay an article: the events that it mentions are ringed with a star. Open "
            "**Article 3** below, the article that tells this history, then **Article 4**."
        ),
    ),
    ("By the end of this notebook", "By the end of this lesson"),
    (
        " Below are five of its columns; the outlets and titles are in the others.",
        " Each article's outlet and title are on its page under *The five articles, full texts*.",
    ),
    (" (The table only changes when the notebook is running.)", ""),
    ("; `python -m fournos audit` shows the document behind every fact in the kit.", "."),
    (
        "`debate.answers()` lists every advocate and rebuttal argument",
        "The table below lists every advocate and rebuttal argument",
    ),
    ("(in JupyterLab, point at a marker to read why)", "(on screen, point at or tap a marker)"),
    ("(in JupyterLab, point at a bar to read its dates)", "(on screen, point at or tap a bar)"),
    (
        "**Use** the kit's library to read a quote in the paragraph it comes from.",
        "**Read** a quote in the paragraph it comes from.",
    ),
    (
        (
            "`party_state` marks a publication of Vietnam's Communist Party or state bodies; "
            "`foreign_academic` marks the one analysis written outside Vietnam."
        ),
        (
            "*party-state* marks a publication of Vietnam's Communist Party or state bodies; "
            "*foreign academic* marks the one analysis written outside Vietnam."
        ),
    ),
    (
        "**In exercises**, you run a `check_…` function after each answer. It says",
        "**In the exercises** (done in the kit), a check after each answer says",
    ),
    (
        (
            "exactly as the rest of this notebook, the quiz hints and "
            "`fournos.paragraph(ARTICLE, n)` number them"
        ),
        "exactly as the rest of this lesson and the quiz hints number them",
    ),
    (
        (
            "You can also check an answer in code, which is handy for revising. The cell below "
            "checks a deliberately wrong answer to question 1, so that you see what a hint looks "
            "like: put your own answer between the quotes and run it again."
        ),
        (
            "In the kit you can also check an answer in code, which is handy for revising. Below "
            "is what a hint looks like, for a deliberately wrong answer to question 1."
        ),
    ),
    (
        "so you can read the chart without hovering.",
        "so you can read the chart on paper or a phone too.",
    ),
    (
        "not confirmed by two sources: hover to see why.",
        ("not confirmed by two sources: the table under the chart gives each event's confidence."),
    ),
    (
        "hover over it for the clause and where it sits.",
        "on screen, point at it (or tap it) for the clause and where it sits.",
    ),
]


# What only a notebook user needs: the set-up cells that load the library, which version of
# the kit is running, and a demonstration of an error message. The site leaves them out.
NOTEBOOK_ONLY_CODE = {"print(fournos.edition())", 'fournos.article_text("art_unknown")'}
NOTEBOOK_ONLY_TEXT = ("## Set up", "**Which version of the kit is this?**")


def notebook_only(cells: list) -> set[int]:
    """The cells the site leaves out: a set-up section (its heading and the code under it that
    shows nothing) and the start page's version line and error demonstration."""
    dropped = set()
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.startswith(NOTEBOOK_ONLY_TEXT):
            dropped.add(index)
            following = cells[index + 1] if index + 1 < len(cells) else None
            if (
                cell.source.startswith("## Set up")
                and following is not None
                and following.cell_type == "code"
                and not following.get("outputs")
            ):
                dropped.add(index + 1)
        elif cell.cell_type == "code" and cell.source.strip() in NOTEBOOK_ONLY_CODE:
            dropped.add(index)
    return dropped


NOTEBOOK_FILE = re.compile(r"`(?:(notebooks|exercises)/)?((\d\d)_\w+|ex(\d\d)_\w+)\.ipynb`")


def _page_link(m: re.Match) -> str:
    """A notebook's file name ("`07_doctrine_four_nos.ipynb`") as a link to its page."""
    if m[4]:
        return f"[exercise sheet {int(m[4])}](../exercises/{m[2]}.ipynb)"
    label = "the start page" if m[3] == "00" else f"lesson {int(m[3])}"
    return f"[{label}](../notebooks/{m[2]}.ipynb)"


INLINE_CODE = re.compile(r"`([a-z]+(?:_[a-z0-9]+)+)`")


def _inline_words(m: re.Match) -> str:
    """An id or a code shown as code in a lesson's text, as a reader says it: an event or a
    source by its name ("the event `ev_2013_resolution_22`"), a code in words (`one_source`:
    *one source*, a table's name `event_sources`: *event sources*); an article's id is left
    to the rules below."""
    names = _names()
    if m[1] in names and not m[1].startswith("art_"):
        return f"“{names[m[1]]}”"
    if m[1] in code_vocabulary():
        return f"*{code_vocabulary()[m[1]]}*"
    return m[0]


@functools.cache
def _names() -> dict[str, str]:
    return readable_names()


def reader_wording(markdown: str) -> str:
    """A notebook's Markdown as the site's reader should read it."""
    for notebook_words, site_words in READER_WORDING:
        markdown = markdown.replace(notebook_words, site_words)
    markdown = NOTEBOOK_FILE.sub(_page_link, markdown)
    markdown = INLINE_CODE.sub(_inline_words, markdown)
    # an article's id after its name is for code ("Article 3 (`art_vu_sui_generis`)")
    markdown = re.sub(r" \(`?art_\w+`?\)", "", markdown)
    markdown = re.sub(r"^# \d\d · ", "# ", markdown)  # the page's title, as the menu gives it
    markdown = re.sub(
        r"\b[Nn]otebooks (\d\d) and (\d\d)\b",
        lambda m: f"{'L' if m[0][0] == 'N' else 'l'}essons {int(m[1])} and {int(m[2])}",
        markdown,
    )
    markdown = re.sub(
        r"\b([Nn])otebook (\d\d)\b",
        lambda m: f"{'L' if m[1] == 'N' else 'l'}esson {int(m[2])}",
        markdown,
    )
    return re.sub(r"\bRun the next cell to see\b", "The table below shows", markdown)


def worksheet_note(notebook_name: str) -> str:
    """The note at the top of an exercise page: a worksheet to read here, done in the kit,
    which needs Python (a reader with no Python found the page empty and did not know why)."""
    return (
        ":::{note}\n**A worksheet: read the tasks here, do them in the kit, with Python.** "
        "This page shows every task, but the answers are written and checked in the kit's "
        "notebooks, which run Python on your own computer or on a course JupyterHub; the code "
        "cells are folded away here. To do the exercises, set up the kit as its README says "
        "(the file README.md in the kit's folder), then run `make my-work` and `make lab` "
        "and open `my-work/" + notebook_name + "` in JupyterLab. Without make: "
        "`.venv/bin/fournos my-work`, then `.venv/bin/fournos lab`. On a course JupyterHub, "
        "open a terminal and type `fournos my-work`. Each answer then gets a check that says "
        "at once whether it is right.\n:::"
    )


def readable_ids(text: str) -> str:
    """Article ids in a data note ("art_vu_sui_generis") as a reader knows the articles."""
    from fournos.text import article_name

    known = set(fournos.article_ids())
    return re.sub(
        r"\bart_\w+",
        lambda m: article_name(m.group(0)) if m.group(0) in known else m.group(0),
        text,
    )


ID_ASIDE = re.compile(r"\s*\((?:see |compare )?(?:(?:ev|ref|sc)_\w+(?:[;,] )?)+\)")
ID_LEAD = re.compile(r"(?<=\()(?:see |compare )(?:(?:ev|ref|sc)_\w+, )+")  # "(compare sc_x, where"
ID_AFTER = re.compile(r",\s*(?:ev|ref|sc)_\w+(?=\))")  # "('a quote', ref_cable_1978)"
ARTICLE_PARAGRAPH = re.compile(r"\b(art_\w+) \(paragraph (\d+)\)")
KIT_HOLDS = re.compile(r"What the kit holds \((\w+)\)")


def one_paragraph(printed: str) -> bool:
    """Whether printed output is a paragraph of prose (a coder's note, a chart's text
    description), which a reader should read as a paragraph, not in a box of code."""
    text = printed.strip()
    return len(text) >= 120 and "\n" not in text and "  " not in text


@functools.cache
def code_vocabulary() -> dict[str, str]:
    """The kit's codes as a reader says them: each table's name, its columns' names and the
    snake_case values of its columns of codes ("one_source": "one source")."""
    from fournos.data import descriptor

    words = set()
    for res in descriptor()["resources"]:
        table = fournos.load(res["name"])
        words |= {res["name"], *table.columns}
        for column in table.columns.drop([c for c in table.columns if c.endswith("_id")]):
            values = table[column].dropna().astype(str)
            if values.nunique() <= 30:  # a column of codes, not of ids or text
                words |= {v for v in values if CODE_WORD.match(v) and not KIT_ID.match(v)}
    words = {w: w.replace("_", " ") for w in words if CODE_WORD.match(w)}
    words.update({w: READER_HEADERS.get(w, w.replace("_", " ")) for w in ["date_precision"]})
    words.update({w: said for w, said in READER_VALUES.items() if "_" in w})
    return words


def reader_date(date: str) -> str:
    """A date as a reader writes it ("1978-11-03": "3 November 1978", "1991-10": "October
    1991"), or as it is where it is no date the kit can read."""
    try:
        return date_label(date) if date else ""
    except DataError:
        return date


def _iso_date(m: re.Match) -> str:
    return reader_date(m[0])


def reader_words(text: str, dates: bool = True) -> str:
    """Plain text (no tags) with the kit's codes in words ("counterclaim_rebutted:" reads
    "counterclaim rebutted:") and, where `dates`, ISO dates as a reader writes them ("1978-11-03":
    "3 November 1978"). Web addresses are left as they are."""
    vocabulary = code_vocabulary()
    pieces = re.split(r"(https?://\S+)", text)
    for i in range(0, len(pieces), 2):
        piece = CODE_TOKEN.sub(lambda m: vocabulary.get(m[0], m[0]), pieces[i])
        pieces[i] = ISO_DATE.sub(_iso_date, piece) if dates else piece
    return "".join(pieces)


CODE_TOKEN = re.compile(r"(?<![\w/.])[a-z]+(?:_[a-z0-9]+)+(?![\w/]|\.\w)")
ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d\d-\d\d(?![\w/-])")


def reader_prose(text: str) -> str:
    """An output's text (HTML or printed) as a reader should read it: no asides that only give
    the kit's ids ("(ref_sole_military_ally_2020)"), articles by name, and words for the
    codes a document card shows ("quotes_only"). Tags, scripts and styles are left alone."""
    order = {a: n for n, a in enumerate(fournos.article_ids(), start=1)}
    parts = re.split(r"(<[^>]+>)", text)
    inside = False  # within <script> or <style>
    in_table = False  # a table's dates stay as the table gives them
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = re.match(r"<(/?)\s*(\w+)", part)
            if tag and tag[2].lower() in {"script", "style"}:
                inside = not tag[1]
            if tag and tag[2].lower() == "table":
                in_table = not tag[1]
            continue
        if inside:
            continue
        part = ID_LEAD.sub("", ID_AFTER.sub("", ID_ASIDE.sub("", part)))
        part = ARTICLE_PARAGRAPH.sub(
            lambda m: f"Article {order[m[1]]}, paragraph {m[2]}" if m[1] in order else m[0], part
        )
        part = KIT_HOLDS.sub(lambda m: f"What the kit holds ({m[1].replace('_', ' ')})", part)
        parts[i] = reader_words(readable_ids(part), dates=not in_table)
    return "".join(parts)


def reader_note(note: str) -> str:
    """A glossary note as a reader should read it: articles by name, no curators' working
    notes ("Judgement call: ..."), no asides that only give the kit's ids, no code to run."""
    sentences = re.split(r"(?<=[.!?])\s+", ID_ASIDE.sub("", readable_ids(note)))
    kept = []
    for sentence in sentences:
        if "fournos." in sentence or "reference ids" in sentence:
            continue
        if sentence.startswith("Judgement call: "):  # the caveat stays, the label goes
            sentence = sentence.removeprefix("Judgement call: ")
            sentence = sentence[:1].upper() + sentence[1:]
        kept.append(sentence)
    return " ".join(kept)


def glossary_page() -> str:
    """The glossary as a page: each term, its Vietnamese where checked, its definition, and
    the article that first uses it."""
    terms = fournos.glossary()
    names = {a: f"Article {n}" for n, a in enumerate(fournos.article_ids(), start=1)}
    parts = [
        "# Glossary",
        "",
        (
            "The terms the lessons define, in alphabetical order. The Vietnamese is given only "
            "where the standard wording has been checked."
        ),
        "",
    ]
    for _, t in terms.sort_values("term", key=lambda s: s.str.casefold()).iterrows():
        vietnamese = f" (*{t['vietnamese']}*)" if t["vietnamese"] else ""
        first = t["first_article_id"]
        where = (
            f" First used in [{names[first]}]({ARTICLES_DIR}/{first}.md)." if first in names else ""
        )
        note = f" {reader_note(t['note'])}" if t["note"] else ""
        parts += [f"**{t['term']}**{vietnamese}", f": {t['definition']}{where}{note}", ""]
    return "\n".join(parts)


# ------------------------------------------------------------------ the course's time

TIME_LINE = re.compile(r"\*\*Time:\*\*\s*(\d+) minutes")
MAP_NOTE = "Each notebook gives its time at the top."


def stated_minutes(notebook: Path) -> int:
    """The minutes a notebook's own time line gives ("**Time:** 40 minutes (25 reading...")."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown" and (found := TIME_LINE.search(cell.source)):
            return int(found[1])
    raise ValueError(f"{notebook.name} has no time line (**Time:** N minutes)")


def hours(minutes: int) -> str:
    whole, left = divmod(minutes, 60)
    said = f"{whole} hour{'s' if whole != 1 else ''}" if whole else ""
    return " ".join(filter(None, [said, f"{left} minutes" if left else ""]))


def course_times(root: Path) -> dict[str, int]:
    """Each lesson's and exercise sheet's minutes, by file name, from its own time line."""
    return {
        p.name: stated_minutes(p)
        for folder in ["notebooks", "exercises"]
        for p in sorted((root / folder).glob("*.ipynb"))
    }


def with_course_time(markdown: str, times: dict[str, int]) -> str:
    """The start page's Markdown with the course's times: the page's own time line also gives
    the whole course's, the map gains a time column (each lesson's from its own time line,
    the exercises' added up) and says how long all of it takes."""
    lessons = sum(m for name, m in times.items() if not name.startswith("ex"))
    exercises = sum(m for name, m in times.items() if name.startswith("ex"))
    total = f"about {hours(lessons + exercises)}"
    markdown = TIME_LINE.sub(
        lambda m: f"{m[0]} for this page; the whole course takes {total} (see the map below)",
        markdown,
        count=1,
    )
    rows = []
    for line in markdown.split("\n"):
        if line.startswith("| step |"):
            line += " time |"
        elif line.startswith("|---|"):
            line += "---|"
        elif re.match(r"\| \d+ \|", line):
            linked = re.search(r"\]\((\w+\.ipynb)\)", line)
            name = linked[1] if linked else None
            if line.startswith("| 0 |"):
                name = "00_start_here.ipynb"
            minutes = times.get(name) if name else (exercises if "exercises" in line else None)
            line += f" {minutes} min |" if minutes else " |"
        rows.append(line)
    markdown = "\n".join(rows)
    return markdown.replace(
        MAP_NOTE,
        f"**The whole course takes {total}:** {hours(lessons)} of lessons (steps 0 to 10) and "
        f"{hours(exercises)} of exercises (step 11). Each time is the one its notebook gives "
        "at its top. Also on this site: the five articles' full texts (in the menu), the "
        "[Glossary](../glossary.md) and [the documents](../documents.md) the lessons quote; "
        "[About this kit](../about.md) says who it is for, how it was made, its licences and "
        "how to cite it.",
    )


MAP_ROW = re.compile(r"^\| (\d+) \| \[(.+?)\]\((\w+\.ipynb)\) \|", re.MULTILINE)


def lesson_names(start_page: Path) -> dict[str, str]:
    """Each lesson's name in the sidebar, from the start page's map: "Lesson 1: Article 1
    (2018): Duong, international integration" (the articles' own texts are listed apart, as
    "Article 1: ...", so the two lists never read alike)."""
    cells = nbformat.read(start_page, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    return {
        file: f"Lesson {number}: {name.replace('*', '')}"
        for number, name, file in MAP_ROW.findall(text)
    }


# ------------------------------------------------------------ addresses a reader can follow

ADDRESS = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")


def link_addresses(text: str) -> str:
    """HTML with every web address written out in its text made a link to itself; addresses
    already inside a link, a tag or a script are left as they are."""
    parts = re.split(r"(<[^>]+>)", text)
    inside = 0  # within <a>, <script> or <style>
    for i, part in enumerate(parts):
        if part.startswith("<"):
            tag = re.match(r"</?\s*(\w+)", part)
            if tag and tag[1].lower() in {"a", "script", "style"}:
                inside += -1 if part.startswith("</") else (0 if part.endswith("/>") else 1)
        elif not inside and "http" in part:
            parts[i] = ADDRESS.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', part)
    return "".join(parts)


CODE = r"`?\bfournos\.\w+\([^)]*\)`?"
CODE_AFTER_COLON = re.compile(r"\s*:\s*" + CODE)
CODE_SENTENCE = re.compile(r"[^.;]*" + CODE + r"[^.;]*[.;]\s*")
IN_THE_KIT = re.compile(r"\s*\(in the kit: " + CODE + r"\)")
READER_HINT = "Look again at the tables and charts in this lesson."


def reader_hint(hint: str) -> str:
    """A quiz hint as a site reader can use it: no call to the kit's code, which a reader
    cannot run ("... in the Philippine documents: fournos.find_clauses('base')." keeps what
    comes before the code, "(in the kit: fournos.spectrum())" goes; a hint that was only code
    becomes a plain pointer)."""
    if "fournos." not in hint:
        return hint
    kept = CODE_SENTENCE.sub("", CODE_AFTER_COLON.sub("", IN_THE_KIT.sub("", hint))).strip()
    return kept or READER_HINT


# ------------------------------------------------------------ ids in tables, as names


def source_name(source: pd.Series) -> str:
    """A reader's name for a source the kit cites: its author and year, a short title, or its
    publisher and year."""
    year = source["date"][:4]
    when = f" ({year})" if year else ""
    if source["author"]:
        return f"{source['author']}{when}"
    if len(source["title"]) <= 60:
        return source["title"]
    return f"{source['issuer'] or source['title']}{when}"


def readable_names() -> dict[str, str]:
    """A reader's name for each id the kit's tables show: articles by author and year,
    arguments of the debate by source and theme, treaties, sources, events and principles by
    name."""
    from fournos import debate

    names = {}
    for source_id, source in fournos.sources().set_index("source_id").iterrows():
        names[source_id] = source_name(source)
    events = fournos.events()
    names.update(dict(zip(events["event_id"], events["title"], strict=True)))
    principles = fournos.principles()
    names.update(dict(zip(principles["principle_id"], principles["short_name"], strict=True)))
    names.update({a: article_name(a) for a in fournos.article_ids()})
    claims = fournos.load("claims")
    names.update(
        {
            c.claim_id: f"{article_name(c.article_id)}, paragraph {c.paragraph}"
            for c in claims.itertuples()
        }
    )
    names.update(debate.argument_labels())
    from fournos.region import commitment_name

    for treaty_id in fournos.commitments()["treaty_id"]:
        names[treaty_id] = commitment_name(treaty_id)
    return names


# column names as a reader says them (any other snake_case name loses its underscores)
READER_HEADERS = {
    "article_id": "article",
    "argument_id": "argument",
    "claim_id": "claim",
    "source_id": "source",
    "event_id": "event",
    "treaty_id": "treaty",
    "principle_id": "principle",
    "evidence_source_id": "evidence from",
    "reading_order": "order",
    "short_name": "name",
    "per_1000_words": "uses per 1,000 words",
    "in_three_nos": "in the Three Nos",
    "in_four_nos": "in the Four Nos",
    "would_settle": "what would settle it",
    "cannot_check": "cannot check",
    "coder_note": "coder's note",
}
READER_VALUES = {
    "True": "yes",
    "False": "no",
    "party_state": "party-state",
}
# an id, not a table's name (treaty_sources)
KIT_ID = re.compile(r"^(?:(?:art|ref|ev|adv|reb|cl|sc|pr|q)_|treaty_\d)[a-z0-9_]+$")
CODE_WORD = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def reader_word(text: str, names: dict[str, str], header: bool = False) -> str | None:
    """What a reader should see for a table cell holding only an id or a code, or None to
    leave it: a name for an id, words for a code (party_state: party-state)."""
    if text in names:
        return names[text]
    if header and text in READER_HEADERS:
        return READER_HEADERS[text]
    if text in READER_VALUES:
        return READER_VALUES[text]
    if text in code_vocabulary():  # a table's name ("treaty_provisions") is no treaty's id
        return code_vocabulary()[text]
    if listed := re.fullmatch(r"\[([^\[\]]+)\]", text):  # a list: "Vietnam and Laos"
        items = listed[1].split(", ")
        return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
    if CODE_WORD.match(text) and not KIT_ID.match(text):
        return text.replace("_", " ")
    return None


def _is_empty(cell) -> bool:
    hidden = cell.select_one(".visually-hidden")
    return not cell.get_text(strip=True) or (
        hidden is not None and cell.get_text(strip=True) == hidden.get_text(strip=True)
    )


def _one_header_row(table) -> None:
    """pandas heads a table with a named index with two rows (the columns, then the index's
    name under empty cells): one row, the index's name in its corner."""
    rows = table.select("thead tr")
    if len(rows) != 2:
        return
    first, second = (r.find_all(["th", "td"], recursive=False) for r in rows)
    if not second or _is_empty(second[0]) or not all(_is_empty(c) for c in second[1:]):
        return
    if first:  # the corner may hold the columns' own name (obligation): the rows' name wins
        first[0].clear()
        first[0].string = second[0].get_text(strip=True)
        rows[1].decompose()


def _row_number(cell) -> bool:
    """A pandas row number (a year, 1000 or more, may be a meaningful index)."""
    text = cell.get_text(strip=True) if cell is not None else ""
    return cell is not None and cell.name == "th" and text.isdigit() and int(text) < 1000


def _drop_row_numbers(table) -> None:
    """The column of row numbers (0, 1, 2 ...) under an empty header: it means nothing to a
    reader."""
    head = table.select("thead tr")
    body = table.select("tbody tr")
    if not head or not body:
        return
    corner = head[0].find(["th", "td"], recursive=False)
    if corner is None or not _is_empty(corner):
        return
    firsts = [r.find(["th", "td"], recursive=False) for r in body]
    if not all(_row_number(c) for c in firsts):
        return
    for row in head:
        cell = row.find(["th", "td"], recursive=False)
        if cell is not None:
            cell.decompose()
    for cell in firsts:
        cell.decompose()


def _drop_file_column(table) -> None:
    """A column of the kit's data files ("data/sources.csv"): where a file sits in the kit's
    folder means nothing to a reader of the site."""
    heads = [c.get_text(strip=True) for c in table.select("thead tr:first-child > *")]
    rows = [r.find_all(["th", "td"], recursive=False) for r in table.select("tbody tr")]
    if "file" not in heads or not rows:
        return
    at = heads.index("file")
    if all(len(r) > at and re.fullmatch(r"data/[\w/]+\.csv", r[at].get_text()) for r in rows):
        table.select("thead tr:first-child > *")[at].decompose()
        for row in rows:
            row[at].decompose()


def reader_tables(table_html: str, names: dict[str, str]) -> str:
    """An output's data tables as a reader should read them: one header row, no column of row
    numbers, names for ids and words for codes (in headers and cells), and any id left
    breakable after its underscores so that a table fits a phone's screen."""
    if "<table" not in table_html:
        return table_html
    soup = BeautifulSoup(table_html, "html.parser")
    for table in soup.select("table.dataframe, table.fournos-coding"):
        _one_header_row(table)
        _drop_row_numbers(table)
        _drop_file_column(table)
        for cell in table.select("th, td"):
            if cell.string is None:  # holds a link or other markup: left as it is
                continue
            text = cell.string.strip()
            shown = reader_word(text, names, header=cell.name == "th")
            if shown is not None and KIT_ID.match(text) and text.startswith("art_"):
                cell.clear()  # an article by name, linked to its full text on this site
                link = soup.new_tag("a", href=article_href(text))
                link.string = shown
                cell.append(link)
            elif shown is not None:
                cell.string = shown
            elif "_" in text and " " not in text:
                cell.clear()
                for i, part in enumerate(text.split("_")):
                    if i:
                        cell.append("_")
                        cell.append(soup.new_tag("wbr"))
                    cell.append(part)
    return str(soup)


# ------------------------------------------------------------ event numbers as the chart key has them

KEY_ITEM = re.compile(r"<b>(\d+)</b> (.+?) \(([^()]*)\)(?= · |<br>|$)")


def chart_key(figure: dict) -> dict[tuple[str, str], str]:
    """A timeline's numbered key (its annotation "<b>1</b> title (when) · ..."): each event's
    number by its title and date."""
    for note in figure.get("layout", {}).get("annotations", []):
        # a long item goes on over a line break that starts no new item
        text = re.sub(r"\s*<br>(?!<b>)\s*", " ", note.get("text", ""))
        if text.startswith("<b>1</b> "):
            return {
                (html.unescape(m[2]), html.unescape(m[3])): m[1] for m in KEY_ITEM.finditer(text)
            }
    return {}


def numbered_as_the_chart(table_html: str, key: dict[tuple[str, str], str]) -> str:
    """A timeline table of some of a chart's events, numbered 1, 2, 3 by itself, renumbered as
    the chart's key numbers the same events (3, 4, 9) where the key has every one of them."""
    if not key or "<table" not in table_html:
        return table_html
    soup = BeautifulSoup(table_html, "html.parser")
    for table in soup.select("table.dataframe"):
        heads = [c.get_text(strip=True) for c in table.select("thead th")]
        if "when" not in heads or "title" not in heads:
            continue
        rows = []
        for row in table.select("tbody tr"):
            cells = row.find_all(["th", "td"], recursive=False)
            texts = [c.get_text(strip=True) for c in cells]
            rows.append((cells[0], key.get((texts[2], texts[1])) if len(texts) > 2 else None))
        if rows and all(number for _, number in rows):
            for cell, number in rows:
                cell.string = number
    return str(soup)
