"""`make bench`: how fast and how big the kit is, as a markdown report.

Measures, in one run on this machine:
- the floor: a fresh kernel that imports pandas, plotly.express and ipywidgets (median of 3);
- each notebook's execution time in a fresh kernel, and its ratio to the floor;
- the notebook suite as `make test` runs it (strict nbval, 2 workers) against the goal
  1.5 x (floor x notebooks) / 2 cores + 10 s;
- the whole `make test`, the site build, every notebook's file size and the repository size.
Writes test-output/bench.md and prints it. Timing lives here, never in the tests.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    p
    for folder in ["notebooks", "solutions", "exercises"]
    for p in sorted((ROOT / folder).glob("*.ipynb"))
]
GOAL_KB = 300


def run_seconds(notebook: nbformat.NotebookNode, cwd: Path) -> float:
    started = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    return time.perf_counter() - started


def floor_seconds() -> float:
    cell = nbformat.v4.new_code_cell("import pandas, plotly.express, ipywidgets")
    return statistics.median(
        run_seconds(nbformat.v4.new_notebook(cells=[cell]), ROOT) for _ in range(3)
    )


def timed(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, capture_output=True, check=False).returncode
    return time.perf_counter() - started, code


def main() -> int:
    floor = floor_seconds()
    rows = []
    for path in NOTEBOOKS:
        seconds = run_seconds(nbformat.read(path, as_version=4), path.parent)
        rows.append((path.relative_to(ROOT), seconds, path.stat().st_size / 1024))
    python = sys.executable
    suite, suite_code = timed(
        [
            python,
            "-m",
            "pytest",
            "-q",
            "-n",
            "2",
            "--dist",
            "loadscope",
            "notebooks",
            "solutions",
            "exercises",
        ]
    )
    everything, all_code = timed([python, "-m", "pytest", "-q", "-n", "2", "--dist", "loadscope"])
    site, site_code = timed([python, "-m", "fournos_tools.site"])
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    repo_mb = (
        sum(
            (ROOT / f).stat().st_size
            for f in tracked.stdout.decode().split("\0")
            if f and (ROOT / f).exists()
        )
        / 1e6
    )
    goal = 1.5 * floor * len(NOTEBOOKS) / 2 + 10

    lines = [
        "# Benchmark report",
        "",
        f"Floor (fresh kernel importing pandas, plotly.express, ipywidgets): **{floor:.2f} s**",
        "",
        "| notebook | run (s) | ratio to floor | size (KB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| `{p}` | {s:.2f} | {s / floor:.2f} | {kb:.0f}{' ⚠' if kb > GOAL_KB else ''} |"
        for p, s, kb in rows
    ]

    def failed(code: int) -> str:
        return "" if code == 0 else " (FAILED)"

    suite_goal = f"≤ {goal:.1f} s (1.5 × floor × {len(NOTEBOOKS)} notebooks / 2 cores + 10 s)"
    lines += [
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        f"| notebook suite, strict nbval, 2 workers | {suite:.1f} s{failed(suite_code)} | {suite_goal} |",
        f"| whole `make test` (data, library, notebooks, browser) | {everything:.1f} s{failed(all_code)} | |",
        f"| `make site` | {site:.1f} s{failed(site_code)} | |",
        f"| largest notebook | {max(kb for *_, kb in rows):.0f} KB | ≤ {GOAL_KB} KB |",
        f"| repository (tracked files) | {repo_mb:.1f} MB | |",
    ]
    report = "\n".join(lines) + "\n"
    out = ROOT / "test-output" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
