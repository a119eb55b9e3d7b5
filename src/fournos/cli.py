"""The kit's one command line: `fournos <command>` or `python -m fournos <command>`.

Each command lives in its own module with a `main(argv)`; this file only maps names to
modules and imports the chosen one, so `fournos my-work` never loads pandas or plotly.
Instructor commands live in `fournos_tools`, which the runtime library never imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

# name: (module with main(argv), one-line help). Students' commands first.
COMMANDS: dict[str, tuple[str, str]] = {
    "lab": ("fournos.launch", "open JupyterLab on the kit (stop it with Ctrl-C twice)"),
    "my-work": ("fournos.mywork", "copy the exercises into my-work/ (never overwrites)"),
    "audit": ("fournos.audit", "show the document and passage behind every fact"),
    "update": ("fournos.update", "get the new version of the kit, keeping your edits"),
    "doctor": ("fournos.doctor", "check that everything is ready, and say how to fix it"),
    "test": ("fournos.selftest", "check that the kit works here (what `make test` runs)"),
    "exercises": ("fournos_tools.exercises", "regenerate exercises/ from solutions/"),
    "grade": ("fournos_tools.grading", "grade a folder of submitted notebooks, sandboxed"),
    "site": ("fournos_tools.site", "build the static HTML site"),
    "release": ("fournos_tools.release", "build the students' edition (no answers)"),
    "answer-keys": ("fournos_tools.answer_keys", "write the quiz answer keys into instructors/"),
    "lms": ("fournos_tools.lms", "write Canvas and Moodle grade-import files"),
    "handouts": ("fournos_tools.handouts", "print the lessons and exercise sheets to PDF"),
}


def available(name: str) -> bool:
    """False for an instructor command in the students' edition, which has no fournos_tools."""
    return importlib.util.find_spec(COMMANDS[name][0].split(".")[0]) is not None


def usage() -> str:
    lines = ["usage: fournos <command> [options]", "", "commands:"]
    lines += [f"  {name:<11} {text}" for name, (_, text) in COMMANDS.items() if available(name)]
    lines += ["", "`fournos <command> --help` explains one command."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"fournos: no command called {name!r}.\n\n{usage()}", file=sys.stderr)
        return 2
    if not available(name):
        print(
            f"fournos: {name!r} is an instructor's command; this students' edition of the kit "
            "does not include it.",
            file=sys.stderr,
        )
        return 2
    from fournos.friendly_errors import DataError

    try:
        module = importlib.import_module(COMMANDS[name][0])
        return int(module.main(rest) or 0)
    except DataError as err:  # e.g. not inside a kit: the message says what to do
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
