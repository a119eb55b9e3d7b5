"""Finding 3: the students' edition ships no model answer, in any wording.

The attack is a student searching the edition they were given: every dict of rebuttal ids in
a shipped file is tried as the Exercise 4.1 answer (with the leak it scores), and every
expression a solution computes an answer with is looked for, as code, in every shipped file.
The release's scan must also catch a model answer reworded (other quotes, spaces, names).
"""

from __future__ import annotations

import ast
import json

import nbformat
from helpers import ROOT

from fournos.checks import check_rebuttal_matches
from fournos_tools import release


def _python_sources(folder):
    """Every piece of Python in the edition: .py files and notebooks' code cells."""
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".py":
            yield path, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb.get("cells", []):
                if cell.get("cell_type") == "code":
                    yield path, "".join(cell.get("source", ""))


def test_no_shipped_file_holds_the_rebuttal_matches(edition):
    tried = 0
    for path, text in _python_sources(edition):
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                try:
                    value = ast.literal_eval(node)
                except ValueError:
                    continue
                if value and all(str(k).startswith("cl_") for k in value):
                    tried += 1
                    assert not check_rebuttal_matches(value).correct, path


def _answer_expressions() -> set[str]:
    """ast.dump of every non-trivial expression a solution block assigns to an answer."""
    from fournos_tools.exercises import _split

    found = set()
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for block in _split(cell.source)[1]:
                try:
                    tree = ast.parse("\n".join(block))
                except SyntaxError:
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.Assign) and sum(1 for _ in ast.walk(node.value)) >= 6:
                        found.add(ast.dump(node.value))
    return found


def test_no_shipped_code_computes_a_model_answer(edition):
    answers = _answer_expressions()
    hits = []
    for path, text in _python_sources(edition):
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        hits += [
            (path.relative_to(edition).as_posix(), ast.unparse(node))
            for node in ast.walk(tree)
            if isinstance(node, ast.expr) and ast.dump(node) in answers
        ]
    assert not hits


def test_the_release_scan_catches_a_reworded_model_answer(tmp_path):
    (tmp_path / "notes.py").write_text(
        "table = pd.crosstab( claims['article_id'],\n    claims['theme'] )\n", encoding="utf-8"
    )
    (tmp_path / "more.py").write_text(
        "LINKS = {'cl_hao_17': 'adv_hao_04', 'cl_ndj_10': 'adv_bui_03',\n"
        "         'cl_hao_09': 'adv_tuong_01'}\n",
        encoding="utf-8",
    )
    leaks = release.scan_folder(tmp_path, release.secrets(ROOT))
    assert {name for name, _ in leaks} == {"notes.py", "more.py"}
