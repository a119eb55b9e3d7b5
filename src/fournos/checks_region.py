"""The checks of Exercises 5 (Vietnam among its neighbours).

Like every check, each returns a Feedback and never raises. None of them holds the model answer:
each derives what it expects from the kit's data (the codings in treaty_provisions.csv, the
documents' own words), so the students' edition carries no answer key, and a hint names what to
reread, not what to write. They are registered in fournos.checks, where students and the grader
find every check.
"""

from __future__ import annotations

import itertools
import re

from fournos.checks import check_treaty_coding, checker
from fournos.data import load
from fournos.errors import a_type
from fournos.quiz import Feedback
from fournos.region import commitment_name, find_clauses

CODED_TREATY = "treaty_1951_philippines_us"  # Exercise 5.1 codes this treaty
ORDERED = [  # Exercise 5.2 orders these five (the order is the student's to find)
    "treaty_1976_tac",
    "treaty_1991_paris_cambodia",
    "treaty_1978_ussr",
    "treaty_1954_seato",
    "treaty_1951_philippines_us",
]
BINDING_KINDS = {"treaty", "law"}  # texts that bind a state, as opposed to reports about them
NEGATION = re.compile(r"\b(not|no)\b", re.IGNORECASE)
RESERVATION = "apply only to"  # the words of a reservation that narrows a defence clause


@checker
def check_region_coding(answer) -> Feedback:
    """Exercise 5.1: the 1951 Philippines–US treaty coded obligation by obligation."""
    return check_treaty_coding(answer, CODED_TREATY)


def _strength(treaty_id: str, codings, reserved: set[str]) -> float:
    """How strong a commitment's defence clause is, from its codings: lower is stronger."""
    if codings[(treaty_id, "defense")] == "yes":
        return 0.5 if treaty_id in reserved else 0.0
    if codings[(treaty_id, "defense")] == "contested":
        return 1.0
    refuses = {"neutrality", "no_hostile_alliance_pledge"}
    if any(codings[(treaty_id, o)] == "yes" for o in refuses):
        return 3.0
    return 2.0


def _why(treaty_id: str, codings, reserved: set[str]) -> str:
    defence = codings[(treaty_id, "defense")]
    extra = " and a reservation narrows it for one party" if treaty_id in reserved else ""
    refuses = [
        o for o in ("neutrality", "no_hostile_alliance_pledge") if codings[(treaty_id, o)] == "yes"
    ]
    if refuses:
        extra += f", and it refuses alliances ({', '.join(refuses)} coded yes)"
    elif defence not in {"yes", "contested"} and codings[(treaty_id, "non_aggression")] == "yes":
        extra += ", only non-aggression coded yes"
    return f"{commitment_name(treaty_id)}: defence coded {defence}{extra}"


@checker
def check_commitment_order(answer) -> Feedback:
    """Exercise 5.2: five commitments, strongest defence clause first."""
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return Feedback(False, f"Give a list of treaty ids, strongest first, not {a_type(answer)}.")
    if sorted(answer) != sorted(ORDERED):
        odd = sorted(set(answer) - set(ORDERED))
        return Feedback(
            False,
            "Use each of the five treaty ids exactly once"
            + (f" (not: {', '.join(odd)})" if odd else "")
            + f". The five: {', '.join(sorted(ORDERED))}.",
        )
    codings = load("treaty_provisions").set_index(["treaty_id", "obligation"])["present"]
    links = load("treaty_sources")
    reserved = set(links.loc[links["quote"].str.contains(RESERVATION, regex=False), "treaty_id"])
    for upper, lower in itertools.pairwise(answer):
        if _strength(upper, codings, reserved) > _strength(lower, codings, reserved):
            return Feedback(
                False,
                f"{commitment_name(upper)} is above {commitment_name(lower)}, but its defence "
                f"clause is the weaker of the two. Compare them: fournos.side_by_side("
                f"({upper!r}, 'defense'), ({lower!r}, 'defense')), and for a treaty with no "
                "defence clause look at what it refuses (neutrality, alliances).",
            )
    steps = "; ".join(_why(t, codings, reserved) for t in answer)
    return Feedback(True, f"Right, each step rests on a clause: {steps}.")


def _expected_base_clauses() -> dict[str, str]:
    """Documents with a binding clause (treaty or law) that rules out a foreign base, each with
    the passage that does so."""
    kinds = load("sources").set_index("source_id")["kind"]
    found = {}
    for row in find_clauses("base").itertuples():
        if kinds[row.source_id] in BINDING_KINDS and NEGATION.search(row.passage):
            found.setdefault(row.source_id, row.passage)
    return found


@checker
def check_no_base_clauses(answer) -> Feedback:
    """Exercise 5.3: every document in the kit with a binding clause that rules out a foreign
    military base, as source ids."""
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, (list, tuple, set)) or not all(isinstance(a, str) for a in answer):
        return Feedback(False, f"Give a list of source ids, not {a_type(answer)}.")
    kinds = load("sources").set_index("source_id")["kind"]
    unknown = sorted(a for a in answer if a not in kinds.index)
    if unknown:
        return Feedback(
            False, f"Not source ids the kit has: {', '.join(unknown)}. Copy them from source_id."
        )
    expected = _expected_base_clauses()
    extra = sorted(set(answer) - set(expected))
    for source_id in extra:
        if kinds[source_id] not in BINDING_KINDS:
            return Feedback(
                False,
                f"{source_id} is a {kinds[source_id].replace('_', ' ')}: it reports or argues "
                "about a policy, but binds no state. Keep treaties and laws only.",
            )
        mentions = set(find_clauses("base")["source_id"])
        if source_id not in mentions:
            return Feedback(
                False, f"{source_id} has no passage about a base: fournos.find_clauses('base')."
            )
        return Feedback(
            False,
            f"{source_id} mentions a base, but does its clause rule one out? Reread it with "
            f"fournos.find_clauses('base').",
        )
    missing = len(set(expected) - set(answer))
    if missing:
        return Feedback(
            False,
            f"{missing} binding clause{'s' if missing > 1 else ''} missing. Look at every "
            "passage fournos.find_clauses('base') finds, and ask of each: is it a treaty or a "
            "law, and does it rule a base out?",
        )
    return Feedback(
        True,
        f"Right: {len(expected)} binding clauses rule out a foreign base. Note how differently: "
        "one forbids any foreign base, the other rules out only a permanent one.",
    )
