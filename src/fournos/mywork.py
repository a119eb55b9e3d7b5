"""Copy the exercise notebooks into my-work/, the student's own folder, never overwriting.

`make my-work` runs this. Regenerating exercises or pulling an update only ever writes to
exercises/; my-work/ is ignored by git and is never written to except by this copy, which
skips every file that already exists there.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_exercises(
    source: Path = ROOT / "exercises", target: Path = ROOT / "my-work"
) -> tuple[list, list]:
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
    copied, skipped = copy_exercises()
    for path in copied:
        print(f"  copied  {path.relative_to(ROOT)}")
    for path in skipped:
        print(f"  skipped {path.relative_to(ROOT)} (already there: your work is kept as it is)")
    print("Open the notebooks in my-work/ and work there.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
