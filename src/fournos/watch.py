"""Notice answers that are out of date, so a check never grades an old value as if it were new.

In a notebook, a name keeps its old value when the cell meant to change it stops with an
error, or when the cell is edited and not run again. `fournos.setup()` starts an AnswerWatch
on IPython's execution events: after each cell it records, for every name the cell assigns,
whether the cell failed, with the cell's id and text. A check then asks `stale_message(answer)`
and, if the answer's cell failed or was changed since it ran, says so instead of grading.

Outside IPython (a script, or the batch grader checking exported values in its own process)
no watch is started and `stale_message` always returns None: checks stay pure functions of
their arguments there.
"""

from __future__ import annotations

import ast
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

# a line that starts by assigning a name: `trends = ...`, `fig: Figure = ...`, `a = b = ...`
ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)", re.MULTILINE)


@dataclass(frozen=True)
class Run:
    """The last run of the cell that assigned a name."""

    cell_id: str | None
    source: str
    finished: float  # time.time() when the cell ended
    failed: bool
    count: int | None = None  # its execution count, the number JupyterLab shows as [n]


def assigned_names(source: str) -> set[str]:
    """Names a cell assigns at its top level. A cell Python cannot read (a syntax error) still
    names what it was meant to assign, found line by line."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(ASSIGNMENT.findall(source))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        else:
            continue
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Name):
                    names.add(part.id)
    return names


CHECK_PREFIX = "check_"


def check_call_nodes(source: str | ast.AST, qualified: bool = False) -> list[ast.Call]:
    """Every call of a `check_...` function in a cell's code (or its parsed tree), in order:
    `check_x(...)`, and with `qualified` also `fournos.check_x(...)` or `checks.check_x(...)`.
    A cell Python cannot read has none. The one reader of check calls: the answer watch (below)
    and the grading contract (fournos_tools.grading.manifest) both use it."""
    try:
        tree = source if isinstance(source, ast.AST) else ast.parse(source)
    except SyntaxError:
        return []
    kinds = (ast.Name, ast.Attribute) if qualified else (ast.Name,)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, kinds)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr).startswith(
            CHECK_PREFIX
        )
    ]


def check_calls(source: str | ast.AST) -> list[dict]:
    """The kit check calls in one cell's code (or its parsed tree), e.g. check_quotes(evidence) ->
    [{'check': 'check_quotes', 'args': [{'name': 'evidence'}]}]. Literal arguments are kept
    as {'value': ...}; a call with any other argument, or a keyword, is not a kit check call."""
    calls = []
    for node in check_call_nodes(source):
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Name):
                args.append({"name": arg.id})
                continue
            try:
                args.append({"value": ast.literal_eval(arg)})
            except ValueError:
                args = None
                break
        if args is not None and not node.keywords:
            calls.append({"check": node.func.id, "args": args})
    return calls


def checked_names(source: str) -> list[str]:
    """Names passed as the first argument to a `check_...` function in a cell."""
    return [
        node.args[0].id
        for node in check_call_nodes(source, qualified=True)
        if node.args and isinstance(node.args[0], ast.Name)
    ]


class Saved(NamedTuple):
    """One cell as the notebook file holds it."""

    time: float  # when the file was written
    text: str
    count: object  # its execution count, as the file holds it (None, a number, or anything)


# Jupyter's server saves a notebook in place (the file truncated, then written), so a check
# run during a save can read half a file (or, on Windows, find it locked): it reads again,
# for at most this many seconds.
HALF_WRITTEN_WAIT = 1.0


def saved_source(notebook: Path, cell_id: str) -> Saved | None:
    """One cell as the notebook file holds it, or None if unknown."""
    give_up = time.monotonic() + HALF_WRITTEN_WAIT
    while True:
        try:
            saved = notebook.stat().st_mtime
            content = json.loads(notebook.read_text(encoding="utf-8"))
            break
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # half written or locked, or not a notebook
            if time.monotonic() > give_up:
                return None
            time.sleep(0.05)
    cells = content.get("cells") if isinstance(content, dict) else None
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("id") == cell_id:
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            return Saved(saved, text, cell.get("execution_count"))
    return None


class AnswerWatch:
    """Records, for each name, the last run of the cell that assigned it."""

    def __init__(self, shell, notebook: Path | None = None):
        self.shell = shell
        self.notebook = notebook
        self.runs: dict[str, Run] = {}
        self.running = ""  # the text of the cell running now

    def pre_run_cell(self, info) -> None:
        self.running = info.raw_cell or ""

    def post_run_cell(self, result) -> None:
        if result is None:  # the run was cancelled before it started
            return
        info = result.info
        run = Run(
            cell_id=getattr(info, "cell_id", None),
            source=info.raw_cell or "",
            finished=time.time(),
            failed=not result.success,
            count=getattr(result, "execution_count", None),
        )
        for name in assigned_names(run.source):
            self.runs[name] = run
        self.running = ""

    def problem(self, name: str) -> str | None:
        """'error' or 'edited' if `name` holds a value from before its cell's last change."""
        run = self.runs.get(name)
        if run is None:
            return None
        if run.failed:
            return "error"
        if self.notebook and run.cell_id:
            saved = saved_source(self.notebook, run.cell_id)
            # An edit made after the run shows only in a save taken after it: written after
            # the run ended, and holding the run's count (a save JupyterLab took while the
            # student typed can reach the file just after a quick Shift+Enter, with the
            # earlier count and half-typed text; it says nothing about this run).
            if (
                saved
                and saved.time > run.finished
                and run.count is not None
                and saved.count == run.count
                and saved.text.strip() != run.source.strip()
            ):
                return "edited"
        return None

    def stale_message(self, answer) -> str | None:
        """What to tell a student whose check is about to grade an out-of-date answer."""
        assigned_here = assigned_names(self.running)
        for name in checked_names(self.running):
            if name in assigned_here or self.shell.user_ns.get(name, object()) is not answer:
                continue
            kind = self.problem(name)
            if kind == "error":
                return (
                    f"Your answer cell stopped with an error: fix it and run it again. Until "
                    f"it runs to the end, {name} keeps an old or unfinished value, so this check "
                    "cannot grade it."
                )
            if kind == "edited":
                return (
                    f"You changed the cell that sets {name} but have not run it since, so {name} "
                    "still holds the value from before your change. Run that cell (Shift+Enter), "
                    "then run this check again."
                )
        return None

    def stale_answers(self) -> dict[str, str]:
        """Every recorded name whose value is out of date, with why ('error' or 'edited')."""
        return {name: kind for name in self.runs if (kind := self.problem(name))}


_current: AnswerWatch | None = None


def start(shell) -> AnswerWatch:
    """Watch this IPython shell's cells (once: starting again replaces the old watch)."""
    global _current
    stop()
    session = os.environ.get("JPY_SESSION_NAME") or shell.user_ns.get("__session__")
    notebook = Path(session) if session and str(session).endswith(".ipynb") else None
    _current = AnswerWatch(shell, notebook)
    shell.events.register("pre_run_cell", _current.pre_run_cell)
    shell.events.register("post_run_cell", _current.post_run_cell)
    return _current


def stop() -> None:
    """Stop watching (nothing happens if no watch is running)."""
    global _current
    if _current is not None:
        for event, callback in (
            ("pre_run_cell", _current.pre_run_cell),
            ("post_run_cell", _current.post_run_cell),
        ):
            try:
                _current.shell.events.unregister(event, callback)
            except ValueError:
                pass
        _current = None


def stale_message(answer) -> str | None:
    """The watch's message for an out-of-date answer; None when no watch runs or all is fresh."""
    return _current.stale_message(answer) if _current is not None else None


def stale_answers() -> dict[str, str]:
    """Names whose values are out of date in this notebook ({} outside a watched notebook)."""
    return _current.stale_answers() if _current is not None else {}
