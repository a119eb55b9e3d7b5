"""JupyterLab started the way students start it (`fournos lab`): a notebook's kernel is shut
down when its tab closes, idle kernels with no tab are culled after a time set in the kit's
configuration, and opening a kernel's connection logs no websocket warning."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from helpers import ROOT

TOKEN = "fournos-test-token"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    runtime = tmp_path_factory.mktemp("runtime")
    log = runtime / "lab.log"
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fournos",
                "lab",
                "--no-browser",
                "--port",
                str(port),
                "--token",
                TOKEN,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # poll until the server answers
        assert server.poll() is None, log.read_text()
        try:
            get(base, "/api/status")
            break
        except OSError:
            time.sleep(0.2)
    yield base, log
    server.terminate()
    server.wait(timeout=30)


def get(base: str, path: str, method: str = "GET", body: bytes | None = None) -> dict:
    request = urllib.request.Request(
        base + path, data=body, method=method, headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return json.loads(text) if text else {}


def test_closing_a_notebook_tab_shuts_its_kernel_down(lab):
    base, _ = lab
    tracker = get(base, "/lab/api/settings/@jupyterlab/notebook-extension:tracker")
    assert tracker["schema"]["properties"]["kernelShutdown"]["default"] is True


def test_an_edit_is_saved_within_seconds_and_no_save_overlaps_the_next(lab):
    """A check sees an edit once JupyterLab has saved it, so the kit saves often; but
    JupyterLab (4.6) arms its next autosave before a save ends. At one second, a save slower
    than that on a loaded machine overlapped the next, which found the file changed and asked
    "File Changed: overwrite or revert?" about a notebook only the student had edited (the
    browser stage met it twice under load). Five seconds leaves a busy machine time to save."""
    base, _ = lab
    plugin = get(base, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    defaults = plugin["schema"]["properties"]
    assert defaults["autosave"]["default"] is True
    assert 5 <= defaults["autosaveInterval"]["default"] <= 10


def test_idle_kernels_without_a_tab_are_culled_and_busy_or_open_ones_never():
    settings = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.json").read_text())
    cull = settings["MappingKernelManager"]
    assert 0 < cull["cull_idle_timeout"] <= 3600 and cull["cull_interval"] > 0
    assert cull["cull_connected"] is False and cull["cull_busy"] is False


def test_a_kernel_connection_logs_no_websocket_ping_warning(lab):
    from tornado.httpclient import HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    base, log = lab
    kernel = get(base, "/api/kernels", method="POST", body=b"{}")

    async def talk():
        url = base.replace("http", "ws") + f"/api/kernels/{kernel['id']}/channels"
        conn = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"})
        )
        conn.close()

    try:
        IOLoop.current().run_sync(talk, timeout=60)
    finally:
        get(base, f"/api/kernels/{kernel['id']}", method="DELETE")
    said = log.read_text()
    # fournos lab logs warnings only: this connection's own ("No session ID specified", no
    # session was named) shows that a ping warning would be seen
    assert "No session ID specified" in said, said
    assert "websocket_ping" not in said, said
