"""The second red team's class: each attacker starts from a submission that scores (the
solution, or a classmate's answers reached through the attack), so a test fails if the
attack works. Graded once per engine, one worker, in name order, so that a notebook that
tries to read an earlier one runs after it in the same worker.
"""

from __future__ import annotations

import csv
import http.server
import re
import socketserver
import threading
import time
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT, once_per_run

from fournos_tools.grading import batch, sandbox

EX02, EX03 = "ex02_doctrine_and_dates", "ex03_alliances_and_treaties"
CELL_TIMEOUT = 20  # a fresh kernel on a loaded 2-core machine needs 10 s for its first cell


def notebook(name: str, *early: str, solution: bool = True, late: tuple[str, ...] = ()):
    """The solution (or the released exercise) with `early` cells right after its first code
    cell (before any answer is exported) and `late` cells at the end."""
    folder = "solutions" if solution else "exercises"
    nb = nbformat.read(ROOT / folder / f"{name}.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[first + 1 : first + 1] = [nbformat.v4.new_code_cell(code) for code in early]
    nb.cells += [nbformat.v4.new_code_cell(code) for code in late]
    return nb


def without_prompts(nb):
    """The released exercise's answer prompts (`name = ...  # your code here`) removed, so
    that values set earlier stay."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = re.sub(r"(?m)^\w+ = \.\.\.  # your code here$", "pass", cell.source)
    return nb


def answer_cell(nb, starts: str, extra: str, before: bool = False):
    cell = next(c for c in nb.cells if c.cell_type == "code" and starts in c.source)
    cell.source = extra + "\n" + cell.source if before else cell.source + "\n" + extra
    return nb


# Replaces the grader's export of one check's answer with a line the attacker wrote: the
# channel works in both engines (each calls exchange.export_line where the notebook ran).
FORGE = """
import fournos_tools.grading.exchange as _exchange
_real = _exchange.export_line
def _forged(namespace, check, names, _real=_real):
    if check == {check!r}:
        return {line}
    return _real(namespace, check, names)
_exchange.export_line = _forged
"""

DTYPE_BOMB = FORGE.format(
    check="check_date_gaps",
    line='\'{"event": "answer", "check": "check_date_gaps", "values": {"gaps": '
    '{"type": "ndarray", "dtype": "S300000000", "items": '
    '[{"type": "json", "value": "a"}, {"type": "json", "value": "b"}, '
    '{"type": "json", "value": "c"}]}}}\'',
)
DEEP = FORGE.format(
    check="check_formulations",
    line='\'{"event": "answer", "check": "check_formulations", "values": '
    "{\"formulations\": ' + '[' * 100000 + ']' * 100000 + '}}'",
)

# Reads its own memory (a copy of whatever its parent held) for classmates' answer lines
# and replays them as its own answers.
THIEF = r"""
import json, re, fournos_tools.grading.exchange as _exchange
found = {}
pattern = re.compile(rb'\{"event": "answer", "check": "(check_\w+)", "values": [^\n]*')
with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
    for line in maps:
        span, perms = line.split()[:2]
        start, end = (int(x, 16) for x in span.split('-'))
        if 'r' not in perms or end - start > 1 << 28:
            continue
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        for match in pattern.finditer(chunk):
            text = match.group(0).decode('utf-8', 'replace')
            for cut in range(len(text), 0, -1):
                if text[cut - 1] != '}':
                    continue
                try:
                    record = json.loads(text[:cut])
                except (ValueError, RecursionError):
                    continue
                values = record.get('values', {})
                if all(v.get('type') == 'dataframe' for v in values.values()):
                    found.setdefault(record['check'], text[:cut])
                break
_real = _exchange.export_line
_exchange.export_line = lambda ns, check, names: found.get(check) or _real(ns, check, names)
"""

# An accomplice earlier in the same worker leaves its answers in shared memory.
SHARE_SHM = """
import json
json.dump({'formulations': formulations.to_json(orient='split'), 'gaps': gaps.to_json(orient='split'),
           'stats_found': stats_found.to_json(orient='split')}, open('/dev/shm/fournos-answers', 'w'))
"""
TAKE_SHM = """
import io, json, pandas as pd
try:
    got = json.load(open('/dev/shm/fournos-answers'))
    formulations, gaps, stats_found = (pd.read_json(io.StringIO(got[k]), orient='split')
                                       for k in ('formulations', 'gaps', 'stats_found'))
except OSError:
    pass
"""
SYSV = """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
KEY, SIZE = 0x4F55524E, 1 << 20
"""
SHARE_SYSV = (
    SYSV
    + """
import json
data = json.dumps({'formulations': formulations.to_json(orient='split'), 'gaps': gaps.to_json(orient='split'),
                   'stats_found': stats_found.to_json(orient='split')}).encode() + b'\\0'
shm = _libc.shmget(KEY, SIZE, 0o1000 | 0o666)
address = _libc.shmat(shm, None, 0)
ctypes.memmove(address, data, len(data))
"""
)
TAKE_SYSV = (
    SYSV
    + """
import io, json, pandas as pd
shm = _libc.shmget(KEY, 0, 0)
if shm >= 0:
    address = _libc.shmat(shm, None, 0)
    got = json.loads(ctypes.string_at(address).decode())
    formulations, gaps, stats_found = (pd.read_json(io.StringIO(got[k]), orient='split')
                                       for k in ('formulations', 'gaps', 'stats_found'))
"""
)
# Red team round 3 (F2): the same answers left where the sandbox's tmpfs root, /etc and /dev
# were writable and shared by every notebook of a worker.
ROOT_PLACES = "('/fournos-answers', '/etc/fournos-answers', '/dev/fournos-answers')"
SHARE_ROOT = f"""
import json
data = json.dumps({{'formulations': formulations.to_json(orient='split'),
                    'gaps': gaps.to_json(orient='split'),
                    'stats_found': stats_found.to_json(orient='split')}})
for place in {ROOT_PLACES}:
    try:
        open(place, 'w').write(data)
    except OSError:
        pass
"""
TAKE_ROOT = f"""
import io, json, pandas as pd
for place in {ROOT_PLACES}:
    try:
        got = json.load(open(place))
    except OSError:
        continue
    formulations, gaps, stats_found = (pd.read_json(io.StringIO(got[k]), orient='split')
                                       for k in ('formulations', 'gaps', 'stats_found'))
    break
"""
# (F1) an IPython configuration every later kernel of the worker would run: it replaces each
# exported answer with a string, so a later classmate's correct solution would score 0
SABOTAGE = """
import os
code = (
    "c.InteractiveShellApp.exec_lines = ['import fournos_tools.grading.exchange as _e; "
    "_e.export_names = lambda ns, names: "
    "{n: {\\"type\\": \\"json\\", \\"value\\": \\"sabotaged\\"} for n in names}']"
)
for d in ('/etc/ipython', '/etc/jupyter', '/usr/local/etc/ipython'):
    try:
        os.makedirs(d, exist_ok=True)
        for f in ('ipython_config.py', 'ipython_kernel_config.py'):
            open(os.path.join(d, f), 'w').write(code)
    except OSError:
        pass
"""
# (F5) kills every other child of its parent: in the forked engine, the zygote that forks
# each later notebook's process
KILL_SIBLINGS = """
import os, signal
me, parent = os.getpid(), os.getppid()
for p in os.listdir('/proc'):
    if not p.isdigit() or int(p) in (me, parent, 1):
        continue
    try:
        fields = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    if int(fields[1]) == parent:
        os.kill(int(p), signal.SIGKILL)
"""
# (F8) tells the worker its cell has ended, on every pipe it holds, then runs on
UNTIMED = f"""
import json, os, time
forged = (json.dumps({{"event": "cell", "index": 1, "status": "ok"}}) + "\\n").encode()
for fd in range(3, 64):
    try:
        os.write(fd, forged)
    except OSError:
        pass
time.sleep({CELL_TIMEOUT} + 4)
"""
NO_ALARM = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)"
SLOW = f"import time\ntime.sleep({CELL_TIMEOUT + 4})"
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)>"


class DrippingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Answers every request one byte at a time, and counts the requests."""

    daemon_threads = True

    def __init__(self):
        self.requests_seen = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests_seen += 1
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(8):
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(1)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


# Graded by the forked engine only: what the grader does the same whichever engine ran the
# notebook (files refused before grading, answers rebuilt and checked in the checker, feedback
# escaped, data validated offline), the thief (it reads a forked child's inherited memory; a
# kernel starts empty) and the forged cell end (a forked child's pipe). The kernel engine's
# class keeps every attack on how a notebook runs: its isolation, time limits, error lines,
# and what one notebook leaves for the next.
FORKED_ONLY = (
    "bomber", "deep", "thief", "remote", "shaper", "htmler", "blank", "untimed", "symlink",
    "linked",
)  # fmt: skip


def class_of_attackers(subs, port: int, engine: str) -> None:
    profile = f"http://127.0.0.1:{port}/profile.json"
    remote = (
        "import json\nfrom pathlib import Path\n"
        "d = Path(my_folder) / 'datapackage.json'\nspec = json.loads(d.read_text())\n"
        f"spec['profile'] = {profile!r}\n"
        "for r in spec['resources']:\n"
        f"    r['profile'] = {profile!r}\n"
        "d.write_text(json.dumps(spec))"
    )
    elsewhere = notebook(EX03)
    answer_cell(
        elsewhere,
        "my_folder = fournos.copy_dataset(",
        "import tempfile, os\nos.makedirs('/tmp/elsewhere', exist_ok=True)\n"
        "tempfile.tempdir = '/tmp/elsewhere'",
        before=True,
    )
    crasher = answer_cell(
        notebook(EX02), 'gaps = pd.DataFrame({"event_id"', "record['nope']", before=True
    )
    crasher.cells.append(nbformat.v4.new_code_cell("def broken(:\n    pass"))
    shaper = notebook(EX02)
    shaper_cell = next(c for c in shaper.cells if 'gaps["days_apart"] =' in c.source)
    shaper_cell.source = shaper_cell.source.replace(
        "\ngaps\n###", "\ngaps['days_apart'] = ['a lot', 'hardly any']\ngaps\n###"
    )
    assert "a lot" in shaper_cell.source
    htmler = notebook(EX02, late=(f"raise ValueError({HTML!r})",))
    written = next(c for c in htmler.cells if c.source.startswith("**Your answer:**"))
    written.source = f"**Your answer:**\n\n{HTML}"
    blank = notebook(EX02)
    for c in blank.cells:
        if c.cell_type == "markdown" and c.source.startswith("**Your answer:**"):
            c.source = "**Your answer:**\n\n*Write your answer here.*"
    class_ = {
        f"a_ana_{EX02}.ipynb": notebook(EX02),
        f"b_bomber_{EX02}.ipynb": notebook(EX02, DTYPE_BOMB),
        f"c_deep_{EX02}.ipynb": notebook(EX02, DEEP),
        f"d_thief_{EX02}.ipynb": notebook(EX02, THIEF, solution=False),
        f"e_accomplice_{EX02}.ipynb": notebook(EX02, late=(SHARE_SHM, SHARE_SYSV, SHARE_ROOT)),
        f"f_rootreceiver_{EX02}.ipynb": without_prompts(notebook(EX02, TAKE_ROOT, solution=False)),
        f"f_shmreceiver_{EX02}.ipynb": without_prompts(notebook(EX02, TAKE_SHM, solution=False)),
        f"g_sysvreceiver_{EX02}.ipynb": without_prompts(notebook(EX02, TAKE_SYSV, solution=False)),
        f"h_alarm_{EX02}.ipynb": notebook(EX02, NO_ALARM, SLOW),
        f"h_untimed_{EX02}.ipynb": notebook(EX02, UNTIMED),
        f"i_remote_{EX03}.ipynb": answer_cell(
            notebook(EX03), "my_folder = fournos.copy_dataset(", remote
        ),
        f"j_elsewhere_{EX03}.ipynb": elsewhere,
        f"k_crasher_{EX02}.ipynb": crasher,
        f"l_shaper_{EX02}.ipynb": shaper,
        f"m_htmler_{EX02}.ipynb": htmler,
        f"n_blank_{EX02}.ipynb": blank,
        f"u_saboteur_{EX02}.ipynb": notebook(EX02, SABOTAGE, solution=False),
        f"v_victim_{EX02}.ipynb": notebook(EX02),
        f"w_zkiller_{EX02}.ipynb": notebook(EX02, KILL_SIBLINGS, solution=False),
        f"x_after_{EX02}.ipynb": notebook(EX02),
    }
    class_[f"s_symlink_{EX02}.ipynb"] = ROOT / "solutions" / f"{EX02}.ipynb"
    class_["t_linked"] = ROOT / "solutions"
    for name, nb in class_.items():
        if engine == "kernel" and _who(name) in FORKED_ONLY:
            continue
        if isinstance(nb, Path):
            (subs / name).symlink_to(nb, target_is_directory=nb.is_dir())
        else:
            nbformat.write(nb, subs / name)


def _grade(tmp_path_factory, engine: str) -> dict:
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    subs = tmp_path_factory.mktemp(f"class-{engine}")
    out = tmp_path_factory.mktemp(f"results-{engine}") / "class"
    server = DrippingServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    class_of_attackers(subs, server.server_address[1], engine)
    started = time.monotonic()
    try:
        results = batch.grade(
            subs,
            out,
            timeout=CELL_TIMEOUT,
            notebook_timeout=90,
            workers=1,
            engine=engine,
            memory_mb=1536,
            quiet=True,
        )
    finally:
        server.shutdown()
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    with open(out / "marking-sheet.csv", encoding="utf-8") as f:
        sheet = list(csv.DictReader(f))
    return {
        "out": out,
        "rows": rows,
        "sheet": sheet,
        "results": {r["submission"]: r for r in results},
        "seconds": time.monotonic() - started,
        "network_requests": server.requests_seen,
    }


_GRADED: dict[str, dict] = {}


def graded_by(engine: str, tmp_path_factory) -> dict:
    """The class graded by `engine`, once per run whatever the number of workers (grading
    it once per worker cost a minute or more per engine)."""
    if engine not in _GRADED:
        _GRADED[engine] = once_per_run(
            tmp_path_factory,
            f"graded-class-{engine}",
            lambda _: {"engine": engine, **_grade(tmp_path_factory, engine)},
        )
    return _GRADED[engine]


@pytest.fixture(scope="session", params=["fork", "kernel"])
def attacked_class(request, tmp_path_factory):
    """The class graded by each engine in turn (the kernel engine's without FORKED_ONLY)."""
    return graded_by(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def forked_class(tmp_path_factory):
    return graded_by("fork", tmp_path_factory)


def _who(name: str) -> str:
    return name.replace("/", "_").split("_", 2)[1]


def row(graded: dict, who: str) -> dict:
    return next(r for name, r in graded["rows"].items() if _who(name) == who)


def result(graded: dict, who: str) -> dict:
    return next(r for name, r in graded["results"].items() if _who(name) == who)


def feedback(graded: dict, who: str) -> str:
    return (graded["out"] / row(graded, who)["feedback_file"]).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def edition(tmp_path_factory):
    """The students' edition as `fournos release` builds it, built once for the attack tests
    that search it for answers."""
    from fournos_tools import release

    def build(folder):
        release.build(folder / "fournos", ROOT)
        return folder / "fournos"

    return once_per_run(tmp_path_factory, "edition", build)
