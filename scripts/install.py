"""Set up the kit: a virtual environment in .venv with every pinned package and the kit.

`make lab` runs this the first time (and again when the pinned packages change); without
`make` (on Windows, say) run `python scripts/install.py` once. It needs the internet,
unless a folder of wheels made by `make wheels` is there: `wheelhouse/` in the kit is used
automatically, `--wheels FOLDER` names another, and then nothing is downloaded.

The file .venv/.installed is written last, only when everything installed. A set-up that
stops half-way (no network, a full disk, Ctrl-C) removes .venv, and a .venv found without
that file is removed before starting again, so no later command trusts a half-made one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UV = "uv==0.13.9"  # installs the pinned packages, much faster than pip
MARKER = ".installed"


def venv_python(venv: Path) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def steps(venv: Path, wheels: Path | None) -> list[tuple[str, list[str]]]:
    """The commands, in order, each with what it does in plain words."""
    python = str(venv_python(venv))
    offline = ["--no-index", "--find-links", str(wheels)] if wheels else []
    uv_offline = ["--offline", *offline] if wheels else []
    uv = [python, "-m", "uv", "pip", "install", "--python", python, "--quiet", "--no-deps"]
    # Compiled once here, as pip does (uv does not by default): otherwise, where the system sets
    # PYTHONDONTWRITEBYTECODE, every kernel compiles pandas and plotly again as it starts.
    compiled = ["--compile-bytecode"]
    return [
        ("create the virtual environment", [sys.executable, "-m", "venv", str(venv)]),
        (
            "install the package installer (uv)",
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *offline,
                UV,
            ],
        ),
        (
            "install the pinned packages",
            [*uv, *uv_offline, *compiled, "-r", str(ROOT / "requirements-lock.txt")],
        ),
        # the kit itself, in development mode: its code and data stay in this folder
        ("install the kit", [*uv, *uv_offline, "--no-build-isolation", "-e", str(ROOT)]),
    ]


def install(venv: Path, wheels: Path | None) -> bool:
    marker = venv / MARKER
    if venv.exists() and not marker.exists():
        print(f"{venv.name} is from a set-up that did not finish: removing it and starting again.")
        shutil.rmtree(venv)
    marker.unlink(missing_ok=True)  # an update in place is trusted only once it is done
    source = f"the wheels in {wheels}" if wheels else "the internet"
    print(f"Setting up the kit in {venv} from {source} (a few minutes the first time).", flush=True)
    for what, command in steps(venv, wheels):
        if what.startswith("create") and venv_python(venv).exists():
            continue  # updating a finished environment: keep it, reinstall the packages
        print(f"  {what} ...", flush=True)
        try:
            result = subprocess.run(command, check=False)
        except KeyboardInterrupt:
            result = None
        if result is None or result.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            print(f"\nSet-up stopped: could not {what}.", file=sys.stderr)
            if result is not None:
                print(hint(wheels), file=sys.stderr)
            print(
                f"Nothing half-made is left behind: {venv.name} was removed. Run the same "
                "command again when that is fixed.",
                file=sys.stderr,
            )
            return False
    marker.write_text("set-up finished\n", encoding="utf-8")
    return True


def hint(wheels: Path | None) -> str:
    if wheels:
        return (
            f"A package is missing from {wheels}. Ask your instructor for a complete "
            "copy of the folder (made by `make wheels` on a machine of your kind)."
        )
    return (
        "The first set-up downloads packages, so it needs the internet. With no "
        "internet, ask your instructor for the offline folder (wheelhouse), put it in "
        "the kit's folder and run the command again."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/install.py",
        description="Set up the kit in .venv (needs the internet, or a folder of wheels).",
    )
    parser.add_argument(
        "--wheels",
        type=Path,
        help="install only from this folder of wheels, with no network "
        "(default: wheelhouse/ in the kit, if it is there)",
    )
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever Python the student has
        print(
            f"The kit needs Python 3.11 or 3.12; this is Python "
            f"{sys.version_info.major}.{sys.version_info.minor}. Install Python 3.12 from "
            "python.org (or your system's packages) and run this with it.",
            file=sys.stderr,
        )
        return 1
    wheels = args.wheels
    if wheels is None and (ROOT / "wheelhouse").is_dir():
        wheels = ROOT / "wheelhouse"
    if wheels is not None and not any(wheels.glob("*.whl")):
        print(
            f"{wheels} holds no wheels. Make it with `make wheels` on a machine with the internet.",
            file=sys.stderr,
        )
        return 1
    started = time.monotonic()
    if not install(args.venv.resolve(), wheels.resolve() if wheels else None):
        return 1
    print(f"Set-up finished in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
