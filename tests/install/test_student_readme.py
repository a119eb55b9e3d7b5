"""Every command the students' README gives, run exactly as written, in a fresh students'
edition: cloned with the README's own clone line from a release branch, set up with its
own no-make line, then each `make …`, `.venv/bin/fournos …` and hub `fournos …` command.
JupyterLab commands are started, seen serving, and stopped with Ctrl-C twice. Part of
`make test-install`: the set-up builds a new environment."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import GIT_ENV, git, instructor_repo

from fournos_tools import release as rel

STARTS = ("make ", ".venv/bin/fournos ", "fournos ", "python3 ", "git clone ")

pytestmark = [
    pytest.mark.install,
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
]


def readme_commands(readme: str) -> list[str]:
    """The commands a Linux or macOS student types: lines of the README's command blocks
    (comments dropped) and inline code that starts like a command."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", readme, re.DOTALL):
        found += [line.split("#")[0].strip() for line in block.splitlines()]
    found += re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", readme, flags=re.DOTALL))
    kept = []
    for command in found:
        if command.startswith(STARTS) and "NAME" not in command and command not in kept:
            kept.append(command)
    return kept


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """(the edition's README, the student's clone, the instructors' repo) after cloning and
    setting up exactly as the README says."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        repo = instructor_repo(tmp_path_factory.mktemp("instructors"))
        rel.release(branch="student", repo_url=str(repo), root=repo)
        readme = git(repo, "show", "student:README.md")
        home = tmp_path_factory.mktemp("student")
        commands = readme_commands(readme)
        clone = next(c for c in commands if c.startswith("git clone "))
        done = subprocess.run(
            shlex.split(clone), cwd=home, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        kit = home / "fournos"
        setup = subprocess.run(
            ["python3", "scripts/install.py"],
            cwd=kit,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert setup.returncode == 0, setup.stdout + setup.stderr
        yield readme, kit, repo


def run_as_written(command: str, kit: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        shlex.split(command),
        cwd=kit,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, **env},
        check=False,
    )


def serve_and_stop(command: str, kit: Path) -> str:
    """Start a JupyterLab command as written; wait until it serves; Ctrl-C twice."""
    runtime = kit.parent / "runtime-for-test"
    env = {**os.environ, "BROWSER": "true", "JUPYTER_RUNTIME_DIR": str(runtime)}
    shutil.rmtree(runtime, ignore_errors=True)
    lab = subprocess.Popen(
        shlex.split(command),
        cwd=kit,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # as in a terminal: Ctrl-C reaches the command (a test runner may ignore SIGINT)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    deadline = time.monotonic() + 120
    while not list(runtime.glob("jpserver-*.json")) and time.monotonic() < deadline:
        if lab.poll() is not None:
            break
        time.sleep(0.2)  # polling for the server's runtime file, not a fixed wait
    serving = bool(list(runtime.glob("jpserver-*.json")))
    for patience in (2, 30):  # Ctrl-C twice (the second within Jupyter's 5 s), as written
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGINT)
            try:
                lab.wait(timeout=patience)
            except subprocess.TimeoutExpired:
                pass
    stopped = lab.poll() is not None
    if not stopped:
        os.killpg(lab.pid, signal.SIGKILL)
    said = lab.communicate()[0]
    assert serving, f"{command!r} did not start JupyterLab:\n{said}"
    assert stopped, f"{command!r} did not stop with Ctrl-C twice:\n{said}"
    return said


def test_the_readme_names_the_commands_of_every_set_up(student):
    readme, _, repo = student
    commands = readme_commands(readme)
    for wanted in [
        "make lab",
        "make test",
        "python3 scripts/install.py",
        ".venv/bin/fournos lab",
        ".venv/bin/fournos test",
        "make my-work",
        "make update",
        "make doctor",
        "fournos my-work",
        "make lab PORT=8890",
    ]:
        assert wanted in commands, wanted
    assert f"git clone --branch student {repo} fournos" in readme
    assert "python -m fournos" not in readme and "pip install -e" not in readme


def test_every_command_in_the_students_readme_works_as_written(student):
    readme, kit, repo = student
    failed = []
    for command in readme_commands(readme):
        if command.startswith(("git clone", "python3 scripts/install.py")):
            continue  # the fixture ran them, as written
        name = command.split()[1] if command.startswith("make") else command.split()[-1]
        if " lab" in f" {command}" and (
            command.endswith("lab") or "--port" in command or "PORT=" in command
        ):
            said = serve_and_stop(command, kit)
            assert "websocket_ping" not in said
            continue
        env = {}
        if command.startswith("fournos "):  # the hub: the image's fournos is on the PATH
            env["PATH"] = f"{kit / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
        if name == "test" and command != "make test":
            # the same program `make test` runs (checked below); once is enough on 2 cores
            dry = subprocess.run(
                ["make", "-n", "test"], cwd=kit, capture_output=True, text=True, check=False
            )
            assert "-m fournos test" in dry.stdout, dry.stdout
            command = f"{command} --help"
        if name == "update":
            before = json.loads((kit / "RELEASE.json").read_text(encoding="utf-8"))["release"]
            note = repo / "data" / "articles" / "NOTICE.md"
            note.write_text(note.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            git(repo, "commit", "-qam", "A correction")
            rel.release(branch="student", repo_url=str(repo), root=repo)
        result = run_as_written(command, kit, **env)
        if name == "doctor":
            problems = [ln for ln in result.stdout.splitlines() if "PROBLEM" in ln]
            if all("port 8888" in ln for ln in problems):  # another program on this machine
                result = subprocess.CompletedProcess(result.args, 0, result.stdout, "")
        if result.returncode != 0 or "Traceback" in result.stdout + result.stderr:
            failed.append(f"{command}: {result.stdout[-1500:]}{result.stderr[-1500:]}")
        if name == "update":
            assert f"from students' release {before} " in result.stdout, result.stdout
            assert f"to   students' release {before + 1} " in result.stdout, result.stdout
        if name == "my-work":
            assert list((kit / "my-work").glob("*.ipynb"))
    assert not failed, "\n\n".join(failed)
