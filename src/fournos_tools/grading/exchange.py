"""Answers as plain data: exported where the student's code ran, rebuilt in the grader.

`export(value)` turns an answer into JSON-ready data: strings, numbers, lists, dicts,
tables (pandas' own JSON 'table' orient with its dtypes, or 'split' with the dtypes where
'table' cannot say it), plotly figures (`fig.to_json()`), a folder (its small files).
`rebuild(data, scratch)` makes the value again in the grader's process. Never pickle: a
pickle runs code when it is loaded, and these values come from untrusted code.
Anything else is exported as {'type': 'unsupported'} and rebuilt as an `Unsupported` object
named after the student's type, so a check says "expected a table, but got a Foo".

Rebuilding is bounded, whatever the data claims: nesting depth, items in all, bytes of an
array (its dtype checked before anything is allocated), bytes of a folder; a value over a
bound is the student's oversized answer (ExchangeError), never the grader's failure.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from pathlib import Path, PurePosixPath

MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_FOLDER_BYTES = 8_000_000
MAX_FOLDER_FILES = 200
MAX_ARRAY_BYTES = 64_000_000  # one answer's arrays and table columns, as the grader holds them
MAX_ITEM_BYTES = 4096  # one array item (a dtype claiming more is refused unread)
ARRAY_KINDS = set("biufcmMUSO")  # numbers, booleans, dates, strings, objects: never void


class ExchangeError(ValueError):
    """Exported data the grader will not rebuild (malformed, too large or unsafe)."""


class Unsupported:
    """Stands in for an answer of a type that cannot travel as plain data."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name}>"


ELLIPSIS = {"type": "ellipsis"}
UNDEFINED = {"type": "undefined"}


# ----- export (runs where the student's code ran) ------------------------------------------


def export(value, depth: int = 0) -> dict:
    """Plain data for one answer value."""
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        return {"type": "unsupported", "type_name": "deeply nested value"}
    if value is ...:
        return ELLIPSIS
    if isinstance(value, str) and _names_a_folder(value):
        return _folder(Path(value), "str")
    if value is None or isinstance(value, (bool, str)):
        return {"type": "json", "value": value}
    if isinstance(value, int):
        return {"type": "json", "value": int(value)}
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, np.generic):
        return export(value.item(), depth + 1)
    if isinstance(value, os.PathLike):
        return _folder(Path(value), "path")
    if isinstance(value, pd.DataFrame):
        return _frame(value)
    if isinstance(value, pd.Series):
        return {
            "type": "series",
            "frame": _frame(value.to_frame(name=value.name or 0)),
            "unnamed": value.name is None,
        }
    if _is_figure(value):
        return {"type": "figure", "json": value.to_json()}
    if isinstance(value, np.ndarray):
        return {
            "type": "ndarray",
            "dtype": str(value.dtype),
            "items": [export(v, depth + 1) for v in value.tolist()][:MAX_ITEMS],
        }
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {"type": kind, "items": [export(v, depth + 1) for v in value[:MAX_ITEMS]]}
    if isinstance(value, dict):
        pairs = list(value.items())[:MAX_ITEMS]
        return {
            "type": "dict",
            "items": [[export(k, depth + 1), export(v, depth + 1)] for k, v in pairs],
        }
    if isinstance(value, (set, frozenset)):
        return {"type": "set", "items": [export(v, depth + 1) for v in list(value)[:MAX_ITEMS]]}
    return {"type": "unsupported", "type_name": type(value).__name__}


def export_names(namespace: dict, names: list[str]) -> dict:
    """{name: plain data} for the answer variables named, from a notebook's namespace."""
    out = {}
    for name in names:
        if name not in namespace:
            out[name] = UNDEFINED
            continue
        try:
            out[name] = export(namespace[name])
        except Exception as err:  # noqa: BLE001 - a student's object may raise anywhere
            out[name] = {"type": "unsupported", "type_name": type(err).__name__}
    return out


def export_line(namespace: dict, check: str, names: list[str]) -> str:
    """One JSON line: the answers one check is called with."""
    return json.dumps({"event": "answer", "check": check, "values": export_names(namespace, names)})


def loads(line: str, object_pairs_hook=None):
    """One line from a notebook's process as JSON; too deep a nesting is refused.
    `object_pairs_hook` may bound the parse by raising ExchangeError."""
    try:
        return json.loads(line, object_pairs_hook=object_pairs_hook)
    except ExchangeError:
        raise
    except RecursionError:
        raise ExchangeError("nested too deeply") from None
    except ValueError:
        raise ExchangeError("not JSON") from None


def _float(value: float) -> dict:
    if math.isfinite(value):
        return {"type": "json", "value": value}
    return {"type": "float", "value": repr(value)}


def _is_figure(value) -> bool:
    try:
        from plotly.basedatatypes import BaseFigure
    except ImportError:
        return False
    return isinstance(value, BaseFigure)


def _frame(frame) -> dict:
    """A table in pandas' own JSON: 'table' orient (schema with dtypes) when it rebuilds the
    very same table, else 'split' with the dtypes and column levels beside it."""
    import pandas as pd

    try:
        text = frame.to_json(orient="table", date_unit="ns")
        back = pd.read_json(io.StringIO(text), orient="table")
        if _same(frame, back):
            return {"type": "dataframe", "orient": "table", "json": text}
    except Exception:  # noqa: BLE001,S110 - 'table' cannot hold every frame: use 'split'
        pass
    columns = [list(c) if isinstance(c, tuple) else c for c in frame.columns]
    plain = frame.copy()
    plain.columns = range(len(columns))
    return {
        "type": "dataframe",
        "orient": "split",
        "json": plain.to_json(orient="split", date_unit="ns", default_handler=str),
        "columns": export(columns),
        "column_names": export(list(frame.columns.names)),
        "index_names": export(list(frame.index.names)),
        "dtypes": [str(t) for t in frame.dtypes],
    }


def _same(a, b) -> bool:
    return (
        a.equals(b)
        and list(a.columns) == list(b.columns)
        and list(a.index) == list(b.index)
        and list(a.columns.names) == list(b.columns.names)
        and list(a.index.names) == list(b.index.names)
        and [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]
    )


def _names_a_folder(text: str) -> bool:
    """A short relative name of an existing folder, such as 'my_dataset'."""
    try:
        return 0 < len(text) < 200 and not Path(text).is_absolute() and Path(text).is_dir()
    except (OSError, ValueError):
        return False


def _folder(path: Path, kind: str) -> dict:
    """A path answer (a copy of the dataset): the folder's small files travel with it.
    `kind` says whether the student gave a Path ('path') or a string ('str')."""
    out = {"type": "path", "as": kind, "path": str(path), "exists": path.is_dir(), "files": {}}
    try:
        out["resolved"] = str(path.resolve())
    except (OSError, RuntimeError):
        pass
    if not out["exists"]:
        return out
    total = 0
    for file in sorted(path.rglob("*")):
        if len(out["files"]) >= MAX_FOLDER_FILES or total > MAX_FOLDER_BYTES:
            out["truncated"] = True
            break
        if file.is_file() and not file.is_symlink():
            data = file.read_bytes()[:MAX_FOLDER_BYTES]
            total += len(data)
            out["files"][file.relative_to(path).as_posix()] = data.decode("utf-8", "replace")
    return out


# ----- rebuild (runs in the grader's own process) ------------------------------------------


# plotly's to_json stores numeric arrays as {"dtype", "bdata"[, "shape"]}; pio.from_json keeps
# them as dicts, so a check would read the keys instead of the numbers. Only numeric dtypes.
TYPED_ARRAY_DTYPES = {"f8", "f4", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"}


def _decode_typed_arrays(node):
    """Turn plotly's base64 typed arrays back into numpy arrays, everywhere in a figure spec."""
    if isinstance(node, dict):
        if set(node) <= {"dtype", "bdata", "shape"} and node.get("dtype") in TYPED_ARRAY_DTYPES:
            import base64

            import numpy as np

            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = node.get("shape")
            if shape:
                values = values.reshape([int(n) for n in str(shape).split(",")])
            return values
        return {key: _decode_typed_arrays(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_decode_typed_arrays(item) for item in node]
    return node


class Budget:
    """What one answer may still cost the grader to rebuild."""

    def __init__(self):
        self.items, self.bytes = MAX_ITEMS, MAX_ARRAY_BYTES

    def spend(self, items: int = 0, size: int = 0) -> None:
        self.items -= items
        self.bytes -= size
        if self.items < 0:
            raise ExchangeError(f"too large: more than {MAX_ITEMS} items")
        if self.bytes < 0:
            raise ExchangeError(f"too large: more than {MAX_ARRAY_BYTES // 1_000_000} MB")


def array_dtype(claim):
    """The numpy dtype an export claims, if it is a plain one of sensible size."""
    import numpy as np

    try:
        dtype = np.dtype(str(claim)[:40])
    except (TypeError, ValueError, SyntaxError):
        raise ExchangeError(f"array: not a dtype ({str(claim)[:40]!r})") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields or dtype.subdtype:
        raise ExchangeError(f"array: a dtype the grader does not rebuild ({dtype})")
    if dtype.itemsize > MAX_ITEM_BYTES:
        raise ExchangeError(
            f"too large: each item claims {dtype.itemsize:,} bytes (at most {MAX_ITEM_BYTES:,})"
        )
    return dtype


def rebuild(
    data,
    scratch: Path | None = None,
    depth: int = 0,
    budget: Budget | None = None,
    origin: str | None = None,
):
    """The value again from plain data, within the bounds above. Raises ExchangeError for
    anything malformed or too large. `origin`: the folder the notebook ran in; a folder
    answer must lie inside it."""
    budget = budget or Budget()
    if depth > MAX_DEPTH + 2:
        raise ExchangeError("nested too deeply")
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ExchangeError("not an exported value")
    kind = data["type"]
    if kind == "ellipsis":
        return ...
    if kind == "undefined":
        raise ExchangeError("undefined")  # the caller tells this apart before rebuilding
    if kind == "json":
        value = data.get("value")
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise ExchangeError("a plain value that is not plain")
    if kind == "float":
        if data.get("value") not in ("nan", "inf", "-inf"):
            raise ExchangeError("not a float")
        return float(data["value"])
    if kind in ("list", "tuple", "set", "ndarray"):
        raw = _items(data)
        budget.spend(items=len(raw))
        dtype = array_dtype(data.get("dtype")) if kind == "ndarray" else None
        if dtype is not None:
            budget.spend(size=len(raw) * dtype.itemsize)
        items = [rebuild(v, scratch, depth + 1, budget, origin) for v in raw]
        if kind == "ndarray":
            import numpy as np

            try:
                return np.array(items, dtype=dtype)
            except (TypeError, ValueError, OverflowError) as err:
                raise ExchangeError(f"array: {err}") from None
        return {"list": list, "tuple": tuple, "set": _set}[kind](items)
    if kind == "dict":
        out = {}
        raw = _items(data)
        budget.spend(items=len(raw))
        for pair in raw:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ExchangeError("a dict item is not a pair")
            key = rebuild(pair[0], scratch, depth + 1, budget, origin)
            try:
                out[key] = rebuild(pair[1], scratch, depth + 1, budget, origin)
            except TypeError:
                raise ExchangeError("a dict key that cannot be a key") from None
        return out
    if kind == "dataframe":
        return _rebuild_frame(data, budget)
    if kind == "series":
        frame = _rebuild_frame(data.get("frame"), budget)
        series = frame.iloc[:, 0]
        return series.rename(None) if data.get("unnamed") else series
    if kind == "figure":
        import plotly.graph_objects as go

        try:
            spec = _decode_typed_arrays(json.loads(_text(data.get("json"))))
            return go.Figure(spec)
        except (ValueError, TypeError, KeyError) as err:
            raise ExchangeError(f"figure: {err}") from None
    if kind == "path":
        return _rebuild_folder(data, scratch, origin)
    if kind == "unsupported":
        return Unsupported(str(data.get("type_name", "value"))[:80])
    raise ExchangeError(f"unknown type {kind[:40]!r}")


def _items(data: dict) -> list:
    items = data.get("items")
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ExchangeError("items missing or too many")
    return items


def _set(items):
    try:
        return set(items)
    except TypeError:
        raise ExchangeError("a set of unhashable values") from None


def _text(value) -> str:
    if not isinstance(value, str):
        raise ExchangeError("expected JSON text")
    return value


def _rebuild_frame(data, budget: Budget | None = None) -> object:
    import pandas as pd

    budget = budget or Budget()
    if not isinstance(data, dict):
        raise ExchangeError("not a table")
    budget.spend(size=len(_text(data.get("json"))) * 8)  # what pandas may hold for the text
    try:
        if data.get("orient") == "table":
            return pd.read_json(io.StringIO(_text(data.get("json"))), orient="table")
        if data.get("orient") != "split":
            raise ExchangeError("unknown table layout")
        frame = pd.read_json(io.StringIO(_text(data.get("json"))), orient="split", dtype=False)
        columns = rebuild(data.get("columns"))
        dtypes = data.get("dtypes")
        if not isinstance(columns, list) or not isinstance(dtypes, list):
            raise ExchangeError("table columns")
        if len(columns) != frame.shape[1] or len(dtypes) != frame.shape[1]:
            raise ExchangeError("table columns do not match its data")
        for i, dtype in enumerate(dtypes):
            try:
                if str(dtype) not in ("category", "string", "boolean") and not str(
                    dtype
                ).startswith(("datetime64", "timedelta64", "Int", "UInt", "Float")):
                    array_dtype(dtype)  # a plain numpy dtype, of sensible size
                budget.spend(size=frame.shape[0] * 16)
                frame[i] = frame[i].astype(str(dtype))
            except (TypeError, ValueError):
                pass  # keep the values as read
        if any(isinstance(c, list) for c in columns):
            frame.columns = pd.MultiIndex.from_tuples(
                [tuple(c) if isinstance(c, list) else (c,) for c in columns]
            )
        else:
            frame.columns = columns
        frame.columns.names = _names(data.get("column_names"), frame.columns.nlevels)
        frame.index.names = _names(data.get("index_names"), frame.index.nlevels)
        return frame
    except ExchangeError:
        raise
    except Exception as err:  # noqa: BLE001 - pandas says many things about bad JSON
        raise ExchangeError(f"table: {type(err).__name__}: {err}") from None


def _names(data, levels: int) -> list:
    names = rebuild(data) if data is not None else None
    if isinstance(names, list) and len(names) == levels:
        return names
    return [None] * levels


def _inside(path: str, folder: str) -> bool:
    pure, base = PurePosixPath(path), PurePosixPath(folder)
    return ".." not in pure.parts and (pure == base or base in pure.parents)


def _rebuild_folder(data: dict, scratch: Path | None, origin: str | None = None):
    """Write the folder's files under `scratch` (only plain relative names), return its path.
    With `origin` (the folder the notebook ran in), a folder elsewhere is refused: an answer
    is the notebook's own work, never a file of the machine it ran on."""
    if scratch is None:
        raise ExchangeError("a folder answer needs a scratch folder")
    if origin is not None:
        where = str(data.get("resolved") or data.get("path") or "")
        if PurePosixPath(where).is_absolute() and not _inside(where, origin):
            raise ExchangeError(
                "your folder is outside your notebook's work folder (it is at "
                f"{where[:120]!r}): make your copy with a relative name, such as "
                "fournos.copy_dataset('my_dataset'), or with tempfile, inside the folder "
                "your notebook runs in"
            )
    files = data.get("files")
    if not isinstance(files, dict) or len(files) > MAX_FOLDER_FILES:
        raise ExchangeError("folder files")
    name = PurePosixPath(str(data.get("path", "folder"))).name or "folder"
    if name in (".", ".."):
        name = "folder"
    as_text = data.get("as") == "str"
    if not data.get("exists"):  # a folder that was never made: a path to nothing
        missing = scratch / "missing" / _safe_part(name)
        return str(missing) if as_text else missing
    target = scratch / _safe_part(name)
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for relative, text in files.items():
        parts = PurePosixPath(str(relative)).parts
        if not parts or any(p in ("..", "") or p.startswith("/") for p in parts):
            raise ExchangeError(f"an unsafe file name in a folder answer: {relative!r}")
        total += len(_text(text))
        if total > MAX_FOLDER_BYTES:
            raise ExchangeError("folder too large")
        path = target.joinpath(*(_safe_part(p) for p in parts))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _refuse_outside_paths(target)
    return str(target) if as_text else target


def _safe_part(part: str) -> str:
    if part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
        raise ExchangeError(f"an unsafe file name in a folder answer: {part!r}")
    return part


REMOTE_KEYS = {"profile", "$schema", "schema", "dialect", "path", "data", "foreignKeys"}
CITATION_KEYS = {"licenses", "sources", "contributors"}  # addresses read by people, never fetched


def _remote_references(node, depth: int = 0) -> bool:
    """True if a descriptor names something to fetch by address (a profile, schema, dialect
    or table given as a URL), at any level."""
    if depth > 50:
        return True
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CITATION_KEYS:
                continue
            if key in REMOTE_KEYS and isinstance(value, str) and re.match(r"\w[\w+.-]*://", value):
                return True
            if _remote_references(value, depth + 1):
                return True
    elif isinstance(node, list):
        return any(_remote_references(item, depth + 1) for item in node)
    return False


def _refuse_outside_paths(folder: Path) -> None:
    """A data package whose tables point outside its folder (or to the network) would make
    the grader read other files: refuse it before any check opens it."""
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        return
    try:
        text = descriptor.read_text(encoding="utf-8")
        resources = json.loads(text).get("resources", [])
    except (ValueError, AttributeError, RecursionError):
        return  # the kit's own loader explains a broken descriptor
    if _remote_references(json.loads(text)):
        raise ExchangeError(
            "your datapackage.json refers to something on the network (a web address): the "
            "grader checks your copy against the kit's own schema, offline. Remove the address"
        )
    for res in resources if isinstance(resources, list) else []:
        path = res.get("path") if isinstance(res, dict) else None
        if isinstance(path, str):
            pure = PurePosixPath(path)
            if pure.is_absolute() or ".." in pure.parts or "://" in path or "\\" in path:
                raise ExchangeError(
                    f"your datapackage.json points a table outside your folder ({path!r})"
                )
