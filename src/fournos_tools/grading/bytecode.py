"""Compiled Python for the grading processes, so that no worker compiles pandas and plotly again.

Every grading worker starts a fresh Python that imports pandas, plotly, IPython and the kit.
Where no compiled bytecode was written at install (uv does not write it; PYTHONDONTWRITEBYTECODE
stops Python writing it later), each of those processes compiles all of that from source:
about 3 of the 5 CPU seconds a worker takes to start, and 2 of the checker's. So, before any
submission runs, the grader fills a bytecode cache of its own (Python's PYTHONPYCACHEPREFIX,
under ~/.cache/fournos/bytecode) from a trusted process that imports what the workers import,
and every grading process reads it. Inside the sandbox it is bound read-only: a notebook can
read it but never change what a later notebook or the checker runs. The cache is filled again
only when the kit's code or the installed packages change; Python itself checks each file's
date, so a stale entry costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

PRIME = (
    "import compileall, sys\n"
    "from fournos_tools.grading import checking, forked_engine, hidden_checks, worker\n"
    "forked_engine.warm_up()\n"
    "compileall.compile_dir(sys.argv[1], quiet=1)\n"
)


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fournos" / "bytecode"


def _marker(kit: Path) -> Path:
    key = f"{sys.version}|{sys.prefix}|{kit.resolve()}".encode()
    return folder() / f"filled-{hashlib.sha256(key).hexdigest()[:16]}"


def _newest(kit: Path) -> int:
    """When the kit's code or the environment's packages last changed."""
    times = [Path(sysconfig.get_paths()["purelib"]).stat().st_mtime_ns]
    for path in (kit / "src").rglob("*.py"):
        times.append(path.stat().st_mtime_ns)
    return max(times)


def fill(kit: Path) -> Path | None:
    """The cache folder, filled for this kit and environment if it was not; None if it could
    not be written (grading then works as before, only slower)."""
    cache, marker = folder(), _marker(kit)
    try:
        if marker.is_file() and marker.stat().st_mtime_ns >= _newest(kit):
            return cache
        cache.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(cache), FOURNOS_KIT=str(kit))
        done = subprocess.run(
            [sys.executable, "-c", PRIME, str(kit / "src")],
            cwd=kit,
            env=env,
            capture_output=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            return None
        marker.touch()
        return cache
    except (OSError, subprocess.TimeoutExpired):
        return None
