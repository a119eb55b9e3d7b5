"""Stand in for the kernel when building the site: outputs that only a live kernel can
update (quizzes, the claim and timeline explorers) are made again, statically, from the
notebook's own code. The cells before one are run here (it is the kit's own code), so the
call gets the same arguments it gets in the notebook."""

from __future__ import annotations

import ast
import contextlib
import io
import re

from fournos_tools import site_content as content

ARTICLE = re.compile(r"""^ARTICLE\s*=\s*["'](art_[a-z0-9_]+)["']""", re.MULTILINE)


class SiteBuildError(Exception):
    """A notebook could not be turned into its site page; the message says which cell."""


def _static_paragraph(article_id, number, *, key):
    return content.paragraph_html(article_id, number)


def _static_quiz(article_id, *, key):
    return content.quiz_html(article_id)


def _static_claims(article_id, *, key):
    return content.claims_html(article_id)


def _static_timeline(frame, title, treaties=None, *, key):
    return content.timeline_explorer_html(frame, title, treaties, key=key)


def _static_region_quiz(*, key):
    from fournos.region import region_questions

    return content.questions_html(region_questions())


def _static_checks(*, key):
    return content.check_explorer_html()


RENDERERS = {
    "check_explorer": _static_checks,
    "region_quiz": _static_region_quiz,
    "paragraph": _static_paragraph,
    "quiz": _static_quiz,
    "claim_explorer": _static_claims,
    "timeline_explorer": _static_timeline,
}


def _final_call(source: str) -> ast.Module | None:
    """The cell's code if it ends with `fournos.<a function above>(...)`, else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return None
    func = last.value.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "fournos"
        and func.attr in RENDERERS
    ):
        return tree
    return None


class StaticKernel:
    def __init__(self, notebook, key: str):
        self.cells = notebook.cells
        self.key = key
        self.namespace: dict | None = None
        self.ran = 0

    def article(self) -> str | None:
        """The article a lesson is about (its `ARTICLE = "art_..."` line), if any."""
        for cell in self.cells:
            if cell.cell_type == "code" and (match := ARTICLE.search(cell.source)):
                return match[1]
        return None

    def _run(self, code: ast.Module, index: int) -> None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"<{self.key} cell {index}>", "exec"), self.namespace)  # noqa: S102 - the kit's own notebook code
        except Exception as err:  # noqa: BLE001 - any failure is reported with its cell
            raise SiteBuildError(
                f"{self.key}: cell {index} failed while making its page ({type(err).__name__}: "
                f"{err}). Run the notebook to check it."
            ) from None

    def _run_until(self, index: int) -> None:
        if self.namespace is None:
            self.namespace = {"__name__": "__site__"}
        for i in range(self.ran, index):
            cell = self.cells[i]
            if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
                continue
            tree = _final_call(cell.source)
            try:
                code = tree or ast.parse(cell.source)
            except SyntaxError:
                continue  # not Python (a cell magic): nothing it defines is needed here
            if tree is not None:  # a widget the page replaces: only what comes before it
                code = ast.Module(body=tree.body[:-1], type_ignores=[])
            self._run(code, i)
        self.ran = max(self.ran, index)

    def static_output(self, index: int) -> str | None:
        """The static HTML for a cell that needs a kernel, or None to keep its outputs."""
        cell = self.cells[index]
        tree = _final_call(cell.source)
        if tree is None or not cell.get("outputs"):
            return None
        self._run_until(index)
        self._run(ast.Module(body=tree.body[:-1], type_ignores=[]), index)
        self.ran = index + 1
        call = tree.body[-1].value
        try:
            args = [
                eval(compile(ast.Expression(a), "<arg>", "eval"), self.namespace) for a in call.args
            ]
            kwargs = {
                k.arg: eval(compile(ast.Expression(k.value), "<arg>", "eval"), self.namespace)
                for k in call.keywords
            }
            return RENDERERS[call.func.attr](*args, **kwargs, key=f"{self.key}-{index}")
        except Exception as err:  # noqa: BLE001
            raise SiteBuildError(
                f"{self.key}: cell {index} could not be shown without a kernel "
                f"({type(err).__name__}: {err})."
            ) from None
