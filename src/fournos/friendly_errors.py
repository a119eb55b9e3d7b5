"""Errors shown the way a beginner can use them.

A DataError (a problem the kit explains: a wrong id, a missing column) shows as its message
alone. Any other error in a student's own code shows as a short, plain explanation naming
the line of their cell that failed, with Python's full error report folded one click below.

We write this small formatter instead of using a library: friendly-traceback (the one
maintained-looking candidate) has had no release since 2022, its Jupyter front end
("friendly") since early 2023, and pretty-errors (2021) formats terminal output only.
IPython's own traceback formatter still makes the full report.
"""

from __future__ import annotations

import html
import re
import traceback

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# One plain sentence for the errors beginners meet most, said as what to do.
EXPLANATIONS = {
    "NameError": "Python does not know this name. Check its spelling, and run the cell that "
    "creates it first (the set-up cell at the top included).",
    "KeyError": "There is no column, row or key with this name. Check its spelling and its "
    "capital letters; table.columns lists a table's columns.",
    "AttributeError": "This kind of value has no method or attribute with this name. Check the "
    "spelling, and check what the value is with type(value).",
    "TypeError": "A function or an operation got a kind of value it cannot use, or the wrong "
    "number of values. Check what you pass in, and in what order.",
    "ValueError": "A function got a value of the right kind that it cannot use here. The message "
    "below says which.",
    "IndexError": "You asked for a position past the end of a list or table. Positions count "
    "from 0, so the last of 5 items is number 4.",
    "ZeroDivisionError": "A number was divided by zero.",
    "ModuleNotFoundError": "This module is not installed in the kit. Check the spelling; the kit "
    "uses fournos, pandas and plotly.",
    "ImportError": "Python could not import this name. Check its spelling and the module it "
    "comes from.",
    "FileNotFoundError": "There is no file or folder at this path. Check the spelling, and that "
    "the path starts from the folder this notebook is in.",
    "RecursionError": "A function kept calling itself without end.",
}
GENERAL = "Read the message, fix the line, and run the cell again."


class DataError(Exception):
    """A problem with the kit's data or with a value passed in, explained in plain words."""


def counted(number: int, one: str, many: str | None = None) -> str:
    """A count in words, never "row(s)": '1 row', '5 rows' (`many` for other plurals)."""
    return f"{number} {one if number == 1 else (many or one + 's')}"


def a_type(value) -> str:
    """The kind of a value for a message, with its article: 'an int', 'a list'."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def explain(error: BaseException) -> str:
    """The plain explanation of an error: what it means and what to do."""
    for kind in type(error).__mro__:
        if kind.__name__ in EXPLANATIONS:
            return EXPLANATIONS[kind.__name__]
    return GENERAL


def your_line(tb, cell_files) -> traceback.FrameSummary | None:
    """The last line of the traceback that is in one of the student's own cells."""
    mine = [frame for frame in traceback.extract_tb(tb) if frame.filename in cell_files]
    return mine[-1] if mine else None


def error_report(error: BaseException, line: traceback.FrameSummary | None, full: str) -> dict:
    """The display bundle for an error: a short explanation, the full report folded."""
    kind = type(error).__name__
    try:
        message = str(error) or "(no message)"
    except Exception:  # noqa: BLE001 - a broken __str__ must not hide the error itself
        message = "(its message could not be shown)"
    where = f"line {line.lineno} of your cell" if line else "your cell"
    code = (line.line or "").strip() if line else ""
    plain = [f"{kind} in {where}:"]
    if code:
        plain.append(f"    {code}")
    plain += [f"{kind}: {message}", explain(error), "", "Full error report:", full]
    code_html = f"<pre style='margin:0.3em 0'>{html.escape(code)}</pre>" if code else ""
    page = (
        "<div class='fournos-error' style='border-left:4px solid #d55e00;padding:0.3em 0.8em'>"
        f"<b>{html.escape(kind)} in {where}:</b>{code_html}"
        f"<div><code>{html.escape(kind)}: {html.escape(message)}</code></div>"
        f"<p style='margin:0.4em 0'>{html.escape(explain(error))}</p>"
        "<details><summary style='cursor:pointer'>Show Python's full error report</summary>"
        f"<pre>{html.escape(full)}</pre></details></div>"
    )
    return {"text/plain": "\n".join(plain), "text/html": page}


def _show(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: returns None, so only our display is shown; the
    cell still counts as failed (Run All stops there, as it always does)."""
    from IPython.display import display

    if isinstance(value, DataError):
        print(f"Problem: {value}")
        return
    cell_files = getattr(getattr(shell, "compile", None), "_filename_map", {})
    full = ANSI.sub(
        "",
        shell.InteractiveTB.stb2text(
            shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        ),
    )
    display(error_report(value, your_line(tb, cell_files), full), raw=True)
    return


def show_friendly_errors() -> None:
    """In IPython, show errors the friendly way; elsewhere (a plain script) change nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.set_custom_exc((Exception,), _show)
