"""The sandbox every submission runs in: bubblewrap (`bwrap`, Debian package `bubblewrap`).

One bwrap per worker. Inside: no network; a private /tmp and /dev/shm, the only places a
notebook can write (the root, /etc and /dev are read-only); read-only the system, Python and
only the kit's library (src/fournos/), the worker's own modules, data/, exercises/ and
notebooks/ (never solutions/, instructors/, the hidden checks or any other instructors' tool,
the submissions or the results), and of the grader's bytecode cache only the same modules'
and the installed packages'; a new PID namespace that ends with the worker; no capabilities;
a new session (no terminal to write into). The worker adds a process-count limit and denies
the kernel's keyrings (isolation.py); each notebook's process gets its own memory limit, its
own size-limited /tmp and /dev/shm, its own IPC and its own PID namespace.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

KIT_PARTS = ("src/fournos", "data", "exercises", "notebooks")
# the instructors' tools the worker runs, and nothing else of them: never the hidden checks,
# the release or the answer keys (a notebook could import them, or load their bytecode)
WORKER_MODULES = tuple(
    f"src/fournos_tools/{name}.py"
    for name in (
        "__init__",
        "grading/__init__",
        "grading/worker",
        "grading/forked_engine",
        "grading/kernel_engine",
        "grading/isolation",
        "grading/exchange",
    )
)
SANDBOX_ID = 1000  # the user and group id inside the sandbox when the grader runs as root
SYSTEM_PARTS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/alternatives")
UNSAFE_EXPLAINED = (
    "No sandbox is available here (grading uses bubblewrap, `bwrap`, which runs on Linux: "
    "`apt-get install bubblewrap`). Without it, each student's notebook runs as you, with "
    "your files and your network: a notebook could read or change anything you can, "
    "including the solutions, other students' submissions and the grades, or keep a process "
    "running after grading ends. Answers are still checked in the grader's own process, but "
    "the notebooks themselves are not contained. Grade without a sandbox only notebooks you "
    "trust, by adding --unsafe."
)


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The few environment variables a notebook's process gets (nothing of the grader's)."""
    values = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "Agg",
    }
    if "FOURNOS_DATA" in os.environ:
        values["FOURNOS_DATA"] = os.environ["FOURNOS_DATA"]
    return {**values, **(extra or {})}


def _python_roots() -> list[Path]:
    """The interpreter and the environment the kit is installed in."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    roots.add(Path(sys.executable).resolve().parent.parent)
    return sorted(roots)


def command(kit: Path, worker_args: list[str], bytecode: Path | None = None) -> list[str]:
    """The bwrap command line that starts one worker inside the sandbox. `bytecode`: the
    grader's bytecode cache (see bytecode.py), bound read-only."""
    kit = kit.resolve()
    args = [
        "bwrap",
        "--die-with-parent",
        "--new-session",
        "--unshare-all",
        "--unshare-user",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/dev/shm",
        "--tmpfs",
        "/tmp",
        "--clearenv",
    ]
    if os.geteuid() == 0:
        # root inside would be the host's root to the kernel's checks: a user namespace a
        # notebook's process makes could not map it without CAP_SETFCAP, and its private
        # /tmp, /dev/shm, IPC and PID namespaces would silently not exist
        args += ["--cap-drop", "ALL", "--uid", str(SANDBOX_ID), "--gid", str(SANDBOX_ID)]
    for part in SYSTEM_PARTS:
        args += ["--ro-bind-try", part, part]
    for root in _python_roots():
        args += ["--ro-bind", str(root), str(root)]
    for part in (*KIT_PARTS, *WORKER_MODULES):
        args += ["--ro-bind-try", str(kit / part), str(kit / part)]
    if "FOURNOS_DATA" in os.environ:
        data = str(Path(os.environ["FOURNOS_DATA"]).resolve())
        args += ["--ro-bind", data, data]
    extra = {}
    if bytecode is not None:
        for part in _bytecode_parts(kit, bytecode):
            args += ["--ro-bind-try", str(part), str(part)]
        extra["PYTHONPYCACHEPREFIX"] = str(bytecode)
    for name, value in env(extra).items():
        args += ["--setenv", name, value]
    # nothing but /tmp and /dev/shm (emptied after each notebook) can be written: no file in
    # /, /etc or /dev (an IPython config, a classmate's answers) outlives its notebook
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    args += [
        "--chdir",
        "/tmp",
        "--",
        sys.executable,
        "-P",  # nothing from the working folder (/tmp) on the import path
        "-m",
        "fournos_tools.grading.worker",
        "--sandboxed",
        *worker_args,
    ]
    return args


def _bytecode_parts(kit: Path, cache: Path) -> list[Path]:
    """What of the grader's bytecode cache (Python's PYTHONPYCACHEPREFIX layout: the source's
    absolute path under the cache) the sandbox may read: Python's own and the installed
    packages', the library's and the worker's modules; never another module of the kit (the
    hidden checks) nor another kit's."""

    def cached(path: Path) -> Path:
        return Path(f"{cache}{path}")

    parts = [cached(root) for root in _python_roots()]
    parts.append(cached(kit / KIT_PARTS[0]))
    tag = sys.implementation.cache_tag
    for module in WORKER_MODULES:
        source = kit / module
        parts.append(cached(source.parent) / f"{source.stem}.{tag}.pyc")
    return parts


@lru_cache(maxsize=1)
def problem() -> str | None:
    """Why the sandbox cannot run here, or None when it can (tried once, for real)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap runs only on Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap (`bwrap`) is not installed"
    probe = command(Path.cwd(), [])
    probe = probe[: probe.index("--") + 1] + [sys.executable, "-c", "print('ok')"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not start ({err})"
    if done.stdout.strip() != "ok":
        return f"bubblewrap could not start ({done.stderr.strip()[:200]})"
    return None
