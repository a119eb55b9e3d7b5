"""Runs submissions' code inside the sandbox and streams what happened, one JSON line each.

Started by the grader (`python -m fournos_tools.grading.worker --engine fork`), normally
inside bubblewrap. It reads one job a line on stdin: {"job", "cells": [code], "exports":
[{"after": cell index, "check", "names"}], "cell_timeout", "deadline"} and answers on stdout
with {"job", "line": <a line from the notebook's process>} and finally {"job", "end": {...}}.

Engines:
- fork (default): this process imports pandas, plotly, ipywidgets, the kit and its tables
  once, calls gc.freeze(), then forks a *zygote* before it reads any job. Each notebook's
  process is forked from the zygote, which never holds submission data: the job reaches
  the child through a pipe the zygote only passes on (never reads), and the child's lines
  come back to this process, which forks nothing. The child, in its own session and
  process group, with a private /tmp, /dev/shm and IPC namespace and resource limits, runs
  the cells in an IPython InteractiveShell (history off, numpy reseeded). Time limits are
  enforced from here, outside the child: it says when each cell starts, and a cell that
  runs too long has its whole process group killed.
- kernel: a fresh Jupyter kernel per notebook (slower; the documented fallback).
Both stream the same lines: {"event": "cell", ...} per cell, {"event": "answer", ...} with
the answers exported as plain data (see exchange.py), {"event": "done"}. The checks are not
run here: the grader runs them in its own process on those plain values.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAX_JOB_BYTES = 32_000_000  # what one notebook may send back (answers included)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWIPC = 0x00020000, 0x10000000, 0x08000000
PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 4, 36
SHM_MB = 64  # /dev/shm per notebook: shared memory stays small and inside a known bound
ANSWER_MARK = "\x1efournos-answer "


# ----- the child: one notebook ---------------------------------------------------------------


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _private_tmp() -> bool:
    """Give this process its own /tmp, /dev/shm and System V IPC that no other notebook can
    see: a new user, mount and IPC namespace with fresh, size-limited tmpfs mounts, then a
    second user and mount namespace so that they are locked (the student's code gets
    capabilities only in a namespace where it cannot unmount them). False where unavailable."""
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()

    def enter(flags=CLONE_NEWUSER | CLONE_NEWNS):
        if libc.unshare(flags) != 0:
            return False
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        return True

    try:
        if not enter(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC):
            return False
        if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, b"size=512m,mode=0700") != 0:
            return False
        shm = f"size={SHM_MB}m,mode=1777".encode()
        if os.path.isdir("/dev/shm") and libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", 0, shm):
            return False
        return enter()
    except OSError:
        return False


def _limits(memory_mb: int) -> None:
    import resource

    for limit, value in (
        (resource.RLIMIT_AS, memory_mb * 2**20),
        (resource.RLIMIT_FSIZE, 256 * 2**20),
        (resource.RLIMIT_CORE, 0),
    ):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _process_limit(margin: int, user_total: int) -> None:
    """Limit how many processes (and threads) a notebook can start: a fork bomb stops there.
    Linux 5.14 and later count them per user namespace, so inside the sandbox `margin` is
    the limit; older kernels count every process of the user, hence the fallback."""
    import resource

    for limit in (margin, user_total + margin):
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))
        except (ValueError, OSError):
            return
        try:
            pid = os.fork()
        except BlockingIOError:
            continue
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return


def _write(fd: int, record: dict | str) -> None:
    data = (record if isinstance(record, str) else json.dumps(record)) + "\n"
    view = memoryview(data.encode("utf-8", "replace"))
    while view:
        view = view[os.write(fd, view) :]


def _uss_mib() -> float | None:
    """Unique set size of this process (what it does not share with the forking parent)."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return None
    kib = sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_"))
    return round(kib / 1024, 1)


def _exports_by_cell(job: dict) -> dict[int, list[dict]]:
    by_cell: dict[int, list[dict]] = {}
    for export in job.get("exports", []):
        by_cell.setdefault(int(export["after"]), []).append(export)
    return by_cell


def _read_job(fd: int) -> dict:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return json.loads(b"".join(chunks))


def run_child(job_fd: int, fd: int, sandboxed: bool, memory_mb: int) -> None:
    """Read one notebook's job from `job_fd`, run its cells in this (forked) process and report
    on `fd`. Never returns."""
    os.setsid()
    job = _read_job(job_fd)
    if sandboxed:
        _private_tmp()
    scratch = Path("/tmp") / "work" if sandboxed else Path(job["scratch"])
    scratch.mkdir(parents=True, exist_ok=True)
    os.chdir(scratch)
    os.environ.update(HOME=str(scratch), TMPDIR=str(scratch), MPLBACKEND="Agg")
    tempfile.tempdir = str(scratch)  # the parent's cached choice must not leak to the child
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    os.closerange(3, fd)
    os.closerange(fd + 1, 65536)
    _limits(memory_mb)

    import random

    import numpy as np
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from fournos_tools.grading import exchange

    np.random.seed(int.from_bytes(os.urandom(4), "little"))
    random.seed()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)  # get_ipython() works, as in a kernel

    exports = _exports_by_cell(job)
    for export in exports.get(-1, []):
        _write(fd, exchange.export_line(shell.user_ns, export["check"], export["names"]))
    for index, source in enumerate(job["cells"]):
        started = time.monotonic()
        _write(fd, {"event": "start", "index": index})  # the worker times the cell from here
        result = shell.run_cell(source, store_history=True)
        error = result.error_before_exec or result.error_in_exec
        _write(fd, _cell_record(index, error, time.monotonic() - started))
        for export in exports.get(index, []):
            _write(fd, exchange.export_line(shell.user_ns, export["check"], export["names"]))
    _write(fd, {"event": "done", "uss_mib": _uss_mib()})
    os._exit(0)


def _cell_record(index: int, error, seconds: float) -> dict:
    record = {"event": "cell", "index": index, "status": "ok", "seconds": round(seconds, 3)}
    if error is not None:
        record.update(
            status="error",
            ename=type(error).__name__,
            evalue=str(error)[:500],
            line=_error_line(error),
        )
    return record


CELL_FILE = re.compile(r"^<ipython-input-|ipykernel_\d+[/\\]\d+\.py$")


def _error_line(error) -> int | None:
    """The line of the cell where the error happened (the innermost frame in the cell)."""
    if error is None:
        return None
    if isinstance(error, SyntaxError):
        return error.lineno
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if CELL_FILE.search(frame.filename)
    ]
    return lines[-1] if lines else None


def _error_display(msg: dict, shown: list[str]) -> None:
    """Keep what a kernel displays about an error (fournos.setup()'s friendly report)."""
    if msg["header"]["msg_type"] in ("display_data", "execute_result") and len(shown) < 20:
        text = msg["content"].get("data", {}).get("text/plain", "")
        if isinstance(text, str) and " of your cell:" in text:
            shown.append(text[:2000])


CELL_IN = re.compile(
    r"(?:Cell In ?\[\d*\], line |<ipython-input-[^>]*> in <module>\D*|in line )(\d+)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def kernel_error_line(traceback_lines: list) -> int | None:
    """The cell's line from a kernel's formatted traceback ("Cell In[3], line 2")."""
    text = ANSI.sub("", "\n".join(str(t) for t in traceback_lines))
    found = CELL_IN.findall(text)
    return int(found[-1]) if found else None


# ----- the zygote: forks each notebook's process from a state that never held a submission ---


def zygote(control) -> None:
    """Serve fork requests on `control` (a Unix socket). Each request carries two file
    descriptors: the read end of the job pipe (passed to the child unread) and the write end
    of the result pipe. An intermediate process forks the child and exits at once, so that
    the child is re-parented to the worker (a subreaper), which waits for it and kills it.
    The child's pid goes back on `control`. Never returns."""
    import socket

    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 16, 2)
        except OSError:
            os._exit(0)
        if len(fds) != 2:
            os._exit(0)
        job_fd, result_fd = fds
        report_read, report_write = os.pipe()
        middle = os.fork()
        if middle == 0:
            child = os.fork()
            if child == 0:
                try:
                    control.close()
                    os.close(report_read)
                    os.close(report_write)
                    run_child(job_fd, result_fd, ZYGOTE["sandboxed"], ZYGOTE["memory_mb"])
                finally:
                    os._exit(70)
            os.write(report_write, str(child).encode())
            os._exit(0)
        os.close(report_write)
        os.close(job_fd)
        os.close(result_fd)
        os.waitpid(middle, 0)
        pid = os.read(report_read, 32) or b"0"
        os.close(report_read)
        control.sendall(pid.ljust(32))


ZYGOTE = {"sandboxed": False, "memory_mb": 2048}
ZYGOTE_TIMEOUT = 30  # seconds for the zygote to fork a notebook's process


# ----- the worker: one notebook after another -----------------------------------------------


class Worker:
    def __init__(self, engine: str, sandboxed: bool, memory_mb: int):
        self.engine, self.sandboxed, self.memory_mb = engine, sandboxed, memory_mb
        self.zygote_pid, self.control = None, None
        if engine == "fork":
            self.start_zygote()  # before any job is read: the zygote never sees one
        # the protocol goes to a private copy of stdout; anything printed lands on stderr
        self.out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)

    def start_zygote(self) -> None:
        import socket

        ZYGOTE.update(sandboxed=self.sandboxed, memory_mb=self.memory_mb)
        _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                mine.close()
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, 0)  # the job stream is not the zygote's to read
                os.dup2(null, 1)
                zygote(theirs)
            finally:
                os._exit(0)
        theirs.close()
        self.zygote_pid, self.control = pid, mine

    def send(self, record: dict) -> None:
        self.out.write(json.dumps(record) + "\n")

    def serve(self) -> None:
        self.send({"event": "ready", "pid": os.getpid()})
        for line in sys.stdin:
            job = json.loads(line)
            run = self.run_forked if self.engine == "fork" else self.run_kernel
            try:
                end = run(job)
            finally:
                self.clean_up()
            if self.engine == "fork" and not self.zygote_ready():
                # a notebook stopped or killed the zygote: this worker has held submissions,
                # so it must not fork a new one; it ends and the grader starts a fresh worker
                end["retire"] = True
                self.send({"job": job["job"], "end": end})
                break
            self.send({"job": job["job"], "end": end})
        self.stop_zygote()

    def zygote_ready(self) -> bool:
        """Whether the zygote still runs (not ended, not stopped)."""
        try:
            if os.waitpid(self.zygote_pid, os.WNOHANG)[0]:
                return False
            stat = Path(f"/proc/{self.zygote_pid}/stat").read_text()
        except (ChildProcessError, OSError):
            return False
        return stat.rsplit(")", 1)[1].split()[0] not in ("T", "t", "Z", "X")

    def stop_zygote(self) -> None:
        """At the end of the jobs: the zygote sees its socket close and exits; waiting for it
        here lets its CPU time count in the grader's (and the benchmark's) accounts."""
        if self.control is not None:
            self.control.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.zygote_pid, 0)
            self.control = None
        self.reap_orphans()

    # -- fork engine
    def run_forked(self, job: dict) -> dict:
        import socket

        job_read, job_write = os.pipe()
        read, write = os.pipe()
        try:
            self.control.settimeout(ZYGOTE_TIMEOUT)
            socket.send_fds(self.control, [b"f"], [job_read, write])
            pid = int(self.control.recv(32).strip() or b"0")
        except (OSError, ValueError):
            pid = 0
        os.close(job_read)
        os.close(write)
        if pid <= 0:
            os.close(job_write)
            os.close(read)
            return {"reason": "start"}
        try:
            data = json.dumps(job).encode()
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(job_write, view) :]
            except OSError:
                pass  # the child ended before reading its job: its status says how
            finally:
                os.close(job_write)
            return self.relay(job, read, pid)
        finally:
            os.close(read)
            self.kill_group(pid)

    def relay(self, job: dict, fd: int, pid: int) -> dict:
        """Forward the child's lines until it ends, the deadline passes, a cell runs past its
        limit or it says too much. The child's end, not the pipe's, ends the notebook:
        processes it started may hold the pipe open, and they are ended with it. The limits
        are kept here, outside the child, so nothing the notebook does can switch them off."""
        deadline = time.monotonic() + float(job["deadline"])
        cell_limit = float(job["cell_timeout"])
        buffer, total, reason, status = b"", 0, "exit", None
        running = None  # (cell index, when it started)
        while True:
            now = time.monotonic()
            left = deadline - now
            if left <= 0:
                reason = "deadline"
                break
            if running and now - running[1] > cell_limit:
                self.kill_group(pid)
                record = {"event": "cell", "index": running[0], "status": "timeout"}
                self.send({"job": job["job"], "line": json.dumps(record)})
                reason = "cell"
                break
            wait = min(left, 0.05 if status else 0.5)
            if running:
                wait = max(0.0, min(wait, running[1] + cell_limit - now + 0.01))
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                if status is not None:  # the child has ended and its pipe is drained
                    break
                status = self.exited(pid)
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_JOB_BYTES:
                reason = "output"
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                running = self.timing(line, running)
                self.send({"job": job["job"], "line": line.decode("utf-8", "replace")})
        if status is None:
            status = self.reap(pid, deadline if reason == "exit" else time.monotonic())
        return {"reason": reason, **status}

    def timing(self, line: bytes, running):
        """Which cell runs now and since when, from the child's start lines (only cell timing
        is read here; the grader parses everything else). The child's code can write lines
        too, so a cell's clock stops only when a later cell starts, never on an "ended" line:
        a forged line can at most restart the clock once per cell of the notebook."""
        if not line.startswith(b'{"event": "start"'):
            return running
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            return running
        index = record.get("index")
        if isinstance(index, int) and (running is None or index > running[0]):
            return (index, time.monotonic())
        return running

    def exited(self, pid: int) -> dict | None:
        """How the child ended, or None while it runs."""
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            return None
        if os.WIFSIGNALED(status):
            return {"signal": os.WTERMSIG(status)}
        return {"returncode": os.WEXITSTATUS(status)}

    def reap(self, pid: int, deadline: float) -> dict:
        while True:
            if (status := self.exited(pid)) is not None:
                return status
            if time.monotonic() >= deadline:
                self.kill_group(pid)
                os.waitpid(pid, 0)
                return {"signal": int(signal.SIGKILL), "killed": True}
            time.sleep(0.005)

    def kill_group(self, pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def clean_up(self) -> None:
        """End every process a notebook left behind (only possible in the sandbox's own PID
        namespace), empty /tmp and /dev/shm and remove System V IPC objects, so the next
        notebook starts clean."""
        self.reap_orphans()
        if not self.sandboxed:
            return
        keep = {1, os.getpid(), self.zygote_pid}
        for _ in range(5):
            others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in keep]
            if not others:
                break
            for pid in others:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.01)
            self.reap_orphans()
        for folder in ("/tmp", "/dev/shm"):
            if os.path.isdir(folder):
                for entry in Path(folder).iterdir():
                    _remove(entry)
        _remove_sysv_ipc()

    def reap_orphans(self) -> None:
        """Wait for ended processes re-parented here (this process is a subreaper)."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    # -- kernel engine
    def run_kernel(self, job: dict) -> dict:
        from jupyter_client.manager import KernelManager

        scratch = Path("/tmp") / "work" if self.sandboxed else Path(job["scratch"])
        scratch.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(scratch),
            "TMPDIR": str(scratch),
            "MPLBACKEND": "Agg",
            "JUPYTER_RUNTIME_DIR": str(scratch / ".runtime"),
        }
        manager = KernelManager(kernel_name="python3")
        manager.connection_file = str(scratch / ".runtime" / "kernel.json")
        (scratch / ".runtime").mkdir(exist_ok=True)
        deadline = time.monotonic() + float(job["deadline"])
        reason, status = "exit", {}
        manager.start_kernel(
            cwd=str(scratch), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            exports = _exports_by_cell(job)
            self.kernel_exports(job, client, exports.get(-1, []), deadline)
            for index, source in enumerate(job["cells"]):
                left = deadline - time.monotonic()
                if left <= 0:
                    reason = "deadline"
                    break
                started = time.monotonic()
                limit = min(float(job["cell_timeout"]), left)
                shown: list[str] = []  # the kit's friendly error display names the line
                try:
                    reply = client.execute_interactive(
                        source,
                        store_history=True,
                        allow_stdin=False,
                        timeout=limit,
                        output_hook=lambda msg, shown=shown: _error_display(msg, shown),
                    )
                except TimeoutError:
                    if not manager.is_alive():
                        status = {"signal": int(signal.SIGKILL)}
                        break
                    if limit < float(job["cell_timeout"]):
                        reason = "deadline"
                        break
                    self.send_line(
                        job,
                        {
                            "event": "cell",
                            "index": index,
                            "status": "timeout",
                            "seconds": round(time.monotonic() - started, 3),
                        },
                    )
                    break
                content = reply["content"]
                record = {
                    "event": "cell",
                    "index": index,
                    "status": "ok",
                    "seconds": round(time.monotonic() - started, 3),
                }
                if content.get("status") != "ok":
                    record.update(
                        status="error",
                        ename=content.get("ename", ""),
                        evalue=str(content.get("evalue", ""))[:500],
                        line=kernel_error_line((content.get("traceback") or []) + shown),
                    )
                self.send_line(job, record)
                self.kernel_exports(job, client, exports.get(index, []), deadline)
            else:
                self.send_line(job, {"event": "done", "uss_mib": None})
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        return {"reason": reason, **status}

    def kernel_exports(self, job, client, exports, deadline) -> None:
        for export in exports:
            code = (
                f"__import__('sys').stdout.write({ANSWER_MARK!r} + "
                "__import__('fournos_tools.grading.exchange', fromlist=['_'])"
                f".export_line(globals(), {export['check']!r}, {export['names']!r}) + '\\n');"
            )
            chunks = []

            def hook(msg, chunks=chunks):
                if msg["header"]["msg_type"] == "stream":
                    chunks.append(msg["content"].get("text", ""))

            client.execute_interactive(
                code,
                store_history=False,
                allow_stdin=False,
                timeout=max(1.0, deadline - time.monotonic()),
                output_hook=hook,
            )
            text = "".join(chunks)
            if ANSWER_MARK in text:
                self.send_line(job, text.split(ANSWER_MARK, 1)[1].splitlines()[0])

    def send_line(self, job: dict, record) -> None:
        line = record if isinstance(record, str) else json.dumps(record)
        self.send({"job": job["job"], "line": line})


def _remove_sysv_ipc() -> None:
    """Remove every System V shared memory segment, semaphore set and message queue of this
    IPC namespace (the sandbox's own): nothing a notebook made there reaches the next one."""
    libc = _libc()
    ipc_rmid = 0
    for name, remove in (("shm", libc.shmctl), ("sem", libc.semctl), ("msg", libc.msgctl)):
        try:
            rows = Path(f"/proc/sysvipc/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and fields[1].isdigit():
                if name == "sem":
                    remove(int(fields[1]), 0, ipc_rmid)
                else:
                    remove(int(fields[1]), ipc_rmid, None)


def _remove(path: Path) -> None:
    """Delete a file or a whole folder, even one a notebook made read-only."""

    def unlock(func, name, _exc):
        try:
            os.chmod(os.path.dirname(name), 0o700)
            os.chmod(name, 0o700)
            func(name)
        except OSError:
            pass

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=unlock)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def warm_up() -> None:
    """Import and load once what every notebook uses, so that forked children share it."""
    import ipywidgets  # noqa: F401
    import numpy  # noqa: F401
    import pandas
    import plotly.express as px
    import plotly.graph_objects as go
    import plotly.io
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    import fournos
    import fournos.checks
    from fournos.data import load, table_names
    from fournos_tools.grading import exchange  # noqa: F401

    for name in table_names():
        load(name)
    if hasattr(fournos, "term_counts"):
        fournos.term_counts()
    px.imshow([[1, 2], [3, 4]], title="warm up").to_json()
    figure = px.line(x=[1, 2], y=[1, 2])
    figure.to_json()
    # showing a figure imports nbformat and builds jsonschema's grammars (~1 s): do it once here
    renderer = plotly.io.renderers.default
    plotly.io.renderers.default = "plotly_mimetype"
    figure._repr_mimebundle_()
    plotly.io.renderers.default = renderer
    go.Figure()
    pandas.DataFrame({"a": [1]})._repr_html_()
    # a shell made and dropped here leaves IPython's modules imported for the children
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        shell.run_cell("1 / 0")  # formatting a traceback imports and caches a good deal too
        shell.run_cell("import fournos\nfournos.load('no such table')")  # no setup(): no
        # setting of the parent's may differ from a fresh kernel's
    InteractiveShell.clear_instance()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run submissions inside the sandbox.")
    parser.add_argument("--engine", choices=["fork", "kernel"], default="fork")
    parser.add_argument("--sandboxed", action="store_true")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--max-processes", type=int, default=0)
    parser.add_argument("--user-processes", type=int, default=0)
    args = parser.parse_args(argv)
    libc = _libc()
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # no notebook may read or trace this process
    if args.max_processes:
        _process_limit(args.max_processes, args.user_processes)
    if args.engine == "kernel":  # kernels inherit the limits this process sets on itself
        _limits(args.memory_mb)
    if args.engine == "fork":
        warm_up()
        gc.collect()
        gc.freeze()
    Worker(args.engine, args.sandboxed, args.memory_mb).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
