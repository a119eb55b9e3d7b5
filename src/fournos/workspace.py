"""A student's own copy of the dataset: made once, never overwritten, checked on request."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

from fournos.data import DataError, data_dir, frictionless_problems, load, resource, table_names
from fournos.friendly_errors import a_type, counted


def copy_dataset(folder: str | Path) -> Path:
    """Copy the kit's tables into `folder` to edit freely. If the folder already exists it is
    left exactly as it is (your earlier work is never overwritten) and reused."""
    target = _folder(folder)
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
    (empty if all is well); never raises for a problem in the data. The kit's own checks run
    first (their messages name the row and say what to fix); if they pass, the Frictionless
    validator checks every constraint of the schema as well."""
    folder = _folder(folder)
    if not (folder / "datapackage.json").exists():
        hint = "Make one with fournos.copy_dataset(...)."
        return [f"{folder} is not a copy of the dataset: it has no datapackage.json. {hint}"]
    problems = []
    for name in table_names(folder):
        try:
            load(name, folder)
        except DataError as err:  # a table that links to a broken one repeats its problem
            if str(err) not in problems:
                problems.append(str(err))
    return problems or frictionless_problems(folder)


def add_rows(folder: str | Path, table: str, rows: list[dict]) -> None:
    """Add rows (dicts keyed by column name) to one table of your copy of the dataset.

    A row with the same key as one you added before replaces it, so you fix a mistake by
    running the cell again with the row corrected. The kit's own rows are never replaced.
    Run validate(folder) afterwards to check the result."""
    folder, path, columns, key = _table_file(folder, table)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DataError("Give the rows as a list of dicts, e.g. [{'event_id': 'ev_1972_x', ...}].")
    unknown = sorted({k for r in rows for k in r} - set(columns))
    if unknown:
        raise DataError(
            f"{table} has no column(s) {', '.join(unknown)}; its columns are {', '.join(columns)}."
        )
    kit_keys = {_key(r, key) for r in _read_rows(data_dir() / path.relative_to(folder))}
    # rows by key; a table without a key only ever gains rows
    existing = {_key(r, key) if key else i: r for i, r in enumerate(_read_rows(path))}
    added, replaced, refused = [], [], []
    for row in rows:
        cells = {c: _cell(row.get(c, "")) for c in columns}
        row_key = _key(cells, key)
        if key and row_key in kit_keys:
            refused.append(" / ".join(row_key))
            continue
        if not key:
            row_key = len(existing)
        (replaced if row_key in existing else added).append(" / ".join(row_key or ["row"]))
        existing[row_key] = cells
    _write_rows(path, columns, existing.values())
    message = f"Added {counted(len(added), 'row')} to {table}."
    if replaced:
        message += f" Replaced {len(replaced)} you had added before: {', '.join(replaced)}."
    if refused:
        message += (
            f" Left {', '.join(refused)} alone: the kit already has a row with that id, "
            "so give yours a new one."
        )
    print(message)


def remove_rows(folder: str | Path, table: str, keys: list[str]) -> None:
    """Remove rows you added to one table of your copy, by their id (the first key column).
    The kit's own rows stay: they are the record your additions are checked against."""
    folder, path, columns, key = _table_file(folder, table)
    if not key:
        raise DataError(f"{table} has no id column, so rows cannot be removed by id.")
    if isinstance(keys, str):
        keys = [keys]
    kit_ids = {r.get(key[0]) for r in _read_rows(data_dir() / path.relative_to(folder))}
    kept, removed = [], []
    for row in _read_rows(path):
        row_id = row.get(key[0], "")
        if row_id in keys and row_id not in kit_ids:
            removed.append(row_id)
        else:
            kept.append(row)
    _write_rows(path, columns, kept)
    missing = sorted(set(keys) - set(removed))
    note = f" Not removed (not one of your rows): {', '.join(missing)}." if missing else ""
    print(f"Removed {counted(len(removed), 'row')} from {table}.{note}")


def _table_file(folder, table) -> tuple[Path, Path, list[str], list[str]]:
    """The copy's folder, the table's file, its columns and its primary key."""
    folder = _folder(folder)
    if folder.resolve() == data_dir().resolve():
        raise DataError("Only a copy of the dataset can be changed; make one with copy_dataset().")
    schema = resource(table, folder)["schema"]
    key = schema.get("primaryKey", [])
    columns = [f["name"] for f in schema["fields"]]
    return (
        folder,
        folder / resource(table, folder)["path"],
        columns,
        ([key] if isinstance(key, str) else key),
    )


def _folder(folder) -> Path:
    if not isinstance(folder, (str, os.PathLike)):
        raise DataError(
            f"Give the folder as a name or a path, like 'my_dataset', not {a_type(folder)}."
        )
    return Path(folder)


def _key(row: dict, key: list[str]) -> tuple[str, ...]:
    return tuple(row.get(c) or "" for c in key)


def _read_rows(path: Path) -> list[dict]:
    """A table's rows as text, so a half-edited file can still be read and repaired."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, columns: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _cell(value) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)
