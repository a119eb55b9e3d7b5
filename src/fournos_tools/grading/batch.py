"""Grade a folder of submitted exercise notebooks: `python -m fournos grade SUBMISSIONS`.

What to expect comes from exercises/manifest.json, never from a submission. Each notebook
runs in a sandbox (bubblewrap) in a forked, pre-imported Python (or, with --engine kernel,
a Jupyter kernel); its answers come back as plain data and the kit's checks run here, in
the grader's own process. One notebook's failure is one row's status. Results are written
into a temporary folder that replaces grading-results/<assignment>/ only when complete.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from fournos.kit import current_kit
from fournos_tools.grading import (
    bytecode,
    checking,
    manifest,
    outputs,
    progress,
    runner,
    sandbox,
    submission,
)
from fournos_tools.lms import BLANK_SCORED

ADVICE = {
    submission.UNREADABLE: (
        "This file is not a valid notebook: it may be damaged or only partly saved. Open your "
        "notebook in JupyterLab, save it, download it again (File → Download) and resubmit."
    ),
    submission.LINKED: (
        "Submissions are files, not links: this is a symbolic link (to a file or folder "
        "somewhere else), so it was not graded. Submit the notebook file itself."
    ),
    submission.NOT_A_FILE: (
        "This is not a notebook file but a special file (a named pipe, socket or device), "
        "so it was not graded. Submit the notebook file itself."
    ),
    submission.TOO_MUCH_CODE: (
        "This notebook holds far more code than the exercise needs (the exercise's own cells "
        "hold a few thousand characters), so it was not graded. Remove the pasted or generated "
        "code, keep your answers, and resubmit."
    ),
    submission.UNKNOWN_NOTEBOOK: (
        "This file is not one of the kit's exercise notebooks (its name and its cells match "
        "none of them). Submit your copy of the exercise notebook itself."
    ),
}
NOT_FOUND = "answer not found by the grader: read it in the notebook and mark it"
RELIED_ON = (
    "Grading runs your code without JupyterLab: widgets, input() and displayed output are "
    "not available there, so only the answer values count."
)


def find(submissions: Path) -> list[Path]:
    """Every notebook under `submissions`, linked ones included (they are refused later,
    with a row that says so); a linked folder is looked into but never followed out."""
    found = []
    for folder, dirs, files in os.walk(submissions, followlinks=False):
        here = Path(folder)
        if ".ipynb_checkpoints" in here.parts:
            continue
        found += [here / d for d in dirs if (here / d).is_symlink()]  # refused, with a row
        found += [here / f for f in files if f.lower().endswith(".ipynb")]
    return sorted(found)


def _status(sub, outcome, run, job) -> str:
    end = outcome.end
    if end.get("reason") == "worker":
        return "stopped: the notebook stopped the grading worker (a fresh one took over)"
    if end.get("reason") == "start":
        return "not graded: the grading worker could not start (see log.txt)"
    if end.get("reason") == "deadline":
        return f"stopped: the notebook ran longer than {job['deadline']:g} s in total"
    if end.get("reason") == "output":
        return "stopped: the notebook sent back too much data"
    if any(c["status"] == "timeout" for c in run.cells.values()):
        return f"stopped: a cell ran longer than {job['cell_timeout']:g} s"
    if not run.done:
        return "stopped: the kernel died"
    if any(c["status"] == "error" for c in run.cells.values()):
        return "ran, with errors in some cells"
    return "ran"


def _error_text(sub, index: int, record: dict) -> str:
    """ "KeyError: 'x' (line 2 of the cell starting `gaps = …`)"."""
    lines = [ln.strip() for ln in sub.cells[index].splitlines()]
    first = next((ln for ln in lines if ln and not ln.startswith("#")), "")
    error = ": ".join(p for p in (record["ename"], record["evalue"]) if p)
    where = f"line {record['line']} of " if record.get("line") else ""
    return f"{error} ({where}the cell starting `{first[:60]}`)"


def _errors(sub, run) -> list[str]:
    """Every error in the notebook, in order."""
    return [
        _error_text(sub, index, run.cells[index])
        for index in sorted(run.cells)
        if run.cells[index]["status"] == "error"
    ]


def _answer_cell_error(sub, run, check: dict) -> str:
    """The error of a cell that computes this check's answer (between the previous check's
    export and this one's), if one stopped with an error."""
    exports = {e["check"]: e["after"] for e in sub.exports}
    after = exports.get(check["check"], -1)
    before = max([a for a in exports.values() if a < after], default=-1)
    for index in range(before + 1, after + 1):
        record = run.cells.get(index)
        if record and record["status"] == "error":
            return _error_text(sub, index, record)
    return ""


def _result(sub, entry, outcome=None, job=None, checker=None) -> dict:
    result = {
        "submission": sub.relative,
        "notebook": sub.notebook,
        "status": sub.status,
        "checks": [],
        "points": 0,
        "out_of": 0,
        "flags": list(sub.flags),
        "written": sub.written,
        "first_error": "",
        "errors": [],
        "cells": {},
        "answers": {},
        "uss_mib": None,
        "seconds": 0.0,
    }
    _score_blank_written(result, entry)
    if sub.status:
        result["advice"] = ADVICE.get(sub.status, "")
        return result
    expected = {c["check"] for c in entry["checks"]}
    run = checking.parse(outcome.lines, len(sub.cells), expected)
    result.update(
        status=_status(sub, outcome, run, job),
        cells=run.cells,
        uss_mib=run.uss_mib,
        seconds=outcome.seconds,
        errors=_errors(sub, run),
    )
    result["first_error"] = result["errors"][0] if result["errors"] else ""
    result["flags"] += run.flags
    if result["status"].startswith("stopped"):
        result["advice"] = "The notebook stopped before its end, so later checks could not run."
    origin = "/tmp/work" if job.get("sandboxed") else job["scratch"]
    verdicts = checker.check(sub.notebook, entry, run.answers, origin)
    # the answers themselves are dropped once checked (up to 32 MB a notebook): only their
    # digests stay, to compare two gradings
    result["answers"] = checker.digests
    run.answers.clear()
    for check, (verdict, message) in zip(entry["checks"], verdicts):
        if verdict in (checking.NOT_ANSWERED, checking.NOT_RUN) and (
            error := _answer_cell_error(sub, run, check)
        ):
            verdict = checking.FAIL
            message = (
                f"Your answer cell stopped with an error: {error}. Fix that error, run "
                "the cell again, then run the check."
            )
        result["checks"].append(
            {
                "check": check["check"],
                "exercise": check.get("exercise"),
                "outcome": verdict,
                "message": message,
            }
        )
        result["out_of"] += check["points"]
        result["points"] += check["points"] if verdict == checking.PASS else 0
    if any(c["outcome"] == checking.KIT_ERROR for c in result["checks"]):
        result["flags"].append("a kit check failed: see the feedback (not the student's fault)")
    if any(s in source for source in sub.cells for s in ("interact(", "input(", "widgets.")):
        result["relied_on"] = RELIED_ON
    return result


def _score_blank_written(result: dict, entry: dict | None) -> None:
    """Each written answer's maximum from the contract; a blank one is scored 0, with a note."""
    points = {w["question"]: w.get("points") for w in (entry or {}).get("written", [])}
    for w in result["written"]:
        w["out_of"] = points.get(w["question"])
        if not w.get("found", True):  # not blank: not found, so the instructor reads it
            w["comment"] = NOT_FOUND
        elif not w["words"]:
            w["points"], w["comment"] = 0, BLANK_SCORED


def grade(
    submissions: Path,
    out: Path | None = None,
    timeout: float = 60,
    workers: int | None = None,
    engine: str = "fork",
    unsafe: bool = False,
    notebook_timeout: float = 300,
    memory_mb: int = 2048,
    notebook: str | None = None,
    contract: Path | None = None,
    quiet: bool = False,
    kit: Path | None = None,
) -> list[dict]:
    """Grade every .ipynb under `submissions`; write the results into `out` (by default
    grading-results/<assignment>/). Returns one result dict per submission; [] if none.
    `kit`: the kit whose contract, checks and code grade them (by default the one this process
    works in, `fournos.kit.current_kit()`); `contract`: its exercises/manifest.json."""
    kit = kit or current_kit()
    contract = contract or kit / "exercises" / "manifest.json"
    files = find(submissions)
    if not files:
        return []
    plan = manifest.load(contract)
    subs = [submission.read(p, submissions, plan, notebook) for p in files]
    jobs, scratch_root = [], Path(tempfile.mkdtemp(prefix="fournos-grade-"))
    for i, sub in enumerate(subs):
        if not sub.status:
            jobs.append(
                {
                    "job": i,
                    "cells": sub.cells,
                    "exports": sub.exports,
                    "cell_timeout": timeout,
                    "deadline": notebook_timeout,
                    "scratch": str(scratch_root / str(i)),
                    "sandboxed": not unsafe,
                }
            )
    exercises = sorted({s.notebook for s in subs if s.notebook})
    per_exercise = out is None and len(exercises) > 1  # one results folder for each
    if out is None:  # (several exercises: the run's working folder, never kept)
        out = Path("grading-results") / (exercises[0] if len(exercises) == 1 else submissions.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    earlier = progress.clear_abandoned(out)
    for sentence in earlier:
        print(sentence, file=sys.stderr)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tracker = progress.Progress(
        staging, scratch_root, {j["job"]: subs[j["job"]].relative for j in jobs}
    )
    compiled = bytecode.fill(kit)
    argv = runner.worker_argv(kit, engine, memory_mb, safe=not unsafe, bytecode=compiled)
    worker_env = {"PYTHONPYCACHEPREFIX": str(compiled)} if compiled else None
    bar = None
    if not quiet:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc=f"grading ({engine})", unit="notebook")
    by_job = {job["job"]: job for job in jobs}
    results = [None] * len(subs)
    log = open(staging / "log.txt", "ab")  # noqa: SIM115 - closed below, after the checker
    log.write("".join(f"{sentence}\n" for sentence in earlier).encode())
    log.flush()
    checker = checking.Checker(kit, log, compiled)
    current = None
    try:
        # answers are checked as each notebook comes back, while the next ones run
        runs = runner.run_all(
            jobs,
            argv,
            workers or os.cpu_count() or 1,
            staging / "log.txt",
            worker_env,
            on_start=tracker.starting,
        )
        for i, outcome in runs:
            tracker.finished(i)
            current = subs[i].relative
            results[i] = _contained(subs[i], plan, outcome, by_job[i], staging / "log.txt", checker)
            if bar:
                bar.update()
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)  # the old results stay as they were
        if current and not isinstance(err, KeyboardInterrupt):
            print(f"Grading stopped after {current}: {err}", file=sys.stderr)
        raise
    finally:
        checker.stop()
        log.close()
        if bar:
            bar.close()
        shutil.rmtree(scratch_root, ignore_errors=True)
    for i, sub in enumerate(subs):
        if results[i] is None:  # could not be graded at all: its status says why
            results[i] = _result(sub, None)
    _flag_copies(results, plan, kit)
    if per_exercise:
        return _write_per_exercise(staging, results, plan, out.parent, exercises)
    try:
        _write(staging, results, plan, out / "marking-sheet.csv")
        (staging / progress.FILE).unlink()
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # the old results stay as they were
        raise
    for r in results:
        r["out"] = out
    return results


def _write_per_exercise(
    staging: Path, results: list[dict], plan: dict, parent: Path, exercises: list[str]
) -> list[dict]:
    """A run over a folder holding several exercises: each exercise's results in its own
    folder, parent/<exercise notebook>/, with its own report and marking sheet (the marks typed
    in that folder's last sheet kept), as if graded alone. A file the grader could not tie to
    an exercise (unreadable, refused) is listed in every one of them. Every folder is written
    before any is replaced."""
    ready = []
    try:
        for name in exercises:
            rows = [r for r in results if r["notebook"] in (name, "")]
            folder = parent / name
            stage = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
            ready.append((stage, folder))
            shutil.copy2(staging / "log.txt", stage / "log.txt")
            _write(stage, rows, plan, folder / "marking-sheet.csv")
            for r in rows:
                r.setdefault("out", folder)
        for stage, folder in ready:
            _replace(stage, folder)
    except BaseException:
        for stage, _ in ready:
            shutil.rmtree(stage, ignore_errors=True)  # the old results stay as they were
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return results


def _contained(sub, plan, outcome, job, log: Path, checker) -> dict:
    """The result of one notebook; a failure of the grader itself costs only this row."""
    try:
        return _result(sub, plan["notebooks"][sub.notebook], outcome, job, checker)
    except Exception:  # noqa: BLE001 - whatever it was, it must not end the class's run
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"grading {sub.relative} failed:\n{traceback.format_exc()}\n")
        sub.status = "not graded: the grader failed on this notebook (see log.txt)"
        return _result(sub, None)


COPY_MIN_WORDS = 20  # shorter answers can match by chance


def _flag_copies(results: list[dict], plan: dict, kit: Path) -> None:
    """Flag written answers that are the solutions' model answer, or the same as another
    submission's: the instructor decides what it means, the grader only points at it."""
    seen: dict[tuple[str, str, str], list[dict]] = {}
    models: dict[str, dict[str, str]] = {}
    for r in results:
        name = r["notebook"]
        if name and name not in models:
            solution = kit / "solutions" / f"{name}.ipynb"
            model = (
                submission.read(solution, solution.parent, plan, name)
                if solution.is_file()
                else None
            )
            models[name] = {
                w["question"]: _same(w["text"]) for w in (model.written if model else [])
            }
        for w in r["written"]:
            if w["words"] < COPY_MIN_WORDS:
                continue
            text = _same(w["text"])
            if text == models.get(name, {}).get(w["question"]):
                r["flags"].append(f"written answer {w['question']} is the solutions' model answer")
            seen.setdefault((name, w["question"], text), []).append(r)
    for (_, question, _), same in seen.items():
        for r in same if len(same) > 1 else []:
            others = ", ".join(o["submission"] for o in same if o is not r)
            r["flags"].append(f"written answer {question} is word for word the same as {others}")


def _same(text: str) -> str:
    """Text compared for copying: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def _write(folder: Path, results: list[dict], plan: dict, previous: Path | None = None) -> None:
    present = {r["notebook"] for r in results}
    check_names = list(
        dict.fromkeys(
            c["check"]
            for name, entry in plan["notebooks"].items()
            if name in present
            for c in entry["checks"]
        )
    )
    names = outputs.feedback_names([r["submission"] for r in results])
    (folder / "feedback").mkdir()
    rows, sheet = [], []
    for r in results:
        r["feedback_file"] = f"feedback/{names[r['submission']]}"
        outputs.write_feedback(folder / r["feedback_file"], r)
        row = {k: r[k] for k in ("submission", "notebook", "status", "points", "out_of")}
        row.update({f"check:{c['check']}": c["outcome"] for c in r["checks"]})
        row["written_answered"] = sum(1 for w in r["written"] if w["words"])
        row["written_words"] = sum(w["words"] for w in r["written"])
        row["flags"] = "; ".join(r["flags"])
        row["feedback_file"] = r["feedback_file"]
        rows.append(row)
        for w in r["written"]:
            sheet.append(
                {
                    "submission": r["submission"],
                    "notebook": r["notebook"],
                    "question": w["question"],
                    "words": w["words"],
                    "answer_text": outputs.sheet_text(w["text"]),
                    "points": w.get("points", ""),
                    "out_of": w.get("out_of") if w.get("out_of") is not None else "",
                    "comment": w.get("comment", ""),
                }
            )
    columns = outputs.GRADE_COLUMNS + [f"check:{c}" for c in check_names] + outputs.TAIL_COLUMNS
    outputs.write_csv(folder / "grades.csv", columns, rows)
    if previous is not None and previous.is_file():
        kept, changed = outputs.carry_hand_marks(sheet, previous)
        note = f"Kept {kept} mark{'s' * (kept != 1)} you typed in the last marking sheet"
        if changed:
            note += f"; {changed} answer{'s' * (changed != 1)} changed since you marked them"
        older = previous.with_name("marking-sheet.previous.csv")
        backup = previous
        if older.is_file() and _typed_marks(older) > _typed_marks(previous):
            backup = older  # never replace a backup by a sheet with fewer marks in it
            note += (
                ". The last sheet had fewer typed marks than marking-sheet.previous.csv, so "
                "that older sheet is kept instead"
            )
        else:
            note += ". The last sheet is kept as marking-sheet.previous.csv"
        shutil.copy2(backup, folder / "marking-sheet.previous.csv")
        print(f"{note}.", file=sys.stderr)
    outputs.write_csv(folder / "marking-sheet.csv", outputs.SHEET_COLUMNS, sheet)
    outputs.write_report(folder, results, check_names)


def _typed_marks(sheet: Path) -> int:
    """Marks typed in a sheet; 0 for one that cannot be read (no mark in it can be used)."""
    try:
        return outputs.typed_marks(outputs.read_sheet(sheet))
    except (OSError, csv.Error):
        return 0


def _replace(staging: Path, out: Path) -> None:
    """Swap the finished results in: the old folder is moved aside, never mixed with new."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos grade", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="results folder (default: grading-results/<assignment>)",
    )
    parser.add_argument(
        "--notebook",
        default=None,
        help="grade every file as this exercise notebook, e.g. ex01_themes_and_words",
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds allowed per cell")
    parser.add_argument(
        "--notebook-timeout", type=float, default=300, help="seconds allowed per notebook in total"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=2048, help="address space allowed per notebook, in MiB"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="parallel workers (default: cores)"
    )
    parser.add_argument(
        "--engine",
        choices=["fork", "kernel"],
        default="fork",
        help="fork: one pre-imported Python forked per notebook (fast); "
        "kernel: a Jupyter kernel per notebook (the fallback)",
    )
    parser.add_argument(
        "--unsafe", action="store_true", help="grade without a sandbox (read what this means first)"
    )
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"No folder called {args.submissions}: give the folder of submitted notebooks.")
        return 2
    if not find(args.submissions):
        print(f"No notebooks (.ipynb files) in {args.submissions}: nothing was graded or changed.")
        return 2
    if os.name == "nt":
        print(
            "Batch grading needs Linux (with bubblewrap), or macOS with --unsafe: on Windows, "
            "run it in WSL (Windows Subsystem for Linux), where bubblewrap installs."
        )
        return 2
    if not args.unsafe and (why := sandbox.problem()):
        print(f"Grading refused: {why}.\n\n{sandbox.UNSAFE_EXPLAINED}")
        return 2
    if args.unsafe:
        print(f"Grading WITHOUT a sandbox (--unsafe).\n\n{sandbox.UNSAFE_EXPLAINED}\n")
    try:
        results = grade(
            args.submissions,
            args.out,
            args.timeout,
            args.workers,
            args.engine,
            args.unsafe,
            args.notebook_timeout,
            args.memory_mb,
            args.notebook,
        )
    except outputs.SheetError as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 1
    folders = list(dict.fromkeys(r["out"] for r in results))
    print(f"Graded {len(results)} notebooks.")
    for out in folders:
        print(
            f"{out.name}: {out / 'grades.csv'}, {out / 'marking-sheet.csv'}, "
            f"{out / 'report.html'} and {out / 'feedback'}/"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
