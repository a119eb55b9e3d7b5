"""Printable handouts (`make handouts`): one PDF per lesson, exercise sheet and article page,
printed from the static site in headless Chromium with the site's print styles.

Before printing, every folded section is opened and every plotly figure is replaced by a
static image of itself (plotly's own `toImage`, in the page, offline) that keeps the figure's
text alternative. The students' handouts come from the students' site; `--instructor` prints
the instructors' site, with the solution sheets and the self-check answers written under
each question.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import sys
import threading
import time
import zlib
from pathlib import Path

from fournos.kit import current_kit
from fournos_tools import site
from fournos_tools.chromium import ARGS, CHROMIUM

FOLDERS = ["notebooks", "articles", "exercises"]

# Runs in the page: unfold, turn figures into images, and (instructors) write the answers.
# Code is left out of print by the site's print styles, except on solution sheets (withCode).
PREPARE = """async ({withAnswers, withCode}) => {
  document.documentElement.classList.toggle('fournos-print-code', withCode);
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  for (const plot of Array.from(document.querySelectorAll('.js-plotly-plot'))) {
    const width = 800, height = plot._fullLayout ? plot._fullLayout.height : 450;
    const url = await Plotly.toImage(plot, {format: 'png', width, height, scale: 2});
    const img = document.createElement('img');
    img.src = url;
    img.style.width = '100%';
    const holder = plot.closest('[aria-label]');
    img.alt = holder ? holder.getAttribute('aria-label') : 'Chart';
    await new Promise(done => { img.onload = done; plot.replaceWith(img); });
    for (let el = img.parentElement; holder && el && el !== holder; el = el.parentElement) {
      el.style.height = 'auto';  // plotly's wrappers keep the drawn figure's height
      el.style.minHeight = '0';
    }
  }
  if (withAnswers) {
    document.querySelectorAll('form.fournos-question').forEach(form => {
      const q = JSON.parse(form.querySelector('.fournos-question-data').textContent);
      const key = document.createElement('p');
      key.className = 'fournos-answer-key';
      const answer = q.kind === 'order' ? q.answer.map((a, i) => (i + 1) + '. ' + a).join('; ')
        : q.kind === 'short' ? q.answer.join(' / ') : q.answer[0];
      key.textContent = 'Answer: ' + answer + '. ' + q.explanation;
      form.appendChild(key);
    });
  }
  return document.querySelectorAll('.js-plotly-plot').length;
}"""

FOOTER = (
    '<div style="font-size:8px;width:100%;box-sizing:border-box;padding:0 14mm;display:flex;gap:2em;'
    'justify-content:space-between"><span class="title" style="overflow:hidden;'
    'white-space:nowrap;text-overflow:ellipsis"></span><span style="white-space:nowrap">'
    'page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)


# Runs in the page laid out at the paper's width, print styles on: what runs past the right
# edge of the text (a printer cuts it off).
CLIPPED = """() => {
  const edge = document.documentElement.clientWidth + 2;
  return Array.from(document.querySelectorAll('.bd-article *'))
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > edge
      && !Array.from(e.children).some(c => c.getBoundingClientRect().right > edge))
    .map(e => e.tagName.toLowerCase() + ' "' + e.textContent.trim().slice(0, 50) + '"');
}"""

# Runs in the page laid out at the paper's width: a table wider than the paper gets columns
# of equal share, its words broken where they must, in a smaller type.
FIT_TABLES = """() => {
  const width = document.documentElement.clientWidth;
  let fitted = 0;
  for (const table of document.querySelectorAll('.bd-article table')) {
    if (table.offsetParent === null || table.getBoundingClientRect().right <= width + 2) continue;
    table.style.tableLayout = 'fixed';
    table.style.width = '100%';
    table.style.fontSize = '7pt';
    table.querySelectorAll('td, th').forEach(c => {
      c.style.overflowWrap = 'anywhere';
      c.style.whiteSpace = 'normal';
    });
    fitted += 1;
  }
  return fitted;
}"""

A4_MM = (210, 297)
MARGIN_MM = {"top": 15, "bottom": 18, "left": 14, "right": 14}
TEXT_WIDTH_PX = round((A4_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96)
NEARLY_EMPTY = 250  # letters on a page besides its footer: about three lines of text


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def pages(html: Path, instructor: bool) -> list[str]:
    folders = FOLDERS + (["solutions"] if instructor else [])
    return [
        p.relative_to(html).as_posix()
        for folder in folders
        for p in sorted((html / folder).glob("*.html"))
    ]


def print_pages(html: Path, out: Path, instructor: bool, browser=None) -> dict[Path, list[str]]:
    """Print each page of a built site to out/<folder>/<page>.pdf. Returns each PDF with the
    problems seen in it (a nearly empty page, something running past the paper's edge). Uses
    the given Playwright browser, or launches Chromium."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            launch = {"executable_path": str(CHROMIUM)} if CHROMIUM.exists() else {}
            own = p.chromium.launch(args=ARGS, **launch)
            try:
                return print_pages(html, out, instructor, own)
            finally:
                own.close()
    server, url = serve(html)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    written = {}
    try:
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(url) else route.abort(),
        )
        for path in pages(html, instructor):
            page.goto(f"{url}/{path}")
            page.wait_for_load_state("load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
                ".every(d => d.querySelector('.main-svg'))"
            )
            options = {"withAnswers": instructor, "withCode": path.startswith("solutions/")}
            left = page.evaluate(PREPARE, options)
            if left:
                raise RuntimeError(f"{path}: {left} figures could not be made into images")
            page.emulate_media(media="print")
            page.set_viewport_size({"width": TEXT_WIDTH_PX, "height": 1400})
            page.evaluate(FIT_TABLES)
            problems = [f"runs past the paper's right edge: {e}" for e in page.evaluate(CLIPPED)]
            target = out / path.replace(".html", ".pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
            )
            footer = len(page.title()) + len("page 10 of 10")
            problems += [
                f"page {n} is nearly empty" for n in nearly_empty_pages(target.read_bytes(), footer)
            ]
            page.emulate_media(media="screen")
            page.set_viewport_size({"width": 1100, "height": 1400})
            written[target] = problems
    finally:
        page.close()
        server.shutdown()
    return written


# ------------------------------------------------- reading the printed PDF back (no PDF library)

OBJECT = re.compile(rb"(\d+) 0 obj\s*")
STREAM_OR_END = re.compile(rb"stream\r?\n|endobj")


def pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object of a PDF as Chromium writes it: its number, its dictionary and its stream
    (inflated when it is Flate-compressed text; other streams, such as images, left as they are)."""
    objects, position = {}, 0
    while match := OBJECT.search(data, position):
        end = STREAM_OR_END.search(data, match.end())
        dictionary, stream = data[match.end() : end.start()], b""
        position = end.end()
        if end.group().startswith(b"stream"):
            length = int(re.search(rb"/Length (\d+)", dictionary)[1])
            stream = data[end.end() : end.end() + length]
            if b"/FlateDecode" in dictionary and b"/Image" not in dictionary:
                stream = zlib.decompress(stream)
            position = data.index(b"endobj", end.end() + length) + len(b"endobj")
        objects[int(match[1])] = (dictionary, stream)
    return objects


def _references(dictionary: bytes, key: bytes) -> list[int]:
    found = re.search(rb"/" + key + rb"\s*(\[[^\]]*\]|<<.*?>>|\d+ 0 R)", dictionary, re.DOTALL)
    return [int(n) for n in re.findall(rb"(\d+) 0 R", found[1])] if found else []


def page_ink(data: bytes) -> list[tuple[int, int]]:
    """(letters drawn, images drawn) on each page of a PDF, in page order, counting what its
    drawn forms (Chromium puts code boxes and such in forms) hold too."""
    objects = pdf_objects(data)

    def pages(number: int):
        dictionary = objects[number][0]
        if re.search(rb"/Type\s*/Pages\b", dictionary):
            for kid in _references(dictionary, b"Kids"):
                yield from pages(kid)
        else:
            yield dictionary

    def ink(content: bytes, resources: bytes, seen: frozenset) -> tuple[int, int]:
        letters = sum(len(h) // 4 for h in re.findall(rb"<([0-9A-Fa-f]*)>\s*Tj", content))
        letters += sum(
            len(h) // 4
            for array in re.findall(rb"\[([^\]]*)\]\s*TJ", content)
            for h in re.findall(rb"<([0-9A-Fa-f]*)>", array)
        )
        names = re.search(rb"/XObject\s*<<(.*?)>>", resources, re.DOTALL)
        named = dict(re.findall(rb"/(\w+)\s+(\d+) 0 R", names[1])) if names else {}
        images = 0
        for name in re.findall(rb"/(\w+)\s+Do\b", content):
            number = int(named.get(name, b"0"))
            if number not in objects or number in seen:
                continue
            dictionary, stream = objects[number]
            if b"/Subtype /Image" in dictionary:
                images += 1
            else:
                more = ink(stream, dictionary, seen | {number})
                letters, images = letters + more[0], images + more[1]
        return letters, images

    root = int(re.search(rb"/Type\s*/Catalog.*?/Pages\s+(\d+) 0 R", data, re.DOTALL)[1])
    counted = []
    for page in pages(root):
        content = b"".join(objects[n][1] for n in _references(page, b"Contents"))
        counted.append(ink(content, page, frozenset()))
    return counted


def nearly_empty_pages(data: bytes, footer_letters: int) -> list[int]:
    """Pages (numbered from 1; the last one may be short) with no image and no more than about
    three lines of text besides the footer."""
    counted = page_ink(data)[:-1]
    return [
        n
        for n, (letters, images) in enumerate(counted, start=1)
        if not images and letters - footer_letters < NEARLY_EMPTY
    ]


def build(instructor: bool = False, out: Path | None = None) -> list[Path]:
    """Build the site, then print its handouts (students' or instructors')."""
    name = "handouts-instructor" if instructor else "handouts"
    out = out or current_kit() / "_build" / name
    if out.exists():
        shutil.rmtree(out)
    html = site.build(out=out.with_name(name + "-site"), instructor=instructor)
    started = time.perf_counter()
    written = print_pages(html, out, instructor)
    size = sum(p.stat().st_size for p in written)
    print(
        f"Printed {len(written)} handouts to {out} in {time.perf_counter() - started:.0f} s "
        f"({size / 1e6:.1f} MB)."
    )
    for pdf, problems in written.items():
        for problem in problems:
            print(f"  check {pdf.relative_to(out)}: {problem}", file=sys.stderr)
    return list(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print one PDF per lesson, article and exercise sheet from the static site."
    )
    parser.add_argument(
        "--instructor",
        action="store_true",
        help="print the instructors' site: solution sheets and the self-check answers too",
    )
    args = parser.parse_args(argv)
    try:
        import playwright  # noqa: F401
    except ImportError:
        print(
            "Printing handouts needs the playwright package: pip install -e '.[site]'.",
            file=sys.stderr,
        )
        return 1
    try:
        build(instructor=args.instructor)
    except site.SiteBuildError as err:
        print(f"The handouts were not printed: {err}", file=sys.stderr)
        return 1
    except Exception as err:
        if "Executable doesn't exist" in str(err) or "Failed to launch" in str(err):
            print(
                "Printing handouts needs Chromium: install it (Debian/Ubuntu: apt-get install "
                "chromium) or run `playwright install chromium`.",
                file=sys.stderr,
            )
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
