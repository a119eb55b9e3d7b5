"""One call at the top of every notebook: figures that work offline and friendly errors."""

from __future__ import annotations

import plotly.io as pio

from fournos.errors import show_friendly_errors


def setup() -> None:
    """Prepare a notebook: plotly draws with the JupyterLab renderer (no plotly.js stored in
    the notebook, nothing fetched), and the kit's errors show as one plain message."""
    pio.renderers.default = "plotly_mimetype"
    show_friendly_errors()
