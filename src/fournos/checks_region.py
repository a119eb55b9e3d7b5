"""The checks of Exercises 5 (Vietnam among its neighbours), as students run them.

Like every check, each returns a Feedback and never raises. These ship to students, so none
holds a model answer in readable form: 5.1 compares with the kit's codings, which students read
anyway (fournos.evidence); 5.2 and 5.3 compare a digest of the answer with the digest of the
right one (answer_digests_region.py) and hint from the question alone. Batch grading runs the
instructors' full checks of the same names (fournos_tools.grading.hidden_checks_region). They
are registered in fournos.checks, where students and the grader find every check.
"""

from __future__ import annotations

import hashlib
import json

from fournos.checks import check_treaty_coding, checker
from fournos.data import load
from fournos.feedback import Feedback
from fournos.friendly_errors import a_type

CODED_TREATY = "treaty_1951_philippines_us"  # Exercise 5.1 codes this treaty
FIVE = sorted(  # Exercise 5.2 orders these five (the order is the student's to find)
    [
        "treaty_1951_philippines_us",
        "treaty_1954_seato",
        "treaty_1976_tac",
        "treaty_1978_ussr",
        "treaty_1991_paris_cambodia",
    ]
)
BINDING_KINDS = {"treaty", "law"}  # texts that bind a state, as opposed to reports about them
DIGEST_SALT = "fournos-answer:"  # the same digest as the other exercises' checks


def digest(value) -> str:
    """A short digest of a plain value: equal values, equal digests; it does not give the
    value back."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256((DIGEST_SALT + text).encode()).hexdigest()[:24]


def _digests() -> dict:
    from fournos.answer_digests_region import DIGESTS

    return DIGESTS


@checker
def check_region_coding(answer) -> Feedback:
    """Exercise 5.1: the 1951 Philippines–US treaty coded obligation by obligation."""
    return check_treaty_coding(answer, CODED_TREATY)


@checker
def check_commitment_order(answer) -> Feedback:
    """Exercise 5.2: five commitments, strongest defence clause first."""
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return Feedback(False, f"Give a list of treaty ids, strongest first, not {a_type(answer)}.")
    if sorted(answer) != FIVE:
        odd = sorted(set(answer) - set(FIVE))
        return Feedback(
            False,
            "Use each of the five treaty ids exactly once"
            + (f" (not: {', '.join(odd)})" if odd else "")
            + f". The five: {', '.join(FIVE)}.",
        )
    if digest(list(answer)) == _digests()["commitment_order"]:
        return Feedback(True, "Right: that is the order of their defence clauses.")
    return Feedback(
        False,
        "Not yet. Compare neighbours in your list two at a time: fournos.side_by_side((first, "
        "'defense'), (second, 'defense')). A promise to act beats a promise to consult; a "
        "reservation signed with a promise narrows it; a treaty that refuses alliances "
        "(neutrality) is the weakest defence commitment of all.",
    )


def source_ids(answer):
    """Exercise 5.3's answer as a list of source ids, with every source's kind, or the Feedback
    that says why it is not one (shared by the students' check and the hidden one)."""
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, (list, tuple, set)) or not all(isinstance(a, str) for a in answer):
        return [], None, Feedback(False, f"Give a list of source ids, not {a_type(answer)}.")
    kinds = load("sources").set_index("source_id")["kind"]
    unknown = sorted(a for a in answer if a not in kinds.index)
    if unknown:
        return (
            [],
            kinds,
            Feedback(
                False,
                f"Not source ids the kit has: {', '.join(unknown)}. Copy them from source_id.",
            ),
        )
    return list(answer), kinds, None


@checker
def check_no_base_clauses(answer) -> Feedback:
    """Exercise 5.3: every document in the kit with a binding clause that rules out a foreign
    military base, as source ids."""
    answer, kinds, problem = source_ids(answer)
    if problem:
        return problem
    reports = sorted(a for a in answer if kinds[a] not in BINDING_KINDS)
    if reports:
        return Feedback(
            False,
            f"{reports[0]} is a {kinds[reports[0]].replace('_', ' ')}: it reports or argues "
            "about a policy, but binds no state. Keep treaties and laws only.",
        )
    given = sorted(set(answer))
    if digest(given) == _digests()["no_base_clauses"]:
        return Feedback(
            True,
            f"Right: {len(given)} binding clauses rule out a foreign base. Note how "
            "differently they do it: reread each and compare their words.",
        )
    wanted = _digests()["no_base_clauses_count"]
    return Feedback(
        False,
        f"Not yet: the kit's documents hold {wanted} binding clauses that rule out a foreign "
        f"base, and you gave {len(given)} (or the wrong ones). Look at every passage "
        "fournos.find_clauses('base') finds, and ask of each: is it a treaty or a law, and does "
        "it rule a base out?",
    )
