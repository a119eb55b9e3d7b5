"""Download every wheel the kit needs into one folder, for classes with no internet.

Run once, online (`make wheels`, or `python scripts/wheels.py` before anything is
installed). It reads requirements-lock.txt, works out which pinned packages each target
machine needs (Linux, macOS on Intel and Apple chips, Windows; Python 3.11 and 3.12),
and asks pip to download the wheel of each for that machine. Copy the folder (default
`wheelhouse/`) next to the kit on every student's machine; `make lab` and
`python scripts/install.py` then install from it alone, with no network.

pip does the downloading (`pip download --platform ... --only-binary=:all:`). pip judges
a requirement's environment marker (`; sys_platform == 'win32'`) by the machine it runs
on, not by the target, so this script evaluates the markers for each target itself and
hands pip plain pins.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement

from install import UV

ROOT = Path(__file__).resolve().parents[1]

# Marker values and pip platform tags per target. Tags are listed from the oldest system
# they support: pip prefers the first that matches, so the wheels suit the oldest machines.
MANYLINUX = (
    ["manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"]
    + [f"manylinux_2_{minor}_x86_64" for minor in range(5, 40)]
    + ["linux_x86_64"]
)
TARGETS = {
    "linux": (
        {
            "sys_platform": "linux",
            "platform_system": "Linux",
            "os_name": "posix",
            "platform_machine": "x86_64",
        },
        MANYLINUX,
    ),
    "macos-arm": (
        {
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "os_name": "posix",
            "platform_machine": "arm64",
        },
        [f"macosx_{major}_0_arm64" for major in range(11, 16)]
        + [f"macosx_{major}_0_universal2" for major in range(11, 16)],
    ),
    "macos-intel": (
        {
            "sys_platform": "darwin",
            "platform_system": "Darwin",
            "os_name": "posix",
            "platform_machine": "x86_64",
        },
        ["macosx_10_9_x86_64", "macosx_10_13_x86_64", "macosx_10_15_x86_64"]
        + [f"macosx_{major}_0_x86_64" for major in range(11, 16)]
        + ["macosx_10_9_universal2"],
    ),
    "windows": (
        {
            "sys_platform": "win32",
            "platform_system": "Windows",
            "os_name": "nt",
            "platform_machine": "AMD64",
        },
        ["win_amd64"],
    ),
}
PYTHONS = ["3.11", "3.12"]


def pins(lock: Path) -> list[Requirement]:
    """The pinned requirements of the lock file, with their markers."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line and not line.startswith((" ", "#"))]


def needed(requirements: list[Requirement], target: str, python: str, full: str) -> list[str]:
    """The pins a target machine with Python `full` (e.g. 3.11.0) needs."""
    environment = dict(
        TARGETS[target][0],
        implementation_name="cpython",
        platform_python_implementation="CPython",
        python_version=python,
        python_full_version=full,
    )
    return sorted(
        f"{req.name}{req.specifier}"
        for req in requirements
        if req.marker is None or req.marker.evaluate(environment)
    )


def download(pins: list[str], target: str, python: str, folder: Path) -> list[str]:
    """Download the wheels of `pins` for one target and Python release (3.11.0: pip checks
    each package's Requires-Python against it) into `folder`; returns the pins that
    have no wheel for it (pip stops at the first one, so those are dropped and it retries)."""
    missing: list[str] = []
    todo = list(pins)
    while todo:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(todo) + "\n")
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--implementation",
            "cp",
            "--python-version",
            python,
            "--dest",
            str(folder),
            "-r",
            listing.name,
        ]
        for tag in TARGETS[target][1]:
            command += ["--platform", tag]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        Path(listing.name).unlink()
        if result.returncode == 0:
            return missing
        found = re.search(r"No matching distribution found for (\S+)", result.stderr)
        if not found:
            raise SystemExit(
                f"pip could not download the wheels for {target}, Python {python}:\n"
                f"{result.stderr.strip()}\nAre you online?"
            )
        name = re.split(r"[<>=!~ ]", found.group(1))[0].lower().replace("_", "-")
        dropped = [p for p in todo if p.lower().replace("_", "-").startswith(name + "=")]
        if not dropped:
            raise SystemExit(result.stderr)
        missing += dropped
        todo = [p for p in todo if p not in dropped]
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make wheels",
        description="Download every wheel the kit needs (needs the internet, once) into a "
        "folder that installs the kit with no network.",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=ROOT / "wheelhouse",
        help="the folder to fill (default: wheelhouse/ in the kit)",
    )
    parser.add_argument(
        "--target",
        action="append",
        choices=sorted(TARGETS),
        help="only this kind of machine (repeat for more; default: all)",
    )
    parser.add_argument(
        "--python",
        action="append",
        choices=PYTHONS,
        help="only this Python version (repeat for more; default: all)",
    )
    args = parser.parse_args(argv)
    args.dest.mkdir(parents=True, exist_ok=True)
    requirements = pins(ROOT / "requirements-lock.txt") + [Requirement(UV)]
    started = time.monotonic()
    for target in args.target or list(TARGETS):
        for python in args.python or PYTHONS:
            print(f"  {target}, Python {python} ...", flush=True)
            # the lock may pin differently for early and late releases of one Python
            # (x.y.4 and x.y.5, say): the first and the last release cover every case
            missing = set()
            for full in [f"{python}.0", f"{python}.99"]:
                wanted = needed(requirements, target, python, full)
                missing.update(download(wanted, target, full, args.dest))
            for pin in sorted(missing):
                print(
                    f"    no wheel of {pin} for {target}, Python {python}: a machine of "
                    "this kind needs the internet to install it"
                )
    count = len(list(args.dest.glob("*.whl")))
    size = sum(p.stat().st_size for p in args.dest.glob("*.whl")) / 2**20
    print(
        f"{count} wheels ({size:.0f} MiB) in {args.dest}, in "
        f"{time.monotonic() - started:.0f} s. Copy this folder into the kit folder on each "
        "machine; `make lab` (or `python scripts/install.py`) then installs from it offline."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
