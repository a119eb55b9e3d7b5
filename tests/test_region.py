"""Vietnam among its neighbours (lesson 10, Exercises 5): the postures table holds verbatim,
locatable quotes; every regional document is used; the matrix and the spectrum follow the
codings; the checks give feedback for any answer and ship no model answer."""

from __future__ import annotations

import ast
import csv
import html
import json
import re

import nbformat
import pytest
from helpers import DATA, ROOT
from IPython.display import HTML

import fournos
import fournos.checks
from fournos import region
from fournos.checks import check_commitment_order, check_no_base_clauses, check_region_coding
from fournos.documents import document, quote_in_source
from fournos_tools import site, site_documents
from fournos_tools.grading import hidden_checks_region as hidden

REGIONAL_DOCUMENTS = [
    "ref_treaty_1951_philippines_us",
    "ref_senate_1972_alliance_texts",
    "ref_treaty_1954_seato",
    "ref_treaty_1954_seato_protocol",
    "ref_treaty_1954_seato_us_understanding",
    "ref_frus_1962_rusk_thanat",
    "ref_hansard_1971_fpda",
    "ref_hansard_1972_fpda_voluntary",
    "ref_nlb_2016_fpda",
    "ref_treaty_1976_tac",
    "ref_treaty_1976_tac_chapter4",
    "ref_agreement_1991_cambodia_neutrality",
    "ref_constitution_1993_cambodia",
    "ref_edca_2014",
    "ref_philstar_2014_edca",
    "ref_kbri_berlin_indonesia",
    "ref_gnlm_2021_myanmar",
    "ref_mfa_brunei_foreign_policy",
    "ref_laovoices_lao_foreign_policy",
    "ref_timor_leste_gov_2015_arf",
]


def table(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


POSTURES = table("alignment_postures")


# ------------------------------------------------------------------ the postures table


@pytest.mark.parametrize("row", POSTURES, ids=lambda r: r["posture_id"])
def test_every_posture_quote_is_word_for_word_in_its_source(row):
    assert quote_in_source(row["source_id"], row["quote"]), (row["source_id"], row["quote"])


@pytest.mark.parametrize("row", POSTURES, ids=lambda r: r["posture_id"])
def test_a_posture_from_a_quotes_only_file_names_the_passage_it_quotes(row):
    if row["source_id"].startswith("art_"):
        assert re.fullmatch(r"paragraph \d+", row["locator"])
        return
    doc = document(row["source_id"])
    if doc["text_kind"] == "quotes_only":
        passage = re.search(
            rf"^{row['locator']}: (.+?)(?=^\s*$|\Z)", doc["text"], re.MULTILINE | re.DOTALL
        )
        assert passage and " ".join(row["quote"].split()) in " ".join(passage.group(1).split())


def test_one_posture_per_state_and_the_states_the_issue_asks_for():
    states = [r["state"] for r in POSTURES]
    assert len(states) == len(set(states))
    required = {"Vietnam", "Cambodia", "Laos", "Thailand", "Philippines", "Malaysia"}
    required |= {"Singapore", "Indonesia", "Myanmar"}
    assert required <= set(states)
    # every ASEAN member, Timor-Leste included: each has an official statement the kit holds
    assert set(states) == required | {"Brunei", "Timor-Leste"}


def test_a_binding_ban_is_law_and_the_schema_knows_the_table():
    for row in POSTURES:
        if row["binding_ban"] == "yes":
            assert row["basis"] == "constitution", row["posture_id"]
    names = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]]
    assert "alignment_postures" in names
    loaded = fournos.load("alignment_postures")
    assert len(loaded) == len(POSTURES)


def test_a_wrong_source_id_in_the_postures_is_caught_by_the_foreign_key(tmp_path):
    folder = fournos.copy_dataset(tmp_path / "copy")
    path = folder / "alignment_postures.csv"
    text = path.read_text(encoding="utf-8").replace("ref_kbri_berlin_indonesia", "ref_made_up", 1)
    path.write_text(text, encoding="utf-8")
    report = fournos.validate(folder)
    assert "ref_made_up" in str(report)


# ------------------------------------------------------------------ every document is used


def test_every_regional_document_is_registered_held_and_cited():
    cited = set()
    for name in ["treaty_provisions", "treaty_sources", "event_sources", "alignment_postures"]:
        cited |= {r["source_id"] for r in table(name)}
    for source_id in REGIONAL_DOCUMENTS:
        assert document(source_id)["text"], source_id
        assert source_id in cited, f"{source_id} is held but nothing rests on it"


def test_the_documents_readme_says_what_was_not_found_for_the_region():
    readme = (DATA / "documents" / "README.md").read_text(encoding="utf-8")
    for missing in ["Thanat–Rusk", "FPDA London communiqué", "Timor-Leste", "Myanmar's 2008"]:
        assert missing in readme


# ------------------------------------------------------------------ matrix and spectrum


def test_the_matrix_is_the_codings_and_every_cell_can_be_opened():
    matrix = fournos.commitment_matrix()
    assert len(matrix) == len(table("treaties"))
    for treaty_id, row in matrix.iterrows():
        for obligation, coded in row.items():
            assert fournos.evidence(treaty_id, obligation)["present"] == coded


def test_the_matrix_chart_labels_every_cell_and_its_description_counts_from_the_data():
    fig = fournos.matrix_chart()
    heatmap = fig.data[0]
    assert heatmap.texttemplate == "%{text}"  # the value is printed, not colour alone
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    counts = fournos.coding_counts()
    assert f"{counts['unknown'].sum()} unknown" in fournos.describe_matrix()


def test_the_spectrum_places_states_by_clauses():
    spectrum = fournos.spectrum().set_index("state")
    assert spectrum.loc["Philippines", "band"] == 1
    assert spectrum.loc["Cambodia", "band"] == 5
    # Vietnam is placed by the 1977 treaty's contested clause, not by its declared posture
    assert spectrum.loc["Vietnam", "band"] == 2
    assert "1977" in spectrum.loc["Vietnam", "deciding_text"]
    # the 1978 treaty ended in 1994: it decides nothing today
    assert "1978" not in spectrum.loc["Vietnam", "commitments_in_force"]
    for state in spectrum.index:
        assert str(spectrum.loc[state, "band"]) in "12345"
    assert all(s in fournos.describe_spectrum() for s in spectrum.index)


def test_find_clauses_matches_word_starts_and_explains_bad_input():
    found = fournos.find_clauses("military base")
    assert "ref_constitution_1993_cambodia" in set(found["source_id"])
    passages = fournos.find_clauses("base")["passage"]
    assert all(re.search(r"\bbases?\b", p.lower()) for p in passages)
    assert not any("based" in p.lower() and "base " not in p.lower() for p in passages)
    with pytest.raises(fournos.DataError, match="words to look for"):
        fournos.find_clauses()
    with pytest.raises(fournos.DataError, match="words to look for"):
        fournos.find_clauses("  ")


def test_find_clauses_never_searches_the_kits_own_summaries():
    passages = " ".join(fournos.find_clauses("summary")["passage"])
    assert "the kit's own words" not in passages


def test_side_by_side_shows_the_clauses_and_refuses_a_wrong_pair():
    frame = fournos.side_by_side(("treaty_1951_philippines_us", "defense"))
    assert "act to meet the common danger" in frame.loc[0, "clause"]
    with pytest.raises(fournos.DataError, match="pairs"):
        fournos.side_by_side(("treaty_1951_philippines_us", "friendship"))


def test_the_region_quiz_is_kept_out_of_the_article_quizzes():
    regional = set(region.region_questions()["question_id"])
    assert len(regional) >= 5
    for article_id in fournos.article_ids():
        assert not regional & set(fournos.questions(article_id)["question_id"])


# ------------------------------------------------------------------ the checks


def kit_coding() -> dict:
    return fournos.commitment_matrix().loc["treaty_1951_philippines_us"].to_dict()


@pytest.mark.parametrize(
    "check", [check_region_coding, check_commitment_order, check_no_base_clauses]
)
@pytest.mark.parametrize("answer", [..., None, 42, "", [], {}, object(), [["nested"]]])
def test_every_check_answers_anything_with_feedback_never_an_error(check, answer):
    feedback = check(answer)
    assert feedback.correct is False and feedback.message


def test_the_coding_check_accepts_the_kits_coding_and_names_what_is_wrong():
    assert check_region_coding(kit_coding()).correct
    wrong = {**kit_coding(), "defense": "no", "non_aggression": "no"}
    assert "opposite" in check_region_coding(wrong).message


RIGHT_ORDER = [
    "treaty_1951_philippines_us",
    "treaty_1954_seato",
    "treaty_1978_ussr",
    "treaty_1976_tac",
    "treaty_1991_paris_cambodia",
]
RIGHT_BASES = ["ref_constitution_1993_cambodia", "ref_edca_2014"]


def test_the_committed_digests_are_what_the_hidden_checks_compute():
    from fournos.answer_digests_region import DIGESTS

    assert DIGESTS == hidden.expected_digests(), (
        "run `python -m fournos_tools.grading.hidden_checks_region` and commit the result"
    )
    assert hidden.expected_order() == RIGHT_ORDER
    assert sorted(hidden.expected_base_clauses()) == RIGHT_BASES


@pytest.mark.parametrize(
    "name,answer",
    [
        ("check_commitment_order", RIGHT_ORDER),
        ("check_commitment_order", [RIGHT_ORDER[1], RIGHT_ORDER[0], *RIGHT_ORDER[2:]]),
        ("check_commitment_order", RIGHT_ORDER[::-1]),
        ("check_no_base_clauses", RIGHT_BASES),
        ("check_no_base_clauses", RIGHT_BASES[:1]),
        ("check_no_base_clauses", [*RIGHT_BASES, "ref_treaty_1976_tac"]),
        ("check_no_base_clauses", [*RIGHT_BASES, "ref_bui_2016_abandon_non_alignment"]),
        ("check_region_coding", "kit"),
    ],
)
def test_the_public_and_hidden_checks_agree(name, answer):
    answer = kit_coding() if answer == "kit" else answer
    public = getattr(fournos.checks, name)(answer)
    full = hidden.CHECKS[name](answer)
    assert public.correct == full.correct, (public.message, full.message)


def test_the_hidden_order_check_says_which_step_is_wrong():
    swapped = [RIGHT_ORDER[1], RIGHT_ORDER[0], *RIGHT_ORDER[2:]]
    feedback = hidden.check_commitment_order(swapped)
    assert not feedback.correct and "Manila Pact" in feedback.message
    public = check_commitment_order(swapped)
    assert not public.correct and "Manila Pact" not in public.message  # no step given away


def test_the_base_checks_tell_a_report_from_a_clause():
    report = [*RIGHT_BASES, "ref_bui_2016_abandon_non_alignment"]
    assert "commentary" in check_no_base_clauses(report).message
    assert "Missing" in hidden.check_no_base_clauses(RIGHT_BASES[:1]).message
    assert (
        "no passage" in hidden.check_no_base_clauses([*RIGHT_BASES, "ref_treaty_1976_tac"]).message
    )
    assert "2 binding clauses" in check_no_base_clauses(RIGHT_BASES[:1]).message


def _solution_answers() -> dict[str, str]:
    nb = nbformat.read(ROOT / "solutions" / "ex05_southeast_asia_compared.ipynb", as_version=4)
    blocks = {}
    for cell in nb.cells:
        match = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.DOTALL)
        if cell.cell_type == "code" and match:
            name = match.group(1).split("=")[0].strip()
            blocks[name] = match.group(1)
    return blocks


def test_the_public_checks_hold_no_model_answer_in_readable_form():
    source = (ROOT / "src" / "fournos" / "checks_region.py").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", source)
    answers = _solution_answers()
    order = re.findall(r'"(treaty_[a-z0-9_]+)"', answers["my_order"])
    assert len(order) == 5
    assert re.sub(r"\s+", "", ",".join(f'"{t}"' for t in order)) not in flat
    for source_id in re.findall(r'"(ref_[a-z0-9_]+)"', answers["my_base_clauses"]):
        assert source_id not in source
    assert "basing_access" not in source  # the coding is read from the data, not restated
    digests = (ROOT / "src" / "fournos" / "answer_digests_region.py").read_text(encoding="utf-8")
    assert "treaty_" not in digests and "ref_" not in digests


def test_the_neighbours_events_stay_out_of_vietnams_own_views():
    regional = set(fournos.events().query("category == 'regional_commitment'")["title"])
    assert regional
    for article_id in fournos.article_ids():
        assert not regional & set(fournos.context(article_id, years=10)["title"])
    assert "Pakistan" not in fournos.partners()  # a Manila Pact party, not Vietnam's partner
    assert set(fournos.treaties()["treaty_id"]) == {
        "treaty_1977_laos",
        "treaty_1978_ussr",
        "treaty_1994_russia",
    }


# ------------------------------------------------------------------ every cited clause opens

CLAUSE_TABLES = {"side_by_side", "find_clauses", "spectrum", "postures"}
REGIONAL_NOTEBOOKS = [
    ROOT / "notebooks" / "10_southeast_asia_compared.ipynb",
    ROOT / "solutions" / "ex05_southeast_asia_compared.ipynb",
    ROOT / "exercises" / "ex05_southeast_asia_compared.ipynb",
]
SHOWN = re.compile(
    r'<blockquote class="fournos-quote"><p>(.*?)</p><footer>(.*?)</footer>', re.DOTALL
)


def _fournos_calls(tree, names):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "fournos"
            and node.func.attr in names
        ):
            yield node


def cited_clauses(path, shown: list | None = None) -> set[tuple[str, str]]:
    """(source_id, quoted words) of every clause a notebook cites: each passage it opens with
    show_document, and each row that quotes a source in the clause tables it shows. The HTML
    each cell shows when run is added to `shown`."""
    cited, namespace = set(), {"fournos": fournos}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "quiz(" in cell.source:
            continue
        tree = ast.parse(cell.source)
        exec(compile(tree, str(path), "exec"), namespace)  # noqa: S102 (the kit's own lesson)
        if shown is not None and tree.body and isinstance(tree.body[-1], ast.Expr):
            value = eval(compile(ast.Expression(tree.body[-1].value), "", "eval"), namespace)
            shown.append(getattr(value, "data", "") if isinstance(value, HTML) else "")
        for call in _fournos_calls(tree, {"show_document"}):
            args = [ast.literal_eval(a) for a in call.args]
            if len(args) == 2:
                cited.add((args[0], args[1]))
        for call in _fournos_calls(tree, CLAUSE_TABLES):
            table = eval(compile(ast.Expression(call), str(path), "eval"), namespace)
            text = next(c for c in ("quote", "passage", "clause") if c in table.columns)
            cited |= {(r["source_id"], r[text]) for r in table.to_dict("records") if r[text]}
    return cited


def shown_passages(html_texts) -> set[tuple[str, str]]:
    """(source_id or the article's footer, marked words) of every passage an output shows."""
    shown = set()
    for text in html_texts:
        for body, footer in SHOWN.findall(text):
            source = footer.split(" (")[0] if footer.startswith("ref_") else "article"
            for marked in re.findall(r"<mark>(.*?)</mark>", body, re.DOTALL):
                shown.add((source, " ".join(html.unescape(marked).split())))
    return shown


def stored_html(notebook) -> list[str]:
    return [
        "".join(o["data"]["text/html"])
        for c in notebook.cells
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]


def _key(source_id: str, words: str) -> tuple[str, str]:
    return (source_id if source_id.startswith("ref_") else "article", " ".join(words.split()))


@pytest.mark.parametrize("path", REGIONAL_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_every_clause_the_regional_notebooks_cite_opens_in_the_notebook(path):
    """In the stored outputs of the lesson and the solutions; in the students' exercises
    (stored without outputs) in what each cell shows when run."""
    run: list[str] = []
    cited = {_key(*c) for c in cited_clauses(path, run)}
    assert len(cited) >= (30 if path.parent.name == "notebooks" else 10)
    if path.parent.name == "exercises":
        shown = shown_passages(run)
    else:
        shown = shown_passages(stored_html(nbformat.read(path, as_version=4)))
    missing = sorted(cited - shown)
    assert not missing, f"{path.name}: clauses cited with nothing to open them: {missing}"


def test_a_clause_fold_opens_the_passage_marked_in_its_document():
    table = fournos.side_by_side(("treaty_1951_philippines_us", "defense"))
    folds = fournos.open_clauses(table).data
    assert folds.count('<details class="fournos-clause">') == 1
    assert "Philippines–US treaty (1951), defense, coded yes, Article IV" in folds
    assert "<mark>Each party recognizes that an armed attack" in folds
    unknown = fournos.open_clauses(fournos.spectrum()).data
    assert "rows quote no passage" in unknown  # band 4: nothing held to open, and it says so
    with pytest.raises(fournos.DataError, match="source_id and quote it"):
        fournos.open_clauses(fournos.commitments())
    with pytest.raises(fournos.DataError):
        fournos.open_clauses("ref_edca_2014")


@pytest.mark.parametrize("path", REGIONAL_NOTEBOOKS[:2], ids=lambda p: p.parent.name)
def test_on_the_site_every_cited_clause_links_to_its_block_on_the_documents_page(path, tmp_path):
    (tmp_path / "pages").mkdir()
    site.prepare_notebook(path, tmp_path / "pages" / path.name)
    outputs = stored_html(nbformat.read(tmp_path / "pages" / path.name, as_version=4))
    page = site_documents.page(site_documents.cited(tmp_path))
    anchored = r'<p id="(ref_[a-z0-9_]+-\d+)" class="fournos-para">(.*?)</p>'
    blocks = dict(re.findall(anchored, page, re.DOTALL))
    linked = set()
    for text in outputs:
        for body, footer in SHOWN.findall(text):
            target = re.search(r'href="\.\./documents\.html#((ref_[a-z0-9_]+)(-\d+)?)"', footer)
            if "Read it in the whole document" not in footer:
                assert not footer.startswith("ref_"), (
                    f"{footer[:60]}: no link to the documents page"
                )
                continue
            assert target, f"a passage of {footer[:60]} has no link to the documents page"
            assert f'id="{target.group(1)}"' in page
            if not target.group(3):  # the whole document shown: the link opens its section
                continue
            block = " ".join(html.unescape(blocks[target.group(1)]).split())
            for marked in re.findall(r"<mark>(.*?)</mark>", body, re.DOTALL):
                words = " ".join(html.unescape(marked).split())
                assert words[:40] in block, (target.group(1), words[:40])
                linked.add((target.group(2), words))
    cited = {_key(*c) for c in cited_clauses(path) if c[0].startswith("ref_")}
    assert cited <= linked, sorted(cited - linked)
    assert "file: documents" in site.toc(instructor=False)


def test_the_charts_leave_their_width_to_the_data_on_a_narrow_screen():
    """Seen on a 390-pixel phone: long row names and a side legend squeezed the matrix's eight
    columns into a strip, and the spectrum's band names stood on end. The legends sit below,
    the matrix's rows have short names, the spectrum's axis only numbers its bands."""
    matrix, spectrum = fournos.matrix_chart(), fournos.spectrum_chart()
    for fig in (matrix, spectrum):
        assert fig.layout.legend.orientation == "h"
    assert max(len(name) for name in matrix.data[0].y) <= 24
    assert matrix.data[0].textfont.size >= 10  # the cell's word, not a speck
    assert list(spectrum.layout.xaxis.tickvals) == [1, 2, 3, 4, 5]
    assert spectrum.layout.xaxis.ticktext is None
    for band, name in region.BANDS.items():  # every band is named, in the legend or the axis
        named = [t.name for t in spectrum.data] + [spectrum.layout.xaxis.title.text]
        assert any(name in text for text in named), band
