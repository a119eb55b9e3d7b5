"""Red team 4, R4-3 and R4-4: one notebook cannot take the grading machine's memory or CPU
from the notebooks graded beside it.

- R4-3: the memory limit is per process (RLIMIT_AS) and a notebook may start many processes:
  the hog starts five children that each fill 400 MiB (2000 MiB under a limit of 512 MiB
  per process). Its worker's memory cgroup bounds them together.
- R4-4: a notebook that starts processes in sessions of their own took a share of the CPU
  per session from every other notebook (the kernel shares the CPU between sessions); each
  worker now runs in a CPU cgroup of its own, so that every process a notebook starts counts
  against its worker's one share. Checked on a live worker: a process the notebook started in
  a new session is in its worker's CPU group.
Both need cgroups this user may make (root, or a delegated cgroup v2), as the grader does.
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from conftest import EX02, notebook, result, row

from fournos_tools.grading import batch, cgroups, isolation, runner, sandbox

MEMORY_MB = 512
CHILDREN, CHILD_MB = 5, 400
BOUND_MB = MEMORY_MB + isolation.tmp_mb(MEMORY_MB) + isolation.SHM_MB + cgroups.WORKER_MB

HOG = f"""
import subprocess, sys, time
fill = ('b = bytearray({CHILD_MB} * 2**20); b[::4096] = b"x" * (len(b) // 4096); '
        'status = open("/proc/self/status").read(); '
        'print(int(status.split("VmRSS:")[1].split()[0]) // 1024, flush=True); '
        'import time; time.sleep(60)')
children = [subprocess.Popen([sys.executable, '-c', fill], stdout=subprocess.PIPE)
            for _ in range({CHILDREN})]
resident = [child.stdout.readline() for child in children]  # MiB once full, or b'' if ended
time.sleep(1)
held = sum(int(r) for child, r in zip(children, resident) if r.strip() and child.poll() is None)
raise ValueError(f'children held {{held}} MiB')
"""


def _cgroups_available() -> bool:
    groups = cgroups.for_worker(16, 64)
    cgroups.remove(groups)
    return len(groups) > 0


pytestmark = pytest.mark.skipif(
    sandbox.problem() is not None or not _cgroups_available(),
    reason="needs bubblewrap and cgroups this user may make",
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("hog")
    out = tmp_path_factory.mktemp("hog-results") / "class"
    nbformat.write(notebook(EX02, late=(HOG,)), subs / f"a_hog_{EX02}.ipynb")
    nbformat.write(notebook(EX02), subs / f"b_after_{EX02}.ipynb")
    results = batch.grade(
        subs, out, timeout=60, notebook_timeout=120, workers=1, memory_mb=MEMORY_MB, quiet=True
    )
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    return {"rows": rows, "results": {r["submission"]: r for r in results}}


def test_a_notebooks_processes_share_one_memory_bound(graded):
    hog = result(graded, "hog")
    errors = [c["evalue"] for c in hog["cells"].values() if c["status"] == "error"]
    message = next((e for e in errors if "children held" in e), "")
    if message:  # its children ran; together they stayed inside the worker's bound
        held = int(message.split("children held ")[1].split(" MiB")[0])
        assert held <= BOUND_MB, message
    else:  # the bound ended the notebook itself
        assert hog["status"].startswith("stopped"), hog["status"]
    assert row(graded, "after")["points"] == "3"


def test_every_process_of_a_notebook_counts_in_its_worker_s_cpu_share(tmp_path):
    sleeper = (
        "import subprocess, time\n"
        "subprocess.Popen(['sleep', '41.7'], start_new_session=True)\n"
        "time.sleep(20)"
    )
    argv = runner.worker_argv(Path.cwd(), "fork", 1024, safe=True)
    with open(tmp_path / "log.txt", "ab") as log:
        worker = runner.WorkerProcess(argv, log)
        worker.start()
        cpu_group = _cpu_group(worker.groups)
        job = {"job": 1, "cells": [sleeper], "exports": [], "cell_timeout": 30, "deadline": 60}
        job["scratch"] = str(tmp_path / "scratch")
        thread = threading.Thread(target=worker.run, args=(job,))
        thread.start()
        found = None
        deadline = time.monotonic() + 60
        while found is None and time.monotonic() < deadline:
            for process in psutil.Process(worker.proc.pid).children(recursive=True):
                try:
                    if process.cmdline() == ["sleep", "41.7"]:
                        found = process.pid
                except psutil.Error:
                    continue
            time.sleep(0.2)
        groups = Path(f"/proc/{found}/cgroup").read_text() if found else ""
        thread.join()
        worker.stop(finished=True)
    assert found is not None
    assert cpu_group in groups.splitlines(), groups


def _cpu_group(groups: list[Path]) -> str:
    """The worker's CPU group as a line of /proc/PID/cgroup names it."""
    for group in groups:
        controller = group.relative_to(cgroups.ROOT).parts[0]
        if controller == "cpu":  # cgroup v1
            return f"{_hierarchy('cpu')}:/{group.relative_to(cgroups.ROOT / 'cpu')}"
    return f"0::/{groups[0].relative_to(cgroups.ROOT)}"  # cgroup v2: one group


def _hierarchy(controller: str) -> str:
    """ "N:names" of the cgroup v1 hierarchy that holds `controller` ("1:cpu,cpuacct")."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, names, _ = line.split(":", 2)
        if controller in names.split(","):
            return f"{number}:{names}"
    return "0:"
