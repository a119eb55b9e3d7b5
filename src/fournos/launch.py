"""`fournos lab`: open JupyterLab on the kit, the way every student and every test starts it.

JupyterLab serves the kit's root folder, so my-work/, exercises/ and data/ can all be
opened, and starts on notebooks/00_start_here.ipynb. It reads the kit's own settings in
jupyter-config/ (no news pop-up, no update checks: nothing is fetched while you work) and
listens on 127.0.0.1 only, so nobody else on the network can reach it.

To keep a laptop light, closing a notebook's tab shuts its kernel down
(jupyter-config/lab-settings/overrides.json), and a kernel left with no tab for 30 minutes
is shut down too (`cull_idle_timeout`, in seconds, in jupyter-config/jupyter_server_config.json:
an instructor can change it). Only the kernel's memory goes: the notebook and everything
typed in it stay, and a kernel that is running a cell or has its tab open is never culled.

Started a second time on the same kit (a second `make lab`, a forgotten terminal), it opens
the JupyterLab that is already running instead of starting another one beside it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

from fournos.kit import KitNotFound, current_kit

START_PAGE = "notebooks/00_start_here.ipynb"
DEFAULT_PORT = 8888
PORTS_TRIED = 50  # as many as JupyterLab itself tries when a port is taken


def jupyter_arguments(root, port: int, browser: bool, token: str | None) -> list[str]:
    """The JupyterLab command-line options the kit uses (also what the tests check)."""
    args = [
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--LabApp.default_url=/lab/tree/{START_PAGE}",
        # the kit's Lab settings (kernel shut down when its tab closes; no news, no updates)
        f"--LabApp.app_settings_dir={Path(root) / 'jupyter-config' / 'lab-settings'}",
        # The kit chose a free port and prints the address itself, so JupyterLab needs
        # neither to move to another port nor to log every extension it loads; warnings and
        # errors still show.
        "--ServerApp.port_retries=0",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
    ]
    if not browser:
        args.append("--no-browser")
    if token is not None:
        args.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # JupyterLab refuses to run as root without it
    return args


def free_port(first: int) -> int | None:
    """The first port from `first` on that nothing on this machine listens on, or None."""
    for port in range(first, min(first + PORTS_TRIED, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return None


def running_labs() -> list[dict]:
    """The Jupyter servers running for this user, from Jupyter's own list of running servers
    (each has url, port, token, root_dir, pid; servers that have died are left out)."""
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:
        return []
    try:
        return list(list_running_servers())
    except Exception:  # noqa: BLE001 - an unreadable runtime file is no running server
        return []


def labs_serving(root: Path) -> list[dict]:
    """The running Jupyter servers whose folder is this kit."""
    return [s for s in running_labs() if Path(s.get("root_dir", "")).resolve() == root.resolve()]


def start_address(server: dict) -> str:
    """The address that opens a running server at the start page, with its token."""
    token = f"?token={server['token']}" if server.get("token") else ""
    return f"http://127.0.0.1:{server['port']}/lab/tree/{START_PAGE}{token}"


def open_running(server: dict, browser: bool) -> None:
    """Point the student at the JupyterLab already running on this kit."""
    address = start_address(server)
    print(
        "JupyterLab is already running on this kit (in another terminal), so no second one "
        f"is started. Open it at:\n    {address}\nTo stop it, press Ctrl-C twice in the "
        "terminal where it runs.",
        flush=True,
    )
    if browser:
        import webbrowser

        webbrowser.open(address)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fournos lab",
        description="Open JupyterLab on the kit's folder, starting at the start page. It keeps "
        "running until you stop it: press Ctrl-C twice in this terminal. Open a second "
        "terminal for other commands.",
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"the port to listen on (default {DEFAULT_PORT}); if it is taken, the next "
        "free one is used, and the address printed says which",
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument(
        "--token",
        help="the password-like token in the address (default: a new random one each time)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        root = current_kit()
    except KitNotFound as err:
        print(err, file=sys.stderr)
        return 1
    if not (1 <= args.port <= 65535):
        print(f"--port must be a number from 1 to 65535, not {args.port}.", file=sys.stderr)
        return 2
    running = labs_serving(root)
    if running:
        open_running(running[0], browser=not args.no_browser)
        return 0
    port = free_port(args.port)
    if port is None:
        print(
            f"Ports {args.port} to {args.port + PORTS_TRIED - 1} are all in use. Choose "
            "another with --port (with make: make lab PORT=...).",
            file=sys.stderr,
        )
        return 1
    token = args.token or secrets.token_hex(24)
    # Set before JupyterLab is imported: it reads the settings folder once, at import time.
    os.environ["JUPYTER_CONFIG_DIR"] = str(root / "jupyter-config")
    from jupyterlab.labapp import LabApp

    moved = f" (port {args.port} is in use, so it uses {port})" if port != args.port else ""
    print(f"Starting JupyterLab on {root}{moved}…", flush=True)
    server = LabApp.initialize_server(
        argv=jupyter_arguments(root, port, not args.no_browser, token)
    )
    # Said once the server listens (its port is bound by an earlier callback on the same
    # loop), so the address works the moment it is printed.
    server.io_loop.add_callback(
        print,
        f"JupyterLab is running. Open it at:\n    {start_address({'port': port, 'token': token})}"
        "\nStop it with Ctrl-C twice (press Ctrl-C, then again within 5 seconds, or answer y). "
        "Use a second terminal for other commands.",
        flush=True,
    )
    server.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
