"""One call at the top of every notebook: figures that work offline, friendly errors, and a
watch on answer cells so that a check never grades an out-of-date answer."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio

from fournos import watch
from fournos.friendly_errors import show_friendly_errors


def setup() -> None:
    """Prepare a notebook: plotly draws with the JupyterLab renderer (no plotly.js stored in
    the notebook, nothing fetched), errors show as a short plain explanation, and (in IPython
    only) answer cells are watched for errors and unrun edits."""
    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_colwidth", None)  # every word of a summary, quote or note: no "..."
    pd.set_option("display.max_rows", 120)
    show_friendly_errors()
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "events"):
        watch.start(shell)
