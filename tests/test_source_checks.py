"""The same standard for every source: checkable claims from the foreign article are checked
like the party-state articles' ones, and the loaded-term rule applies to all five articles."""

from __future__ import annotations

import fournos


def test_vus_checkable_claims_are_checked_like_the_party_state_articles():
    checks = fournos.load("source_checks").set_index("check_id")
    vu = checks[checks["article_id"] == "art_vu_sui_generis"]
    assert {"figure", "date", "unnamed_source", "treaty_reading"} <= set(vu["kind"])
    assert set(checks["article_id"]) > {"art_vu_sui_generis"}
    # unnamed sources are treated alike, whichever side names none
    assert checks.at["sc_vu_03", "verdict"] == checks.at["sc_hao_01", "verdict"] == "unnamed"


def test_every_check_with_evidence_names_a_source_and_every_verdict_is_explained():
    for row in fournos.load("source_checks").itertuples():
        assert row.finding
        if row.evidence_quote:
            assert row.evidence_source_id


def _loaded_counts(article_id: str) -> dict[str, int]:
    counts = fournos.term_counts()
    mine = counts[(counts["article_id"] == article_id) & (counts["kind"] == "loaded_term")]
    return dict(zip(mine["term"], mine["count"], strict=True))


def test_haos_own_labels_for_his_opponents_count_as_loaded_terms():
    hao = _loaded_counts("art_hao_rebuttal")
    for term in ["reactionaries", "political opportunists", "henchmen", "hostile forces"]:
        assert hao[term] >= 1, term


def test_the_rule_is_written_down_and_vus_own_words_are_not_softened():
    terms = fournos.load("terms")
    loaded = terms[terms["kind"] == "loaded_term"]
    assert loaded["note"].str.contains("Loaded term (the kit's rule)", regex=False).all()
    notes = " ".join(terms["note"])
    assert "as Beijing saw them" not in notes
    assert "Vietnam’s imperial ambitions over Cambodia" in notes
    assert _loaded_counts("art_vu_sui_generis")["aggression / imperialism"] >= 2
