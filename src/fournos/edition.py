"""Which version of the kit this is, in words a student can tell an instructor.

A students' edition carries `RELEASE.json` (written by `fournos release`): the kit's
version, the release's number and date, and the instructors' commit it was built from.
The instructors' source has no such file; there the version comes from pyproject.toml.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from fournos.kit import KitNotFound, current_kit

STAMP = "RELEASE.json"


def stamp(root: Path | None = None) -> dict:
    """The release stamp of the kit at `root` ({} outside a students' edition)."""
    try:
        root = root or current_kit()
    except KitNotFound:
        return {}
    path = root / STAMP
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def describe(found: dict, root: Path | None = None) -> str:
    """One line naming a version, e.g. "students' release 3 of kit 0.1.0 (2026-12-03,
    built from 9a016da)"."""
    if found.get("release"):
        return (
            f"students' release {found['release']} of kit {found.get('version', '?')} "
            f"({found.get('date', 'undated')}, built from {found.get('commit') or 'an unknown commit'})"
        )
    version = "?"
    try:
        pyproject = (root or current_kit()) / "pyproject.toml"
        version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (KitNotFound, OSError, KeyError, ValueError):
        pass
    return f"the instructors' source of kit {version} (not a students' release)"


def edition(root: Path | None = None) -> str:
    """The version of the kit in use, in one line: what to tell an instructor."""
    return "This kit is " + describe(stamp(root), root) + "."
