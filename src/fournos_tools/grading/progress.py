"""What a grading run is doing, kept on disk, so that a run killed outright (SIGKILL, out of
memory, a machine switched off) is cleaned up by the next one, which says where it stopped.

A run writes progress.json into its staging folder (`.<results>.XXXX` beside the results):
its process id and start time, its scratch folder and the notebooks it is grading now. Its
sandboxes end with it (bubblewrap's --die-with-parent) and its checker when its input closes;
the folders are what stays. The next run into the same results folder removes every staging
folder, scratch folder and process-count cgroup of a run whose process is gone, and names the
notebooks that run was grading.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

from fournos_tools import spreadsheet
from fournos_tools.grading import cgroups

FILE = "progress.json"


def _started(pid: int) -> str | None:
    """When a process started (clock ticks since boot), which tells a reused pid apart."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class Progress:
    """The progress file of this run: updated as each notebook starts and ends."""

    def __init__(self, staging: Path, scratch: Path, names: dict[int, str]):
        self.path, self.names, self.lock = staging / FILE, names, threading.Lock()
        self.grading: dict[int, str] = {}
        self.done = 0
        self.record = {
            "pid": os.getpid(),
            "process_started": _started(os.getpid()),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "scratch": str(scratch),
            "total": len(names),
        }
        self.write()

    def write(self) -> None:
        record = {**self.record, "done": self.done, "grading": sorted(self.grading.values())}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(record), encoding="utf-8")
        partial.replace(self.path)

    def starting(self, job: int) -> None:
        with self.lock:
            self.grading[job] = self.names.get(job, str(job))
            self.write()

    def finished(self, job: int) -> None:
        with self.lock:
            self.grading.pop(job, None)
            self.done += 1
            self.write()


def _gone(pid, process_started) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return False
    started = _started(pid)
    return started is None or (process_started is not None and started != process_started)


def clear_abandoned(out: Path) -> list[str]:
    """Remove what killed runs into `out` left behind; one sentence for each such run."""
    said = []
    if not out.parent.is_dir():
        return said
    for folder in sorted(out.parent.glob(f".{out.name}.*")):
        if folder.name.startswith(f".{out.name}.old-"):  # results moved aside, then killed
            pid = folder.name.rsplit("-", 2)[1]
            if pid.isdigit() and _gone(int(pid), None):
                shutil.rmtree(folder, ignore_errors=True)
            continue
        try:
            record = json.loads((folder / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not ours, or a run that is just starting
        if not isinstance(record, dict) or not _gone(
            record.get("pid"), record.get("process_started")
        ):
            continue
        scratch = record.get("scratch")
        if isinstance(scratch, str) and Path(scratch).name.startswith("fournos-grade-"):
            shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
        _remove_cgroups(record["pid"])
        # names come from submissions' file names: no control character reaches a terminal
        grading = [spreadsheet.clean(n) for n in record.get("grading", []) if isinstance(n, str)]
        said.append(
            f"An earlier grading run (process {record['pid']}, "
            f"started {spreadsheet.clean(record.get('started'))}) was stopped before it finished "
            f"({spreadsheet.clean(record.get('done'))} of {spreadsheet.clean(record.get('total'))} "
            "notebooks done), while it was grading "
            + (", ".join(grading) if grading else "no notebook (between notebooks)")
            + ". Its unfinished results and scratch files were removed."
        )
    return said


def _remove_cgroups(pid: int) -> None:
    """The cgroups of a run that is gone (empty once its sandboxes ended)."""
    for base in cgroups.bases():
        for group in base.glob(f"{cgroups.PREFIX}-{pid}-*"):
            try:
                group.rmdir()
            except OSError:
                pass
