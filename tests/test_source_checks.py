"""The same standard for every source: one table of checkable claims covers the five articles and
every debate source, each claim with a verdict and its evidence (or why it cannot be checked and
what would settle it); and one loaded-term rule, counted by one function, for every source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from helpers import normalise

import fournos
from fournos import debate
from fournos.documents import document_text, documents, quote_in_source

CHECKS = fournos.load("source_checks")
SOURCES = fournos.load("sources").set_index("source_id")
HELD = set(documents())
SRC = Path(fournos.__file__).parent


def checked_sources() -> set[str]:
    return set(CHECKS["source_id"])


def test_every_article_and_every_debate_source_has_its_claims_checked():
    every = set(fournos.load("articles")["article_id"]) | set(debate.debate_sources()["source_id"])
    missing = every - checked_sources()
    assert not missing, f"sources with no checked claim: {sorted(missing)}"


def test_every_statistical_claim_of_an_article_is_in_the_claims_table():
    """The articles' own figures (claims.csv, support 'statistics') are each checked."""
    claims = fournos.load("claims")
    stats = claims[claims["support"] == "statistics"]
    located = set(zip(CHECKS["source_id"], CHECKS["locator"], strict=True))
    for claim in stats.itertuples():
        assert (claim.article_id, f"paragraph {claim.paragraph}") in located, claim.claim_id


def sources_with_figures_but_no_checks(checks: pd.DataFrame) -> list[str]:
    """Sources whose held text states a year or a number, yet have no row in `checks`."""
    figure = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\b\d{2,}(,\d{3})*\b")
    found = []
    for source_id in debate.debate_sources()["source_id"].tolist() + fournos.article_ids():
        text = "\n".join(debate.passages(source_id)) if source_id in HELD else ""
        text = text or fournos.article_text(source_id)
        if figure.search(text) and source_id not in set(checks["source_id"]):
            found.append(source_id)
    return found


def test_a_source_with_checkable_figures_is_never_left_unchecked():
    assert sources_with_figures_but_no_checks(CHECKS) == []
    # the rule bites: drop Article 5's checks and it is reported
    fewer = CHECKS[CHECKS["source_id"] != "art_thuc_resolution44"]
    assert sources_with_figures_but_no_checks(fewer) == ["art_thuc_resolution44"]


@pytest.mark.parametrize("row", CHECKS.to_dict("records"), ids=lambda r: r["check_id"])
def test_every_claim_is_verbatim_in_its_source_at_its_locator(row):
    assert quote_in_source(row["source_id"], row["quote"]), row["quote"]
    if not row["source_id"].startswith("art_"):  # a quoted source: the passage Q<n> holds it
        passage = re.search(
            rf"^{row['locator']}: (.+?)(?=^\s*$|\Z)",
            document_text(row["source_id"]),
            re.MULTILINE | re.DOTALL,
        )
        assert passage and normalise(row["quote"]) in normalise(passage.group(1))


@pytest.mark.parametrize("row", CHECKS.to_dict("records"), ids=lambda r: r["check_id"])
def test_every_verdict_has_its_evidence_or_says_what_would_settle_it(row):
    assert row["finding"]
    if row["verdict"] == "cannot_check":
        assert row["cannot_check_reason"] and row["would_settle"]
    else:
        assert not row["cannot_check_reason"] and not row["would_settle"]
        assert row["evidence_source_id"] in HELD, "a verdict rests on a document the kit holds"
        assert row["evidence_quote"] and row["evidence_locator"]
    if row["evidence_quote"]:
        assert quote_in_source(row["evidence_source_id"], row["evidence_quote"])


QUANTITIES = {"figure", "count", "ranking"}


def settled_by_a_held_document(checks: pd.DataFrame) -> list[str]:
    """'cannot check' rows that a document the kit holds could settle, where detectable: the
    row names a held source as what would settle it, or it is a quantity (a figure, count or
    ranking) whose every number (two digits or more, years aside) occurs in one passage of a
    held document other than the claim's own."""
    flagged = []
    for row in checks[checks["verdict"] == "cannot_check"].itertuples():
        named = set(re.findall(r"\b(?:ref|art)_[a-z0-9_]+", row.would_settle))
        if named & HELD:
            flagged.append(row.check_id)
            continue
        figures = [
            n
            for n in re.findall(r"\d{2,}(?:,\d{3})*", row.quote)
            if not re.fullmatch(r"(18|19|20)\d\d", n)
        ]
        if row.kind not in QUANTITIES or not figures:
            continue
        for source_id in HELD - {row.source_id}:
            # a numbered heading ("37. Telegram From …") is a document's number, not a figure
            body = re.sub(r"(?m)^\d+\. ", "", document_text(source_id))
            for passage in re.split(r"\n\s*\n", body):
                if all(re.search(rf"(?<![\d,]){re.escape(f)}(?![\d,])", passage) for f in figures):
                    flagged.append(row.check_id)
                    break
            else:
                continue
            break
    return flagged


def test_nothing_is_marked_cannot_check_while_a_held_document_could_settle_it():
    assert settled_by_a_held_document(CHECKS) == []
    # the rule bites: Vu's troop figure marked 'cannot check' is caught (Garver holds 320,000),
    # and so is a row that names a held document as what would settle it
    vu = CHECKS[CHECKS["check_id"] == "sc_vu_01"].assign(
        verdict="cannot_check", quote="Beijing sent 320,000 troops", would_settle="a history"
    )
    named = CHECKS[CHECKS["check_id"] == "sc_vu_14"].assign(would_settle="ref_garver_2016")
    assert settled_by_a_held_document(pd.concat([vu, named])) == ["sc_vu_01", "sc_vu_14"]


def test_unnamed_sources_get_the_same_verdict_on_every_side():
    unnamed = CHECKS[CHECKS["kind"] == "unnamed_source"]
    assert set(unnamed["verdict"]) == {"cannot_check"}
    sides = set(
        debate.debate_sources().set_index("source_id")["side"].reindex(unnamed["source_id"])
    )
    assert {"advocate", "rebuttal"} <= sides  # found on both sides of the debate
    assert {"art_vu_sui_generis", "art_hao_rebuttal"} <= set(unnamed["source_id"])


def test_the_figures_once_left_unchecked_are_checked_now():
    by_id = CHECKS.set_index("check_id")
    # Hao's ranking and the defence journal's counts (issue 23)
    assert (
        by_id.at["sc_hao_04", "kind"] == "ranking" and by_id.at["sc_hao_04", "verdict"] == "close"
    )
    assert by_id.at["sc_ndj_02", "verdict"] == "confirmed"
    assert by_id.at["sc_ndj_03", "verdict"] == "contradicted"
    assert by_id.at["sc_ndj_04", "verdict"] == "close"


def test_vus_concession_is_quoted_with_its_qualifier():
    evidence = CHECKS.set_index("check_id").at["sc_vu_06", "evidence_quote"]
    assert (
        "apart from the two nations pledging to support one another’s “defense capacity" in evidence
    )


def test_the_table_filters_by_source_and_counts_by_verdict():
    vu = fournos.source_checks("Article 3 (Vu)")
    assert set(vu["source_id"]) == {"art_vu_sui_generis"}
    assert len(fournos.source_checks("art_vu_sui_generis")) == len(vu)
    counts = fournos.check_counts()
    assert counts["total"].sum() == len(CHECKS)
    assert list(counts.columns) == ["confirmed", "close", "contradicted", "cannot_check", "total"]
    with pytest.raises(fournos.DataError, match="Tuong Lai 2014"):
        fournos.source_checks("Tuong Lai")  # a friendly error lists the names it knows


def test_the_explorer_offers_every_source_and_shows_the_chosen_ones_checks():
    from fournos.criticism import checks_for

    choose, output = fournos.check_explorer().children
    assert output.__class__.__name__ == "Output"
    assert choose.value == "every source"
    assert set(choose.options) == {"every source", *fournos.check_counts().index}
    assert len(checks_for("every source")) == len(CHECKS)
    tuong = checks_for("Tuong Lai 2014")
    assert len(tuong) == (CHECKS["source_id"] == "ref_tuong_lai_2014_overdue_alliance").sum()
    assert "source" not in tuong.columns  # one source: no need to repeat its name


def test_the_explorer_shows_each_check_as_a_card_without_ids_or_codes():
    """In the Lab and on the site the explorer showed a six-column table with
    evidence_source_id and cannot_check: one card per claim, words and names instead."""
    from fournos.criticism import check_cards, checks_for

    cards = check_cards(checks_for("Article 3 (Vu)")).data
    assert cards.count("fournos-check-card") == len(checks_for("Article 3 (Vu)"))
    assert "evidence_source_id" not in cards and "ref_garver_2016" not in cards
    assert "John W. Garver (2016)" in cards
    every = check_cards(checks_for("every source")).data
    assert "cannot_check" not in every and "cannot be checked" in every


# ---- one loaded-term rule, one counter


def _loaded_counts(article_id: str) -> dict[str, int]:
    counts = fournos.term_counts(article_id, kinds=["loaded_term"])
    return dict(zip(counts["term"], counts["count"], strict=True))


def test_haos_own_labels_for_his_opponents_count_as_loaded_terms():
    hao = _loaded_counts("art_hao_rebuttal")
    for term in ["reactionaries", "political opportunists", "henchmen", "hostile forces"]:
        assert hao[term] >= 1, term


def test_one_rule_counts_judgements_of_motive_and_of_conduct_on_both_sides():
    summary = debate.loaded_term_summary().set_index("source")
    # judgements of conduct (Tuong Lai) and of motive (the defence journal) both count
    assert {"sea piracy", "betrayal / national shame"} <= set(
        summary.at["Tuong Lai 2014", "terms"].split(", ")
    )
    assert {"dangerous intent", "plots"} <= set(summary.at["NDJ 2015", "terms"].split(", "))
    assert "sabotage" in summary.at["NDJ Jan 2020", "terms"]
    # words that judge only an idea are not counted
    patterns = " ".join(fournos.load("terms")["pattern"])
    assert "false" not in patterns and "wicked" not in patterns


def test_articles_counted_in_the_debate_get_the_same_counts_as_in_their_own_notebooks():
    found = debate.loaded_terms()
    for article_id, label in [
        ("art_ndj_no_alliances", "Article 2 (NDJ Apr 2020)"),
        ("art_hao_rebuttal", "Article 4 (Hao 2022)"),
    ]:
        in_debate = dict(
            zip(*[found[found["source"] == label][c] for c in ["term", "count"]], strict=True)
        )
        in_article = {t: n for t, n in _loaded_counts(article_id).items() if n}
        assert in_debate == in_article


def test_one_term_table_and_one_counting_function():
    tables_with_patterns = [
        name for name in fournos.table_names() if "pattern" in fournos.load(name).columns
    ]
    assert tables_with_patterns == ["terms"]
    for path in SRC.glob("*.py"):
        code = path.read_text(encoding="utf-8")
        if path.name != "terms.py":
            assert 'load("terms")' not in code, path.name
            assert "term.pattern" not in code, path.name


def test_the_rule_is_written_once_and_vus_own_words_are_not_softened():
    terms = fournos.load("terms")
    loaded = terms[terms["kind"] == "loaded_term"]
    assert loaded["note"].str.startswith("Loaded term (the kit's one rule").all()
    assert "motives" in fournos.LOADED_TERM_RULE and "conduct" in fournos.LOADED_TERM_RULE
    notes = " ".join(terms["note"])
    assert "as Beijing saw them" not in notes
    assert "Vietnam’s imperial ambitions over Cambodia" in notes
    assert _loaded_counts("art_vu_sui_generis")["aggression / imperialism"] >= 2
