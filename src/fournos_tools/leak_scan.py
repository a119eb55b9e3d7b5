"""The leak scan: no model answer and no instructor sentence reaches the students' edition.

Every file of the edition is scanned for every model-answer line (from solutions/) and every
instructor-only sentence of instructors/, and all its Python (modules, tests, notebooks' code
cells) for the meaning of every model answer: the expressions that compute one (compared as
syntax trees, so quotes, spaces, line breaks and the variable's name do not hide it), the
values of every collection answer (three of its items, in any order and wording), and every
answer that is a single id or value (see `single_value_answers`). `fournos exercises` uses the
same comparison (`find_leaks_in`) for each exercise notebook it writes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import nbformat

from fournos.kit import current_kit
from fournos_tools.edition_contents import FILES, NEVER, _git, _under
from fournos_tools.exercises import _split, solution_texts

TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
MIN_SENTENCE = 40  # shorter instructor lines ("Set-up in two commands.") are not secrets


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    """Text as a reader sees it, for comparing: JSON escapes undone, Markdown emphasis and
    typographic quotes dropped, whitespace collapsed, case folded. Kept per text: a build
    compares each test file with every secret, and the folder, the branch and the next build
    read the same files again."""
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
def model_answer_lines(root: Path | None = None) -> list[str]:
    """Every line of every model answer and instructor cell in solutions/, except plain
    Python that the edition's own code contains (`from pathlib import Path` gives nothing
    away)."""
    root = root or current_kit()
    shipped = sorted((root / "src/fournos").rglob("*.py")) + [
        root / f for f in FILES if f.endswith(".py") and (root / f).exists()
    ]
    library = _plain(" ".join(_read_text(p) for p in shipped))
    lines = set()
    for path in sorted((root / "solutions").glob("*.ipynb")):
        lines.update(solution_texts(nbformat.read(path, as_version=4)))
    return sorted(line for line in lines if _plain(line) not in library)


def instructor_sentences(root: Path | None = None) -> list[str]:
    """Every sentence of the instructor guide (rubrics, model answers, discussion notes,
    plans), outside its block quotes and command blocks. The answer keys are left out: they
    restate data/quiz_questions.csv, which the quizzes need and the edition carries."""
    root = root or current_kit()
    secrets = set()
    for path in sorted((root / "instructors").rglob("*.md")):
        if "answer-keys" in path.relative_to(root).parts:
            continue
        secrets.update(_sentences(path.read_text(encoding="utf-8")))
    return sorted(secrets)


def secrets(root: Path | None = None) -> list[str]:
    """Every text the students' edition must not contain."""
    root = root or current_kit()
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
    named otherwise compare equal; attributes, calls and constants are kept. Written out
    directly rather than by transforming a copy of the tree: the scan shapes every expression
    of every shipped file, and copying each one's subtree made a release build take seconds."""
    if isinstance(node, ast.Name):
        return "Name(_)"
    if isinstance(node, ast.Attribute) and _is_fournos(node.value):
        return f"Name({node.attr})"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            # the kit's function by its name; a module's function (pd.crosstab) with its module
            head = func.attr if _is_fournos(func.value) else f"{func.value.id}.{func.attr}"
        elif isinstance(func, ast.Name):
            head = func.id
        else:
            head = _shape(func)
        parts = [_shape(part) for part in (*node.args, *node.keywords)]
        return f"Call({head}; {', '.join(parts)})"
    fields = []
    for name, value in ast.iter_fields(node):
        if isinstance(value, list):
            value = (
                f"[{', '.join(_shape(v) if isinstance(v, ast.AST) else repr(v) for v in value)}]"
            )
        elif isinstance(value, ast.AST):
            value = _shape(value)
        else:
            value = repr(value)
        fields.append(f"{name}={value}")
    return f"{type(node).__name__}({', '.join(fields)})"


def _is_fournos(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "fournos"


def _distinctive(node, whole: bool) -> bool:
    """An expression specific enough to be a model answer's: the whole right-hand side with
    two or more constants in it, or a call of a named function (`pd.crosstab`, the kit's
    `find_paragraphs`) with a constant among its arguments. `frame['id'].map(lookup)` or
    `fournos.events(folder)` are everyday code, not answers."""
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
    try:
        return list(ast.walk(ast.parse(code)))
    except (SyntaxError, ValueError, RecursionError):
        return []


def _items_of(node) -> frozenset | None:
    """The items of a literal dict, list, tuple or set (pairs for a dict), or None."""
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


@cache
def _collections_given(exercise: Path) -> set:
    """The items of every collection the students' notebook itself gives (a question that asks
    to put given items in order): an answer made of the same items in another order holds
    nothing the question does not show, so the scan does not look for it."""
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
def model_answer_meanings(root: Path | None = None) -> tuple[dict, list]:
    """({syntax tree dump: the expression} of every expression a solution block computes an
    answer with, [(answer, its items)] of every collection a model answer holds)."""
    root = root or current_kit()
    expressions, collections = {}, []
    for exercise, nodes in _solution_blocks(root):
        given = _collections_given(exercise)
        for node in nodes:
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
            for node in nodes
            if isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Subscript)
            and isinstance(node.targets[0].slice, ast.Constant)
            and isinstance(node.value, ast.Constant)
        )
        if len(pairs) >= MIN_SHARED_ITEMS:
            collections.append(("an answer set item by item", pairs))
    return expressions, collections


def _solution_blocks(root: Path):
    """(the students' exercise notebook, the syntax nodes of one solution block) for every
    solution block of every solution notebook: where model answers are written."""
    for path in sorted((root / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for block in _split(cell.source)[1]:
                    yield root / "exercises" / path.name, list(_trees("\n".join(block)))


MIN_VALUE_LENGTH = 4  # a single-value answer shorter than this ("yes", "3") is everyday text
# Modules the scan never calls: those whose functions act (start a server, write files, change
# the display, print) instead of returning a value, and those that check the whole dataset
# (audit, data's validator), which hold no answer and take long.
NOT_CALLED = {
    "__main__",
    "answer_digests",
    "answer_digests_region",
    "audit",
    "data",
    "cli",
    "commands",
    "doctor",
    "friendly_errors",
    "kit",
    "launch",
    "mywork",
    "notebook_setup",
    "selftest",
    "update",
    "watch",
    "workspace",
}
VALUE_RETURNS = ("str", "list", "tuple", "set", "frozenset", "int", "float")


@cache
def _given_constants(exercise: Path) -> set:
    """Every constant the students' notebook itself shows in its code: not a secret."""
    if not exercise.is_file():
        return set()
    cells = nbformat.read(exercise, as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    return {n.value for src in code for n in _trees(src) if isinstance(n, ast.Constant)}


@cache
def single_value_answers(root: Path | None = None) -> dict:
    """{value: the model answer} of every answer that is one id or value (`unanswered =
    "adv_tuong_04"`): a string of one word, which the line and expression scans cannot see in
    shipped code because it holds nothing but the value. Values the exercise itself shows are
    left out."""
    root = root or current_kit()
    values = {}
    for exercise, nodes in _solution_blocks(root):
        given = _given_constants(exercise)
        for node in nodes:
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)):
                continue
            value = node.value.value
            if (
                all(isinstance(t, ast.Name) for t in node.targets)
                and isinstance(value, str)
                and len(value) >= MIN_VALUE_LENGTH
                and not any(ch.isspace() for ch in value)
                and value not in given
            ):
                values[value] = ast.unparse(node)
    return values


def _is_the_value(result, value) -> bool:
    """A function's result gives the answer away: it is the value, or a list of it alone."""
    if isinstance(result, str):
        return result == value
    if isinstance(result, (list, tuple, set, frozenset)) and len(result) == 1:
        return next(iter(result)) == value
    return False


def _calls_to_try(function, shipped_calls: dict) -> list[tuple]:
    """The argument lists to call a function with: none (when every parameter has a default)
    and each all-constant argument list shipped code calls it with."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    required = [
        p
        for p in parameters
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    tries = [] if required else [()]
    return tries + sorted(shipped_calls.get(function.__name__, set()), key=repr)


def _constant_calls(texts: dict[str, str]) -> dict:
    """{function name: {argument tuples}} of every call in shipped Python whose arguments are
    all constants (`fournos.debate.unanswered("advocate")`)."""
    calls: dict = {}
    for name, text in texts.items():
        for code in _code_of(name, text):
            for node in _trees(code):
                if not (isinstance(node, ast.Call) and node.args and not node.keywords):
                    continue
                if all(isinstance(a, ast.Constant) for a in node.args):
                    func = node.func
                    called = (
                        func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    )
                    calls.setdefault(called, set()).add(tuple(a.value for a in node.args))
    return calls


def computed_answers(
    values: dict, texts: dict[str, str] | None = None, modules: list[str] | None = None
) -> list[tuple[str, str]]:
    """(file, what gives it) for every single-value answer a shipped library function returns:
    called with no arguments where it needs none, and with the constant arguments shipped code
    calls it with. Only functions that say they return a value (str, list, …) are called,
    never the modules that act (NOT_CALLED)."""
    import fournos

    if not values:
        return []
    shipped_calls = _constant_calls(texts or {})
    if modules is None:
        folder = Path(fournos.__file__).parent
        modules = sorted(
            f"fournos.{p.stem}" for p in folder.glob("*.py") if p.stem not in NOT_CALLED
        )
    found = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module_name:
                continue
            returns = inspect.signature(function).return_annotation
            if not isinstance(returns, str):  # a module without postponed annotations
                returns = getattr(returns, "__name__", str(returns))
            if not returns.startswith(VALUE_RETURNS):
                continue
            for args in _calls_to_try(function, shipped_calls):
                try:
                    result = function(*args)
                except Exception:  # noqa: BLE001, S112 (a call the function refuses gives nothing away)
                    continue
                for value, answer in values.items():
                    if _is_the_value(result, value):
                        where = module_name.replace(".", "/")
                        call = f"{module_name}.{name}({', '.join(map(repr, args))})"
                        found.append((f"src/{where}.py", f"{call} returns {answer}"))
    return sorted(set(found))


@cache
def _features(code: str) -> tuple[frozenset, frozenset, tuple]:
    """What the meaning scan compares in one piece of Python: the shape of every expression,
    every string constant, and the items of every literal collection. Kept per text, so a
    file scanned again (the folder, then the branch; the next release) costs nothing."""
    shapes, constants, collections = set(), set(), []
    for node in _trees(code):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
        if isinstance(node, ast.expr):
            shapes.add(_shape(node))
        if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)) and (
            items := _items_of(node)
        ):
            collections.append(items)
    return frozenset(shapes), frozenset(constants), tuple(collections)


def find_meaning_leaks(texts: dict[str, str], root: Path | None = None) -> list[tuple[str, str]]:
    """(file, model answer) for every model answer whose meaning is in a shipped file's
    Python: an expression that computes it, a collection sharing enough of its items, or an
    answer of one id or value written as a literal. Data files and notebooks' outputs are not
    Python: the tables hold every id, and the scan leaves them to the line scan."""
    root = root or current_kit()
    expressions, collections = model_answer_meanings(root)
    values = single_value_answers(root)
    leaks = []
    for name, text in texts.items():
        for code in _code_of(name, text):
            shapes, constants, items_found = _features(code)
            leaks += [(name, values[c]) for c in constants & values.keys()]
            leaks += [(name, expressions[d]) for d in shapes & expressions.keys()]
            for items in items_found:
                for label, answer in collections:
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
    computed = computed_answers(single_value_answers(), texts)
    return forbidden + find_leaks_in(texts, secret_texts) + find_meaning_leaks(texts) + computed


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
