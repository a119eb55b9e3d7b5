"""Copy the exercise notebooks into my-work/, the student's own folder, never overwriting.

`fournos my-work` (or `make my-work`) runs this. Regenerating exercises or pulling an update
only ever writes to exercises/; my-work/ is ignored by git and is never written to except
by this copy, which skips every file that already exists there. It only copies files, so it
imports nothing heavy (no pandas, no plotly) and works in any environment with the kit
installed, with no set-up.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from fournos.kit import KitNotFound, current_kit


def copy_exercises(source: Path, target: Path) -> tuple[list, list]:
    """Copy each exercise notebook that is not yet in `target`. Returns (copied, skipped)."""
    target.mkdir(exist_ok=True)
    copied, skipped = [], []
    for notebook in sorted(source.glob("*.ipynb")):
        destination = target / notebook.name
        if destination.exists():
            skipped.append(destination)
        else:
            shutil.copy2(notebook, destination)
            copied.append(destination)
    return copied, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos my-work",
        description="Copy the exercise notebooks into my-work/, your own folder. A notebook "
        "that is already in my-work/ is never overwritten, so running this again is safe.",
    )
    parser.parse_args(argv)
    try:
        root = current_kit()
    except KitNotFound as err:
        print(err, file=sys.stderr)
        return 1
    source = root / "exercises"
    if not any(source.glob("*.ipynb")):
        print(
            f"There are no exercise notebooks in {source}: is this a complete copy of the kit?",
            file=sys.stderr,
        )
        return 1
    copied, skipped = copy_exercises(source, root / "my-work")
    for path in copied:
        print(f"  copied  {path.relative_to(root).as_posix()}")
    for path in skipped:
        print(
            f"  kept    {path.relative_to(root).as_posix()} (already there: your work is "
            "left as it is)"
        )
    print("Open the notebooks in my-work/ and work there.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
