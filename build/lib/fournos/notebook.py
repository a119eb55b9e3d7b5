"""One call at the top of every notebook: figures that work offline and friendly errors."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio

from fournos.errors import show_friendly_errors


def setup() -> None:
    """Prepare a notebook: plotly draws with the JupyterLab renderer (no plotly.js stored in
    the notebook, nothing fetched), and the kit's errors show as one plain message."""
    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_colwidth", 160)  # show summaries and quotes whole, not cut at 50
    pd.set_option("display.max_rows", 120)
    show_friendly_errors()
