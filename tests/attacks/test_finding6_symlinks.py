"""Finding 6: a submission that is a symbolic link (here to the solution, which would score
3 of 3) or lies in a linked folder is refused and reported, never graded. The forked engine's
run only: files are refused before any engine starts."""

from __future__ import annotations

from conftest import EX02


def test_a_symlinked_submission_is_refused_and_reported(forked_class):
    linked = forked_class["rows"][f"s_symlink_{EX02}.ipynb"]
    assert linked["points"] in ("", "0")
    assert "symbolic link" in linked["status"]


def test_a_submission_in_a_linked_folder_is_refused(forked_class):
    inside = [r for name, r in forked_class["rows"].items() if name.startswith("t_linked")]
    assert inside, "a notebook reached through a linked folder must get a row saying why"
    for r in inside:
        assert r["points"] in ("", "0") and "symbolic link" in r["status"]
