"""Shared helpers for the tests."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from helpers import DATA, ROOT


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of data/ that a test may break; the loader is pointed at it."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("FOURNOS_DATA", str(copy))
    return copy


# The unit stage spreads whole modules over pytest-xdist's workers (--dist loadscope), in
# collection order. The modules that assert on the attacking class share one grading of it
# per engine (tests/attacks/conftest.py, made once per run under a lock): spread over both
# workers, one waited about a minute while the other graded. They are one unit of work here,
# and the grading modules, the longest, go first, so that no worker ends with one of them.
CLASS_FIXTURES = ("attacked_class", "forked_class")


@functools.cache
def _grades_the_class(path: str) -> bool:
    file = ROOT / path
    return file.suffix == ".py" and any(
        f in file.read_text(encoding="utf-8") for f in CLASS_FIXTURES
    )


@pytest.hookimpl(optionalhook=True)  # without xdist (-p no:xdist) there is no such hook
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None  # another --dist a developer chose: xdist's own
    from xdist.scheduler import LoadScopeScheduling

    class OneClass(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return (
                "the attacking class" if _grades_the_class(path) else super()._split_scope(nodeid)
            )

    return OneClass(config, log)


def pytest_collection_modifyitems(items):
    def longest_first(item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return 0 if _grades_the_class(path) else 1 if path.startswith("tests/attacks/") else 2

    items.sort(key=longest_first)  # stable: each module's tests stay together, in order
