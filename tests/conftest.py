"""Shared helpers for the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of data/ that a test may break; the loader is pointed at it."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("FOURNOS_DATA", str(copy))
    return copy
