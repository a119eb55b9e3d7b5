"""`fournos lab` signs the shipped lessons for this user's Jupyter (student trial 2, F8).

Unsigned lessons with stored outputs open untrusted in JupyterLab, which then shows each quiz's
plain fallback text instead of the quiz. This machine's own Jupyter data folder has signed the
lessons long ago (every `nbconvert --execute` signs), so the test uses a fresh one, as on a
student's laptop.
"""

from __future__ import annotations

import nbformat
from helpers import ROOT
from nbformat.sign import NotebookNotary

from fournos import launch

LESSON = ROOT / "notebooks" / "04_hao_2022_rebuttal.ipynb"


def test_the_lessons_are_trusted_after_fournos_lab_signs_them(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "fresh-jupyter-data"))
    before = LESSON.read_bytes()
    assert not NotebookNotary().check_signature(nbformat.read(LESSON, as_version=4))

    assert launch.trust_lessons(ROOT) >= 10

    assert NotebookNotary().check_signature(nbformat.read(LESSON, as_version=4))
    assert LESSON.read_bytes() == before, "signing must not change the notebook file"
    assert launch.trust_lessons(ROOT) == 0, "a second start signs nothing again"
