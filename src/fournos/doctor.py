"""`fournos doctor`: check, one thing at a time, that the kit is ready to work with, and say
how to fix each problem in one sentence.

It checks the Python version, the environment (the pinned packages), that the kit's
library imports, that the data loads and passes its checks, that a notebook kernel starts
and can use the kit, and that the port JupyterLab will use is free.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from fournos.commands import how_to_run
from fournos.edition import edition
from fournos.freshness import doctor_check as check_as_of_age
from fournos.kit import KitNotFound, current_kit
from fournos.launch import DEFAULT_PORT, labs_serving, running_labs

REINSTALL = (
    "Set the kit up again: `make clean` then `make lab` (without make: delete the .venv "
    "folder, then run `python scripts/install.py`; on Windows `py -3.12 scripts\\install.py`)."
)
Result = tuple[bool, str, str]  # (all right?, what was found, how to fix it)


def check_python() -> Result:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] in {(3, 11), (3, 12)}:
        return True, f"Python {version}", ""
    return (
        False,
        f"Python {version}: the kit is made and tested for Python 3.11 and 3.12",
        (
            "Install Python 3.12 (python.org, or your system's packages), then set the kit up "
            "with it: `make clean`, then `make lab PYTHON=python3.12`."
        ),
    )


def check_environment(root: Path) -> Result:
    venv = root / ".venv"
    in_venv = Path(sys.prefix).resolve() == venv.resolve()
    if in_venv and not (venv / ".installed").exists():
        return False, f"{venv} is from a set-up that did not finish", REINSTALL
    lock = root / "requirements-lock.txt"
    pins = {}
    if lock.exists():
        for line in lock.read_text(encoding="utf-8").splitlines():
            found = re.match(r"([A-Za-z0-9_.-]+)==(\S+)$", line)
            if found:
                pins[found.group(1).lower().replace("_", "-")] = found.group(2)
    missing, other = [], []
    for name in ["jupyterlab", "ipywidgets", "pandas", "plotly", "nbformat", "nbgitpuller"]:
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if name in pins and installed != pins[name]:
            other.append(f"{name} {installed} (the kit pins {pins[name]})")
    if missing:
        return False, f"{sys.prefix} lacks {', '.join(missing)}", REINSTALL
    if other and in_venv:  # the kit changed its pins (an update) since the set-up
        return False, f"{venv} has other versions: {'; '.join(other)}", REINSTALL
    note = f" (other versions than the kit pins: {'; '.join(other)})" if other else ""
    return True, f"environment {sys.prefix}, with the packages the kit needs{note}", ""


def check_imports() -> Result:
    import fournos

    modules = sorted({target.partition(":")[0] for target in fournos._EXPORTS.values()})
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as err:  # noqa: BLE001 - any failure to import is the finding
            return False, f"the kit's library does not import ({module}: {err})", REINSTALL
    return True, f"the kit's library imports ({fournos.__file__})", ""


def check_data() -> Result:
    from fournos.data import data_dir, load, table_names
    from fournos.friendly_errors import DataError

    try:
        names = table_names()
        for name in names:
            load(name)
    except DataError as err:
        return (
            False,
            f"the data in {data_dir()} does not pass its checks: {err}",
            (
                "Put back the kit's own data: `git checkout -- data` in the kit's folder (or copy "
                "data/ from a fresh download of the kit). Work on your own copy of the data "
                "(fournos.copy_dataset), never on data/ itself."
            ),
        )
    return True, f"the data loads and passes its checks ({len(names)} tables)", ""


def check_kernel(root: Path) -> Result:
    from jupyter_client.manager import start_new_kernel

    fix = (
        f"Start JupyterLab with {how_to_run('lab')}, and choose the 'Python 3 (ipykernel)' "
        "kernel. " + REINSTALL
    )
    try:
        manager, client = start_new_kernel(
            kernel_name="python3", cwd=str(root / "notebooks"), stderr=subprocess.DEVNULL
        )
    except Exception as err:  # noqa: BLE001 - any failure to start is the finding
        return False, f"a notebook kernel does not start ({type(err).__name__}: {err})", fix
    said = []
    try:
        reply = client.execute_interactive(
            "import fournos, sys; print(sys.executable)",
            timeout=60,
            output_hook=lambda msg: said.append(msg["content"].get("text", "")),
        )
        ok = reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that dies or hangs is the finding
        ok = False
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    if not ok:
        return False, "a notebook kernel starts but cannot import the kit", fix
    return True, f"a notebook kernel starts and imports the kit ({''.join(said).strip()})", ""


def check_running(root: Path) -> Result:
    """JupyterLab already running on this kit is fine (say where); on another folder, say so."""
    servers = running_labs()
    if not servers:
        return True, "no JupyterLab is running yet", ""
    mine = labs_serving(root)
    if mine:
        where = ", ".join(f"http://127.0.0.1:{s['port']}/lab" for s in mine)
        return True, f"JupyterLab is already running on this kit: {where}", ""
    other = "; ".join(f"port {s['port']} serving {s.get('root_dir', '?')}" for s in servers)
    return True, f"JupyterLab is running on another folder ({other})", ""


def check_port(port: int) -> Result:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            ours = [s for s in running_labs() if s.get("port") == port]
            if ours:
                return (
                    True,
                    (
                        f"port {port} is used by a JupyterLab that is already running "
                        f"(http://127.0.0.1:{port}/lab, serving {ours[0].get('root_dir', '?')})"
                    ),
                    "",
                )
            return (  # no problem: JupyterLab takes the next free port and prints it
                True,
                f"port {port} is used by another program: JupyterLab will take the next free "
                "port and print its address (to choose one: "
                + how_to_run("lab", f"PORT={port + 2}", f"--port {port + 2}")
                + ")",
                "",
            )
    return True, f"port {port} is free for JupyterLab", ""


def checks(root: Path, port: int) -> list[tuple[str, Callable[[], Result]]]:
    return [
        ("Python", check_python),
        ("environment", lambda: check_environment(root)),
        ("library", check_imports),
        ("data", check_data),
        ("as-of date", check_as_of_age),
        ("kernel", lambda: check_kernel(root)),
        ("running", lambda: check_running(root)),
        ("port", lambda: check_port(port)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos doctor",
        description="Check that the kit is ready to work with, and say how to fix each problem.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"the port JupyterLab will use (default {DEFAULT_PORT})",
    )
    args = parser.parse_args(argv)
    try:
        root = current_kit()
    except KitNotFound as err:
        print(f"  PROBLEM  {err}")
        return 1
    print(f"Checking the kit in {root}.")
    print(edition(root))
    problems = 0
    mine = labs_serving(root)
    for name, check in checks(root, args.port):
        if name == "port" and mine:  # Lab runs already: no port to free for a second one
            continue
        ok, found, fix = check()
        print(f"  {'ok' if ok else 'PROBLEM':<7}  {found}", flush=True)
        if not ok:
            problems += 1
            print(f"           Fix: {fix}")
    if problems:
        said = "1 problem" if problems == 1 else f"{problems} problems"
        print(f"{said}. Fix them in order (the first may cause the others).")
        return 1
    if mine:
        print(
            f"Everything is ready: JupyterLab is already running at "
            f"http://127.0.0.1:{mine[0]['port']}/lab (the address with its token is in the "
            "window where you started it)."
        )
        return 0
    print(f"Everything is ready: start with {how_to_run('lab')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
