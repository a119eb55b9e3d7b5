"""Finding 4: where the public feedback can be searched for an answer, the mark does not rest
on that answer alone. The attack loops over every id the shipped checks accept until each
says "correct" (Exercise 4), and codes every obligation 'unknown' without reading (3.2)."""

from __future__ import annotations

import json

from helpers import ROOT

from fournos import checks, load
from fournos_tools.grading import checking

CONTRACT = json.loads((ROOT / "exercises" / "manifest.json").read_text(encoding="utf-8"))


def _oracle_answers() -> dict:
    arguments = list(load("debate_arguments")["argument_id"])
    links = load("argument_links")
    claims = sorted(set(links["answered_by_claim"]) - {""})
    candidates = sorted(set(arguments) | set(claims) | set(links["answered_by_argument"]) - {""})
    matches = {}
    for claim in claims:
        for argument in arguments:
            trial = {**{c: ... for c in claims}, **matches, claim: argument}
            if "matches you gave are right" in checks.check_rebuttal_matches(trial).message or (
                checks.check_rebuttal_matches(trial).correct
            ):
                matches[claim] = argument
                break
    return {
        "my_matches": matches,
        "unanswered": next(a for a in arguments if checks.check_unanswered_argument(a).correct),
        "lonely_rebuttal": next(
            c for c in candidates if checks.check_rebuttal_without_advocate(c).correct
        ),
    }


def test_answers_found_by_searching_the_feedback_earn_at_most_half_the_mark():
    from fournos_tools.grading import exchange

    answers = _oracle_answers()
    entry = CONTRACT["notebooks"]["ex04_arguments_and_answers"]
    points = 0
    for check in entry["checks"]:
        values = {a["name"]: exchange.export(answers[a["name"]]) for a in check["args"]}
        verdict, _ = checking.run_check(check, values)
        points += check["points"] if verdict == checking.PASS else 0
    out_of = sum(c["points"] for c in entry["checks"]) + sum(
        w.get("points", 0) for w in entry["written"]
    )
    assert points == sum(c["points"] for c in entry["checks"])  # the oracle does work...
    assert points <= out_of / 2  # ...but the written justification carries the mark


def test_coding_every_obligation_unknown_does_not_pass():
    from fournos.treaties import OBLIGATIONS
    from fournos_tools.grading import exchange

    lazy = {o: "unknown" for o in OBLIGATIONS}
    check = next(
        c
        for c in CONTRACT["notebooks"]["ex03_alliances_and_treaties"]["checks"]
        if c["check"] == "check_treaty_coding"
    )
    verdict, message = checking.run_check(check, {"my_coding": exchange.export(lazy)})
    assert verdict == checking.FAIL, message
    assert not checks.check_treaty_coding(lazy).correct
