"""One call at the top of every notebook: figures that work offline, friendly errors, and a
watch on answer cells so that a check never grades an out-of-date answer."""

from __future__ import annotations

import re

import pandas as pd
import plotly.io as pio

from fournos import watch
from fournos.friendly_errors import show_friendly_errors

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_CELL = re.compile(rf"<td>(\d{{4}}-\d\d(?:-\d\d)?|(?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}})</td>")


def table_html(frame: pd.DataFrame) -> str | None:
    """pandas' own HTML for a table, with each cell that holds a date kept on one line: a
    long column squeezed a date column into "11 March" / "1951" or "2018-" / "03-22"."""
    shown = frame._repr_html_()
    return DATE_CELL.sub(r'<td style="white-space: nowrap">\1</td>', shown) if shown else shown


def setup() -> None:
    """Prepare a notebook: plotly draws with the JupyterLab renderer (no plotly.js stored in
    the notebook, nothing fetched), errors show as a short plain explanation, and (in IPython
    only) tables keep their dates on one line and answer cells are watched for errors and
    unrun edits."""
    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_colwidth", None)  # every word of a summary, quote or note: no "..."
    pd.set_option("display.max_rows", 120)
    show_friendly_errors()
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "display_formatter"):
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)
    if shell is not None and hasattr(shell, "events"):
        watch.start(shell)
