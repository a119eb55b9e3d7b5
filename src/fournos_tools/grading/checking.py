"""Turn what a notebook's process sent back into cell outcomes and check results.

The kit's check functions run in the checker: a process of the grader's own (no student
code runs there) with a memory limit and no network, fed the answers as plain data and
rebuilding them within bounds (see exchange.py). An answer that makes a check raise is the
student's fail, said plainly, unless the check also fails on the model answer: then it is
the kit's error. What the notebook's process sent is untrusted and parsed defensively.
`python -m fournos_tools.grading.checking` is the checker's own entry point.
"""

from __future__ import annotations

import ctypes
import inspect
import json
import os
import re
import select
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fournos import checks as kit_checks
from fournos.friendly_errors import DataError
from fournos_tools.grading import exchange

PASS, FAIL, NOT_ANSWERED, NOT_RUN, KIT_ERROR = (
    "pass",
    "fail",
    "not answered",
    "not run",
    "kit error",
)
CELL_STATUSES = {"ok", "error", "timeout"}
SEVERITY = {"ok": 0, "error": 1, "timeout": 2}  # of two records for one cell, the worse counts
INVALID = "__invalid__"  # an answer line that could not be read at all
ANSWER_HEADER = re.compile(r'\{"event": "answer", "check": "(check_\w+)"')
MAX_EVENT_CHARS = 100_000  # a cell, start or done line (an error's text is cut to 500)
MAX_PARSED_OBJECTS = 4 * exchange.MAX_ITEMS  # JSON objects in one answer line, while parsed
CHECKER_MEMORY_MB = 3072
CHECK_SECONDS = 60  # for all the checks of one notebook, model answers included


@dataclass
class Run:
    """One notebook's run, as reported by its process. `answers`: each check's answer line as
    the notebook sent it, unparsed: only the checker parses it (within its bounds and its
    memory limit), never the grader's own process."""

    cells: dict[int, dict] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    done: bool = False
    uss_mib: float | None = None
    flags: list[str] = field(default_factory=list)


def parse(lines: list[str], cell_count: int, expected: set[str]) -> Run:
    """What a notebook's process sent, line by line. Every line is untrusted (the notebook's
    own code may write on the channel): a line the grader cannot use is counted as not
    understood, never an error of the grader's."""
    run, bad, repeated = Run(), 0, set()
    for line in lines:
        header = ANSWER_HEADER.match(line)
        if header:  # kept as sent: the checker parses it
            if header.group(1) in expected and header.group(1) not in run.answers:
                run.answers[header.group(1)] = line
            else:
                bad += 1
            continue
        if len(line) > MAX_EVENT_CHARS:  # no genuine line of these kinds is this long
            bad += 1
            continue
        try:
            understood = _take(exchange.loads(line), line, run, cell_count, expected, repeated)
        except (exchange.ExchangeError, TypeError, ValueError, OverflowError):
            understood = False
        bad += not understood
    if bad:
        run.flags.append(f"{bad} line(s) from the notebook's process were not understood")
    if repeated:
        cells = ", ".join(f"no. {i + 1}" for i in sorted(repeated))
        run.flags.append(
            f"the notebook's own code wrote records for the cell(s) it ran {cells} (forged): "
            "the worse outcome is shown; check them in the notebook"
        )
    return run


def _take(record, line: str, run: Run, cell_count: int, expected: set, repeated: set) -> bool:
    """Add one parsed record to the run; False if it is not one the grader can use."""
    event = record.get("event") if isinstance(record, dict) else None
    if not isinstance(event, str):
        return False
    if event == "cell":
        index, status = record.get("index"), record.get("status")
        if not (isinstance(index, int) and 0 <= index < cell_count and status in CELL_STATUSES):
            return False
        if index in run.cells:
            # one record per cell is sent: a second one was written by the notebook's own
            # code (a cell hiding its error behind an "ok"); the worse outcome counts
            repeated.add(index)
            if SEVERITY[status] <= SEVERITY[run.cells[index]["status"]]:
                return False
        where = record.get("line")
        run.cells[index] = {
            "status": status,
            "ename": str(record.get("ename", ""))[:100],
            "evalue": str(record.get("evalue", ""))[:500],
            "line": where if isinstance(where, int) and 0 < where < 100_000 else None,
        }
        return index not in repeated
    if event == "answer":  # an answer line written other than the grader writes it
        check = record.get("check")
        if isinstance(check, str) and check in expected and check not in run.answers:
            run.answers[check] = line
            return True
        return False
    if event == "start":
        return True  # the worker times cells from these
    if event == "done":
        run.done = True
        run.uss_mib = _memory_figure(record.get("uss_mib"))
        return True
    return False


def _memory_figure(uss) -> float | None:
    """The memory a notebook's process reported, in MiB, or None for anything that is not a
    plausible figure (the line may be the notebook's own: a 400-digit integer must not raise)."""
    if not isinstance(uss, (int, float)) or isinstance(uss, bool):
        return None
    try:
        value = float(uss)
    except OverflowError:
        return None
    return value if 0 <= value < 10_000_000 else None


def answer_values(line: str | dict | None, check: str) -> dict | None:
    """One check's answer values from the line the notebook sent, parsed within bounds: too
    deep a nesting or more than MAX_PARSED_OBJECTS objects stops the parse (the student's
    oversized answer). Values already parsed (a dict) are taken as they are."""
    if line is None or isinstance(line, dict):
        return line
    count = 0

    def counted(pairs):
        nonlocal count
        count += 1
        if count > MAX_PARSED_OBJECTS:
            raise exchange.ExchangeError(f"too large: more than {exchange.MAX_ITEMS} items")
        return dict(pairs)

    try:
        record = exchange.loads(str(line), object_pairs_hook=counted)
    except exchange.ExchangeError as err:
        return {INVALID: str(err)}
    values = record.get("values") if isinstance(record, dict) else None
    if not isinstance(values, dict) or record.get("check") != check:
        return {INVALID: "not an answer the grader wrote"}
    if INVALID in values:
        return {INVALID: "could not be read"}
    return values


def answer_digests(values: dict | None) -> dict:
    """{name: a short digest of its value} (a folder's temporary path left out): what the
    grader keeps of a notebook's answers once they are checked, enough to compare two
    gradings of the same notebook."""
    import hashlib

    out = {}
    for name, value in (values or {}).items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in ("path", "resolved")}
        text = json.dumps(value, sort_keys=True, default=str)
        out[str(name)] = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
    return out


def grading_check(name: str):
    """The check the grader runs: the instructors' hidden check where there is one, else the
    students' check of that name."""
    from fournos_tools.grading.hidden_checks import CHECKS

    return CHECKS.get(name) or getattr(kit_checks, name, None)


def run_check(check: dict, values: dict | None, origin: str | None = None, model=None):
    """(outcome, message) for one manifest check given the exported answer values.
    `origin`: the folder the notebook ran in (folder answers must lie inside it); `model()`:
    the model answer's values for this check, asked for only when the check raises."""
    name = check["check"]
    func = grading_check(name)
    if not callable(func):
        return KIT_ERROR, f"The kit has no check called {name}: regenerate the exercises."
    if values is None:
        return NOT_RUN, "not run: an earlier cell may have stopped the notebook."
    if INVALID in values:
        return FAIL, (
            f"Your answer could not be read for checking: {str(values[INVALID])[:200]} "
            "(an invalid or oversized answer)."
        )
    with tempfile.TemporaryDirectory(prefix="fournos-answer-") as scratch:
        args = _arguments(check, values, Path(scratch), origin)
        if isinstance(args, tuple):
            return args
        previous = os.getcwd()
        os.chdir(scratch)  # a relative path in an answer must not reach the grader's files
        try:
            outcome = _call(func, args)
        finally:
            os.chdir(previous)
    if outcome[0] == KIT_ERROR and model is not None and _passes_on(check, model()):
        return FAIL, (
            "Your answer could not be checked: it is not shaped as the exercise asks "
            f"({outcome[2]}). Print it, compare it with what the exercise describes, and "
            "run the check in your notebook."
        )
    return outcome[:2]


def _arguments(check: dict, values: dict, scratch: Path, origin: str | None):
    """The check's arguments rebuilt, or the (outcome, message) that says why not."""
    args = []
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
            value = exchange.rebuild(data, scratch, origin=origin)
            if _a_path_on_this_machine(value):
                return FAIL, (
                    f"Your answer `{arg['name']}` is a full path ({str(value)[:120]!r}), which "
                    "would name a folder on the grader's machine, not your work: make your "
                    "copy with a relative name, such as fournos.copy_dataset('my_dataset')."
                )
            args.append(value)
        except exchange.ExchangeError as err:
            return FAIL, f"Your answer `{arg['name']}` could not be read for checking: {err}."
        except (MemoryError, RecursionError):
            return FAIL, f"Your answer `{arg['name']}` is too large to check."
    return args


def _a_path_on_this_machine(value) -> bool:
    """A plain string answer that is an absolute path: the checker runs on the grader's
    machine, so it would read the grader's files (folder answers arrive as their files)."""
    if not isinstance(value, str) or not value.strip():
        return False
    return value.startswith(("/", "~", "\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", value))


def _passes_on(check: dict, values: dict | None) -> bool:
    if not values:
        return False
    with tempfile.TemporaryDirectory(prefix="fournos-model-") as scratch:
        args = _arguments(check, values, Path(scratch), None)
        if isinstance(args, tuple):
            return False
        previous = os.getcwd()
        os.chdir(scratch)
        try:
            return _call(grading_check(check["check"]), args)[0] == PASS
        finally:
            os.chdir(previous)


def _call(func, args: list) -> tuple:
    """(outcome, message, error) from calling the check unwrapped, as the grader must."""
    if any(a is ... for a in args) or any(a is None for a in args):
        feedback = func(*args)  # the kit's own words for an unanswered or empty answer
        outcome = NOT_ANSWERED if any(a is ... for a in args) else FAIL
        return outcome, str(getattr(feedback, "message", "")), ""
    check = inspect.unwrap(func)
    try:
        feedback = check(*args)
    except DataError as err:  # the kit explaining a problem in the student's data
        return FAIL, str(err), ""
    except Exception as err:  # noqa: BLE001 - the kit's bug, or an answer of the wrong shape
        error = f"{type(err).__name__}: {str(err)[:200]}"
        return (
            KIT_ERROR,
            (
                f"The kit's check failed ({error}). This is a problem in the kit, not in your "
                "answer; your instructor will look at it."
            ),
            error,
        )
    correct, message = getattr(feedback, "correct", None), getattr(feedback, "message", None)
    if not isinstance(correct, bool) or not isinstance(message, str):
        return KIT_ERROR, "The kit's check returned no verdict. This is a problem in the kit.", ""
    return (PASS if correct else FAIL), message, ""


# ----- the checker: a process of its own, with a memory limit and no network ---------------

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def _offline() -> None:
    """Enter a new user and network namespace: no interface but a down loopback, so nothing
    a check does (a data package naming a remote profile) can reach the network."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return
    try:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        pass


class ModelAnswers:
    """The model answers' values, exported as a submission's are, from solutions/ (trusted
    code, run once per notebook and only when some check raised)."""

    def __init__(self, kit: Path):
        self.kit, self.cache = kit, {}

    def values(self, notebook: str, check: dict) -> dict | None:
        if notebook not in self.cache:
            self.cache[notebook] = self._run(notebook)
        namespace = self.cache[notebook]
        if namespace is None:
            return None
        out = {}
        for name in (a["name"] for a in check["args"] if "name" in a):
            value = namespace.get(name)
            if isinstance(value, _Exported):
                out[name] = dict(value)
            else:
                out[name] = exchange.export_names(namespace, [name])[name]
        return out

    def _run(self, notebook: str) -> dict | None:
        import contextlib
        import io

        import nbformat

        path = self.kit / "solutions" / f"{notebook}.ipynb"
        if not path.is_file():
            return None
        namespace: dict = {"__name__": "__main__"}
        previous = os.getcwd()
        with tempfile.TemporaryDirectory(prefix="fournos-model-") as scratch:
            os.chdir(scratch)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    for cell in nbformat.read(path, as_version=4).cells:
                        if cell.cell_type == "code":
                            exec(compile(cell.source, str(path), "exec"), namespace)  # noqa: S102
                # folder answers must outlive the scratch folder: export them now
                return {k: _frozen(v) for k, v in namespace.items()}
            except Exception:  # noqa: BLE001 - a broken solution: every raise stays the kit's
                return None
            finally:
                os.chdir(previous)


def _frozen(value):
    """A folder answer's files read now, while its folder exists."""
    if isinstance(value, (str, os.PathLike)) and exchange._names_a_folder(str(value)):
        return _Exported(exchange.export(value))
    if isinstance(value, os.PathLike) and Path(value).is_dir():
        return _Exported(exchange.export(value))
    return value


class _Exported(dict):
    pass


def check_notebook(entry: dict, answers: dict, origin: str | None, notebook: str, models):
    """{"verdicts": [(outcome, message)] for every check of one notebook's manifest entry,
    "digests": {check: answer_digests}}. `answers`: {check: the line the notebook sent}."""
    verdicts, digests = [], {}
    for check in entry["checks"]:
        name = check["check"]

        def model(check=check):
            return models.values(notebook, check)

        values = answer_values(answers.get(name), name)
        digests[name] = answer_digests(values)
        verdicts.append(list(run_check(check, values, origin, model)))
        del values  # one answer held at a time
    return {"verdicts": verdicts, "digests": digests}


class Checker:
    """The grader's side of the checker process: started once, restarted if a notebook's
    answers end it (a memory limit reached) or take longer than `seconds` to check (it is
    killed), which costs only that notebook's checks."""

    def __init__(
        self, kit: Path, log, bytecode: Path | None = None, seconds: float = CHECK_SECONDS
    ):
        self.kit, self.log, self.proc, self.bytecode = kit, log, None, bytecode
        self.seconds = seconds
        self.digests: dict = {}  # of the last notebook checked (see answer_digests)

    def start(self) -> None:
        import subprocess

        env = {**os.environ, "FOURNOS_KIT": str(self.kit)}
        if self.bytecode is not None:
            env["PYTHONPYCACHEPREFIX"] = str(self.bytecode)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fournos_tools.grading.checking", str(self.kit)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        if not self.proc.stdout.readline().strip():
            self.stop()
            raise RuntimeError("the checker did not start (see log.txt)")

    def check(self, notebook: str, entry: dict, answers: dict, origin: str | None) -> list:
        """[(outcome, message)] per check; a checker that dies says so for this notebook.
        `answers`: {check: the answer line the notebook sent (or its values, parsed)}; the
        digests of what the checker read are left in self.digests."""
        self.digests = {}
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        request = {"notebook": notebook, "entry": entry, "answers": answers, "origin": origin}
        message = (
            "Your answers were too large to check: checking them used more memory than "
            "the grader allows (an invalid or oversized answer)."
        )
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], self.seconds)
            if not ready:  # an answer built to be slow to rebuild or check: this row only
                message = (
                    f"Your answers took longer than {self.seconds:g} s to check, so they were "
                    "not checked (an answer built to be slow, or far larger than asked)."
                )
                reply = None
            else:
                reply = json.loads(self.proc.stdout.readline() or "null")
        except (OSError, ValueError):
            reply = None
        verdicts = reply.get("verdicts") if isinstance(reply, dict) else None
        if not isinstance(verdicts, list) or len(verdicts) != len(entry["checks"]):
            self.stop()
            return [(FAIL, message) for _ in entry["checks"]]
        digests = reply.get("digests")
        self.digests = digests if isinstance(digests, dict) else {}
        return [(str(o), str(m)) for o, m in verdicts]

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        self.proc = None


def serve(kit: Path) -> None:
    """The checker's loop: one request a line on stdin ({"entry", "answers", "origin",
    "notebook"}), one reply a line ([[outcome, message], ...])."""
    import resource

    _offline()
    limit = CHECKER_MEMORY_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything a check prints goes to the log, not the protocol
    models = ModelAnswers(kit)
    out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = check_notebook(
                request["entry"], request["answers"], request["origin"], request["notebook"], models
            )
        except MemoryError:
            reply = {"error": "memory"}
        out.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
