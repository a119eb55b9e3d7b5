"""The site's "About this kit" page: who the kit is for, how it was made, its sources policy,
its licences and how to cite it. Everything on it comes from the kit's own files
(CITATION.cff, LICENSE-CONTENT.md, the README), so that the page and the files never
disagree; it names no one the citation does not name."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

PAGE = "about"


def citation(root: Path) -> dict:
    return yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))


def _name(author: dict) -> str:
    """A person's name (given and family names) or a group's (name)."""
    person = " ".join(filter(None, [author.get("given-names"), author.get("family-names")]))
    return person or author["name"]


def names(cff: dict) -> str:
    return "; ".join(_name(author) for author in cff["authors"])


def who(cff: dict) -> str:
    """Who made the kit, how to reach them and where the kit is, as far as the citation file
    says: a group's name is not passed off as people's, and no address is made up."""
    people = [a for a in cff["authors"] if a.get("family-names")]
    if people:
        said = f"The kit is made by {names(cff)}."
    else:
        said = (
            f"The kit's citation file credits it to “{names(cff)}” and names no individual author."
        )
    emails = [a["email"] for a in cff["authors"] if a.get("email")]
    emails += [c["email"] for c in cff.get("contact", []) if c.get("email")]
    if emails:
        said += " Contact: " + ", ".join(f"<{e}>" for e in emails) + "."
    else:
        said += " It gives no contact address."
    repository = cff.get("repository-code") or cff.get("url")
    if repository:
        said += f" The kit's source is at <{repository}>."
    return said


def cite_as(cff: dict) -> str:
    """The kit's reference, as CITATION.cff gives it: authors (year). Title. Version, date."""
    released = datetime.date.fromisoformat(str(cff["date-released"]))
    return (
        f"{names(cff)} ({released.year}). *{cff['title']}*. Version {cff['version']}, "
        f"released {released.day} {released:%B %Y}."
    )


TEXT = """\
# About this kit

## Who it is for

Students and teachers of a week-long unit on Vietnam's defence policy of joining no military
alliance (the “Four Nos”, *bốn không*), and any reader who wants to read the sources for
themselves. A class can be taught from it, or a student can work through it alone. On this
site you read the lessons, the five articles and the exercise sheets with nothing to install;
doing the exercises needs the kit itself, with Python (its README says how to set it up).

## How it was made

{abstract} The lessons
are Jupyter notebooks, and this site is built from them as they are: the figures, tables and
quizzes on each page are the notebooks' own, and the code that makes them is folded away
under each one.

{who}

## Getting the kit

This site is for reading. To do the exercises you need the kit itself: ask the instructor
who sent you this site. A class gets it as a link to a course JupyterHub (nothing to
install), a git clone or a zip file, and the kit's README (the file README.md in its folder)
says how to set it up.

## Sources

- Every quote is copied word for word from its article or document, and the kit's tests check
  each one against the text.
- Every row of the kit's data is traceable to a source; facts from outside the five articles
  rest on the documents listed on [the documents page](documents.md).
- Dates are only as precise as the sources allow; where sources disagree, the kit says so and
  the lessons turn the disagreement into a question.
- Facts that change (partnerships, treaties in force) are recorded up to one as-of date.
- The kit does not tell you what to think about the policy: it teaches you to read each source
  in its own terms, to ask who is speaking, and to check claims against other sources, the
  same way for every side.

## Licences

- The kit's own text and data: the Creative Commons Attribution 4.0 International licence
  (CC BY 4.0). You may share and adapt them for any purpose, provided you give appropriate
  credit (see *How to cite*, below).
- The kit's code: the {license} licence.
- The five article texts are not covered by either licence: they remain their publishers' and
  authors' property, included for study, criticism and review.
- Short quotes from published commentaries are not covered either: they remain their authors'
  and publishers', quoted for criticism and teaching with their full citation.

## How to cite

{message}

> {reference}

The kit's file `CITATION.cff` holds the same details in a form reference managers read.
"""


def page(root: Path) -> str:
    cff = citation(root)
    return TEXT.format(
        who=who(cff),
        abstract=" ".join(cff["abstract"].split()),
        license=cff["license"],
        message=cff["message"],
        reference=cite_as(cff),
    )
