"""The forked engine (the default): each notebook runs in a process forked from a zygote.

The worker imports pandas, plotly, ipywidgets, the kit and its tables once (`warm_up`),
calls gc.freeze(), then forks a *zygote* before it reads any job. Each notebook's process is
forked from the zygote, which never holds submission data: the job reaches the child
through a pipe the zygote only passes on (never reads), and the child's lines come back to
the worker, which forks nothing. The child, in its own session and PID namespace, with a
private /tmp, /dev/shm and IPC namespace and resource limits (isolation.py), runs the cells
in an IPython InteractiveShell (history off, numpy reseeded). Time limits are enforced from
the worker, outside the child: it says when each cell starts, and a cell that runs too long
has its whole process group killed.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import select
import signal
import tempfile
import time
from pathlib import Path

from fournos_tools.grading import isolation

MAX_JOB_BYTES = 32_000_000  # what one notebook may send back (answers included)
ZYGOTE = {"sandboxed": False, "memory_mb": 2048}
ZYGOTE_TIMEOUT = 30  # seconds for the zygote to fork a notebook's process
WARM_MODULES = (  # imported by the exercises' cells on first use: once in the worker instead
    "psutil",
    "narwhals.group_by",
    "narwhals.stable.v1._namespace",
    "pandas.core.methods.to_dict",
    "pandas.core.reshape.reshape",
    "pandas.io.formats.string",
    "plotly.graph_objs.layout.annotation",
    "plotly.graph_objs.layout.coloraxis.colorbar",
    "plotly.graph_objs.layout.legend",
    "plotly.graph_objs.scatter.marker",
)


# ----- the child: one notebook ---------------------------------------------------------------


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


def exports_by_cell(job: dict) -> dict[int, list[dict]]:
    """The job's answer exports, by the index of the cell they follow (-1: before any)."""
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
        isolation.private_tmp(memory_mb)
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
    isolation.limits(memory_mb)

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

    exports = exports_by_cell(job)
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


# ----- the zygote: forks each notebook's process from a state that never held a submission ---


def zygote(control) -> None:
    """Serve fork requests on `control` (a Unix socket). Each request carries two file
    descriptors: the read end of the job pipe (passed to the child unread) and the write end
    of the result pipe. An intermediate process forks the child and exits at once, so that
    the child is re-parented to the worker (a subreaper), which waits for it and kills it.
    In the sandbox the child is the first process of a PID namespace of its own: it cannot
    signal the zygote or the worker, and whatever it starts ends with it. The child's pid
    (as the worker sees it) goes back on `control`. Never returns."""
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
            if ZYGOTE["sandboxed"]:  # the child: PID 1 of a namespace of its own
                isolation.new_pid_namespace()
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
    # the modules behind the library's public names, and what the exercises' cells import on
    # first use: imported once here instead of in every notebook's process
    for name in [*sorted(set(getattr(fournos, "_EXPORTS", {}).values())), *WARM_MODULES]:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
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


# ----- the worker's side: one notebook after another -----------------------------------------


class ForkedEngine:
    """Runs each job in a child forked by the zygote and relays its lines with `send`."""

    def __init__(self, sandboxed: bool, memory_mb: int, send):
        self.sandboxed, self.memory_mb, self.send = sandboxed, memory_mb, send
        self.zygote_pid, self.control = None, None
        self.start_zygote()  # before any job is read: the zygote never sees one

    @property
    def helper_pids(self) -> set[int]:
        """The worker's own processes, which the clean-up after a notebook leaves alone."""
        return {self.zygote_pid}

    def start_zygote(self) -> None:
        import socket

        ZYGOTE.update(sandboxed=self.sandboxed, memory_mb=self.memory_mb)
        isolation.libc().prctl(isolation.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
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

    def usable(self) -> bool:
        """Whether the zygote still runs (not ended, not stopped)."""
        try:
            if os.waitpid(self.zygote_pid, os.WNOHANG)[0]:
                return False
            stat = Path(f"/proc/{self.zygote_pid}/stat").read_text()
        except (ChildProcessError, OSError):
            return False
        return stat.rsplit(")", 1)[1].split()[0] not in ("T", "t", "Z", "X")

    def stop(self) -> None:
        """At the end of the jobs: the zygote sees its socket close and exits; waiting for it
        here lets its CPU time count in the grader's (and the benchmark's) accounts."""
        if self.control is not None:
            self.control.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.zygote_pid, 0)
            self.control = None

    def run(self, job: dict) -> dict:
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
            kill_group(pid)

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
                kill_group(pid)
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
                status = exited(pid)
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
                running = timing(line, running)
                self.send({"job": job["job"], "line": line.decode("utf-8", "replace")})
        if status is None:
            status = reap(pid, deadline if reason == "exit" else time.monotonic())
        return {"reason": reason, **status}


def timing(line: bytes, running):
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


def exited(pid: int, options: int = os.WNOHANG) -> dict | None:
    """How the child ended and the CPU seconds it used, or None while it runs."""
    done, status, usage = os.wait4(pid, options)
    if not done:
        return None
    cpu = round(usage.ru_utime + usage.ru_stime, 3)
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status), "cpu": cpu}
    return {"returncode": os.WEXITSTATUS(status), "cpu": cpu}


def reap(pid: int, deadline: float) -> dict:
    while True:
        if (status := exited(pid)) is not None:
            return status
        if time.monotonic() >= deadline:
            kill_group(pid)
            cpu = exited(pid, 0)["cpu"]
            return {"signal": int(signal.SIGKILL), "killed": True, "cpu": cpu}
        time.sleep(0.005)


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
