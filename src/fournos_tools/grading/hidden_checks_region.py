"""The full grading checks of Exercises 5 (Vietnam among its neighbours): instructors only,
never shipped (src/fournos_tools is left out of the students' edition).

The students' checks (fournos.checks_region) hold no answer: they compare digests of the
answer (fournos/answer_digests_region.py, written from this module) and hint from the question
alone. The checks here compute the expected answer from the data and say precisely what
differs. Both are called with the same answers and agree on every right answer (tested in
tests/test_region.py). `python -m fournos_tools.grading.hidden_checks_region` rewrites the
digests after the data changes.
"""

from __future__ import annotations

import itertools
import re
import sys
from functools import lru_cache
from pathlib import Path

from fournos.checks import checker
from fournos.checks_region import (
    BINDING_KINDS,
    FIVE,
    check_region_coding,
    digest,
    source_ids,
)
from fournos.data import load
from fournos.feedback import Feedback
from fournos.friendly_errors import a_type
from fournos.kit import current_kit
from fournos.region import commitment_name, find_clauses

NEGATION = re.compile(r"\b(not|no)\b", re.IGNORECASE)
RESERVATION = "apply only to"  # the words of a reservation that narrows a defence clause
DIGESTS_FILE = Path("src") / "fournos" / "answer_digests_region.py"  # in the kit


def _codings():
    return load("treaty_provisions").set_index(["treaty_id", "obligation"])["present"]


def _reserved() -> set[str]:
    links = load("treaty_sources")
    return set(links.loc[links["quote"].str.contains(RESERVATION, regex=False), "treaty_id"])


def strength(treaty_id: str, codings, reserved: set[str]) -> float:
    """How strong a commitment's defence clause is, from its codings: lower is stronger. A
    reservation narrows a defence clause; a clause refusing alliances is the weakest."""
    if codings[(treaty_id, "defense")] == "yes":
        return 0.5 if treaty_id in reserved else 0.0
    if codings[(treaty_id, "defense")] == "contested":
        return 1.0
    refuses = {"neutrality", "no_hostile_alliance_pledge"}
    if any(codings[(treaty_id, o)] == "yes" for o in refuses):
        return 3.0
    return 2.0


def expected_order() -> list[str]:
    codings, reserved = _codings(), _reserved()
    return sorted(FIVE, key=lambda t: strength(t, codings, reserved))


@checker
def check_commitment_order(answer) -> Feedback:
    """Exercise 5.2: five commitments, strongest defence clause first."""
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return Feedback(False, f"Give a list of treaty ids, strongest first, not {a_type(answer)}.")
    if sorted(answer) != sorted(FIVE):
        return Feedback(False, f"Use each of the five treaty ids exactly once: {', '.join(FIVE)}.")
    codings, reserved = _codings(), _reserved()
    for upper, lower in itertools.pairwise(answer):
        if strength(upper, codings, reserved) > strength(lower, codings, reserved):
            return Feedback(
                False,
                f"{commitment_name(upper)} is above {commitment_name(lower)}, but its defence "
                f"clause is the weaker of the two. Compare them: fournos.side_by_side("
                f"({upper!r}, 'defense'), ({lower!r}, 'defense')), and for a treaty with no "
                "defence clause look at what it refuses (neutrality, alliances).",
            )
    # the same words the student saw from the public check, so a mark never reads differently
    return Feedback(True, "Right: that is the order of their defence clauses.")


@lru_cache(maxsize=4)
def _base_passages(_version):
    return find_clauses("base")


def base_passages():
    """find_clauses('base') over the kit's documents, computed once per data version (a copy)."""
    from fournos_tools.grading.hidden_checks import data_version

    return _base_passages(data_version()).copy()


def expected_base_clauses() -> dict[str, str]:
    """Documents with a binding clause (treaty or law) that rules out a foreign base, each with
    the passage that does so."""
    kinds = load("sources").set_index("source_id")["kind"]
    found = {}
    for row in base_passages().itertuples():
        if kinds[row.source_id] in BINDING_KINDS and NEGATION.search(row.passage):
            found.setdefault(row.source_id, row.passage)
    return found


@checker
def check_no_base_clauses(answer) -> Feedback:
    """Exercise 5.3: every document with a binding clause that rules out a foreign base."""
    answer, kinds, problem = source_ids(answer)
    if problem:
        return problem
    expected = expected_base_clauses()
    mentions = set(base_passages()["source_id"])
    for source_id in sorted(set(answer) - set(expected)):
        if kinds[source_id] not in BINDING_KINDS:
            return Feedback(
                False,
                f"{source_id} is a {kinds[source_id].replace('_', ' ')}: it reports or argues "
                "about a policy, but binds no state. Keep treaties and laws only.",
            )
        if source_id not in mentions:
            return Feedback(False, f"{source_id} has no passage about a base.")
        return Feedback(False, f"{source_id} mentions a base, but its clause rules none out.")
    missing = sorted(set(expected) - set(answer))
    if missing:
        return Feedback(False, f"Missing: {', '.join(missing)}.")
    return Feedback(
        True,
        f"Right: {len(expected)} binding clauses rule out a foreign base. Note how "
        "differently they do it: reread each and compare their words.",
    )


CHECKS = {
    f.__name__: f for f in (check_region_coding, check_commitment_order, check_no_base_clauses)
}


def expected_digests() -> dict:
    """The digests the students' checks compare answers with, computed from the data."""
    bases = sorted(expected_base_clauses())
    return {
        "commitment_order": digest(expected_order()),
        "no_base_clauses": digest(bases),
        "no_base_clauses_count": len(bases),
    }


def write_digests(path: Path | None = None) -> Path:
    """Write fournos/answer_digests_region.py (shipped: digests only, no answer) into `path`,
    by default the one of the kit this process works in. Returns the file written."""
    path = path or current_kit() / DIGESTS_FILE
    from fournos_tools.grading.hidden_checks import _python  # one layout, as ruff leaves it

    text = (
        '"""Digests of the answers the Exercises 5 checks compare with (fournos.checks_region).\n\n'
        "Written by `python -m fournos_tools.grading.hidden_checks_region` from the instructors'\n"
        'hidden checks; do not edit by hand. A digest says whether an answer is right, never what it is."""\n\n'
        f"DIGESTS = {_python(expected_digests())}\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"  wrote {write_digests()}")
    sys.exit(0)
