"""A class on a real JupyterHub, end to end: `make test-hub`.

Starts deploy/jupyterhub_config.py (test mode: dummy authenticator, SimpleLocalProcessSpawner,
per-user homes in a temporary folder) on 127.0.0.1 with free ports, and serves the students'
release from a local bare repository. Three students log in and follow the README's
nbgitpuller link (one in headless Chromium, two through the REST API), run the start page and
`python -m fournos my-work` in a terminal, edit a lesson and an exercise; the instructor
pushes a change; the link again keeps the edits and brings the change; the instructor
collects the my-work notebooks and grades them with the kit's grader.

Everything started here is ended by process group, also on SIGTERM (a `timeout` around
pytest). Every wait is on an event: a log line, a server-sent event, a kernel reply, a
terminal's output, a page element.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil
import pytest
import requests
from tornado.httpclient import HTTPRequest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from fournos_tools.chromium import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
KIT = "fournos"  # the bare repository's name, so the clone lands in ~/fournos
START = "notebooks/00_start_here.ipynb"
LESSON = "notebooks/01_duong_2018_integration.ipynb"
UPDATED = "notebooks/02_ndj_2020_no_alliances.ipynb"
EXERCISE = "ex01_themes_and_words.ipynb"
ANSWER = 'import pandas as pd\ntheme_matrix = pd.crosstab(claims["article_id"], claims["theme"])'
STUDENTS = ["amal", "binh", "chau"]  # amal uses the browser
WAIT = 120  # seconds: the longest any one step may take on a loaded 2-core machine

pytestmark = pytest.mark.hub


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Instructor",
        "GIT_AUTHOR_EMAIL": "i@example.org",
        "GIT_COMMITTER_NAME": "Instructor",
        "GIT_COMMITTER_EMAIL": "i@example.org",
    }
    done = subprocess.run(
        ["git", *args], check=False, cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class Hub:
    """A running hub: its process, URL, service token and a log that can be waited on."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.homes = tmp / "homes"
        self.homes.mkdir()
        state = tmp / "state"
        state.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.password = secrets.token_hex(8)
        env = {
            **os.environ,
            "FOURNOS_HUB_MODE": "test",
            "FOURNOS_HUB_PORT": str(self.port),
            "FOURNOS_HUB_PROXY_API_PORT": str(free_port()),
            "FOURNOS_HUB_INTERNAL_PORT": str(free_port()),
            "FOURNOS_HUB_STATE": str(state),
            "FOURNOS_HUB_HOMES": str(self.homes),
            "FOURNOS_HUB_TOKEN": self.token,
            "FOURNOS_HUB_PASSWORD": self.password,
        }
        env.pop("JUPYTER_CONFIG_DIR", None)  # a hub's servers never see the kit's jupyter-config/
        self.log: list[str] = []
        self.changed = threading.Condition()
        self.process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(CONFIG)],
            cwd=state,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_log("JupyterHub is now running")

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.changed:
                self.log.append(line)
                self.changed.notify_all()
        with self.changed:
            self.log.append("<hub exited>")
            self.changed.notify_all()

    def wait_for_log(self, text: str) -> None:
        with self.changed:
            ok = self.changed.wait_for(
                lambda: any(text in line or line == "<hub exited>" for line in self.log), WAIT
            )
            assert ok and self.log[-1] != "<hub exited>", "".join(self.log[-40:])

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        response = requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=WAIT, **kwargs
        )
        assert response.ok, (response.status_code, response.text)
        return response

    def stop(self) -> None:
        """End the hub, then every process it started (single-user servers, kernels, proxy)."""
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        groups = {self.process.pid}
        for child in family:
            try:
                groups.add(os.getpgid(child.pid))
            except ProcessLookupError:
                pass
        for group in groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                pass
        _, alive = psutil.wait_procs(family, timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for child in alive:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass


def events(response: requests.Response):
    """The JSON data of each server-sent event in a streamed response."""
    for line in response.iter_lines(decode_unicode=True):
        if line and line.startswith("data:"):
            yield json.loads(line[5:])


class Student:
    """One student driven through the hub's REST API and their server's Jupyter API."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.home = hub.homes / name
        self.kit = self.home / KIT
        self.base = f"{hub.url}/user/{name}"
        self.token = ""
        self.browser = requests.Session()  # the student's cookies, as a browser keeps them

    def log_in(self) -> None:
        """Submit the hub's login form, as a student does."""
        form = self.browser.get(f"{self.hub.url}/hub/login", timeout=WAIT)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        data = {"username": self.name, "password": self.hub.password}
        if xsrf:
            data["_xsrf"] = xsrf.group(1)
        done = self.browser.post(
            f"{self.hub.url}/hub/login", data=data, timeout=WAIT, allow_redirects=False
        )
        assert done.status_code == 302 and "jupyterhub-session-id" in self.browser.cookies, (
            done.status_code,
            done.text[:500],
        )

    def start_server(self) -> None:
        self.log_in()
        self.token = self.hub.api(
            "POST", f"/users/{self.name}/tokens", json={"note": "hub test"}
        ).json()["token"]
        self.hub.api("POST", f"/users/{self.name}/server")
        with self.hub.api("GET", f"/users/{self.name}/server/progress", stream=True) as stream:
            for event in events(stream):
                if event.get("ready"):
                    return
                assert not event.get("failed"), event
        raise AssertionError(f"{self.name}'s server never said it was ready")

    @property
    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def follow_link(self, link: str) -> None:
        """What the link's page does: the hub sends the student to nbgitpuller on their own
        server, whose page then streams the pull's progress from git-pull/api."""
        page = self.browser.get(link, timeout=WAIT)
        assert page.ok and page.url.startswith(f"{self.base}/git-pull?"), page.url
        api = page.url.replace("/git-pull?", "/git-pull/api?", 1)
        with self.browser.get(api, stream=True, timeout=WAIT) as stream:
            for event in events(stream):
                assert event.get("phase") != "error", event
                if event.get("phase") == "finished":
                    return
        raise AssertionError("nbgitpuller never finished")

    def run_notebook(self, path: str) -> None:
        """Run every code cell of a notebook in a kernel on the student's server, in order."""
        session = requests.post(
            f"{self.base}/api/sessions",
            headers=self.headers,
            timeout=WAIT,
            json={"path": path, "type": "notebook", "kernel": {"name": "python3"}},
        ).json()
        notebook = json.loads((self.home / path).read_text(encoding="utf-8"))
        codes = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
        url = f"{self.base}/api/kernels/{session['kernel']['id']}/channels".replace("http", "ws")
        errors = IOLoop.current().run_sync(lambda: self._execute(url, codes), timeout=WAIT * 2)
        requests.delete(
            f"{self.base}/api/sessions/{session['id']}", headers=self.headers, timeout=WAIT
        )
        assert errors == [], errors

    async def _execute(self, url: str, codes: list[str]) -> list[str]:
        ws = await websocket_connect(HTTPRequest(url, headers=self.headers))
        errors = []
        for code in codes:
            msg_id = secrets.token_hex(8)
            ws.write_message(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "username": "",
                            "session": "hub-test",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "content": {
                            "code": code,
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                        },
                    }
                )
            )
            while True:
                reply = json.loads(await ws.read_message())
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if reply["msg_type"] == "error":
                    errors.append(f"{reply['content']['ename']}: {reply['content']['evalue']}")
                if reply["msg_type"] == "execute_reply":
                    break
        ws.close()
        return errors

    def terminal(self, command: str) -> str:
        """Type a command into a new JupyterLab terminal; return what it printed."""
        name = requests.post(
            f"{self.base}/api/terminals", headers=self.headers, timeout=WAIT
        ).json()["name"]
        url = f"{self.base}/terminals/websocket/{name}".replace("http", "ws")
        output = IOLoop.current().run_sync(lambda: self._type(url, command), timeout=WAIT)
        requests.delete(f"{self.base}/api/terminals/{name}", headers=self.headers, timeout=WAIT)
        return output

    async def _type(self, url: str, command: str) -> str:
        ws = await websocket_connect(HTTPRequest(url, headers=self.headers))
        ws.write_message(json.dumps(["stdin", f"{command}; echo COMMAND-ENDED-$?\r"]))
        output = ""
        while not re.search(r"COMMAND-ENDED-\d", output):
            message = json.loads(await ws.read_message())
            if message[0] == "stdout":
                output += message[1]
        ws.close()
        return output

    def edit(self, path: str, change) -> None:
        """Change a notebook through the Jupyter contents API, as saving in Lab does."""
        url = f"{self.base}/api/contents/{path}"
        model = requests.get(url, headers=self.headers, timeout=WAIT).json()
        change(model["content"]["cells"])
        saved = requests.put(
            url,
            headers=self.headers,
            timeout=WAIT,
            json={"type": "notebook", "format": "json", "content": model["content"]},
        )
        assert saved.ok, saved.text


def memory(hub: Hub) -> list[str]:
    """Each student's single-user server and kernels: RSS and USS in MiB (for the sizing
    table in instructors/)."""
    lines = []
    for process in psutil.Process(hub.process.pid).children(recursive=True):
        try:
            if "jupyterhub-singleuser" not in " ".join(process.cmdline()):
                continue
            user = process.environ().get("JUPYTERHUB_USER", "?")
            tree = [process, *process.children(recursive=True)]
            info = [(p, p.memory_full_info()) for p in tree]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        server = info[0][1]
        kernels = [m for p, m in info[1:] if "ipykernel" in " ".join(p.cmdline())]
        mib = 1024 * 1024
        lines.append(
            f"{user}: server RSS {server.rss / mib:.0f} USS {server.uss / mib:.0f} MiB; "
            f"{len(kernels)} kernel(s) RSS {sum(k.rss for k in kernels) / mib:.0f} "
            f"USS {sum(k.uss for k in kernels) / mib:.0f} MiB"
        )
    mib = 1024 * 1024
    hub_process = psutil.Process(hub.process.pid)
    proxies = [
        p for p in hub_process.children() if "configurable-http-proxy" in " ".join(p.cmdline())
    ]
    for name, process in [("hub", hub_process), *[("proxy", p) for p in proxies]]:
        used = process.memory_full_info()
        lines.append(f"{name}: RSS {used.rss / mib:.0f} USS {used.uss / mib:.0f} MiB")
    return sorted(lines)


def note(name: str) -> str:
    return f"My own note on this lesson, by {name}."


def add_note(name: str):
    def change(cells: list) -> None:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": note(name)})

    return change


def answer(cells: list) -> None:
    cell = next(c for c in cells if "theme_matrix = ..." in "".join(c["source"]))
    cell["source"] = ANSWER


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hub")
    # `timeout` sends SIGTERM: make it an ordinary exit, so the cleanup below still runs
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    running = Hub(tmp)
    try:
        yield running
    finally:
        running.stop()
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The students' release as the branch `student` of a bare repository, and the
    instructor's working clone of it."""
    tmp = tmp_path_factory.mktemp("release")
    work = tmp / "work"
    made = subprocess.run(
        [str(BIN / "python"), "-m", "fournos", "release", "--out", str(work)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    git("init", "--quiet", "--initial-branch", "student", cwd=work)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", "Release 1", cwd=work)
    bare = tmp / KIT
    git("clone", "--quiet", "--bare", str(work), str(bare), cwd=tmp)
    git("remote", "add", "students", str(bare), cwd=work)
    return work, bare


def readme_link(hub: Hub, bare: Path) -> str:
    """The README's nbgitpuller link, filled in for this hub and repository."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    form = re.search(r"`(https://<your-hub>/hub/user-redirect/git-pull\?[^`]+)`", readme).group(1)
    link = (
        form.replace("https://<your-hub>", hub.url)
        .replace("<students-repository-url>", urllib.parse.quote(bare.as_uri(), safe=""))
        .replace("<repository-folder>", KIT)
    )
    assert "<" not in link, link
    return link


def chromium_student(hub: Hub, link: str, shots: Path) -> None:
    """Log in on the hub's page, follow the link, read and run the start page in Lab."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=ARGS,
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{hub.url}/hub/login")
            page.fill("#username_input", STUDENTS[0])
            page.fill("#password_input", hub.password)
            page.click("#login_submit")
            page.wait_for_url(re.compile(r"/(spawn-pending|user)/"), timeout=WAIT * 1000)
            page.goto(link)
            page.wait_for_selector(".jp-RenderedMarkdown h1", timeout=WAIT * 1000)
            assert page.url.endswith(f"lab/tree/{KIT}/{START}"), page.url
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT * 1000
            )
            # the offline settings reached the student's server: no news plug-in, no pop-up
            config = json.loads(page.inner_text("#jupyter-config-data"))
            assert "@jupyterlab/apputils-extension:announcements" in str(
                config.get("disabledExtensions")
            ), config.get("disabledExtensions")
            cells = page.locator(".jp-Notebook .jp-CodeCell").count()
            page.click("text=Run", timeout=WAIT * 1000)
            page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
            page.wait_for_function(
                """n => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                     .filter(p => /\\[\\d+\\]/.test(p.textContent)).length === n""",
                arg=cells,
                timeout=WAIT * 1000,
            )
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT * 1000
            )
            errors = page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
            toasts = page.locator(".Toastify__toast").all_inner_texts()
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "hub-start-page.png"))
            assert errors == 0
            assert not [t for t in toasts if "news" in t.lower()], toasts
        except Exception:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "hub-failure.png"))
            raise
        finally:
            browser.close()


def test_a_class_on_the_hub(hub, release, tmp_path):
    work, bare = release
    link = readme_link(hub, bare)
    students = [Student(hub, name) for name in STUDENTS]
    timings = {}
    started = time.monotonic()

    # amal logs in and follows the link in Chromium; the hub starts her server on the way
    chromium_student(hub, link, ROOT / "test-output" / "screenshots")
    browser_student = students[0]
    browser_student.log_in()  # the same student, for the later visits through the API
    browser_student.token = hub.api(
        "POST", f"/users/{STUDENTS[0]}/tokens", json={"note": "hub test"}
    ).json()["token"]
    timings["browser student: log in, link, start page run"] = time.monotonic() - started
    # binh and chau through the REST API
    for student in students[1:]:
        student.start_server()
        student.follow_link(link)
        student.run_notebook(f"{KIT}/{START}")
    timings["two API students ready"] = time.monotonic() - started
    # memory now: amal's Lab still has the start page's kernel open, after running it all
    print("\nmemory after the start page:\n" + "\n".join(memory(hub)))

    for student in students:
        assert (student.kit / START).exists(), f"{student.name} has no clone"
        printed = student.terminal(f"cd {student.kit} && python -m fournos my-work")
        assert "COMMAND-ENDED-0" in printed, printed
        assert (student.kit / "my-work" / EXERCISE).exists(), printed
        student.edit(f"{KIT}/{LESSON}", add_note(student.name))
        student.edit(f"{KIT}/my-work/{EXERCISE}", answer)

    # the instructor publishes a change to another lesson and to the edited one
    def update(path: str, text: str) -> None:
        notebook = json.loads((work / path).read_text(encoding="utf-8"))
        notebook["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": text})
        (work / path).write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")

    update(UPDATED, "Update from the instructor: read section 2 first.")
    update(LESSON, "Update from the instructor: a new question below.")
    git("commit", "--quiet", "-am", "Release 2", cwd=work)
    git("push", "--quiet", "students", "student", cwd=work)

    for student in students:
        student.follow_link(link)
        lesson = json.loads((student.kit / LESSON).read_text(encoding="utf-8"))
        texts = ["".join(c["source"]) for c in lesson["cells"]]
        assert note(student.name) in texts, f"{student.name}'s own note was lost"
        assert "Update from the instructor: a new question below." in texts
        updated = (student.kit / UPDATED).read_text(encoding="utf-8")
        assert "Update from the instructor: read section 2 first." in updated
        mine = (student.kit / "my-work" / EXERCISE).read_text(encoding="utf-8")
        assert "pd.crosstab" in mine, f"{student.name}'s answer was lost"
    timings["edits, update, link again"] = time.monotonic() - started

    # the instructor collects the my-work notebooks and grades them
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for student in students:
        shutil.copy(student.kit / "my-work" / EXERCISE, submissions / f"{student.name}.ipynb")
    out = tmp_path / "results"
    graded = subprocess.run(
        [str(BIN / "python"), "-m", "fournos", "grade", str(submissions), "--out", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr
    with open(out / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(Path(r["submission"]).stem for r in rows) == STUDENTS, rows
    for row in rows:  # each student's answer passes its check; the rest are not answered yet
        assert (row["status"], row["check:check_theme_matrix"], row["points"]) == (
            "ran",
            "pass",
            "1",
        ), row
        assert row["check:check_heatmap"] == "not answered", row
    timings["graded"] = time.monotonic() - started
    print("\n".join(f"{what}: {seconds:.0f} s" for what, seconds in timings.items()))
