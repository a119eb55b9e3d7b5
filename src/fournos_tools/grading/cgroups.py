"""The control groups each grading worker (its sandbox and every notebook in it) runs in.

Where this user may make them (root, or a delegated cgroup v2), each worker gets fresh groups:
- at most PROCESS_MARGIN processes and threads (the kernel does not apply RLIMIT_NPROC to
  root, so this is what bounds a fork bomb when grading runs as root);
- one memory bound for the worker and everything in it: a notebook's memory limit is per
  process (RLIMIT_AS) and it may start many processes, and its files in /tmp are memory too;
- a CPU share of its own, equal to every other worker's: the kernel shares the CPU between
  sessions, so a notebook that starts many processes, each in a session of its own, would
  otherwise starve the notebooks graded beside it and the checker (red team 4, R4-4).
Groups are made inside the grader's own group of each hierarchy, so that any bound on the
grader still holds. Where they cannot be made, grading works as before, with the per-process
limits only.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "fournos-grade"
WORKER_MB = 768  # the worker itself, its zygote and the sandbox, beside one notebook


def _own(controller: str) -> str:
    """This process's group in the cgroup v1 hierarchy of `controller` ("/" if none)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return "/"
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path
    return "/"


def _make(group: Path, required: dict[str, str], optional: dict[str, str]) -> Path | None:
    try:
        group.mkdir()
    except OSError:
        return None
    try:
        for name, value in required.items():
            if not (group / name).exists():  # a plain folder, not a cgroup
                raise OSError
            (group / name).write_text(value)
        for name, value in optional.items():
            if (group / name).exists():
                (group / name).write_text(value)
        return group
    except OSError:
        group.rmdir()
        return None


def for_worker(processes: int, memory_mb: int) -> list[Path]:
    """Fresh groups for one worker (empty where none can be made)."""
    name = f"{PREFIX}-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    memory = str(memory_mb * 2**20)
    if (ROOT / "pids" / "cgroup.procs").exists():  # cgroup v1: one hierarchy per controller
        wanted = {
            "pids": ({"pids.max": str(processes)}, {}),
            "memory": ({"memory.limit_in_bytes": memory}, {}),
            "cpu": ({"cpu.shares": "1024"}, {}),
        }
        groups = []
        for controller, (required, optional) in wanted.items():
            base = ROOT / controller / _own(controller).lstrip("/")
            if group := _make(base / name, required, optional):
                groups.append(group)
        return groups
    group = _make(ROOT / name, {"pids.max": str(processes)}, {"memory.max": memory})
    return [group] if group else []


def remove(groups: list[Path]) -> None:
    """Remove a worker's groups (each is empty once the sandbox's last process is gone)."""
    for group in groups:
        for _ in range(100):
            try:
                group.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.05)


def bases() -> list[Path]:
    """Where this process would make its groups (for the clean-up after a killed run)."""
    if (ROOT / "pids" / "cgroup.procs").exists():
        return [ROOT / c / _own(c).lstrip("/") for c in ("pids", "memory", "cpu")]
    return [ROOT]
