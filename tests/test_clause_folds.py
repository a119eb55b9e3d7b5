"""A clause opened in its document says plainly what the text is: lesson 10's 1978 Article 6
read "The Saigon Post (blog), post of March 2022, 1978-11-03", the blog's name beside the
treaty's date, and the note asked a phone's reader to "click" (reader trial)."""

from __future__ import annotations

import fournos


def folds() -> str:
    table = fournos.side_by_side(
        ("treaty_1978_ussr", "consultation"), ("treaty_1977_laos", "defense")
    )
    return fournos.open_clauses(table).data


def test_a_treaty_text_held_in_another_document_is_named_with_its_date_and_holder():
    shown = folds()
    assert "1978-11-03" not in shown and "2021-06" not in shown
    assert (
        "Article 6 of the 1978 USSR–Vietnam treaty, Vietnamese text (as quoted in a 2022 blog "
        "post), dated 3 November 1978; held in: The Saigon Post (blog), post of March 2022"
    ) in shown
    assert "The Diplomat, June 2021" in shown  # a commentary: its outlet and its date


def test_the_note_says_tap_or_click():
    assert "Tap or click a line" in folds() and "Click a line" not in folds()
