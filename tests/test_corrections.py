"""Corrections from the two independent audits (issues 12 and 16), each kept by a test."""

from __future__ import annotations

import re

import fournos


def test_term_count_sees_a_phrase_split_by_a_non_breaking_space():
    text = fournos.article_text("art_thuc_resolution44")
    assert "early and\u00a0 afar" in text  # the article's own spacing, kept in the reading text
    counts = fournos.term_counts("art_thuc_resolution44").set_index("term")["count"]
    by_hand = len(
        re.findall(
            r"early\s+and\s+from\s+afar|from\s+early\s+and\s+afar|early\s+and\s+afar"
            r"|ahead\s+of\s+time",
            text,
            flags=re.IGNORECASE,
        )
    )
    assert by_hand == 6
    assert counts["early and from afar"] == by_hand
