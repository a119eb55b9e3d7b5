"""The students' edition's library hands out no model answer: a student who calls every public
function of `fournos.debate` (with no argument, or with each side) never gets Exercise 4.2's
answer, the one advocate argument nobody answers, on its own.

Before the fix `fournos.debate.unanswered("advocate")` returned exactly that id. The attack
runs in the built edition, with the edition's own library, as a student's kernel would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import nbformat
from helpers import ROOT

EX04 = ROOT / "solutions" / "ex04_arguments_and_answers.ipynb"
PROBE = r"""
import inspect, json
from fournos import debate
got = []
for name, func in inspect.getmembers(debate, inspect.isfunction):
    if name.startswith("_") or func.__module__ != debate.__name__:
        continue
    for args in ((), ("advocate",), ("rebuttal",)):
        try:
            value = func(*args)
        except Exception:
            continue
        if isinstance(value, str):
            got.append([name, [value]])
        elif isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value):
            got.append([name, sorted(value)])
print(json.dumps({"library": debate.__file__, "got": got}))
"""


def model_answer() -> str:
    nb = nbformat.read(EX04, as_version=4)
    for cell in nb.cells:
        if found := re.search(r'^unanswered = "(\w+)"', cell.source, re.MULTILINE):
            return found.group(1)
    raise AssertionError('Exercise 4.2\'s model answer is no longer `unanswered = "..."`')


def test_no_debate_function_of_the_edition_returns_the_unanswered_argument(edition):
    answer = model_answer()
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=edition,
        env={**os.environ, "PYTHONPATH": str(edition / "src"), "FOURNOS_KIT": str(edition)},
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(done.stdout)
    assert probe["library"].startswith(str(edition)), "the probe must use the edition's library"
    results = probe["got"]
    assert results, "the probe called no function: it proves nothing"
    giving = [name for name, values in results if values == [answer]]
    assert giving == [], f"{giving} return Exercise 4.2's answer on its own"
