"""The one error type the kit raises for problems a user can fix, shown without a traceback."""

from __future__ import annotations


class DataError(Exception):
    """A problem with the kit's data or with a value passed in, explained in plain words."""


def show_friendly_errors() -> None:
    """In Jupyter, show a DataError as its message alone (a traceback helps nobody here)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def _show(shell, etype, value, tb, tb_offset=None):
        print(f"Problem: {value}")

    shell.set_custom_exc((DataError,), _show)


def a_type(value) -> str:
    """The kind of a value for a message, with its article: 'an int', 'a list'."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
