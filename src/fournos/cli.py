"""The kit's one command line: `fournos <command>` or `python -m fournos <command>`.

Each command lives in its own module with a `main(argv)`; this file only maps names to
modules and imports the chosen one, so `fournos my-work` never loads pandas or plotly.
Instructor commands live in `fournos_tools`, which the runtime library never imports.
"""

from __future__ import annotations

import importlib
import sys

# name: (module with main(argv), one-line help). Students' commands first.
COMMANDS: dict[str, tuple[str, str]] = {
    "my-work": ("fournos.mywork", "copy the exercises into my-work/ (never overwrites)"),
    "exercises": ("fournos_tools.exercises", "regenerate exercises/ from solutions/"),
    "grade": ("fournos_tools.grading", "check a folder of submitted notebooks"),
    "site": ("fournos_tools.site", "build the static HTML site"),
    "handouts": ("fournos_tools.handouts", "print the lessons and exercise sheets to PDF"),
}


def usage() -> str:
    lines = ["usage: fournos <command> [options]", "", "commands:"]
    lines += [f"  {name:<11} {text}" for name, (_, text) in COMMANDS.items()]
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
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
