"""Build the students' edition of the kit: lessons, exercises, data, library; no answers.

`python -m fournos release --out DIR | --zip FILE | --branch student` (`make release`).

The edition is made from an allow-list: the lessons, the generated exercises (and their
manifest), the data, the runtime library `src/fournos` (the students' commands: lab,
my-work, update, doctor), jupyter-config, the packaging files, the tests that need nothing
the edition leaves out, and README.student.md as its README. `solutions/`, `instructors/`
and the instructor tools (`src/fournos_tools`) are never copied, nor is `instructors.mk`
(the instructors' make targets, which the Makefile includes only when it is there): every
file goes in unchanged except the README.

Before anything is written, every file of the edition is scanned for every model-answer
line (fournos_tools.exercises.solution_texts) and every instructor-only sentence of
instructors/, and all its Python (modules, tests, notebooks' code cells) for the meaning of
every model answer: the expressions that compute one (compared as syntax trees, so quotes,
spaces, line breaks and the variable's name do not hide it) and the values of every
collection answer (three of its items, in any order and wording); one hit stops the build.
Tests that hold model answers live in tests/instructors/, which is never shipped. `--branch` commits the edition as a branch whose
history holds only release commits, each on top of the previous release, so that students'
nbgitpuller pulls merge as ordinary updates. This is nbgrader's source/release split: the
full repository stays the instructors' source.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from functools import cache
from pathlib import Path

import nbformat

from fournos.edition import STAMP, edition
from fournos.kit import kit_root
from fournos_tools.exercises import solution_texts, student_version

ROOT = kit_root()  # the kit in use: from the working folder up, or $FOURNOS_KIT

# What the students' edition is made of (paths relative to the kit root).
FILES = [
    "pyproject.toml",
    "requirements-lock.txt",
    "requirements-overrides.txt",
    "scripts/install.py",  # make lab's set-up, online or from the wheelhouse
    "scripts/wheels.py",  # make wheels: the offline folder for a class with no internet
    "environment.yml",
    "Makefile",
    ".gitignore",
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
]
FOLDERS = ["notebooks", "exercises", "data", "src/fournos", "jupyter-config", "tests"]
STUDENT_README = "README.student.md"
# Never in an edition, whatever the lists above say; the build checks it.
NEVER = ("solutions", "instructors", "instructors.mk", "src/fournos_tools")
# A test file that mentions a part the edition leaves out cannot run there: it stays out.
LEFT_OUT_PARTS = re.compile(
    r"fournos_tools|\bsolutions\b|\binstructors\b|\bscripts\b|\.ci\b|\bsite\b"
)
SKIP_NAMES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"}
RELEASE_TRAILER = "Fournos-Release:"
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
MIN_SENTENCE = 40  # shorter instructor lines ("Set-up in two commands.") are not secrets


class ReleaseError(Exception):
    """The edition cannot be built or published safely; the message says why."""


# ---------------------------------------------------------------- what goes in


def _git(root: Path, *args: str, env: dict | None = None, text: bool = True, check=True):
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=text,
        env=None if env is None else {**os.environ, **env},
        check=check,
    )


def _is_git_repo(root: Path) -> bool:
    return (root / ".git").exists() and shutil.which("git") is not None


def source_files(root: Path = ROOT) -> list[str]:
    """The kit's own files (relative paths): git's tracked files in a clone, so that
    untracked work (my-work/, submissions, grading results, .venv) never gets in; every file
    otherwise (a kit unpacked from a zip)."""
    if _is_git_repo(root):
        out = _git(root, "ls-files", "-z").stdout
        return sorted(p for p in out.split("\0") if p and (root / p).is_file())
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP_NAMES & set(rel.parts) and ".venv" not in rel.parts:
            files.append(rel.as_posix())
    return sorted(files)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def edition_files(root: Path = ROOT) -> list[str]:
    """The kit files that go into the students' edition, before rewriting."""
    chosen = []
    for path in source_files(root):
        if any(_under(path, never) for never in NEVER):
            continue
        if path in FILES or any(_under(path, folder) for folder in FOLDERS):
            if _under(path, "tests") and path.endswith(".py") and not _test_fits(root, path):
                continue
            chosen.append(path)
    return chosen


def _test_fits(root: Path, rel: str) -> bool:
    """A test goes into the edition if it runs there and gives no answer away: not the
    browser or attack suites (Chromium, the grader), not a test that mentions a part the
    edition leaves out, not a test holding a model-answer line (the checks' own tests build
    right answers)."""
    if Path(rel).parent.name in {"browser", "attacks", "instructors"}:
        return False
    text = _read_text(root / rel)
    if LEFT_OUT_PARTS.search(text):
        return False
    return not find_leaks_in({rel: text}, model_answer_lines(root)) and not (
        find_meaning_leaks({rel: text}, root)
    )


# ---------------------------------------------------------------- the README


ASK_FOR_ADDRESS = "THE-ADDRESS-YOUR-INSTRUCTOR-GIVES-YOU"


def student_readme(root: Path, branch: str, repo_url: str | None) -> str:
    """README.student.md with the clone address and branch filled in. `{{repo_url}}` and
    `{{branch}}` are its two fill-ins; the HTML comment at its top (notes for the
    instructor) is dropped. The address is never guessed (the instructors' own `origin`
    has no students' branch): without `--repo-url` the clone line plainly asks for it."""
    template = (root / STUDENT_README).read_text(encoding="utf-8")
    template = re.sub(r"\A\s*<!--.*?-->\s*", "", template, flags=re.DOTALL)
    address = repo_url or ASK_FOR_ADDRESS
    text = template.replace("{{repo_url}}", address).replace("{{branch}}", branch)
    if not repo_url:
        text = text.replace(
            f"{ASK_FOR_ADDRESS} fournos`",
            f"{ASK_FOR_ADDRESS} fournos` (ask your instructor for the course's address and "
            f"put it in place of {ASK_FOR_ADDRESS})",
            1,
        )
    return text


def release_stamp(root: Path, branch: str, when: str | None = None) -> dict:
    """What RELEASE.json in the edition says: the kit's version, this release's number (one
    more than the releases already on `branch`), its date and the instructors' commit."""
    import datetime

    count = 0
    if _is_git_repo(root):
        ref = f"refs/heads/{branch}"
        if _git(root, "rev-parse", "--verify", "-q", ref, check=False).stdout.strip():
            count = int(_git(root, "rev-list", "--count", ref).stdout.strip() or 0)
    commit = ""
    if _is_git_repo(root):
        commit = _git(root, "rev-parse", "--short", "HEAD", check=False).stdout.strip()
    return {
        "version": kit_version(root),
        "release": count + 1,
        "date": when or datetime.date.today().isoformat(),
        "commit": commit,
    }


# ---------------------------------------------------------------- secrets and the scan


def _plain(text: str) -> str:
    """Text as a reader sees it, for comparing: JSON escapes undone, Markdown emphasis and
    typographic quotes dropped, whitespace collapsed, case folded."""
    for escaped, plain in (('\\"', '"'), ("\\n", "\n"), ("\\\\", "\\")):
        text = text.replace(escaped, plain)
    text = re.sub(r"[*_`]+", "", text).translate(TYPOGRAPHY)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _sentences(markdown: str) -> list[str]:
    """The guide's own sentences: not its command blocks (students are shown the same
    commands), not its block quotes (`> …`: a lesson's question or an article's words,
    quoted for the instructor) and not its headings (labels such as an exercise's title)."""
    text = re.sub(r"(?s)```.*?```", " ", markdown)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    logical: list[str] = []  # a wrapped paragraph or list item becomes one line
    for line in text.splitlines():
        starts_item = re.match(r"\s*(?:[-*>|#]|\d+\.)", line)
        if logical and line.strip() and not starts_item and logical[-1][:1] not in {"", "#", "|"}:
            logical[-1] += " " + line.strip()
        else:
            logical.append(line.strip())
    pieces = []
    for line in logical:
        if line.startswith((">", "#")):
            continue
        line = re.sub(r"^(?:[-*]|\d+\.|#+|\|)\s*", "", line)
        pieces += re.split(r"(?<=[.!?])\s+|\s*\|\s*", re.sub(r"\s+", " ", line))
    return [p.strip() for p in pieces if len(p.strip()) >= MIN_SENTENCE]


@cache
def model_answer_lines(root: Path = ROOT) -> list[str]:
    """Every line of every model answer and instructor cell in solutions/, except plain
    Python that the edition's own code contains (`from pathlib import Path` gives nothing
    away)."""
    shipped = sorted((root / "src/fournos").rglob("*.py")) + [
        root / f for f in FILES if f.endswith(".py") and (root / f).exists()
    ]
    library = _plain(" ".join(_read_text(p) for p in shipped))
    lines = set()
    for path in sorted((root / "solutions").glob("*.ipynb")):
        lines.update(solution_texts(nbformat.read(path, as_version=4)))
    return sorted(line for line in lines if _plain(line) not in library)


def instructor_sentences(root: Path = ROOT) -> list[str]:
    """Every sentence of the instructor guide (rubrics, model answers, discussion notes,
    plans), outside its block quotes and command blocks. The answer keys are left out: they
    restate data/quiz_questions.csv, which the quizzes need and the edition carries."""
    secrets = set()
    for path in sorted((root / "instructors").rglob("*.md")):
        if "answer-keys" in path.relative_to(root).parts:
            continue
        secrets.update(_sentences(path.read_text(encoding="utf-8")))
    return sorted(secrets)


def secrets(root: Path = ROOT) -> list[str]:
    """Every text the students' edition must not contain."""
    return sorted(set(model_answer_lines(root)) | set(instructor_sentences(root)))


MIN_SHARED_ITEMS = 3  # items a shipped collection must share with a model answer to leak it


def _code_of(name: str, text: str) -> list[str]:
    """The Python in one shipped file: a module, or a notebook's code cells."""
    if name.endswith(".py"):
        return [text]
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError):
            return []
        return [
            "".join(c.get("source", ""))
            for c in cells
            if isinstance(c, dict) and c.get("cell_type") == "code"
        ]
    return []


def _shape(node) -> str:
    """An expression with its variables' names and the kit's module prefix (`fournos.`)
    taken out, so that `pd.crosstab(claims['a'], claims['b'])` and the same call on a table
    named otherwise compare equal; attributes, calls and constants are kept."""
    import ast

    class Normalise(ast.NodeTransformer):
        def visit_Attribute(self, attribute):
            if isinstance(attribute.value, ast.Name) and attribute.value.id == "fournos":
                return ast.Name(id=attribute.attr, ctx=attribute.ctx)
            return self.generic_visit(attribute)

        def visit_Name(self, name):
            return ast.Name(id="_", ctx=ast.Load())

        def visit_Call(self, call):
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id == "fournos":
                    call.func = ast.Name(id=func.attr, ctx=ast.Load())
                else:  # a module's function (pd.crosstab): its name is part of the meaning
                    call.func = ast.Attribute(
                        value=ast.Name(id=func.value.id, ctx=ast.Load()),
                        attr=func.attr,
                        ctx=ast.Load(),
                    )
                call.args = [self.visit(a) for a in call.args]
                call.keywords = [self.visit(k) for k in call.keywords]
                return call
            elif isinstance(func, ast.Name):
                call.args = [self.visit(a) for a in call.args]
                call.keywords = [self.visit(k) for k in call.keywords]
                return call
            return self.generic_visit(call)

    import copy

    return ast.dump(Normalise().visit(copy.deepcopy(node)))


def _distinctive(node, whole: bool) -> bool:
    """An expression specific enough to be a model answer's: the whole right-hand side with
    two or more constants in it, or a call of a named function (`pd.crosstab`, the kit's
    `find_paragraphs`) with a constant among its arguments. `frame['id'].map(lookup)` or
    `fournos.events(folder)` are everyday code, not answers."""
    import ast

    constants = sum(1 for n in ast.walk(node) if isinstance(n, ast.Constant))
    if whole:
        return constants >= 2
    if not isinstance(node, ast.Call) or not constants:
        return False
    func = node.func
    named = isinstance(func, ast.Name) or (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in {"fournos", "pd", "px", "np", "go"}
    )
    return named


def _trees(code: str) -> list:
    import ast

    try:
        return list(ast.walk(ast.parse(code)))
    except (SyntaxError, ValueError, RecursionError):
        return []


def _items_of(node) -> frozenset | None:
    """The items of a literal dict, list, tuple or set (pairs for a dict), or None."""
    import ast

    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None
    try:
        if isinstance(value, dict):
            return frozenset(value.items())
        if isinstance(value, (list, tuple, set, frozenset)):
            return frozenset(tuple(v) if isinstance(v, list) else v for v in value)
    except TypeError:
        return None
    return None


def _collections_given(exercise: Path) -> set:
    """The items of every collection the students' notebook itself gives (a question that asks
    to put given items in order): an answer made of the same items in another order holds
    nothing the question does not show, so the scan does not look for it."""
    import ast

    if not exercise.is_file():
        return set()
    given = set()
    for cell in nbformat.read(exercise, as_version=4).cells:
        if cell.cell_type == "code":
            for node in _trees(cell.source):
                if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and (items := _items_of(node)):
                    given.add(items)
    return given


@cache
def model_answer_meanings(root: Path = ROOT) -> tuple[dict, list]:
    """({syntax tree dump: the expression} of every expression a solution block computes an
    answer with, [(answer, its items)] of every collection a model answer holds)."""
    import ast

    from fournos_tools.exercises import _split

    expressions, collections = {}, []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        given = _collections_given(root / "exercises" / path.name)
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for block in _split(cell.source)[1]:
                for node in _trees("\n".join(block)):
                    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                        value = node.value
                        if value is None:
                            continue
                        for part in ast.walk(value):  # the answer's expression and its calls
                            if _distinctive(part, whole=part is value):
                                expressions[_shape(part)] = ast.unparse(part)
                        items = _items_of(value)
                        if items and items not in given:  # an order of given items
                            collections.append((ast.unparse(value)[:80], items))
                # an answer built item by item (answer["k"] = "v") is a collection too
                pairs = frozenset(
                    (node.targets[0].slice.value, node.value.value)
                    for node in _trees("\n".join(block))
                    if isinstance(node, ast.Assign)
                    and isinstance(node.targets[0], ast.Subscript)
                    and isinstance(node.targets[0].slice, ast.Constant)
                    and isinstance(node.value, ast.Constant)
                )
                if len(pairs) >= MIN_SHARED_ITEMS:
                    collections.append(("an answer set item by item", pairs))
    return expressions, collections


def find_meaning_leaks(texts: dict[str, str], root: Path = ROOT) -> list[tuple[str, str]]:
    """(file, model answer) for every model answer whose meaning is in a shipped file's
    Python: an expression that computes it, or a collection sharing enough of its items."""
    import ast

    expressions, collections = model_answer_meanings(root)
    leaks = []
    for name, text in texts.items():
        for code in _code_of(name, text):
            for node in _trees(code):
                if isinstance(node, ast.expr) and (dump := _shape(node)) in expressions:
                    leaks.append((name, expressions[dump]))
                if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
                    items = _items_of(node)
                    for label, answer in collections if items else []:
                        shared = len(items & answer)
                        if shared >= min(MIN_SHARED_ITEMS, len(answer)) and shared:
                            leaks.append((name, label))
    return sorted(set(leaks))


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def find_leaks_in(texts: dict[str, str], secret_texts: list[str]) -> list[tuple[str, str]]:
    """(file, secret) for every secret found in any of the texts (name -> content)."""
    wanted = [(s, _plain(s)) for s in secret_texts]
    leaks = []
    for name, text in texts.items():
        haystack = _plain(text)
        leaks += [(name, raw) for raw, plain in wanted if plain and plain in haystack]
    return leaks


def scan_folder(folder: Path, secret_texts: list[str]) -> list[tuple[str, str]]:
    """Leaks in every file of a built edition, and any file from a forbidden folder."""
    texts = {
        p.relative_to(folder).as_posix(): _read_text(p) for p in folder.rglob("*") if p.is_file()
    }
    forbidden = [(n, "(a forbidden folder)") for n in texts if any(_under(n, x) for x in NEVER)]
    return forbidden + find_leaks_in(texts, secret_texts) + find_meaning_leaks(texts)


def scan_branch(repo: Path, branch: str, secret_texts: list[str]) -> list[tuple[str, str]]:
    """Leaks anywhere in a branch's history: every file of every commit, and the messages."""
    commits = _git(repo, "rev-list", f"refs/heads/{branch}").stdout.split()
    texts, seen, forbidden = {}, set(), []
    for commit in commits:
        texts[f"{commit[:10]} (message)"] = _git(repo, "log", "-1", "--format=%B", commit).stdout
        listing = _git(repo, "ls-tree", "-r", "-z", commit).stdout
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            blob = meta.split()[2]
            if any(_under(path, x) for x in NEVER):
                forbidden.append((f"{commit[:10]}:{path}", "(a forbidden folder)"))
            if blob in seen:
                continue
            seen.add(blob)
            raw = _git(repo, "cat-file", "blob", blob, text=False).stdout
            texts[f"{commit[:10]}:{path}"] = raw.decode("utf-8", errors="replace")
    return forbidden + find_leaks_in(texts, secret_texts) + find_meaning_leaks(texts)


# ---------------------------------------------------------------- building


def stale_exercises(root: Path = ROOT) -> list[str]:
    """Exercise notebooks that are not what `fournos exercises` makes from solutions/ now
    (a solution fixed without regenerating): the students would get the old version."""
    stale = []
    for path in sorted((root / "solutions").glob("*.ipynb")):
        made = student_version(nbformat.read(path, as_version=4))
        target = root / "exercises" / path.name
        if not target.is_file():
            stale.append(path.name)
            continue
        have = nbformat.read(target, as_version=4)
        if [(c.cell_type, c.source) for c in made.cells] != [
            (c.cell_type, c.source) for c in have.cells
        ]:
            stale.append(path.name)
    return stale


def build(
    out: Path,
    root: Path = ROOT,
    branch: str = "student",
    repo_url: str | None = None,
    stamp: dict | None = None,
) -> list[str]:
    """Write the students' edition into `out` (which must not exist or be empty), scan it,
    and return its files. Raises ReleaseError (and removes `out`) on any leak."""
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: give a new folder for the edition.")
    stale = stale_exercises(root)
    if stale:
        raise ReleaseError(
            f"exercises/ is older than solutions/ ({', '.join(stale)}): run "
            "`python -m fournos exercises` (make exercises), commit, and release again."
        )
    if not (root / STUDENT_README).is_file():
        raise ReleaseError(f"{STUDENT_README} is missing: it becomes the edition's README.")
    files = edition_files(root)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for rel in files:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, target)
        (out / "README.md").write_text(student_readme(root, branch, repo_url), encoding="utf-8")
        stamp = stamp or release_stamp(root, branch)
        (out / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        stamp_start_page(out)
        leaks = scan_folder(out, secrets(root))
        if leaks:
            name, text = leaks[0]
            raise ReleaseError(
                f"{len(leaks)} piece(s) of instructor text would reach students, "
                f"e.g. in {name}: {text[:120]!r}. Nothing was released."
            )
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


VERSION_CELL = "print(fournos.edition())"
START_PAGE = "notebooks/00_start_here.ipynb"


def _without_stamp(nb) -> list:
    return [
        (c.cell_type, c.source, [] if c.source.strip() == VERSION_CELL else c.get("outputs", []))
        for c in nb.cells
    ]


def _same_but_stamp(repo: Path, parent: str, edition_dir: Path) -> bool:
    """True when the start page differs from the last release's only in its version line."""
    before = _git(repo, "show", f"{parent}:{START_PAGE}", check=False).stdout
    if not before:
        return False
    old = nbformat.reads(before, as_version=4)
    new = nbformat.read(edition_dir / START_PAGE, as_version=4)
    return _without_stamp(old) == _without_stamp(new)


def stamp_start_page(edition_dir: Path) -> None:
    """Store the release's own version line as the output of the start page's version cell,
    so the start page names the release before a cell is run (and nbval agrees)."""
    path = edition_dir / START_PAGE
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip() == VERSION_CELL:
            text = edition(edition_dir) + "\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nb, path)


def write_zip(edition: Path, zip_path: Path, folder_name: str = "fournos") -> None:
    """Zip the edition under one top folder, files in order with a fixed date, so the same
    edition always gives the same zip."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in edition.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder_name}/{path.relative_to(edition).as_posix()}")
            info.date_time = (2026, 1, 1, 0, 0, 0)
            info.external_attr = (path.stat().st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(zip_path)


def _release_history_only(repo: Path, ref: str) -> None:
    log = _git(repo, "log", "--format=%H%x00%B%x01", ref).stdout
    for record in filter(str.strip, log.split("\x01")):
        commit, message = record.strip().split("\x00", 1)
        if RELEASE_TRAILER not in message:
            raise ReleaseError(
                f"{ref} holds commit {commit[:10]}, which is not a release commit (no "
                f"'{RELEASE_TRAILER}' line). A students' branch must hold releases only: "
                "name another branch, or delete this one if it was made by mistake."
            )


def commit_to_branch(edition: Path, repo: Path, branch: str, stamp: dict) -> str | None:
    """Commit the edition as the next release on `branch` without touching the instructors'
    working tree, index or HEAD (a private index; git plumbing). The first release has no
    parent; each later one has the previous release as its only parent. Returns the new
    commit, or None when the edition is unchanged since the last release."""
    ref = f"refs/heads/{branch}"
    head = _git(repo, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
    if head == ref:
        raise ReleaseError(f"{branch} is the branch checked out here; switch away from it first.")
    parent = _git(repo, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False)
    parent = parent.stdout.strip() or None
    if parent:
        _release_history_only(repo, ref)
    git_dir = _git(repo, "rev-parse", "--absolute-git-dir").stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"), "GIT_DIR": git_dir}
        env["GIT_WORK_TREE"] = str(edition)

        def git(*args: str) -> str:
            try:
                return _git(edition, *args, env=env).stdout.strip()
            except subprocess.CalledProcessError as err:
                raise ReleaseError(f"git {args[0]} failed: {err.stderr.strip()}") from None

        git("add", "--all", "--force", ".")
        tree = git("write-tree")
        if parent:  # the stamp (number, date) alone is no new release
            changed = git("diff-index", "--cached", "--name-only", parent, "--").split("\n")
            changed = [c for c in changed if c and c != STAMP]
            if all(c == START_PAGE and _same_but_stamp(repo, parent, edition) for c in changed):
                return None
        source = stamp.get("commit", "")
        version = f"{stamp['release']} (kit {stamp['version']}, {stamp['date']})"
        message = (
            f"Students' release {version}\n\n"
            "The students' edition of the kit (no solutions, no instructor guide), built by "
            f"`fournos release`{' from ' + source if source else ''}.\n\n"
            f"{RELEASE_TRAILER} {stamp['version']}\n"
        )
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = git(*args)
        git("update-ref", ref, commit, parent or "0" * 40)
    return commit


def kit_version(root: Path = ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def release(
    out: Path | None = None,
    zip_path: Path | None = None,
    branch: str | None = None,
    repo_url: str | None = None,
    root: Path = ROOT,
) -> dict:
    """Build the edition once and publish it to each place asked for. Returns a summary."""
    summary: dict = {"repo_url": repo_url}
    stamp = release_stamp(root, branch or "student")
    summary["stamp"] = stamp
    with tempfile.TemporaryDirectory() as tmp:
        edition = out if out is not None else Path(tmp) / "edition"
        files = build(edition, root, branch or "student", repo_url, stamp)
        summary["files"] = len(files)
        if out is not None:
            summary["folder"] = out
        if zip_path is not None:
            write_zip(edition, zip_path)
            summary["zip"] = zip_path
        if _is_git_repo(root):
            status = _git(root, "status", "--porcelain", "--", *FOLDERS, *FILES).stdout
            lines = status.splitlines()
            summary["uncommitted"] = [ln[3:] for ln in lines if not ln.startswith("??")]
            summary["untracked"] = [ln[3:] for ln in lines if ln.startswith("??")]
        if branch is not None:
            if not _is_git_repo(root):
                raise ReleaseError("--branch needs the kit to be a git clone.")
            commit = commit_to_branch(edition, root, branch, stamp)
            leaks = scan_branch(root, branch, secrets(root))
            if leaks:
                raise ReleaseError(f"The branch {branch} holds instructor text: {leaks[0]}")
            summary["branch"] = (branch, commit)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos release",
        description="Build the students' edition of the kit: no solutions, no instructor "
        "guide, no model answer or rubric text (every file is scanned before anything is "
        "published).",
    )
    parser.add_argument("--out", type=Path, help="write the edition into this new folder")
    parser.add_argument("--zip", type=Path, dest="zip_path", help="write the edition as a zip")
    parser.add_argument(
        "--branch", help="commit the edition as the next release on this branch (e.g. student)"
    )
    parser.add_argument(
        "--repo-url",
        help="the address students clone from (where you publish the students' branch), for "
        "their README's clone line; without it the line asks students to get it from you",
    )
    args = parser.parse_args(argv)
    if not (args.out or args.zip_path or args.branch):
        parser.error("say where the edition goes: --out DIR, --zip FILE and/or --branch NAME")
    try:
        summary = release(args.out, args.zip_path, args.branch, args.repo_url)
    except ReleaseError as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 1
    stamp = summary["stamp"]
    print(
        f"Students' edition, release {stamp['release']} of kit {stamp['version']} "
        f"({stamp['date']}, from {stamp['commit'] or 'uncommitted files'}): "
        f"{summary['files']} files; no instructor text found in any."
    )
    if not summary.get("repo_url"):
        print(
            "  note: no --repo-url given, so the students' README asks them to get the clone "
            f"address from you ({ASK_FOR_ADDRESS}). Give --repo-url ADDRESS (where you publish "
            "the students' branch) to fill it in."
        )
    if summary.get("uncommitted"):
        shown = ", ".join(summary["uncommitted"][:5])
        print(f"  note: it includes changes you have not committed yet ({shown})")
    if summary.get("untracked"):
        shown = ", ".join(summary["untracked"][:5])
        print(f"  note: it leaves out files git does not track yet ({shown}); git add them")
    if "folder" in summary:
        print(f"  folder  {summary['folder']}")
    if "zip" in summary:
        print(f"  zip     {summary['zip']}")
    if "branch" in summary:
        name, commit = summary["branch"]
        if commit is None:
            print(f"  branch  {name}: unchanged since the last release (no new commit)")
        else:
            print(f"  branch  {name}: new release commit {commit[:10]}")
            print(f"Publish it where students can read it: git push <remote> {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
