"""Paths and small helpers shared by the tests (imported by name: conftest modules are not)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHOTS = ROOT / "test-output" / "screenshots"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
