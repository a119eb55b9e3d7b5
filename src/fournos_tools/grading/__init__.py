"""Batch grading a class can trust: `python -m fournos grade SUBMISSIONS`.

manifest (the contract) · exchange (answers as plain data) · sandbox (bubblewrap) ·
worker (runs notebooks inside the sandbox: forked_engine or kernel_engine, kept apart by
isolation) · checking (the kit's checks, in the grader's own process) · batch (the run) ·
outputs (CSV, feedback, report).
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from fournos_tools.grading.batch import main as batch_main

    return batch_main(argv)
