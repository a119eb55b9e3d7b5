"""Batch-check submitted exercise notebooks: `make grade SUBMISSIONS=folder`.

Each notebook runs in a fresh kernel on an in-memory copy (the submission file is only read),
in parallel over the machine's cores, with a time limit per cell. The check functions report
their results through $FOURNOS_GRADE_LOG. Writes grades.csv (one row per student file, one
column per check, a total) and one short feedback file per student. A notebook that is
broken, half-finished or too slow is reported, never fatal. A notebook whose code touches the
grading log or redefines a check is flagged for the instructor to look at, since a student's
code runs in the same kernel as the checks and could write its own results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from tqdm import tqdm

from fournos import checks

CHECKS = sorted(name for name in dir(checks) if name.startswith("check_"))
UNREADABLE = "could not be read: not a valid notebook file"
NOT_ANSWERED = "Not answered yet"  # how a check begins its message for an untouched `...`
# code a student has no reason to write: touching the grading log, or replacing a check
# (defining or assigning one of the kit's check names; calling one is of course fine)
SUSPICIOUS = re.compile(
    r"FOURNOS_GRADE_LOG|\b_record\b|^\s*def\s+(?:{0})\b|(?:^\s*|\.)(?:{0})\s*=[^=]".format(
        "|".join(CHECKS)
    ),
    re.MULTILINE,
)
COLUMNS = ["file", "status", "passed", "out_of", "flag"]


def grade_one(path: Path, timeout: int = 60) -> dict:
    """Run one submission; return {'file', 'status', 'checks': {name: (correct, message)},
    'expected': [check names in notebook order], 'first_error': str, 'flag': str}."""
    result = {
        "file": str(path),
        "status": "ran",
        "checks": {},
        "expected": [],
        "first_error": "",
        "flag": "",
    }
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is a finding, not a crash
        return {**result, "status": UNREADABLE}
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    if any(SUSPICIOUS.search(source) for source in code):
        result["flag"] = "review: code touches the grading log or redefines a check"
    # the checks this notebook asks for, in order: any that did not report back are "not run"
    calls = (name for source in code for name in re.findall(r"\b(check_\w+)\(", source))
    result["expected"] = [name for name in dict.fromkeys(calls) if name in CHECKS]
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "checks.jsonl"
        setup = f"import os\nos.environ['FOURNOS_GRADE_LOG'] = {str(log)!r}"
        notebook.cells.insert(0, nbformat.v4.new_code_cell(setup))
        client = NotebookClient(
            notebook,
            timeout=timeout,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": scratch}},
        )
        try:
            # the kernels' start-up warnings would bury the progress bar
            client.execute(stderr=subprocess.DEVNULL)
        except (CellTimeoutError, TimeoutError):
            result["status"] = f"stopped: a cell ran longer than {timeout} s"
        except DeadKernelError:
            result["status"] = "stopped: the kernel died (the notebook may use too much memory)"
        except (CellExecutionError, RuntimeError) as err:
            result["status"] = f"stopped: {type(err).__name__}"
        result["first_error"] = _first_error(notebook.cells[1:])
        if result["status"] == "ran" and result["first_error"]:
            result["status"] = "ran, with errors in some cells"
        if log.exists():
            for line in log.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                result["checks"][record["check"]] = (record["correct"], record["message"])
    return result


def _first_error(cells) -> str:
    """Where the first error happened, named by the cell's first line (cells have no numbers
    a student can see), e.g. "the cell starting `x = 1`: NameError: ...", or ''."""
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # the first line of code, as a student sees it (not a comment or a marker)
                lines = [ln.strip() for ln in cell.source.splitlines()]
                first_line = next((ln for ln in lines if ln and not ln.startswith("#")), "")
                error = ": ".join(p for p in [output.get("ename"), output.get("evalue")] if p)
                return f"the cell starting `{first_line[:60]}`: {error}"
    return ""


def _outcome(ok: bool, message: str) -> str:
    if ok:
        return "pass"
    return "not answered" if message.startswith(NOT_ANSWERED) else "fail"


def grade(
    submissions: Path, out: Path, timeout: int = 60, workers: int | None = None
) -> pd.DataFrame:
    """Grade every .ipynb under `submissions`; write grades.csv and feedback/ into `out`.
    With no notebooks to grade, nothing is written and the table is empty."""
    files = sorted(p for p in submissions.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not files:
        return pd.DataFrame(columns=COLUMNS)
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        results = list(
            tqdm(
                pool.map(grade_one, files, [timeout] * len(files)),
                total=len(files),
                desc="grading",
                unit="notebook",
            )
        )
    feedback = out / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    for old in feedback.glob("*.md"):  # feedback from an earlier run must not linger
        old.unlink()
    rows = []
    for r in results:
        row = {
            "file": str(Path(r["file"]).relative_to(submissions)),
            "status": r["status"],
            "passed": sum(ok for ok, _ in r["checks"].values()),
            "out_of": len(set(r["expected"]) | set(r["checks"])),
            "flag": r["flag"],
        }
        row.update({name: "not run" for name in r["expected"]})
        row.update({name: _outcome(ok, msg) for name, (ok, msg) in r["checks"].items()})
        rows.append(row)
        _write_feedback(feedback, row, r)
    table = pd.DataFrame(rows)
    columns = sorted((c for c in CHECKS if c in table.columns), key=_exercise)
    table = table[COLUMNS + columns].fillna("")
    table.to_csv(out / "grades.csv", index=False)
    return table


def _exercise(check: str) -> str:
    """'Exercise 2.1' for check_formulations, from the first words of its docstring."""
    doc = getattr(checks, check).__doc__ or ""
    return doc.split(":")[0] if doc.startswith("Exercise") else check


def _write_feedback(folder: Path, row: dict, result: dict) -> None:
    lines = [f"# Feedback: {row['file']}", "", f"Notebook: {result['status']}."]
    if result["status"] == UNREADABLE:
        lines.append(
            "\nThis file is not a valid notebook: it may be damaged or only partly saved. "
            "Open your notebook in JupyterLab, save it, download it again "
            "(File → Download) and resubmit."
        )
    elif result["status"].startswith("stopped"):
        lines.append("\nThe notebook stopped before its end, so later checks could not run.")
    elif not result["checks"]:
        lines.append(
            "\nNo checks ran: run every cell, including the check cells, and submit again."
        )
    if result["first_error"]:
        lines += ["", f"The first error was in {result['first_error']}."]
    lines.append("")
    order = list(dict.fromkeys(result["expected"] + sorted(result["checks"])))
    for check in order:
        if check in result["checks"]:
            ok, message = result["checks"][check]
            lines.append(f"- {'✔' if ok else '✘'} {_exercise(check)} (`{check}`): {message}")
        else:
            lines.append(
                f"- ✘ {_exercise(check)} (`{check}`): not run. "
                "An earlier cell may have stopped with an error."
            )
    if order:
        total = f"{row['passed']} of {row['out_of']} checks passed."
        lines += ["", f"{total} Your written answers are read separately by your instructor."]
    safe = row["file"].replace("/", "__").removesuffix(".ipynb")
    (folder / f"{safe}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--out", type=Path, default=Path("grading-results"))
    parser.add_argument("--timeout", type=int, default=60, help="seconds allowed per cell")
    parser.add_argument(
        "--workers", type=int, default=None, help="parallel kernels (default: cores)"
    )
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"No folder called {args.submissions}: give the folder of submitted notebooks.")
        return 2
    table = grade(args.submissions, args.out, args.timeout, args.workers)
    if table.empty:
        print(f"No notebooks (.ipynb files) in {args.submissions}: nothing was graded or changed.")
        return 2
    print(f"Graded {len(table)} notebooks: {args.out / 'grades.csv'} and {args.out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
