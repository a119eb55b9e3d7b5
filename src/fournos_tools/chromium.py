"""How the kit starts Debian's headless Chromium: for printing handouts and in the browser tests.

The flags keep Chromium from reaching for the network on its own (update checks, sync,
component downloads), which fails and slows every start on a machine with no internet.
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
