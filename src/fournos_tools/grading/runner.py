"""Run many submissions through sandboxed workers, one notebook per worker at a time.

Each worker is a long-lived process (inside bwrap) fed one job a line. Everything it sends
back is untrusted: lines are parsed defensively and a worker that dies, hangs or talks
nonsense costs only the notebook it was running; a fresh worker takes the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fournos_tools.grading import cgroups, isolation, sandbox

START_TIMEOUT = 180  # a worker imports pandas and plotly once: allow a loaded machine
GRACE = 30  # on top of a notebook's deadline before its worker is presumed stuck
PROCESS_MARGIN = 256  # processes and threads a worker and its notebook may run at once


@dataclass
class Outcome:
    """What came back for one notebook (all of it untrusted, except `end`)."""

    lines: list[str] = field(default_factory=list)
    end: dict = field(default_factory=dict)
    seconds: float = 0.0


class WorkerProcess:
    def __init__(self, argv: list[str], log, env: dict | None = None):
        self.argv, self.log, self.proc, self.buffer = argv, log, None, bytearray()
        self.env = env
        self.groups: list[Path] = []

    def start(self) -> None:
        argv = self.argv
        if "--sandboxed" in argv:
            self.groups = cgroups.for_worker(PROCESS_MARGIN, _memory_bound(argv))
        if self.groups:  # the shell joins the cgroups, then becomes bwrap
            joins = " && ".join(f'echo $$ > "${i}"' for i in range(1, len(self.groups) + 1))
            argv = [
                "sh",
                "-c",
                f'{joins} && shift {len(self.groups)} && exec "$@"',
                "sh",
                *[str(group / "cgroup.procs") for group in self.groups],
                *argv,
            ]
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
            env=sandbox.env(self.env) if "--sandboxed" not in self.argv else None,
        )
        self.buffer = bytearray()
        first = self.read_line(time.monotonic() + START_TIMEOUT)
        if not first or json.loads(first).get("event") != "ready":
            self.stop()
            raise RuntimeError("the grading worker did not start (see log.txt in the results)")

    def read_line(self, deadline: float) -> str | None:
        """The next line from the worker, or None on end of file or at the deadline."""
        fd = self.proc.stdout.fileno()
        scanned = 0  # a long line is searched for its end once, not again per chunk
        while (end := self.buffer.find(b"\n", scanned)) < 0:
            scanned = len(self.buffer)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        return line.decode("utf-8", "replace")

    def run(self, job: dict, retry: bool = True) -> Outcome:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        outcome, started = Outcome(), time.monotonic()
        deadline = started + float(job["deadline"]) + GRACE
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            self.stop()
            outcome.end = {"reason": "worker"}
            return outcome
        while True:
            line = self.read_line(deadline)
            if line is None:  # the worker died (a notebook killed it) or hangs
                self.stop()
                outcome.end = {"reason": "worker"}
                break
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("job") != job["job"]:
                continue
            if "end" in record:
                outcome.end = record["end"] if isinstance(record["end"], dict) else {}
                break
            if isinstance(record.get("line"), str):
                outcome.lines.append(record["line"])
        if outcome.end.get("retire"):  # its zygote was stopped: the next job gets a new worker
            self.stop()
            if outcome.end.get("reason") == "start" and retry:
                return self.run(job, retry=False)
        outcome.seconds = time.monotonic() - started
        return outcome

    def stop(self, finished: bool = False) -> None:
        """End the worker: `finished` (every job done) lets it exit by itself first, so that
        it waits for its processes and their CPU time is counted where the grader's is."""
        if self.proc is None:
            return
        if finished:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc = None
        cgroups.remove(self.groups)
        self.groups = []


def _memory_bound(argv: list[str]) -> int:
    """MiB for a worker and everything in it: one notebook's memory limit, its /tmp and
    /dev/shm, and the worker itself."""
    memory_mb = int(argv[argv.index("--memory-mb") + 1])
    return memory_mb + isolation.tmp_mb(memory_mb) + isolation.SHM_MB + cgroups.WORKER_MB


def _user_processes() -> int:
    """This user's processes and threads now (the kernel's limit counts both)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += len(os.listdir(entry / "task"))
        except OSError:
            pass
    return count


def worker_argv(
    kit: Path, engine: str, memory_mb: int, safe: bool, bytecode: Path | None = None
) -> list[str]:
    args = ["--engine", engine, "--memory-mb", str(memory_mb)]
    if safe:
        limits = [
            "--max-processes",
            str(PROCESS_MARGIN),
            "--user-processes",
            str(_user_processes()),
        ]
        return sandbox.command(kit, [*args, *limits], bytecode)
    return [sys.executable, "-m", "fournos_tools.grading.worker", *args]


def run_all(
    jobs: list[dict],
    argv: list[str],
    workers: int,
    log_path: Path,
    env: dict | None = None,
    on_start=None,
):
    """Run every job on `workers` workers; yield (job id, Outcome) as each one finishes, so
    that the caller checks answers while the next notebooks run. `env`: variables added to an
    unsandboxed worker's few (the sandbox sets its own). `on_start(job id)` is called as each
    notebook starts."""
    todo: queue.Queue = queue.Queue()
    done: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    with open(log_path, "ab") as log:

        def serve() -> None:
            worker = WorkerProcess(argv, log, env)
            try:
                while True:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        worker.stop(finished=True)
                        return
                    if on_start:
                        on_start(job["job"])
                    try:
                        outcome = worker.run(job)
                    except (RuntimeError, OSError, ValueError) as err:
                        outcome = Outcome(end={"reason": "start", "error": str(err)})
                    done.put((job["job"], outcome))
            finally:
                worker.stop()

        threads = [threading.Thread(target=serve) for _ in range(max(1, workers))]
        for thread in threads:
            thread.start()
        for _ in jobs:
            yield done.get()
        for thread in threads:
            thread.join()
