"""Load the kit's tables as typed pandas DataFrames, checked against data/datapackage.json.

The descriptor is the one schema: column names, types, required fields, allowed values,
primary and foreign keys are all read from it. A problem in a file stops loading with one
`DataError` that names the file, the row and the column. Files are only ever read.

Loading uses a light checker of its own, which keeps notebook start-up fast (importing
frictionless and validating every table costs about a second). It implements exactly the field
types and constraints in SUPPORTED_TYPES and SUPPORTED_CONSTRAINTS, and a test fails if the
descriptor uses any other. `frictionless_problems` runs the real Frictionless validator, lazily,
for `fournos.validate` and the tests.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from fournos.friendly_errors import DataError
from fournos.kit import current_kit

# What the fast loader implements; the descriptor may use nothing else (tests/test_schema.py).
SUPPORTED_TYPES = {"string", "integer", "date", "boolean", "list"}
SUPPORTED_CONSTRAINTS = {"required", "enum", "pattern", "minimum", "maximum"}
# Frictionless's default spellings of true and false
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}


def data_dir() -> Path:
    """The data folder: $FOURNOS_DATA if set, else data/ in the kit this process works in
    (`fournos.kit.current_kit`: $FOURNOS_KIT, or found from the working directory upwards)."""
    named = os.environ.get("FOURNOS_DATA")
    return Path(named) if named else current_kit() / "data"


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
        numbers = _to_integers(values, path, name)
        _check_bounds(numbers, rules, path, name)
        return numbers
    if kind == "boolean":
        return _to_booleans(values, path, name)
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


def _to_booleans(values: pd.Series, path: Path, name: str) -> pd.Series:
    for i, value in values.items():
        if value and value not in TRUE_VALUES | FALSE_VALUES:
            raise DataError(f"{_where(path, i, name)}: '{value}' is not true or false.")
    flags = values.map(lambda v: True if v in TRUE_VALUES else False if v else None)
    return flags.astype("bool" if (values != "").all() else "boolean")


def _check_bounds(numbers: pd.Series, rules: dict, path: Path, name: str) -> None:
    for i, number in numbers.items():
        if pd.isna(number):
            continue
        if "minimum" in rules and number < rules["minimum"]:
            raise DataError(
                f"{_where(path, i, name)}: {number} is below the minimum, {rules['minimum']}."
            )
        if "maximum" in rules and number > rules["maximum"]:
            raise DataError(
                f"{_where(path, i, name)}: {number} is above the maximum, {rules['maximum']}."
            )


def frictionless_problems(folder: Path | str | None = None) -> list[str]:
    """Every problem the real Frictionless validator finds in a data package, in plain words
    (empty if it is valid). Imported only when called: it takes about a second."""
    from frictionless import Package  # lazy: keeps `import fournos` fast

    folder = Path(folder or data_dir())
    report = Package(str(folder / "datapackage.json")).validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = ", ".join(
                x
                for x in (
                    task.name,
                    f"row {row - 1} (line {row})" if row else "",
                    f"column '{field}'" if field else "",
                )
                if x
            )
            problems.append(f"{where}: {error.message}")
    problems += [f"datapackage.json: {e.message}" for e in report.errors]
    return problems


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
