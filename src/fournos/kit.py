"""Find the kit folder (the one holding data/datapackage.json) the library is used in.

The library never trusts its own install location alone: installed into a hub image or a
shared environment, it must serve whichever clone of the kit the student works in. So:

1. `$FOURNOS_KIT`, if set, names the kit folder;
2. else the nearest folder, from the current working directory upwards, that holds
   data/datapackage.json (a kernel's working directory is its notebook's folder, so a
   notebook in notebooks/, exercises/ or my-work/ finds its own kit);
3. else the clone the library itself was installed from, if it was installed in
   development mode from a kit (`pip install -e .`; what `make lab` does), so that a
   kernel started in a scratch folder, as the grader does, still finds the data;
4. else a `KitNotFound` error that says what to do.

A process looks once (`current_kit()`, the first time anything needs the kit) and keeps the
answer, so every part of one command or one kernel works on the same kit even after it
changes its working folder (the grader checks answers in a scratch folder). Commands pass
that folder down; nothing looks at import time.

`$FOURNOS_DATA` (used by tests and by students' own data copies) still overrides the data
folder alone: see `fournos.data.data_dir`.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from fournos.friendly_errors import DataError

MARKER = Path("data") / "datapackage.json"


class KitNotFound(DataError):
    """No kit folder could be found from here."""


def is_kit(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def kit_root(start: Path | str | None = None) -> Path:
    """The kit folder to use (see the module's docstring for the order of the search)."""
    named = os.environ.get("FOURNOS_KIT")
    if named:
        folder = Path(named).expanduser().resolve()
        if not is_kit(folder):
            raise KitNotFound(
                f"FOURNOS_KIT is set to {folder}, but that folder has no {MARKER.as_posix()}. "
                "Point FOURNOS_KIT at the kit's folder (the one with data/ and notebooks/ "
                "in it), or unset it."
            )
        return folder
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if is_kit(folder):
            return folder
    source = Path(__file__).resolve().parents[2]
    if is_kit(source):
        return source
    raise KitNotFound(
        f"Could not find the kit from {here}: no folder from here upwards has "
        f"{MARKER.as_posix()}. Change into the kit's folder (the one with data/ and "
        "notebooks/ in it) and try again, or set FOURNOS_KIT to that folder."
    )


@cache
def current_kit() -> Path:
    """The kit this process works in: found by `kit_root()` the first time, then kept."""
    return kit_root()
