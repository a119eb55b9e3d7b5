"""Build the static HTML site (`make site`) with Jupyter Book 1.x, fully offline.

The notebooks are committed executed, so nothing is re-run: their copies in _build/site-src/
get each plotly figure turned from plotly's JSON output (which only JupyterLab draws) into a
small HTML snippet that calls Plotly.newPlot. plotly.js itself is shipped once for the whole
site, copied from the installed plotly package; require.js and the widgets' HTML manager
(for the saved widget state) come from site/vendor/. Solutions are included only with
INSTRUCTOR=1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import plotly
import plotly.io as pio

from fournos.kit import kit_root

ROOT = kit_root()  # the kit in use: from the working folder up, or $FOURNOS_KIT
PLOTLY_MIME = "application/vnd.plotly.v1+json"

CONFIG = """\
title: "Vietnam's 'no military alliances' policy: a study kit"
author: fournos contributors
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
    html_static_path: ["vendor"]
    html_extra_path: ["extra"]
    html_js_files:
      - ["plotly.min.js", {"priority": 100}]
    nb_ipywidgets_js:
      require.js: {}
      embed-amd.js: {"data-jupyter-widgets-cdn": "", "data-jupyter-widgets-cdn-only": "false"}
    html_theme_options:
      navigation_with_keys: false
"""


def figure_html(output: dict, div_id: str) -> str:
    """A plotly JSON output as HTML that draws it with the site's single copy of plotly.js."""
    figure = pio.from_json(json.dumps(output["data"][PLOTLY_MIME]), skip_invalid=True)
    return pio.to_html(
        figure, include_plotlyjs=False, full_html=False, div_id=div_id, config={"responsive": True}
    )


def prepare_notebook(source: Path, target: Path) -> int:
    """Copy a notebook for the site, turning plotly outputs into HTML. Returns figures converted."""
    notebook = nbformat.read(source, as_version=4)
    converted = 0
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if PLOTLY_MIME in output.get("data", {}):
                div_id = f"fig-{source.stem}-{index}"
                output["data"] = {"text/html": figure_html(output, div_id)}
                converted += 1
    nbformat.write(notebook, target)
    return converted


def toc(instructor: bool) -> str:
    lines = [
        "format: jb-book",
        "root: notebooks/00_start_here",
        "parts:",
        "  - caption: Lessons",
        "    chapters:",
    ]
    lines += [
        f"      - file: notebooks/{p.stem}"
        for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
        if p.stem != "00_start_here"
    ]
    lines += ["  - caption: Exercises", "    chapters:"]
    lines += [
        f"      - file: exercises/{p.stem}" for p in sorted((ROOT / "exercises").glob("*.ipynb"))
    ]
    if instructor:
        lines += ["  - caption: Solutions (instructors)", "    chapters:", "      - file: guide"]
        lines += [
            f"      - file: solutions/{p.stem}"
            for p in sorted((ROOT / "solutions").glob("*.ipynb"))
        ]
    return "\n".join(lines) + "\n"


def prepare(source_dir: Path, instructor: bool) -> int:
    """Lay out the book's sources in `source_dir`. Returns how many figures were converted."""
    if source_dir.exists():
        shutil.rmtree(source_dir)
    folders = ["notebooks", "exercises"] + (["solutions"] if instructor else [])
    figures = 0
    for folder in folders:
        (source_dir / folder).mkdir(parents=True)
        for notebook in sorted((ROOT / folder).glob("*.ipynb")):
            figures += prepare_notebook(notebook, source_dir / folder / notebook.name)
    if instructor:  # the instructor guide goes with the solutions
        shutil.copy(ROOT / "instructors" / "README.md", source_dir / "guide.md")
    shutil.copytree(ROOT / "site" / "vendor", source_dir / "vendor")
    # the widgets' HTML manager loads its icon fonts relative to each page's folder, from
    # the module path of whichever of its bundles asks first
    for folder in folders:
        for module in ["@jupyter-widgets", "@jupyter-widgets/html-manager/dist"]:
            fonts = source_dir / "extra" / folder / module
            fonts.mkdir(parents=True, exist_ok=True)
            for font in (ROOT / "site" / "vendor").glob("*.woff2"):
                shutil.copy(font, fonts)
    shutil.copy(
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js", source_dir / "vendor"
    )
    (source_dir / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (source_dir / "_toc.yml").write_text(toc(instructor), encoding="utf-8")
    return figures


def build(out: Path | None = None, instructor: bool = False) -> Path:
    """Build the site; returns the folder holding index.html. The students' site goes to
    _build/site and the instructors' (with solutions) to _build/site-instructor, each built
    from scratch: an incremental build would keep pages of a removed notebook, such as a
    solution left over from an instructor build."""
    out = out or ROOT / "_build" / ("site-instructor" if instructor else "site")
    if out.exists():
        shutil.rmtree(out)
    source_dir = out.with_name(out.name + "-src")  # one per output: builds can run side by side
    started = time.perf_counter()
    figures = prepare(source_dir, instructor)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    subprocess.run(
        [str(jupyter_book), "build", str(source_dir), "--path-output", str(out), "--quiet"],
        check=True,
    )
    html = out / "_build" / "html"
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    print(
        f"Built {html} in {time.perf_counter() - started:.0f} s: {figures} figures, "
        f"{size / 1e6:.1f} MB. Open {html / 'index.html'} in a browser."
    )
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the kit's static HTML site.")
    parser.add_argument("--instructor", action="store_true", help="include the solutions")
    args = parser.parse_args(argv)
    build(instructor=args.instructor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
