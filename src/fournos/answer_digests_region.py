"""Digests of the answers the Exercises 5 checks compare with (fournos.checks_region).

Written by `python -m fournos_tools.grading.hidden_checks_region` from the instructors'
hidden checks; do not edit by hand. A digest says whether an answer is right, never what it is."""

DIGESTS = {
    "commitment_order": "6d57f8e8faa142ea4e9d5651",
    "no_base_clauses": "fb38a44cf5757d826c2b582d",
    "no_base_clauses_count": 2,
}
