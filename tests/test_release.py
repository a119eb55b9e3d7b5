"""The students' release: built as an instructor builds it, scanned for every model answer
and instructor-only sentence (files, zip, the branch's whole history), and used the way a
student uses it (install from its own files, my-work, its own tests and exercises)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile

import nbformat
import pytest
from helpers import GIT_ENV, ROOT, git, instructor_repo

from fournos.cli import COMMANDS
from fournos_tools import edition_build, edition_contents, leak_scan
from fournos_tools import release as rel

URL = "https://git.example.org/course/fournos.git"


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command as a user would; the test asserts on its return code and output."""
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        repo = instructor_repo(tmp_path_factory.mktemp("kit"))
        out = tmp_path_factory.mktemp("release") / "fournos"
        zip_path = out.parent / "fournos-student.zip"
        summary = rel.release(out, zip_path, "student", URL, root=repo)
        yield repo, out, zip_path, summary


# ------------------------------------------------------------- nothing leaks


def _notebook(code: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]))


def test_an_answer_of_one_id_is_found_where_shipped_code_writes_it():
    values = leak_scan.single_value_answers(ROOT)
    assert "adv_tuong_04" in values  # Exercise 4.2's whole answer is one id
    planted = {
        "tests/test_planted.py": 'ARGUMENT = "adv_tuong_04"\n',
        "notebooks/99_planted.ipynb": _notebook('fournos.source_card("cl_hao_16")'),
    }
    assert {name for name, _ in leak_scan.find_meaning_leaks(planted, ROOT)} == set(planted)


def test_no_library_function_returns_an_answer_of_one_id():
    """Exercise 4.2's answer (the advocate argument no source answers) is found in the answers
    table, never handed over by a call such as the former `fournos.debate.unanswered()`."""
    values = leak_scan.single_value_answers(ROOT)
    assert leak_scan.computed_answers(values, {}) == []


def test_tables_and_outputs_that_list_every_id_are_not_leaks():
    """The data and lesson 09's stored tables hold the answer's id among all the others: the
    scan looks for it only in Python, where nothing needs to write it."""
    names = ["data/debate_arguments.csv", "data/argument_links.csv"]
    names += ["notebooks/09_the_case_for_alliance.ipynb"]
    texts = {name: (ROOT / name).read_text(encoding="utf-8") for name in names}
    assert "adv_tuong_04" in texts["data/debate_arguments.csv"]
    assert leak_scan.find_meaning_leaks(texts, ROOT) == []


def test_a_library_function_that_returns_an_answer_of_one_id_is_found(tmp_path, monkeypatch):
    (tmp_path / "planted_library.py").write_text(
        "def lonely() -> str:\n    return 'cl_hao_16'\n\n"
        "def left_over(side: str) -> list[str]:\n"
        "    return ['adv_tuong_04'] if side == 'advocate' else []\n\n"
        "def several() -> list[str]:\n    return ['adv_tuong_04', 'adv_hao_01']\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    values = leak_scan.single_value_answers(ROOT)
    alone = leak_scan.computed_answers(values, {}, modules=["planted_library"])
    assert [found for _, found in alone] == [
        "planted_library.lonely() returns " + values["cl_hao_16"]
    ]
    shipped = {"notebooks/99.ipynb": _notebook('planted_library.left_over("advocate")')}
    called = leak_scan.computed_answers(values, shipped, modules=["planted_library"])
    assert any("left_over('advocate')" in found for _, found in called)
    assert not any("several" in found for _, found in called)  # one id among others: no answer


def test_the_scan_knows_the_answers_it_looks_for(kit):
    repo, *_ = kit
    answers = leak_scan.model_answer_lines(repo)
    guide = leak_scan.instructor_sentences(repo)
    assert "**Instructor rubric** (not shown to students)" in answers
    assert any("framing lag" in a.lower() for a in answers)  # a model answer's prose
    assert any(s.startswith("3: names two or more themes correctly") for s in guide)
    assert len(answers) > 50 and len(guide) > 50


def test_edition_has_no_solutions_guide_or_instructor_tools(kit):
    _, out, _, summary = kit
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert summary["files"] == len(files)
    assert not [f for f in files if f.split("/")[0] in {"solutions", "instructors"}]
    assert not [f for f in files if f.startswith("src/fournos_tools")]
    assert {"README.md", "Makefile", "pyproject.toml", "requirements-lock.txt"} <= files
    assert {"tests/conftest.py", "tests/helpers.py"} <= files  # every edition test needs them
    assert {f"exercises/{p.name}" for p in (ROOT / "exercises").glob("*.ipynb")} <= files
    assert {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")} <= files


def test_no_model_answer_or_rubric_text_in_any_file_of_the_edition(kit):
    repo, out, _, _ = kit
    assert rel.scan_folder(out, rel.secrets(repo)) == []


def test_no_model_answer_or_rubric_text_in_the_zip(kit, tmp_path):
    repo, out, zip_path, _ = kit
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    assert all(n.startswith("fournos/") for n in names)
    unpacked = tmp_path / "fournos"
    assert sorted(p.relative_to(unpacked) for p in unpacked.rglob("*") if p.is_file()) == sorted(
        p.relative_to(out) for p in out.rglob("*") if p.is_file()
    )
    assert rel.scan_folder(unpacked, rel.secrets(repo)) == []


def test_no_model_answer_or_rubric_text_anywhere_in_the_branch_history(kit):
    repo, *_ = kit
    assert leak_scan.scan_branch(repo, "student", rel.secrets(repo)) == []
    # the branch shares no commit with the instructors' history
    roots = git(repo, "rev-list", "--max-parents=0", "student").split()
    assert len(roots) == 1 and roots[0] not in git(repo, "rev-list", "main").split()


def test_a_planted_model_answer_stops_the_build_and_leaves_nothing(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = instructor_repo(tmp_path / "kit")
    solution = nbformat.read(repo / "solutions/ex02_doctrine_and_dates.ipynb", as_version=4)
    answer = next(c.source for c in solution.cells if "Framing lag" in c.source)
    secret = next(line for line in answer.splitlines() if "Framing lag" in line)
    lesson_path = repo / "notebooks/03_vu_sui_generis.ipynb"
    lesson = nbformat.read(lesson_path, as_version=4)
    lesson.cells[-1].metadata["note"] = secret  # hidden in metadata, not even shown
    nbformat.write(lesson, lesson_path)
    out = tmp_path / "edition"
    with pytest.raises(rel.ReleaseError, match="instructor text would reach students"):
        rel.release(out, None, "student", URL, root=repo)
    assert not out.exists()
    assert git(repo, "branch", "--list", "student") == ""


def test_a_planted_rubric_sentence_in_a_data_file_stops_the_build(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = instructor_repo(tmp_path / "kit")
    sentence = next(s for s in leak_scan.instructor_sentences(repo) if "themes correctly" in s)
    with (repo / "data/articles/NOTICE.md").open("a", encoding="utf-8") as f:
        f.write("\n" + sentence.upper() + "\n")  # case differs: still the same words
    with pytest.raises(rel.ReleaseError):
        rel.release(None, tmp_path / "x.zip", None, URL, root=repo)
    assert not (tmp_path / "x.zip").exists()


def test_exercises_older_than_their_solutions_are_not_released(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = instructor_repo(tmp_path / "kit")
    path = repo / "solutions/ex01_themes_and_words.ipynb"
    solution = nbformat.read(path, as_version=4)
    solution.cells[0].source += "\n\nA sentence the instructor added to the introduction."
    nbformat.write(solution, path)
    with pytest.raises(rel.ReleaseError, match="run `python -m fournos exercises`"):
        rel.release(tmp_path / "edition", None, None, URL, root=repo)
    assert not (tmp_path / "edition").exists()


# ------------------------------------------------------------- the branch


def test_each_release_is_one_commit_on_the_previous_one_and_the_instructors_tree_is_untouched(
    tmp_path, monkeypatch
):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = instructor_repo(tmp_path / "kit")
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")
    first = rel.release(None, None, "student", URL, root=repo)["branch"][1]
    assert rel.release(None, None, "student", URL, root=repo)["branch"][1] is None  # unchanged

    lesson = repo / "notebooks/00_start_here.ipynb"
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["# Start here (corrected)\n", *nb["cells"][0]["source"][1:]]
    lesson.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    git(repo, "commit", "-qam", "Fix the start page title")
    second = rel.release(None, None, "student", URL, root=repo)["branch"][1]

    assert git(repo, "rev-list", "--parents", "-n", "1", second).split() == [second, first]
    assert git(repo, "rev-list", "--count", "student") == "2"
    assert "Start here (corrected)" in git(repo, "show", "student:notebooks/00_start_here.ipynb")
    # the instructors' HEAD, branch and working tree are as they were
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "rev-list", "--count", "main") == "2" and head != git(
        repo, "rev-parse", "HEAD"
    )

    # a student's clone of the branch gets the update as a plain fast-forward
    student = tmp_path / "student"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "student", str(repo), str(student)], check=True
    )
    assert (student / "README.md").is_file() and not (student / "solutions").exists()
    assert git(student, "rev-parse", "HEAD") == second


def test_a_branch_holding_the_instructors_tree_is_refused(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = instructor_repo(tmp_path / "kit")
    git(repo, "branch", "student")  # by mistake: a copy of main
    with pytest.raises(rel.ReleaseError, match="not a release commit"):
        rel.release(None, None, "student", URL, root=repo)
    assert git(repo, "rev-parse", "student") == git(repo, "rev-parse", "main")


# ------------------------------------------------------------- what students get


def test_readme_tells_students_how_to_clone_the_release_branch(kit):
    _, out, _, _ = kit
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"git clone --branch student {URL} fournos" in readme
    assert "{{" not in readme and "<!--" not in readme
    assert "solutions" not in readme and "instructors/" not in readme


def test_every_command_the_students_readme_names_is_in_the_edition(kit):
    _, out, _, _ = kit
    readme = (out / "README.md").read_text(encoding="utf-8")
    makefile = (out / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    assert set(re.findall(r"\bmake ([a-z][a-z-]*)", readme)) <= targets
    named = set(re.findall(r"python -m fournos ([a-z][a-z-]*)", readme))
    missing = named - {n for n, (module, _) in COMMANDS.items() if module.startswith("fournos.")}
    if missing and missing <= {"lab", "update", "doctor"}:
        pytest.skip(f"{sorted(missing)} arrive with the students' commands (student-infra)")
    assert not missing, f"the students' README names commands the edition lacks: {missing}"


def test_readme_without_a_known_address_says_what_to_use(tmp_path):
    text = edition_build.student_readme(ROOT, "student", None)
    assert f"git clone --branch student {edition_build.ASK_FOR_ADDRESS} fournos`" in text
    assert "ask your instructor for the course's address" in text


def test_each_release_names_its_version_date_and_commit(kit):
    repo, out, _, _ = kit
    stamp = json.loads((out / "RELEASE.json").read_text(encoding="utf-8"))
    assert stamp["release"] == 1 and stamp["version"] == edition_contents.kit_version(repo)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp["date"])
    assert stamp["commit"] and git(repo, "rev-parse", "--short", "main").startswith(stamp["commit"])
    message = git(repo, "log", "-1", "--format=%s", "student")
    assert message == f"Students' release 1 (kit {stamp['version']}, {stamp['date']})"
    start = nbformat.read(out / "notebooks" / "00_start_here.ipynb", as_version=4)
    shown = [
        o.get("text", "")
        for c in start.cells
        if c.cell_type == "code" and c.source.strip() == edition_contents.VERSION_CELL
        for o in c.outputs
    ]
    line = (
        f"This kit is students' release 1 of kit {stamp['version']} "
        f"({stamp['date']}, built from {stamp['commit']}).\n"
    )
    assert shown == [line]


def test_the_instructors_readme_points_hub_and_clone_at_the_release_branch():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "git-pull?repo=" in readme and "&branch=student" in readme
    assert "&branch=main" not in readme


def test_the_command_line_release_writes_a_folder_and_never_fills_the_clone_line_from_origin(
    tmp_path,
):
    """`fournos release --out` as an instructor types it, in a clone whose origin is the
    instructors' (which has no students' branch): without --repo-url the README's clone line
    asks, and the build says so. One build; the refusals below stop before building."""
    repo = instructor_repo(tmp_path / "kit")
    git(repo, "remote", "add", "origin", "https://git.example.org/instructors/private.git")
    out = tmp_path / "edition"
    built = run([sys.executable, "-m", "fournos", "release", "--out", str(out)], cwd=repo)
    assert built.returncode == 0, built.stderr
    assert "no instructor text found" in built.stdout and "no --repo-url given" in built.stdout
    assert (out / "README.md").is_file() and not (out / "solutions").exists()
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "instructors/private.git" not in readme and edition_build.ASK_FOR_ADDRESS in readme
    again = run(
        [sys.executable, "-m", "fournos", "release", "--out", str(out), "--repo-url", URL],
        cwd=repo,
    )
    assert again.returncode == 1 and "is not empty" in again.stderr
    assert "Traceback" not in again.stderr
    none = run([sys.executable, "-m", "fournos", "release"], cwd=repo)
    assert none.returncode == 2 and "--out DIR" in none.stderr


def test_every_file_of_the_edition_is_the_kits_own_but_the_readme(kit):
    """Nothing is rewritten on the way: the Makefile (its instructor targets are in
    instructors.mk, left out), pyproject.toml and every lesson are byte for byte the kit's."""
    repo, out, _, _ = kit
    files = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    # the release's number and date: its own file, and the start page that shows it
    stamp = ["RELEASE.json", "notebooks/00_start_here.ipynb"]
    changed = [
        f for f in files if f not in stamp and (out / f).read_bytes() != (repo / f).read_bytes()
    ]
    assert changed == ["README.md"]
    assert (repo / "instructors.mk").is_file() and not (out / "instructors.mk").exists()


def test_the_editions_make_offers_the_students_commands_only(kit):
    _, out, _, _ = kit
    helps = run(["make", "--no-print-directory", "help"], cwd=out)
    assert helps.returncode == 0, helps.stderr
    listed = {line.split()[1] for line in helps.stdout.splitlines() if line.strip()}
    assert {"lab", "my-work", "update", "doctor", "test", "wheels", "clean"} <= listed
    assert not listed & {"grade", "release", "exercises", "site", "outputs", "test-install"}
    grade = run(["make", "--no-print-directory", "-n", "grade"], cwd=out)
    assert grade.returncode == 2 and "No rule to make target 'grade'" in grade.stderr


def test_every_test_the_edition_carries_loads_with_the_editions_own_library(kit):
    """Each test file the edition ships is collected in the edition, with the edition's own
    library first on the path: none imports a part it leaves out (the build leaves out any
    test file that names one). The tests themselves are the kit's, byte for byte (above), and
    the unit stage runs them; `make test-install` runs the edition's own unit stage in its
    own .venv (tests/install/test_edition.py)."""
    _, out, _, _ = kit
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FOURNOS_", "PYTEST_", "MAKE", "MFLAGS"))
    }
    env["PYTHONPATH"] = str(out / "src")
    collected = run(
        [sys.executable, "-m", "pytest", "tests", "--collect-only", "-q", "-p", "no:xdist",
         "-o", "addopts=-p no:cacheprovider"],
        cwd=out, env=env, timeout=300,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-2000:]
    files = {line.split("::")[0] for line in collected.stdout.splitlines() if "::" in line}
    shipped = {p.relative_to(out).as_posix() for p in (out / "tests").rglob("test_*.py")}
    assert shipped and files == shipped
    where = run([sys.executable, "-c", "import fournos; print(fournos.__file__)"], cwd=out, env=env)
    assert f"{out}/src/fournos" in where.stdout
