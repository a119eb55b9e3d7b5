"""What a student sees in a real kernel: early checks, stale answers, errors in their own code.

The kernel is started the way JupyterLab starts it (JPY_SESSION_NAME names the notebook) and
cells are sent with their cell ids, as JupyterLab sends them.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT
from jupyter_client.manager import start_new_kernel

SETUP = (
    "import fournos\nfrom fournos.checks import check_word_trends\nfournos.setup()\ntrends = ...\n"
)
GOOD = (
    "counts = fournos.term_counts()\n"
    "counts = counts[counts['term'].isin(TREND_TERMS)]\n"
    "trends = counts.pivot(index='article_id', columns='term', values='per_1000_words')\n"
    "trends = trends.loc[fournos.article_ids(), TREND_TERMS]\n"
)
TERMS = "from fournos.checks import TREND_TERMS\n"


class Lab:
    """A kernel and a notebook file, driven like JupyterLab drives them."""

    def __init__(self, notebook: Path):
        env = {**os.environ, "JPY_SESSION_NAME": str(notebook)}
        self.notebook = notebook
        self.cells: dict[str, str] = {}
        self.counts: dict[str, int] = {}  # each cell's [n]: the count of its last run
        self.km, self.kc = start_new_kernel(
            kernel_name="python3", env=env, cwd=str(notebook.parent), extra_arguments=[]
        )

    def save(self, cells: dict[str, str] | None = None) -> None:
        """Write the notebook as JupyterLab saves it: every cell's current text (or `cells`,
        texts taken earlier) by id, with the count of its last run."""
        cells = [
            {"id": i, "cell_type": "code", "source": s, "metadata": {}, "outputs": []}
            | {"execution_count": self.counts.get(i)}
            for i, s in (cells or self.cells).items()
        ]
        notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        self.notebook.write_text(json.dumps(notebook), encoding="utf-8")

    def edit(self, cell_id: str, source: str) -> None:
        self.cells[cell_id] = source

    def run(self, cell_id: str, source: str | None = None) -> tuple[str, list[dict]]:
        """Run a cell; return the reply status and the outputs (as iopub content dicts)."""
        if source is not None:
            self.cells[cell_id] = source
        msg = self.kc.session.msg(
            "execute_request",
            {
                "code": self.cells[cell_id],
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            metadata={"cellId": cell_id},
        )
        self.kc.shell_channel.send(msg)
        outputs, deadline = [], time.monotonic() + 60
        while True:
            try:
                reply = self.kc.iopub_channel.get_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("the kernel did not finish the cell") from None
            if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                continue
            kind = reply["msg_type"]
            if kind == "status" and reply["content"]["execution_state"] == "idle":
                break
            if kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"type": kind, **reply["content"]})
        while True:  # skip replies to earlier requests (kernel_info at start-up)
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                self.counts[cell_id] = reply["content"].get("execution_count")
                return reply["content"]["status"], outputs

    def text(self, cell_id: str, source: str | None = None) -> str:
        """Everything the cell showed, as plain text (HTML where that is all there is)."""
        _, outputs = self.run(cell_id, source)
        parts = []
        for out in outputs:
            data = out.get("data", {})
            parts += [out.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
            parts += out.get("traceback", [])
        return "\n".join(parts)

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my-work")
    session = Lab(folder / "ex01.ipynb")
    assert session.run("setup", SETUP + TERMS)[0] == "ok"
    yield session
    session.close()


def test_a_check_run_before_its_answer_says_not_answered_yet(lab):
    lab.run("setup")
    shown = lab.text("check", "check_word_trends(trends)")
    assert "Not answered yet" in shown and "Traceback" not in shown


def test_an_answer_cell_that_stopped_with_an_error_is_not_graded(lab):
    assert lab.run("answer", GOOD)[0] == "ok"
    assert "✔" in lab.text("check", "check_word_trends(trends)")
    # the student breaks the cell: the old, correct value is still in `trends`
    broken = GOOD.replace("counts.pivot(", "counts.pivot_tabel(")
    assert lab.run("answer", broken)[0] == "error"
    shown = lab.text("check")
    assert "stopped with an error" in shown and "✔" not in shown
    # fixed and run again: graded again
    assert lab.run("answer", GOOD)[0] == "ok"
    assert "✔" in lab.text("check")


def test_a_syntax_error_in_the_answer_cell_is_noticed_too(lab):
    assert lab.run("answer", GOOD)[0] == "ok"
    assert lab.run("answer", GOOD + "trends = trends[\n")[0] == "error"
    assert "stopped with an error" in lab.text("check")
    lab.run("answer", GOOD)


def test_an_answer_cell_edited_and_not_run_again_is_not_graded(lab):
    assert lab.run("answer", GOOD)[0] == "ok"
    lab.edit("answer", GOOD + "trends = trends * 2\n")
    lab.save()
    os.utime(lab.notebook, (time.time() + 1, time.time() + 1))  # saved after the run
    shown = lab.text("check")
    assert "have not run it since" in shown and "✔" not in shown
    lab.run("answer")  # runs the edited text: now it is graded (and is wrong)
    shown = lab.text("check")
    assert "have not run it since" not in shown and "✘" in shown
    lab.run("answer", GOOD)


def test_a_notebook_saved_before_the_run_is_not_taken_for_an_edit(lab):
    lab.edit("answer", GOOD + "# thinking\n")
    lab.save()
    os.utime(lab.notebook, (time.time() - 60, time.time() - 60))  # saved a minute ago
    assert lab.run("answer", GOOD)[0] == "ok"  # what runs differs from the (older) file
    assert "✔" in lab.text("check")


def test_an_error_in_the_students_code_is_short_and_names_the_line(lab):
    status, outputs = lab.run("mine", "x = 1\ny = trends['alliance']\nz = x + undefined_name\n")
    assert status == "error"  # Run All still stops here
    assert [o["type"] for o in outputs] == ["display_data"]
    bundle = outputs[0]["data"]
    short = bundle["text/plain"].split("Full error report:")[0]
    assert "NameError in line 3 of your cell" in short
    assert "z = x + undefined_name" in short and "Check its spelling" in short
    assert len(short.strip().splitlines()) <= 5
    page = bundle["text/html"]
    assert "<details>" in page and "Traceback" in page.split("<details>")[1]
    assert "\x1b[" not in bundle["text/plain"]  # no terminal colour codes


def test_an_error_inside_a_library_call_points_at_the_students_line(lab):
    _, outputs = lab.run("mine", "import pandas as pd\n\nframe = trends.loc['no_such_article']\n")
    short = outputs[0]["data"]["text/plain"].split("Full error report:")[0]
    assert "KeyError in line 3 of your cell" in short and "trends.loc" in short


def test_kit_problems_stay_one_plain_line(lab):
    shown = lab.text("mine", "fournos.paragraph('nope', 1)")
    assert shown.startswith("Problem: There is no article") and "Traceback" not in shown


def test_running_setup_again_does_not_double_the_watch(lab):
    lab.run("setup")
    lab.run("setup")
    assert lab.run("answer", GOOD)[0] == "ok"
    shown = lab.text(
        "watch",
        "from fournos import watch\nprint(len(watch._current.shell.events.callbacks['post_run_cell']))",
    )
    assert int(shown.strip()) <= 2  # ipykernel's own and ours, at most


def test_outside_ipython_checks_are_pure_functions_of_their_arguments():
    code = (
        "import fournos\nfrom fournos.checks import check_word_trends\nfournos.setup()\n"
        "print(check_word_trends(...))\nfrom fournos import watch\nprint(watch.stale_answers())\n"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert "Not answered yet" in out and "{}" in out


@pytest.fixture(scope="module")
def exercise_kernel(tmp_path_factory):
    """One kernel for the exercises below, its namespace emptied before each (`%reset -f`):
    a kernel's start costs more than the checks it runs."""
    session = Lab(tmp_path_factory.mktemp("exercises") / "exercise.ipynb")
    yield session
    session.close()


@pytest.mark.parametrize(
    "exercise", sorted((ROOT / "exercises").glob("ex*.ipynb")), ids=lambda p: p.stem
)
def test_every_check_run_straight_after_set_up_says_not_answered_yet(exercise, exercise_kernel):
    """A student who runs a check before its answer cell meets a prompt, never a NameError."""
    notebook = json.loads(exercise.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    checks = [source for source in code if source.strip().startswith("check_")]
    assert checks, "every exercise notebook has checks"
    session = exercise_kernel
    assert session.run("reset", "%reset -f")[0] == "ok"
    assert "NameError" in session.text("empty", "fournos")  # nothing left from the last one
    assert session.run("setup", code[0])[0] == "ok"
    for number, source in enumerate(checks):
        shown = session.text(f"check{number}", source)
        assert "Not answered yet" in shown, (source, shown)


def test_a_save_taken_while_typing_that_lands_after_a_quick_run_is_no_edit(lab):
    """JupyterLab saves every few seconds: a save of the half-typed answer, taken before a quick
    Shift+Enter, can reach the file just after the run. Its text differs from what ran, but
    it holds the count of the run before, so it shows no edit made since."""
    half_typed = {**lab.cells, "answer": GOOD[:40]}
    assert lab.run("answer", GOOD)[0] == "ok"
    lab.counts["answer"] -= 1  # the save was taken before this run's count came back
    lab.save(half_typed)
    lab.counts["answer"] += 1
    os.utime(lab.notebook, (time.time() + 1, time.time() + 1))  # written after the run
    shown = lab.text("check")
    assert "have not run it since" not in shown and "✔" in shown
