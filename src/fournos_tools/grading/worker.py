"""Runs submissions' code inside the sandbox and streams what happened, one JSON line each.

Started by the grader (`python -m fournos_tools.grading.worker --engine fork`), normally
inside bubblewrap. It reads one job a line on stdin: {"job", "cells": [code], "exports":
[{"after": cell index, "check", "names"}], "cell_timeout", "deadline"} and answers on stdout
with {"job", "line": <a line from the notebook's process>} and finally {"job", "end": {...}}.

Engines:
- fork (default, forked_engine.py): each notebook's process is forked from a zygote that
  never holds submission data; limits are kept from the worker, outside the child.
- kernel (kernel_engine.py): a fresh Jupyter kernel per notebook (slower; the fallback).
Both stream the same lines: {"event": "cell", ...} per cell, {"event": "answer", ...} with
the answers exported as plain data (see exchange.py), {"event": "done"}. The checks are not
run here: the grader runs them in its own process on those plain values. After each
notebook the worker cleans the sandbox (isolation.py) so that the next starts clean.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys

from fournos_tools.grading import isolation
from fournos_tools.grading.forked_engine import ForkedEngine, warm_up
from fournos_tools.grading.kernel_engine import KernelEngine


class Worker:
    def __init__(self, engine: str, sandboxed: bool, memory_mb: int):
        self.sandboxed = sandboxed
        if engine == "fork":  # before any job is read: the zygote never sees one
            self.engine = ForkedEngine(sandboxed, memory_mb, self.send)
        else:
            self.engine = KernelEngine(sandboxed, memory_mb, self.send)
        # the protocol goes to a private copy of stdout; anything printed lands on stderr
        self.out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)

    def send(self, record: dict) -> None:
        self.out.write(json.dumps(record) + "\n")

    def serve(self) -> None:
        self.send({"event": "ready", "pid": os.getpid()})
        for line in sys.stdin:
            job = json.loads(line)
            try:
                end = self.engine.run(job)
            finally:
                isolation.clean_up(self.sandboxed, self.engine.helper_pids)
            if not self.engine.usable():
                # a notebook stopped or killed the zygote: this worker has held submissions,
                # so it must not fork a new one; it ends and the grader starts a fresh worker
                end["retire"] = True
                self.send({"job": job["job"], "end": end})
                break
            self.send({"job": job["job"], "end": end})
        self.engine.stop()
        isolation.reap_orphans()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run submissions inside the sandbox.")
    parser.add_argument("--engine", choices=["fork", "kernel"], default="fork")
    parser.add_argument("--sandboxed", action="store_true")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--max-processes", type=int, default=0)
    parser.add_argument("--user-processes", type=int, default=0)
    args = parser.parse_args(argv)
    isolation.libc().prctl(isolation.PR_SET_DUMPABLE, 0, 0, 0, 0)  # no notebook may read or
    # trace this process
    if args.sandboxed:
        isolation.deny_keyrings()  # for every process of the sandbox
    if args.max_processes:
        isolation.process_limit(args.max_processes, args.user_processes)
    if args.engine == "kernel":  # kernels inherit the limits this process sets on itself
        isolation.limits(args.memory_mb)
    if args.engine == "fork":
        warm_up()
        gc.collect()
        gc.freeze()
    Worker(args.engine, args.sandboxed, args.memory_mb).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
