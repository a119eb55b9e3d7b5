"""Turn what a notebook's process sent back into cell outcomes and check results.

The kit's check functions run here, in the grader's own process, on answers rebuilt from
plain data: no student code runs here, so a check that raises is the kit's error, never
the student's. What the notebook's process sent is untrusted and parsed defensively.
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fournos import checks as kit_checks
from fournos.errors import DataError
from fournos_tools.grading import exchange

PASS, FAIL, NOT_ANSWERED, NOT_RUN, KIT_ERROR = (
    "pass",
    "fail",
    "not answered",
    "not run",
    "kit error",
)
CELL_STATUSES = {"ok", "error", "timeout"}


@dataclass
class Run:
    """One notebook's run, as reported by its process."""

    cells: dict[int, dict] = field(default_factory=dict)
    answers: dict[str, dict] = field(default_factory=dict)
    done: bool = False
    uss_mib: float | None = None
    flags: list[str] = field(default_factory=list)


def parse(lines: list[str], cell_count: int, expected: set[str]) -> Run:
    run, bad = Run(), 0
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            bad += 1
            continue
        event = record.get("event") if isinstance(record, dict) else None
        if event == "cell":
            index, status = record.get("index"), record.get("status")
            if (
                isinstance(index, int)
                and 0 <= index < cell_count
                and status in CELL_STATUSES
                and index not in run.cells
            ):
                run.cells[index] = {
                    "status": status,
                    "ename": str(record.get("ename", ""))[:100],
                    "evalue": str(record.get("evalue", ""))[:500],
                }
            else:
                bad += 1
        elif event == "answer":
            check, values = record.get("check"), record.get("values")
            if check in expected and isinstance(values, dict) and check not in run.answers:
                run.answers[check] = values
            else:
                bad += 1
        elif event == "done":
            run.done = True
            uss = record.get("uss_mib")
            run.uss_mib = float(uss) if isinstance(uss, (int, float)) else None
        else:
            bad += 1
    if bad:
        run.flags.append(f"{bad} line(s) from the notebook's process were not understood")
    return run


def run_check(check: dict, values: dict | None) -> tuple[str, str]:
    """(outcome, message) for one manifest check given the exported answer values."""
    name = check["check"]
    func = getattr(kit_checks, name, None)
    if not callable(func):
        return KIT_ERROR, f"The kit has no check called {name}: regenerate the exercises."
    if values is None:
        return NOT_RUN, "not run: an earlier cell may have stopped the notebook."
    args = []
    with tempfile.TemporaryDirectory(prefix="fournos-answer-") as scratch:
        for arg in check["args"]:
            if "value" in arg:
                args.append(arg["value"])
                continue
            data = values.get(arg["name"])
            if data == exchange.UNDEFINED or data is None:
                return NOT_ANSWERED, (
                    f"Not answered: your notebook has no `{arg['name']}` (was its cell "
                    "deleted, or did it stop with an error?)."
                )
            try:
                args.append(exchange.rebuild(data, Path(scratch)))
            except exchange.ExchangeError as err:
                return FAIL, f"Your answer `{arg['name']}` could not be read for checking: {err}."
        previous = os.getcwd()
        os.chdir(scratch)  # a relative path in an answer must not reach the grader's files
        try:
            return _call(func, args)
        finally:
            os.chdir(previous)


def _call(func, args: list) -> tuple[str, str]:
    if any(a is ... for a in args) or any(a is None for a in args):
        feedback = func(*args)  # the kit's own words for an unanswered or empty answer
        outcome = NOT_ANSWERED if any(a is ... for a in args) else FAIL
        return outcome, str(getattr(feedback, "message", ""))
    check = inspect.unwrap(func)
    try:
        feedback = check(*args)
    except DataError as err:  # the kit explaining a problem in the student's data
        return FAIL, str(err)
    except Exception as err:  # noqa: BLE001 - no student code runs here: this is the kit's bug
        return KIT_ERROR, (
            f"The kit's check failed ({type(err).__name__}: {err}). This is a problem in the "
            "kit, not in your answer; your instructor will look at it."
        )
    correct, message = getattr(feedback, "correct", None), getattr(feedback, "message", None)
    if not isinstance(correct, bool) or not isinstance(message, str):
        return KIT_ERROR, "The kit's check returned no verdict. This is a problem in the kit."
    return (PASS if correct else FAIL), message
