"""A student's own copy of the dataset: made once, never overwritten, checked on request."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from fournos.data import DataError, data_dir, load, resource, table_names


def copy_dataset(folder: str | Path) -> Path:
    """Copy the kit's tables into `folder` to edit freely. If the folder already exists it is
    left exactly as it is (your earlier work is never overwritten) and reused."""
    target = Path(folder)
    if target.exists():
        print(f"Using your existing copy in {target.name} (nothing was overwritten).")
        return target
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("raw", "*.txt"))
    shutil.copytree(data_dir() / "articles", target / "articles", dirs_exist_ok=True)
    print(
        f"Copied the dataset to {target.name}. Add rows with fournos.add_rows; the kit's own data "
        "is untouched."
    )
    return target


def validate(folder: str | Path) -> list[str]:
    """Check every table in a copy of the dataset. Returns a list of problems in plain words
    (empty if all is well); never raises for a problem in the data."""
    folder = Path(folder)
    if not (folder / "datapackage.json").exists():
        hint = "Make one with fournos.copy_dataset(...)."
        return [f"{folder} is not a copy of the dataset: it has no datapackage.json. {hint}"]
    problems = []
    for name in table_names(folder):
        try:
            load(name, folder)
        except DataError as err:
            problems.append(str(err))
    return problems


def add_rows(folder: str | Path, table: str, rows: list[dict]) -> None:
    """Append rows (dicts keyed by column name) to one table of your copy of the dataset.
    A row whose key is already in the table is skipped, so running the cell again adds
    nothing twice. Refuses to touch the kit's own data. Run validate(folder) afterwards."""
    folder = Path(folder)
    if folder.resolve() == data_dir().resolve():
        raise DataError(
            "add_rows only changes a copy of the dataset; make one with copy_dataset()."
        )
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DataError("Give the rows as a list of dicts, e.g. [{'event_id': 'ev_1972_x', ...}].")
    columns = [f["name"] for f in resource(table, folder)["schema"]["fields"]]
    unknown = sorted({k for r in rows for k in r} - set(columns))
    if unknown:
        raise DataError(
            f"{table} has no column(s) {', '.join(unknown)}; its columns are {', '.join(columns)}."
        )
    path = folder / resource(table, folder)["path"]
    key = resource(table, folder)["schema"].get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    seen = _keys(path, key)
    added, skipped = 0, []
    with open(path, "a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        for row in rows:
            cells = {c: _cell(row.get(c, "")) for c in columns}
            row_key = tuple(cells[c] for c in key)
            if key and row_key in seen:
                skipped.append(" / ".join(row_key))
                continue
            seen.add(row_key)
            writer.writerow(cells)
            added += 1
    message = f"Added {added} row(s) to {table}."
    if skipped:
        message += f" Skipped {len(skipped)} already there: {', '.join(skipped)}."
    print(message)


def _keys(path: Path, key: list[str]) -> set[tuple[str, ...]]:
    """The primary-key values already in a table file (read as text, so a half-edited file
    still works)."""
    if not key:
        return set()
    with open(path, encoding="utf-8", newline="") as f:
        return {tuple(r.get(c) or "" for c in key) for r in csv.DictReader(f)}


def _cell(value) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)
