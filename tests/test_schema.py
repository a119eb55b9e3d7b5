"""The descriptor is the single truth: the fast loader implements every type and constraint it
uses, and fournos.validate enforces every constraint with the real Frictionless validator."""

from __future__ import annotations

import csv
import json

import pytest
from helpers import DATA

import fournos
from fournos.data import SUPPORTED_CONSTRAINTS, SUPPORTED_TYPES

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
FIELDS = [(r["name"], f) for r in DESCRIPTOR["resources"] for f in r["schema"]["fields"]]


def test_the_descriptor_uses_only_types_and_constraints_the_fast_loader_implements():
    types = {f.get("type", "string") for _, f in FIELDS}
    constraints = {c for _, f in FIELDS for c in f.get("constraints", {})}
    assert types <= SUPPORTED_TYPES, types - SUPPORTED_TYPES
    assert constraints <= SUPPORTED_CONSTRAINTS, constraints - SUPPORTED_CONSTRAINTS


@pytest.mark.parametrize("table,field", [(t, f["name"]) for t, f in FIELDS])
def test_every_declared_type_is_the_type_that_loads(table, field):
    kind = next(f for t, f in FIELDS if (t, f["name"]) == (table, field)).get("type", "string")
    values = fournos.load(table)[field].dropna()
    expected = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) or hasattr(v, "__index__"),
        "boolean": lambda v: isinstance(v, bool) or str(type(v)).endswith("bool_'>"),
        "list": lambda v: isinstance(v, list),
        "date": lambda v: hasattr(v, "year"),
    }[kind]
    assert all(expected(v) for v in values), (table, field, kind)


def test_booleans_load_as_booleans():
    flags = fournos.principles().set_index("principle_id")["in_three_nos"]
    assert flags.dtype == bool
    assert flags.tolist() == [True, True, True, False]
    assert not flags["pr_no_force"]


def _edit(path, column, value, row=0):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def test_validate_enforces_a_minimum(data_copy):
    _edit(data_copy / "articles.csv", "word_count", "-5")
    problems = fournos.validate(data_copy)
    assert len(problems) == 1 and "below the minimum" in problems[0]


def test_validate_rejects_a_boolean_that_is_not_true_or_false(data_copy):
    _edit(data_copy / "principles.csv", "in_three_nos", "yes")
    assert "not true or false" in fournos.validate(data_copy)[0]


def test_validate_runs_the_real_validator_for_what_the_fast_loader_does_not_check(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    terms = next(r for r in descriptor["resources"] if r["name"] == "terms")
    label = next(f for f in terms["schema"]["fields"] if f["name"] == "label")
    label["constraints"]["maxLength"] = 3  # not one the fast loader knows
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    problems = fournos.validate(data_copy)
    assert problems and all("terms" in p for p in problems)
    assert any("maxLength" in p or "length" in p for p in problems)


def test_the_kits_own_data_is_valid_for_validate():
    assert fournos.validate(DATA) == []
