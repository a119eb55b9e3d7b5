"""Real-browser fixtures: Debian's Chromium driven by Playwright, JupyterLab started by the
kit's own `fournos lab` command, and a plain HTTP server for the built site. Screenshots
are saved in test-output/ for people to look at."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

import pytest
from helpers import SHOTS, copy_kit

from fournos_tools.chromium import ARGS, CHROMIUM

ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/lab\S*\?token=\w+")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Lab(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    token: str
    start_url: str  # the address `fournos lab` prints: the start page, with the token
    kit: Path  # the kit folder it serves
    output: list[str]  # what the command printed


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab started the way the README says, `fournos lab`, in a copy of the kit: the
    same launcher and the same jupyter-config/. The test reads the address (and its token)
    from what the command prints, as a student does."""
    kit = copy_kit(tmp_path_factory.mktemp("lab") / "kit")
    # A preference a user could set: render every cell, not only those in view, so that
    # every figure can be counted. It goes where the kit's JupyterLab keeps user settings.
    settings = kit / "jupyter-config/lab/user-settings/@jupyterlab/notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOURNOS_", "JUPYTER"))}
    # a student's machine: Jupyter's own data folder fresh, so no notebook is trusted because
    # an earlier run on this machine (nbconvert, a teacher's Lab) signed it
    env["JUPYTER_DATA_DIR"] = str(tmp_path_factory.mktemp("jupyter-data"))
    server = subprocess.Popen(
        [sys.executable, "-m", "fournos", "lab", "--no-browser", "--port", str(free_port())],
        cwd=kit,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, ended as a whole below
    )
    output: list[str] = []
    found = threading.Event()
    address: list[str] = []

    def read() -> None:  # keeps reading, so the server never blocks on a full pipe
        for line in server.stdout:
            output.append(line)
            match = ADDRESS.search(line)
            if match and not found.is_set():
                address.append(match.group(0))
                found.set()
        found.set()  # the command ended

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(timeout=120) and address, "fournos lab printed no address:\n" + "".join(
            output
        )
        start_url = address[0]
        base, token = start_url.split("/lab", 1)[0], start_url.rsplit("token=", 1)[1]
        yield Lab(base, token, start_url, kit, output)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def lab(lab_server):
    """(url, token) of the JupyterLab that `fournos lab` started."""
    return lab_server.url, lab_server.token


@pytest.fixture(scope="session")
def stale_page(tmp_path_factory) -> Path:
    """A solution page an earlier instructor build left where the students' site is built:
    the build must start clean (tests/browser/test_site.py checks that it is gone)."""
    page = tmp_path_factory.mktemp("site") / "_build/html/solutions/ex01_themes_and_words.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>### BEGIN SOLUTION</p>", encoding="utf-8")
    return page


@pytest.fixture(scope="session")
def site(stale_page):
    """The students' static site, built once per run (over a stale solution page) and served
    on 127.0.0.1."""
    from fournos_tools import site as site_builder

    html = site_builder.build(out=stale_page.parents[3])  # the folder holding _build/
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
