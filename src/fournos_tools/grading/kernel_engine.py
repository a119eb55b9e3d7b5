"""The kernel engine: a fresh Jupyter kernel per notebook (slower; the documented fallback).

It streams the same lines as the forked engine (forked_engine.py): a record per cell, the
answers exported as plain data after their cells, and "done" at the end. In the sandbox each
kernel starts through this module's launcher (`python -m fournos_tools.grading.kernel_engine
MEMORY_MB -- KERNEL COMMAND`), which makes it, as in the forked engine, the first process of
a PID namespace of its own, with its own size-limited /tmp, /dev/shm and IPC (isolation.py).
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from fournos_tools.grading import isolation
from fournos_tools.grading.forked_engine import MAX_JOB_BYTES, exports_by_cell

ANSWER_MARK = "\x1efournos-answer "
CELL_IN = re.compile(
    r"(?:Cell In ?\[\d*\], line |<ipython-input-[^>]*> in <module>\D*|in line )(\d+)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PR_SET_PDEATHSIG = 1


def _error_display(msg: dict, shown: list[str]) -> None:
    """Keep what a kernel displays about an error (fournos.setup()'s friendly report)."""
    if msg["header"]["msg_type"] in ("display_data", "execute_result") and len(shown) < 20:
        text = msg["content"].get("data", {}).get("text/plain", "")
        if isinstance(text, str) and " of your cell:" in text:
            shown.append(text[:2000])


def kernel_error_line(traceback_lines: list) -> int | None:
    """The cell's line from a kernel's formatted traceback ("Cell In[3], line 2")."""
    text = ANSI.sub("", "\n".join(str(t) for t in traceback_lines))
    found = CELL_IN.findall(text)
    return int(found[-1]) if found else None


def _manager_class(memory_mb: int | None):
    """Jupyter's kernel manager; with `memory_mb`, one that starts each kernel through the
    launcher below."""
    from jupyter_client.manager import KernelManager

    if memory_mb is None:
        return KernelManager

    class IsolatedKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            command = super().format_kernel_cmd(extra_arguments)
            launcher = [sys.executable, "-P", "-m", "fournos_tools.grading.kernel_engine"]
            return [*launcher, str(memory_mb), "--", *command]

    return IsolatedKernelManager


def launch(argv: list[str]) -> int:
    """Start the kernel command after "--" as PID 1 of a new PID namespace, with a private
    /tmp (a quarter of `argv[0]` MiB), /dev/shm and IPC, and wait for it. The connection file
    and the working folder, both under the old /tmp, are made again in the new one."""
    memory_mb, command = int(argv[0]), argv[argv.index("--") + 1 :]
    connection = Path(command[command.index("-f") + 1])
    kept, folder = connection.read_bytes(), os.getcwd()
    os.environ.pop("JPY_PARENT_PID", None)  # its parent is outside the kernel's namespace
    isolation.new_pid_namespace()
    pid = os.fork()
    if pid == 0:
        try:
            isolation.libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            isolation.private_tmp(memory_mb)
            connection.parent.mkdir(parents=True, exist_ok=True)
            connection.write_bytes(kept)
            Path(folder).mkdir(parents=True, exist_ok=True)
            os.chdir(folder)
            os.execv(command[0], command)
        finally:
            os._exit(70)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is the kernel's to handle
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            return 70
    return os.waitstatus_to_exitcode(status) % 256


def wait_until_ready(manager, client, timeout: float) -> None:
    """Jupyter's `client.wait_for_ready` without its last step, which reads IOPub until it has
    been quiet for 0.2 s: a pause in every notebook (20 s of wall time in a 200-notebook run on
    two workers). The kernel has answered on the shell channel and IOPub has delivered a
    message, so both work; execute_interactive skips the older messages still queued."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        client.kernel_info()
        try:
            answered = client.get_shell_msg(timeout=1)["msg_type"] == "kernel_info_reply"
        except queue.Empty:
            answered = False
        if answered:
            try:
                client.get_iopub_msg(timeout=0.2)
                return
            except queue.Empty:
                pass  # IOPub not connected yet: ask again
        if not manager.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class TooMuchOutput(Exception):
    """The notebook sent back more than MAX_JOB_BYTES (answers included)."""


class KernelEngine:
    """Runs each job in a new kernel and relays its lines with `send`, at most MAX_JOB_BYTES
    of them per notebook, as the forked engine does."""

    def __init__(self, sandboxed: bool, memory_mb: int, send):
        self.sandboxed, self.memory_mb, self.send = sandboxed, memory_mb, send
        self.sent = 0  # bytes of lines sent for the current notebook

    @property
    def helper_pids(self) -> set[int]:
        return set()

    def usable(self) -> bool:
        return True

    def stop(self) -> None:
        pass

    def run(self, job: dict) -> dict:
        scratch = Path("/tmp") / "work" if self.sandboxed else Path(job["scratch"])
        scratch.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(scratch),
            "TMPDIR": str(scratch),
            "MPLBACKEND": "Agg",
            "JUPYTER_RUNTIME_DIR": str(scratch / ".runtime"),
        }
        manager = _manager_class(self.memory_mb if self.sandboxed else None)(kernel_name="python3")
        manager.connection_file = str(scratch / ".runtime" / "kernel.json")
        (scratch / ".runtime").mkdir(exist_ok=True)
        deadline = time.monotonic() + float(job["deadline"])
        reason, status, self.sent = "exit", {}, 0
        manager.start_kernel(
            cwd=str(scratch), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = manager.client()
        client.start_channels()
        try:
            wait_until_ready(manager, client, timeout=60)
            exports = exports_by_cell(job)
            self.exports(job, client, exports.get(-1, []), deadline)
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
                self.exports(job, client, exports.get(index, []), deadline)
            else:
                self.send_line(job, {"event": "done", "uss_mib": None})
        except TooMuchOutput:
            reason = "output"
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
        return {"reason": reason, **status}

    def exports(self, job, client, exports, deadline) -> None:
        for export in exports:
            code = (
                f"__import__('sys').stdout.write({ANSWER_MARK!r} + "
                "__import__('fournos_tools.grading.exchange', fromlist=['_'])"
                f".export_line(globals(), {export['check']!r}, {export['names']!r}) + '\\n');"
            )
            chunks, size = [], [0]

            def hook(msg, chunks=chunks, size=size):
                if msg["header"]["msg_type"] == "stream":
                    chunks.append(str(msg["content"].get("text", "")))
                    size[0] += len(chunks[-1])
                    if self.sent + size[0] > MAX_JOB_BYTES:
                        raise TooMuchOutput

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
        self.sent += len(line) + 1
        if self.sent > MAX_JOB_BYTES:
            raise TooMuchOutput
        self.send({"job": job["job"], "line": line})


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
