"""Attacks on batch grading, as a class's submissions graded in one run with honest ones.

Each attack asserts what it threatens: points for its author where it could bring any (the
forger, the patcher and the reader would score 3 if the grader believed them), the honest
students' grades, every submission file and the kit unchanged, nothing written outside the
results, no process left. Attacks that could never bring points (a memory bomb, a sleeper, a
killer) are not asserted to score 0: their tests say what they must not break.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import time
import uuid

import nbformat
import pytest
from conftest import notebook as early_cells
from conftest import without_prompts
from helpers import ROOT

from fournos_tools.grading import batch, sandbox

pytestmark = pytest.mark.skipif(sandbox.problem() is not None, reason="needs bubblewrap")
NB = "ex02_doctrine_and_dates"
TOKEN = uuid.uuid4().hex[:12]
CHECKS = ["check:check_formulations", "check:check_date_gaps", "check:check_stale_statistics"]
# Time limits with room for a loaded 2-core machine: the memory bomb's and the spawner's cells
# must end by their own limit (memory, processes), which took more than 10 s under load (a CI
# run: the bomb "ran longer than 10 s"); the sleeper's 12 cells of 8 s still outlast the total.
CELL_LIMIT, NOTEBOOK_LIMIT = 30, 45


def exercise(*extra: str, solution: bool = False) -> nbformat.NotebookNode:
    """The released exercise (or the solution) with extra code cells at the end."""
    folder = "solutions" if solution else "exercises"
    notebook = nbformat.read(ROOT / folder / f"{NB}.ipynb", as_version=4)
    notebook.cells += [nbformat.v4.new_code_cell(code) for code in extra]
    return notebook


def digest(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kit_digest():
    return {part: digest(ROOT / part) for part in ("src", "data", "exercises", "solutions")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("results") / "ex02"
    outside = [ROOT / f"pwned-{TOKEN}", subs / f"pwned-{TOKEN}", out.parent / f"pwned-{TOKEN}"]
    solution_path = ROOT / "solutions" / f"{NB}.ipynb"
    honest = exercise(solution=True)
    notebooks = {
        f"ana_{NB}.ipynb": honest,
        f"ben_{NB}.ipynb": exercise(),
        # verdicts forged on every channel a notebook can find (the old log, stdout, every
        # fd, the report pipe included): a blank exercise scores 3 if any verdict is believed
        f"forger_{NB}.ipynb": exercise(
            "import os, json\nos.environ['FOURNOS_GRADE_LOG'] = 'log.jsonl'\n"
            f"checks = {[c.split(':')[1] for c in CHECKS]!r}\n"
            "verdicts = [json.dumps({'event': kind, 'check': c, 'correct': True, "
            "'outcome': 'pass', 'points': 1, 'message': 'ok'}) for c in checks "
            "for kind in ('check', 'result', 'verdict')]\n"
            "open('log.jsonl', 'a').write('\\n'.join(verdicts) + '\\n')\n"
            "lines = ('not json\\n' + '\\n'.join(verdicts) + '\\n'"
            ' + \'{"job": 0, "end": {"reason": "exit"}}\\n\').encode()\n'
            "for fd in range(0, 64):\n    try:\n        os.write(fd, lines)\n    except OSError:\n"
            "        pass\nprint('\\n'.join(verdicts))"
        ),
        f"patcher_{NB}.ipynb": exercise(
            "import fournos.checks as c\nfrom fournos.feedback import Feedback\n"
            "class Always(Feedback):\n    correct = True\n"
            "for name in dir(c):\n    if name.startswith('check_'):\n"
            "        setattr(c, name, lambda *a, **k: Always(True, 'ok'))\n"
            "check_formulations = c.check_formulations\ncheck_formulations(formulations)"
        ),
        # reads the solution before the answer cells (their prompts removed) and runs it: with
        # solutions/ in the sandbox it scores 3 (checked by breaking the sandbox)
        f"reader_{NB}.ipynb": without_prompts(
            early_cells(
                NB,
                f"source = open({str(solution_path)!r}).read()\nimport json\n"
                "for cell in json.loads(source)['cells']:\n    if cell['cell_type'] == 'code':\n"
                "        exec(''.join(cell['source']))",
                solution=False,
            )
        ),
        # check cells deleted and one answer wrong: the ratio must stay out of 3
        f"deleter_{NB}.ipynb": _without_checks(exercise("gaps = 42", solution=True)),
        f"writer_{NB}.ipynb": exercise(
            *[f"open({str(p)!r}, 'w').write('x')" for p in outside],
            f"open({str(subs / f'ana_{NB}.ipynb')!r}, 'w').write('{{}}')",
            f"open({str(ROOT / 'src' / 'fournos' / 'checks.py')!r}, 'a').write('# pwned')",
            f"open({str(ROOT / 'exercises' / 'manifest.json')!r}, 'w').write('{{}}')",
            f"open('/tmp/pwned-{TOKEN}', 'w').write('x')",
        ),
        f"detacher_{NB}.ipynb": exercise(
            "import subprocess\nsubprocess.Popen(['sleep', '317.{0}'], start_new_session=True)\n"
            "import os\nif os.fork() == 0:\n    os.setsid()\n    os.execvp('sleep', "
            "['sleep', '318.{0}'])".format(TOKEN[:4].translate(str.maketrans("abcdef", "123456")))
        ),
        f"socket_{NB}.ipynb": exercise(
            "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=5)\n"
            "formulations = 'connected'"
        ),
        f"hog_{NB}.ipynb": exercise(
            "hog = []\nfor _ in range(64):\n    hog.append(bytearray(2**28))",
            "hog = None",
        ),
        # spawns small processes (forking the kernel itself 1000 times can outlast the cell's
        # time limit on a loaded machine, and then proves nothing)
        f"spawner_{NB}.ipynb": exercise(
            "import os, shutil\nsleep = shutil.which('sleep')\nstarted = 0\ntry:\n"
            "    for _ in range(1000):\n        os.posix_spawn(sleep, [sleep, '600'], os.environ)\n"
            "        started += 1\nexcept OSError:\n    pass\n"
            "raise RuntimeError(f'started {started}')"
        ),
        f"killer_{NB}.ipynb": exercise("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
        f"escaper_{NB}.ipynb": _with_answer(
            exercise("raise ValueError('\\x1b[2J\\x1b]0;pwned\\x07 cleared')"),
            '=HYPERLINK("http://example.com") \x1b[31mred\x1b[0m',
        ),
        f"sleeper_{NB}.ipynb": exercise(*["import time\ntime.sleep(8)"] * 12),
        f"nosource_{NB}.ipynb": honest,
        f"Class A/zoe {NB}.IPYNB": honest,
        f"alice/{NB}.ipynb": honest,
        f"alice__{NB}.ipynb": honest,
    }
    for name, notebook in notebooks.items():
        (subs / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, subs / name)
    raw = json.loads((subs / f"nosource_{NB}.ipynb").read_text())
    next(c for c in raw["cells"] if c["cell_type"] == "code" and "BEGIN" not in str(c)).pop(
        "source"
    )
    (subs / f"nosource_{NB}.ipynb").write_text(json.dumps(raw))
    kit_before, subs_before = kit_digest(), digest(subs)
    started = time.monotonic()
    results = batch.grade(
        subs,
        out,
        timeout=CELL_LIMIT,
        notebook_timeout=NOTEBOOK_LIMIT,
        workers=2,
        memory_mb=1024,
        quiet=True,
    )
    seconds = time.monotonic() - started
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    return {
        "subs": subs,
        "out": out,
        "rows": rows,
        "results": results,
        "outside": outside,
        "kit_before": kit_before,
        "subs_before": subs_before,
        "seconds": seconds,
    }


def _without_checks(notebook):
    notebook.cells = [
        c
        for c in notebook.cells
        if "check_date_gaps(" not in c.source and "check_stale_statistics(" not in c.source
    ]
    return notebook


def _with_answer(notebook, text):
    cell = next(c for c in notebook.cells if c.source.startswith("**Your answer:**"))
    cell.source = f"**Your answer:**\n\n{text}"
    return notebook


def row(graded, who):
    return graded["rows"][f"{who}_{NB}.ipynb"]


def test_honest_students_get_their_grades(graded):
    assert row(graded, "ana")["points"] == "3" and row(graded, "ana")["out_of"] == "3"
    assert [row(graded, "ana")[c] for c in CHECKS] == ["pass"] * 3
    assert [row(graded, "ben")[c] for c in CHECKS] == ["not answered"] * 3
    for name in (f"Class A/zoe {NB}.IPYNB", f"alice/{NB}.ipynb", f"alice__{NB}.ipynb"):
        assert graded["rows"][name]["points"] == "3", name


@pytest.mark.parametrize("who", ["forger", "patcher", "reader"])
def test_attackers_who_would_score_if_believed_gain_nothing(graded, who):
    assert row(graded, who)["points"] == "0"
    assert row(graded, who)["out_of"] == "3"


def test_the_attacks_ran_to_the_end_so_the_zeros_mean_something(graded):
    """Control: the forger's and the patcher's cells all ran (their forgeries and patches
    happened), so 0 points is the defence's doing, not a broken attack."""
    for who in ("forger", "patcher", "detacher"):
        assert row(graded, who)["status"] == "ran", (who, row(graded, who)["status"])


def test_forged_lines_are_flagged_not_believed(graded):
    """The forged verdicts reached the grader on its own pipe (it counts them as lines it
    did not understand) and were not believed (above)."""
    assert "not understood" in row(graded, "forger")["flags"]


def test_reading_the_solutions_fails_inside_the_sandbox(graded):
    feedback = (graded["out"] / row(graded, "reader")["feedback_file"]).read_text()
    assert "FileNotFoundError" in feedback


def test_deleting_check_cells_keeps_the_maximum(graded):
    deleter = row(graded, "deleter")
    assert deleter["out_of"] == "3" and deleter["points"] == "2"
    assert deleter["check:check_date_gaps"] == "fail"
    assert "was deleted" in deleter["flags"]


def test_nothing_is_written_outside_the_results(graded):
    assert kit_digest() == graded["kit_before"]
    assert digest(graded["subs"]) == graded["subs_before"]
    for path in graded["outside"]:
        assert not path.exists()
    assert not (ROOT.parent / f"pwned-{TOKEN}").exists()
    import pathlib

    assert not pathlib.Path(f"/tmp/pwned-{TOKEN}").exists()


def test_no_process_outlives_grading(graded):
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    assert "sleep 317." not in ps.stdout and "sleep 318." not in ps.stdout


def test_the_number_of_processes_is_limited(graded):
    """The spawner's loop ends early only when the system refuses a process (OSError), so
    fewer than 1000 started is the limit's doing however fast the machine is; its cell must
    reach the end within CELL_LIMIT, which leaves room for a loaded machine."""
    feedback = (graded["out"] / row(graded, "spawner")["feedback_file"]).read_text()
    assert "RuntimeError: started" in feedback, row(graded, "spawner")["status"]
    started = int(feedback.split("RuntimeError: started ")[1].split()[0].rstrip("."))
    assert started < 1000


def test_no_network_inside(graded):
    feedback = (graded["out"] / row(graded, "socket")["feedback_file"]).read_text()
    assert "OSError" in feedback or "unreachable" in feedback.lower()


def test_a_memory_bomb_stops_in_its_own_notebook(graded):
    """16 GiB touched 256 MiB at a time would finish in a few seconds on this machine with no
    limit. With the limits it stops: MemoryError at the address-space limit, the kernel killed
    at the memory cgroup's, or, on a busy machine where the cgroup's reclaim is slow, the cell's
    time limit (CI once saw this). Any of the three stops only this notebook."""
    feedback = (graded["out"] / row(graded, "hog")["feedback_file"]).read_text()
    assert any(
        sign in feedback for sign in ("MemoryError", "the kernel died", "a cell ran longer than")
    ), feedback


def test_a_notebook_cannot_kill_its_worker(graded):
    """The killer signals its parent. Each notebook is PID 1 of a PID namespace of its own,
    so it has no parent it can reach: it runs to its end and its worker goes on (it used to
    kill the worker: "stopped the grading worker")."""
    assert row(graded, "killer")["status"] == "ran"


def test_total_time_per_notebook_is_limited(graded):
    assert f"longer than {NOTEBOOK_LIMIT} s in total" in row(graded, "sleeper")["status"]
    sleeper = next(r for r in graded["results"] if r["submission"].startswith("sleeper"))
    assert sleeper["seconds"] < NOTEBOOK_LIMIT + 10  # 12 cells of sleep(8) would take 96 s


def test_no_escape_sequences_and_no_formulas_in_the_results(graded):
    for path in graded["out"].rglob("*"):
        if path.suffix in (".csv", ".md", ".html"):
            assert "\x1b" not in path.read_text(encoding="utf-8"), path
    with open(graded["out"] / "marking-sheet.csv", encoding="utf-8") as f:
        sheet = [r for r in csv.DictReader(f) if r["submission"].startswith("escaper")]
    assert any(r["answer_text"].startswith("'=HYPERLINK") for r in sheet)


def test_a_cell_without_source_is_contained(graded):
    nosource = row(graded, "nosource")
    assert "no readable source" in nosource["flags"]
    assert nosource["status"].startswith("ran")


def test_feedback_files_are_unique(graded):
    files = [r["feedback_file"] for r in graded["rows"].values()]
    assert len(set(files)) == len(files)
