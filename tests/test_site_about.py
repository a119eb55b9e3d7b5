"""The site's About page says who made the kit, how to reach them and where to get the kit,
only as far as the kit's own files say (a reader found "the authors its citation file names"
and no contact or way to get the kit)."""

from __future__ import annotations

from helpers import ROOT

from fournos_tools import site_about


def test_the_about_page_names_no_one_the_citation_does_not_and_says_where_to_get_the_kit():
    page = site_about.page(ROOT)
    assert "the authors its citation file names" not in page
    assert "“fournos contributors”" in page and "names no individual author" in page
    assert "no contact address" in page
    assert "ask the instructor" in page and "README" in page


def test_the_about_page_gives_the_addresses_a_citation_holds():
    cff = site_about.citation(ROOT)
    cff["authors"] = [{"given-names": "Ann", "family-names": "Example", "email": "ann@x.org"}]
    cff["repository-code"] = "https://git.example.org/kit"
    said = site_about.who(cff)
    assert "Ann Example" in said and "ann@x.org" in said
    assert "https://git.example.org/kit" in said and "names no individual" not in said
