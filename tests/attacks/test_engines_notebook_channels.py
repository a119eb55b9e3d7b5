"""Nothing one notebook does reaches a later notebook, or the grader's own processes, in
either engine (red team round 3: F19's remainder and F5's; found while fixing them: the
kernel keyrings and POSIX message queues).

One class per engine, one worker, graded in name order:
- filler: writes 64 MiB files into /tmp until it cannot (up to 640 MiB); with a memory
  limit of 1024 MiB a notebook's /tmp holds a quarter of that. The kernel engine's kernels
  used to write into the sandbox's own /tmp, which had no limit but the machine's memory.
- accomplice: a correct solution that leaves its answers where a later notebook might read
  them: in every kernel keyring it can see (the host user's keyring outlives the sandbox and
  the run), in a POSIX message queue and in /tmp. Each receiver is the released exercise
  with its prompts removed: it scores 3 of 3 if its channel works.
- stopper: a correct solution that first stops every process it can signal (the worker and
  its zygote, in its PID namespace); it used to stop its own worker and lose its marks, and
  a notebook able to stop the zygote or the worker can reach every later notebook's grading.
- after: a correct solution graded last.
"""

from __future__ import annotations

import csv
import ctypes
import platform
import secrets
import time
from pathlib import Path

import nbformat
import pytest
from conftest import EX02, notebook, result, row, without_prompts

from fournos_tools.grading import batch, sandbox

MEMORY_MB = 1024
FILE_MB, FILES = 64, 10
TOKEN = secrets.token_hex(6)
ADD_KEY = {"x86_64": 248, "aarch64": 217}.get(platform.machine(), -1)
KEYCTL = {"x86_64": 250, "aarch64": 219}.get(platform.machine(), -1)

FILL = f"""
written = 0
try:
    for i in range({FILES}):
        with open(f'/tmp/fill{{i}}', 'wb') as f:
            for _ in range({FILE_MB}):
                f.write(b'x' * 2**20)
                written += 1
except OSError:
    pass
raise ValueError(f'wrote {{written}} MiB to /tmp')
"""
LEAVE = f"""
import base64, ctypes, json, os
_libc = ctypes.CDLL(None, use_errno=True)
_data = base64.b64encode(json.dumps({{
    'formulations': formulations.to_json(orient='split'),
    'gaps': gaps.to_json(orient='split'),
    'stats_found': stats_found.to_json(orient='split')}}).encode())
_name = b'fournos-{TOKEN}-' + _data
for _line in open('/proc/keys'):
    _fields = _line.split()
    if len(_fields) > 7 and _fields[7] == 'keyring':
        _libc.syscall({ADD_KEY}, b'user', _name, b'x', 1, ctypes.c_int32(int(_fields[0], 16)))
_queue = _libc.mq_open(b'/fournos-{TOKEN}', os.O_CREAT | os.O_WRONLY, 0o600, None)
if _queue >= 0:
    _libc.mq_send(_queue, _data, len(_data), 0)
open('/tmp/fournos-{TOKEN}', 'wb').write(_data)
"""
USE = """
import base64, io, json, pandas as pd
if _found:
    _got = json.loads(base64.b64decode(_found))
    formulations, gaps, stats_found = (
        pd.read_json(io.StringIO(_got[k]), orient='split')
        for k in ('formulations', 'gaps', 'stats_found'))
"""
FROM_KEYS = f"""
_found = None
for _line in open('/proc/keys'):
    for _word in _line.split():
        if _word.startswith('fournos-{TOKEN}-'):
            _found = _word[len('fournos-{TOKEN}-'):].rstrip(':')
{USE}"""
FROM_QUEUE = f"""
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
_found, _queue = None, _libc.mq_open(b'/fournos-{TOKEN}', os.O_RDONLY | os.O_NONBLOCK)
if _queue >= 0:
    _buffer = ctypes.create_string_buffer(1 << 16)
    _size = _libc.mq_receive(_queue, _buffer, 1 << 16, None)
    if _size > 0:
        _found = _buffer.raw[:_size]
{USE}"""
FROM_TMP = f"""
try:
    _found = open('/tmp/fournos-{TOKEN}', 'rb').read()
except OSError:
    _found = None
{USE}"""
STOP_OTHERS = """
import os, signal
stopped = []
for p in os.listdir('/proc'):
    if p.isdigit() and int(p) != os.getpid():
        try:
            os.kill(int(p), signal.SIGSTOP)
            stopped.append(int(p))
        except OSError:
            pass
"""


def _remove_keys() -> None:
    """Unlink what the accomplice left in this machine's keyrings (when the attack worked)."""
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        lines = [line.split() for line in Path("/proc/keys").read_text().splitlines()]
    except OSError:
        return
    rings = [int(f[0], 16) for f in lines if len(f) > 8 and f[7] == "keyring"]
    for fields in lines:
        if len(fields) > 8 and fields[8].startswith(f"fournos-{TOKEN}-"):
            for ring in rings:
                libc.syscall(KEYCTL, 9, ctypes.c_int32(int(fields[0], 16)), ctypes.c_int32(ring))


def _keys_left() -> bool:
    try:
        return f"fournos-{TOKEN}-" in Path("/proc/keys").read_text()
    except OSError:
        return False


_GRADED: dict[str, dict] = {}


@pytest.fixture(scope="module", params=["fork", "kernel"])
def graded(request, tmp_path_factory):
    if sandbox.problem() is not None:
        pytest.skip("needs bubblewrap")
    engine = request.param
    if engine in _GRADED:
        return _GRADED[engine]
    subs = tmp_path_factory.mktemp(f"channels-{engine}")
    out = tmp_path_factory.mktemp(f"channels-results-{engine}") / "class"
    class_ = {
        "a_filler": notebook(EX02, FILL, solution=False),
        "b_accomplice": notebook(EX02, late=(LEAVE,)),
        "c_keyreceiver": without_prompts(notebook(EX02, FROM_KEYS, solution=False)),
        "d_queuereceiver": without_prompts(notebook(EX02, FROM_QUEUE, solution=False)),
        "e_tmpreceiver": without_prompts(notebook(EX02, FROM_TMP, solution=False)),
        "f_stopper": notebook(EX02, STOP_OTHERS),
        "g_after": notebook(EX02),
    }
    for name, nb in class_.items():
        nbformat.write(nb, subs / f"{name}_{EX02}.ipynb")
    started = time.monotonic()
    try:
        results = batch.grade(
            subs,
            out,
            timeout=30,
            notebook_timeout=60,
            workers=1,
            engine=engine,
            memory_mb=MEMORY_MB,
            quiet=True,
        )
        keys_left = _keys_left()
    finally:
        _remove_keys()
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    _GRADED[engine] = {
        "engine": engine,
        "out": out,
        "rows": rows,
        "results": {r["submission"]: r for r in results},
        "seconds": time.monotonic() - started,
        "keys_left": keys_left,
    }
    return _GRADED[engine]


def test_a_notebooks_tmp_is_bounded_by_its_memory_limit(graded):
    filler = result(graded, "filler")
    message = " ".join(c["evalue"] for c in filler["cells"].values() if c["status"] == "error")
    written = int(message.split("wrote ")[1].split(" MiB")[0])
    assert 0 < written <= MEMORY_MB // 4, message


def test_the_accomplice_scores(graded):
    assert row(graded, "accomplice")["points"] == "3"


def test_answers_left_in_a_kernel_keyring_reach_no_later_notebook(graded):
    assert row(graded, "keyreceiver")["points"] == "0"
    assert not graded["keys_left"]  # nothing of a notebook's stays on the grader's machine


def test_answers_left_in_a_posix_message_queue_reach_no_later_notebook(graded):
    assert row(graded, "queuereceiver")["points"] == "0"


def test_answers_left_in_tmp_reach_no_later_notebook(graded):
    assert row(graded, "tmpreceiver")["points"] == "0"


def test_a_notebook_cannot_stop_the_grader_s_processes(graded):
    stopper = row(graded, "stopper")
    assert stopper["status"] == "ran" and stopper["points"] == "3"
    assert row(graded, "after")["points"] == "3"
