"""Load the kit's tables as typed pandas DataFrames, checked against data/datapackage.json.

The descriptor is the one schema: column names, types, required fields, allowed values,
primary and foreign keys are all read from it. A problem in a file stops loading with one
`DataError` that names the file, the row and the column. Files are only ever read.

The full Frictionless validator runs in the test suite; here a light check keeps notebook
start-up fast (importing frictionless and validating every table costs about a second).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from fournos.errors import DataError
from fournos.kit import kit_root


def data_dir() -> Path:
    """The data folder: $FOURNOS_DATA if set, else data/ in the kit folder in use (found
    from the working directory upwards, or $FOURNOS_KIT: see `fournos.kit.kit_root`)."""
    named = os.environ.get("FOURNOS_DATA")
    return Path(named) if named else kit_root() / "data"


def descriptor(folder: Path | str | None = None) -> dict:
    """The Data Package descriptor (datapackage.json) as a dict."""
    path = Path(folder or data_dir()) / "datapackage.json"
    try:
        return _read_descriptor(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise DataError(f"The schema file {path} is missing.") from None


@lru_cache(maxsize=8)
def _read_descriptor(path: Path, _mtime: int) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(f"{path} is not valid JSON (line {err.lineno}): {err.msg}.") from None


def table_names(folder: Path | str | None = None) -> list[str]:
    """Names of all tables in the data package, in descriptor order."""
    return [r["name"] for r in descriptor(folder)["resources"]]


def resource(name: str, folder: Path | str | None = None) -> dict:
    """The descriptor entry of one table."""
    for res in descriptor(folder)["resources"]:
        if res["name"] == name:
            return res
    raise DataError(_unknown("table", name, table_names(folder)))


def load(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Load one table by name (e.g. "events"), typed and checked. Returns a fresh copy."""
    folder = Path(folder or data_dir())
    res = resource(name, folder)
    path = folder / res["path"]
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(f"The file for table '{name}' is missing: {path}") from None
    return _load_checked(name, folder, mtime).copy()


@lru_cache(maxsize=64)
def _load_checked(name: str, folder: Path, _mtime: int) -> pd.DataFrame:
    res = resource(name, folder)
    path = folder / res["path"]
    schema = res["schema"]
    raw = _read_csv(path)
    _check_columns(raw, schema, path)
    frame = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        frame[field["name"]] = _convert(raw[field["name"]], field, path)
    _check_primary_key(frame, schema, path)
    for fk in schema.get("foreignKeys", []):
        _check_foreign_key(frame, fk, folder, path)
    return frame


def _read_csv(path: Path) -> pd.DataFrame:
    raw_bytes = path.read_bytes()
    try:
        raw_bytes.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw_bytes[: err.start].count(b"\n") + 1
        raise DataError(
            f"{path.name}: line {line} is not UTF-8 text. Save the file as UTF-8 (CSV UTF-8 in a "
            "spreadsheet program) and try again."
        ) from None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.ParserError as err:
        raise DataError(f"{path.name}: the CSV layout is broken ({err}).") from None
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{path.name}: the file is empty (it needs at least a header row)."
        ) from None


def _check_columns(raw: pd.DataFrame, schema: dict, path: Path) -> None:
    expected = [f["name"] for f in schema["fields"]]
    missing = [c for c in expected if c not in raw.columns]
    extra = [c for c in raw.columns if c not in expected]
    if missing:
        raise DataError(f"{path.name}: missing column(s) {', '.join(missing)}.")
    if extra:
        raise DataError(
            f"{path.name}: unexpected column(s) {', '.join(map(str, extra))}; "
            f"the schema expects {', '.join(expected)}."
        )


def _where(path: Path, index: int, column: str) -> str:
    # index 0 is the first data row, which is line 2 of the file (after the header)
    return f"{path.name}, row {index + 1} (line {index + 2}), column '{column}'"


def _convert(values: pd.Series, field: dict, path: Path) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    rules = field.get("constraints", {})
    for i, value in values.items():
        if value == "":
            if rules.get("required"):
                raise DataError(f"{_where(path, i, name)}: a value is required.")
            continue
        if "enum" in rules and value not in rules["enum"]:
            raise DataError(
                f"{_where(path, i, name)}: '{value}' is not allowed; use one of "
                f"{', '.join(rules['enum'])}."
            )
        if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
            hint = (
                " (a date is YYYY, YYYY-MM or YYYY-MM-DD)"
                if field.get("partialDate")
                else f" (write it like '{field['example']}')"
                if "example" in field
                else ""
            )
            raise DataError(f"{_where(path, i, name)}: '{value}' has the wrong form{hint}.")
        if field.get("partialDate"):
            _check_partial_date(value, path, i, name)
    if kind == "integer":
        return _to_integers(values, path, name)
    if kind == "date":
        return pd.to_datetime(values.replace("", None), format="%Y-%m-%d")
    if kind == "list":
        sep = field.get("delimiter", ",")
        return values.map(lambda v: [item.strip() for item in v.split(sep)] if v else [])
    return values


def _check_partial_date(value: str, path: Path, index: int, column: str) -> None:
    padded = value + "-01" * (2 - value.count("-"))
    try:
        pd.Timestamp(padded)
    except ValueError:
        raise DataError(f"{_where(path, index, column)}: '{value}' is not a real date.") from None


def _to_integers(values: pd.Series, path: Path, name: str) -> pd.Series:
    for i, value in values.items():
        if value and not re.fullmatch(r"-?\d+", value):
            raise DataError(f"{_where(path, i, name)}: '{value}' is not a whole number.")
    return pd.to_numeric(values.replace("", None)).astype("Int64")


def _check_primary_key(frame: pd.DataFrame, schema: dict, path: Path) -> None:
    key = schema.get("primaryKey", [])
    if not key:
        return
    repeated = frame[frame.duplicated(key, keep="first")]
    if not repeated.empty:
        i = repeated.index[0]
        value = ", ".join(str(frame.at[i, k]) for k in key)
        raise DataError(f"{_where(path, i, '/'.join(key))}: '{value}' appears more than once.")


def _check_foreign_key(frame: pd.DataFrame, fk: dict, folder: Path, path: Path) -> None:
    (column,) = fk["fields"]
    (target_column,) = fk["reference"]["fields"]
    target = fk["reference"]["resource"]
    known = set(load(target, folder)[target_column])
    for i, value in frame[column].items():
        if value and value not in known:
            raise DataError(
                f"{_where(path, i, column)}: '{value}' is not a known {target_column} in "
                f"{target}. " + _closest(value, known)
            )


def _closest(value: str, known: set[str]) -> str:
    if not isinstance(value, str):
        return ""
    near = difflib.get_close_matches(value, sorted(known), n=1)
    return f"Did you mean '{near[0]}'?" if near else ""


def _unknown(what: str, value: str, known: list[str]) -> str:
    return f"There is no {what} called '{value}'. " + (
        _closest(value, set(known)) or f"Known: {', '.join(known)}."
    )
