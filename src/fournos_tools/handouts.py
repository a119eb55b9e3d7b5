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
import shutil
import sys
import threading
import time
from pathlib import Path

from fournos.kit import current_kit
from fournos_tools import site
from fournos_tools.chromium import ARGS, CHROMIUM

FOLDERS = ["notebooks", "articles", "exercises"]

# Runs in the page: unfold, turn figures into images, and (instructors) write the answers.
PREPARE = """async (withAnswers) => {
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


def print_pages(html: Path, out: Path, instructor: bool, browser=None) -> list[Path]:
    """Print each page of a built site to out/<folder>/<page>.pdf; returns the PDFs. Uses the
    given Playwright browser, or launches Chromium."""
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
    written = []
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
            left = page.evaluate(PREPARE, instructor)
            if left:
                raise RuntimeError(f"{path}: {left} figures could not be made into images")
            page.emulate_media(media="print")
            target = out / path.replace(".html", ".pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
            )
            page.emulate_media(media="screen")
            written.append(target)
    finally:
        page.close()
        server.shutdown()
    return written


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
    return written


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
