"""How to name a kit command so that it works in the set-up the student has.

A student who set up with `make` has the `fournos` command only inside `.venv`, so plain
`fournos lab` fails in their terminal; on a hub or in a conda environment `fournos` is on
the PATH and there may be no `make`. Every message that tells a student to run a command
asks this module for the words, so the kit names commands the same way everywhere.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from fournos.kit import KitNotFound, current_kit


def _kit() -> Path | None:
    try:
        return current_kit()
    except KitNotFound:
        return None


def venv_script() -> str:
    """The kit's own `fournos` command inside .venv, as typed from the kit's folder."""
    return r".venv\Scripts\fournos" if os.name == "nt" else ".venv/bin/fournos"


def in_kit_venv(root: Path | None = None) -> bool:
    """True when this Python is the kit's .venv (the set-up `make lab` and install.py make)."""
    root = root or _kit()
    return root is not None and Path(sys.prefix).resolve() == (root / ".venv").resolve()


def how_to_run(command: str, make_extra: str = "", fournos_extra: str = "") -> str:
    """The command as the student should type it here, e.g. "`make lab` (without make:
    `.venv/bin/fournos lab`)". `make_extra` and `fournos_extra` add options to each form
    ("PORT=8890" and "--port 8890")."""
    root = _kit()
    make_form = f"make {command}" + (f" {make_extra}" if make_extra else "")
    tail = f"{command}" + (f" {fournos_extra}" if fournos_extra else "")
    has_make = root is not None and (root / "Makefile").is_file() and shutil.which("make")
    if in_kit_venv(root):
        plain = f"{venv_script()} {tail}"
        return f"`{make_form}` (without make: `{plain}`)" if has_make else f"`{plain}`"
    here = Path(sys.executable).absolute().parent  # not resolved: a venv's python is a link
    on_path = shutil.which("fournos")
    if on_path and Path(on_path).absolute().parent == here:
        return f"`fournos {tail}`"
    python = shutil.which("python")
    name = "python" if python and Path(python).absolute().parent == here else sys.executable
    return f"`{name} -m fournos {tail}`"
