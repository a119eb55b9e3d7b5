"""Batch-check submitted exercise notebooks: `make grade SUBMISSIONS=folder`.

Each notebook runs in a fresh kernel on an in-memory copy (the submission file is only read),
in parallel over the machine's cores, with a time limit. The check functions report their
results through $FOURNOS_GRADE_LOG. Writes grades.csv (one row per student file, one column
per check, pass/fail, and a total) and one short feedback file per student. A notebook that is
broken, half-finished or too slow is reported, never fatal. A notebook whose code touches the
grading log or redefines a check is flagged for the instructor to look at, since a student's
code runs in the same kernel as the checks and could write its own results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from tqdm import tqdm

UNREADABLE = "could not be read"
# code a student has no reason to write: touching the grading log, or replacing a check
SUSPICIOUS = re.compile(r"FOURNOS_GRADE_LOG|_record\b|def\s+check_\w+|check_\w+\s*=[^=]")


def grade_one(path: Path, timeout: int = 60) -> dict:
    """Run one submission; return {'file', 'status', 'checks': {name: (correct, message)},
    'expected': [check names], 'first_error': str, 'flag': str}."""
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
    except Exception as err:  # noqa: BLE001 - any unreadable file is a finding, not a crash
        return {**result, "status": f"{UNREADABLE} ({type(err).__name__})"}
    if any(SUSPICIOUS.search(c.source) for c in notebook.cells if c.cell_type == "code"):
        result["flag"] = "review: code touches the grading log or redefines a check"
    # the checks this notebook asks for: any that did not report back are "not run"
    result["expected"] = sorted(
        {
            name
            for cell in notebook.cells
            if cell.cell_type == "code"
            for name in re.findall(r"\b(check_\w+)\(", cell.source)
        }
    )
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
            client.execute()
        except (CellTimeoutError, TimeoutError):
            result["status"] = f"stopped: a cell ran longer than {timeout} s"
        except (DeadKernelError, CellExecutionError, RuntimeError) as err:
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
                return (
                    f"the cell starting `{first_line.strip()[:60]}`: "
                    f"{output.get('ename')}: {output.get('evalue')}"
                )
    return ""


def grade(
    submissions: Path, out: Path, timeout: int = 60, workers: int | None = None
) -> pd.DataFrame:
    """Grade every .ipynb under `submissions`; write grades.csv and feedback/ into `out`."""
    files = sorted(p for p in submissions.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    feedback = out / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    for old in feedback.glob("*.md"):  # feedback from an earlier run must not linger
        old.unlink()
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        results = list(
            tqdm(
                pool.map(grade_one, files, [timeout] * len(files)),
                total=len(files),
                desc="grading",
                unit="notebook",
            )
        )
    rows = []
    for r in results:
        row = {
            "file": str(Path(r["file"]).relative_to(submissions)),
            "status": r["status"],
            "passed": sum(ok for ok, _ in r["checks"].values()),
            "checks": max(len(r["expected"]), len(r["checks"])),
            "flag": r["flag"],
        }
        row.update({name: "not run" for name in r["expected"]})
        row.update({name: "pass" if ok else "fail" for name, (ok, _) in r["checks"].items()})
        rows.append(row)
        _write_feedback(feedback, row["file"], r)
    table = pd.DataFrame(rows)
    checks = sorted(c for c in table.columns if c.startswith("check_"))
    table = table[["file", "status", "passed", "checks", "flag", *checks]].fillna("")
    table.to_csv(out / "grades.csv", index=False)
    return table


def _write_feedback(folder: Path, name: str, result: dict) -> None:
    lines = [f"# Feedback: {name}", "", f"Notebook: {result['status']}.", ""]
    if result["status"].startswith(UNREADABLE):
        lines.append(
            "This file is not a valid notebook: it may be damaged or only partly saved. "
            "Open your notebook in JupyterLab, save it, download it again "
            "(File → Download) and resubmit."
        )
    elif not result["checks"]:
        lines.append("No checks ran: run every cell, including the check cells, and submit again.")
    if result["first_error"]:
        lines += [f"The first error was in {result['first_error']}.", ""]
    for check, (ok, message) in sorted(result["checks"].items()):
        lines.append(f"- {'✔' if ok else '✘'} `{check}`: {message}")
    for check in sorted(set(result["expected"]) - set(result["checks"])):
        lines.append(f"- ✘ `{check}`: not run. An earlier cell may have stopped with an error.")
    safe = name.replace("/", "__").removesuffix(".ipynb")
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
    print(f"Graded {len(table)} notebooks: {args.out / 'grades.csv'} and {args.out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
