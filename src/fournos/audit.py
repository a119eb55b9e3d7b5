"""The audit trail: for each event, treaty coding and principle statement, the document and the
passage it rests on, and a list of the facts that rest on none; and the staleness report, every
count and statement tied to the dataset's as-of date.

    python -m fournos audit            # everything
    python -m fournos audit --missing  # only the facts with no document or passage
    python -m fournos audit --as-of    # what depends on the as-of date, stale statements first
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd

from fournos import dates
from fournos.data import load, table_names
from fournos.kit import current_kit


def _where(source_id: str, sources: pd.DataFrame) -> str:
    """Where a student can open a source: an article file, a document file, or nowhere."""
    if source_id.startswith("art_"):
        return f"data/articles/{source_id}.txt"
    document = sources.at[source_id, "document"]
    return f"data/documents/{document}" if document else "(no copy in the kit)"


def trail() -> pd.DataFrame:
    """One row per fact and source it cites: kind (event / treaty coding / principle
    statement), fact, source_id, where to open it, locator and quote ('' if none)."""
    sources = load("sources").set_index("source_id")
    rows = []
    for link in load("event_sources").itertuples():
        rows.append(("event", link.event_id, link.source_id, link.locator, link.quote))
    for coding in load("treaty_provisions").itertuples():
        fact = f"{coding.treaty_id} {coding.obligation} = {coding.present}"
        rows.append(("treaty coding", fact, coding.source_id, coding.locator, coding.quote))
    for statement in load("principle_statements").itertuples():
        fact = f"{statement.statement_id} ({statement.principle_id})"
        rows.append(
            ("principle statement", fact, statement.source_id, statement.locator, statement.quote)
        )
    frame = pd.DataFrame(rows, columns=["kind", "fact", "source_id", "locator", "quote"])
    frame.insert(3, "open", frame["source_id"].map(lambda s: _where(s, sources)))
    return frame


def unsupported(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Facts none of whose sources gives a passage the kit holds (a quote from an article or a
    document). An 'unknown' treaty coding is listed too: it says the kit has no text."""
    frame = trail() if frame is None else frame
    supported = frame[frame["quote"] != ""].groupby(["kind", "fact"]).size()
    facts = frame[["kind", "fact"]].drop_duplicates()
    keep = [(k, f) not in supported.index for k, f in facts.itertuples(index=False)]
    missing = facts[keep]
    cited = frame.groupby(["kind", "fact"])["source_id"].agg(", ".join)
    return missing.assign(
        cites=[cited[(k, f)] for k, f in missing.itertuples(index=False)]
    ).reset_index(drop=True)


def report(only_missing: bool = False) -> str:
    """The audit as plain text."""
    frame = trail()
    lines = []
    if not only_missing:
        for kind in ["event", "treaty coding", "principle statement"]:
            lines.append(f"== {kind}s ==")
            for fact, group in frame[frame["kind"] == kind].groupby("fact", sort=False):
                lines.append(fact)
                for row in group.itertuples():
                    where = f", {row.locator}" if row.locator else ""
                    if row.open.startswith("("):
                        lines.append(f"  - {row.source_id}: no copy in the kit")
                    else:
                        lines.append(f"  - {row.source_id} ({row.open}{where})")
                    if row.quote:
                        lines.append(f"      “{row.quote}”")
            lines.append("")
    missing = unsupported(frame)
    lines.append(f"== facts with no document or passage: {len(missing)} ==")
    for row in missing.itertuples():
        lines.append(f"  {row.kind}: {row.fact}  (cites {row.cites})")
    return "\n".join(lines)


# ---------------------------------------------------------------- the as-of staleness report
# Counts and statements about the present are true as of one date (datapackage.json "asOf").
# This part of the audit lists every one of them, in the data, the lessons, the guide and the
# READMEs, so that moving the as-of date forgets none (the instructors' guide "Updating the facts").

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAY_LABEL = re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b")
AS_OF_WORDS = re.compile(r"\bas[- ]of\b|\bup to\b", re.IGNORECASE)
NUMBER = (
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)"
)
PRESENT = re.compile(
    r"\b(so far|to date|currently|at present|nowadays|up to now|still in force|growing list"
    rf"|today|{NUMBER}\s+(comprehensive strategic )?partner(ship)?s)\b",
    re.IGNORECASE,
)
REPORTED = re.compile(
    r"\b(Article \d|art_[a-z_]+|Vu|Hao|Duong|Thuc|the article|the author|says|said|writes|"
    r"according to|calls|repeats|claims?)\b"
)
PROSE_COLUMNS = {
    "events": ["title", "summary", "note"],
    "glossary": ["definition", "note"],
    "quiz_questions": ["explanation", "hint"],
    "articles": ["note"],
    "partnerships": ["note"],
}


def _prose(root: Path):
    """(where, text) for the kit's prose: lesson and solution markdown, stored outputs, the
    instructor guide, the READMEs and the data's prose columns."""
    for folder in ("notebooks", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for cell in cells:
                where = f"{folder}/{path.name}#{cell.get('id')}"
                if cell["cell_type"] == "markdown":
                    yield where, "".join(cell["source"])
                for output in cell.get("outputs", []):
                    text = output.get("text") or output.get("data", {}).get("text/plain", "")
                    yield f"{where} (stored output)", "".join(text)
    guide = [p for p in (root / "instructors").rglob("*.md") if "answer-keys" not in p.parts]
    readmes = [root / "README.md", root / "README.student.md", root / "data/documents/README.md"]
    for path in sorted(guide) + [p for p in readmes if p.exists()]:
        yield str(path.relative_to(root)), path.read_text(encoding="utf-8")
    for table, columns in PROSE_COLUMNS.items():
        if table not in table_names():  # an older dataset
            continue
        frame = load(table)
        for column in columns:
            for key, text in zip(frame.iloc[:, 0], frame[column]):
                yield f"data/{table}.csv {key} {column}", text or ""


def _status(sentence: str, label: str, iso: str) -> str:
    """'stale' when the sentence ties itself to another as-of date; 'current' otherwise."""
    other_days = [d for d in DAY_LABEL.findall(sentence) if d != label]
    names_current = label in sentence or iso in sentence
    if re.search(r"\b(previous|earlier|old) as-of date\b", sentence):  # history, not a claim
        return "current"
    if AS_OF_WORDS.search(sentence) and other_days and not names_current:
        return "stale"
    return "current"


QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^'\n]+'(?!\w)|`[^`]*`")


def _names_as_of(sentence: str, label: str, iso: str) -> bool:
    return (
        label in sentence
        or iso in sentence
        or bool(re.search(r"\bas-of\b", sentence, re.IGNORECASE))
        or bool(re.search(rf"\bas of (?:{DAY_LABEL.pattern})", sentence))
    )


def _tied(sentence: str, label: str, iso: str, output: bool) -> bool:
    """Names the as-of date, or (the kit's own prose only, not a source's words in a stored
    output, a quotation or a question) states a count or the present."""
    if _names_as_of(sentence, label, iso):
        return True
    if output or sentence.rstrip("*_ ").endswith("?"):
        return False
    own_words = QUOTED.sub("…", sentence)
    return bool(PRESENT.search(own_words)) and not REPORTED.search(own_words)


SHOWS_AS_OF = re.compile(r"\bas_of\(|\bpartnership_(count|chart)\(")


def _dated_outputs(root: Path, label: str):
    """(status, where, what) for each stored output of a code cell that shows the as-of date
    (fournos.as_of(), partnership_count(), partnership_chart()): stale if it shows another date,
    that is, if the notebook was not re-run after the date moved."""
    for folder in ("notebooks", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                code = "".join(cell["source"])
                if cell["cell_type"] != "code" or not SHOWS_AS_OF.search(code):
                    continue
                shown = json.dumps(cell.get("outputs", []), ensure_ascii=False)
                status = "current" if label in shown else "stale"
                where = f"{folder}/{path.name}#{cell.get('id')} (stored output)"
                yield status, where, f"output of `{code.strip()[:80]}` (re-run to refresh it)"


def dated_prose(root: Path | None = None) -> pd.DataFrame:
    """Every sentence of the kit's prose that is tied to the as-of date (it names the date,
    says 'as of', or states a count or the present in the kit's own words), with its status:
    'stale' when it names another as-of date instead of the current one."""
    root = Path(root) if root else current_kit()
    label, iso = dates.as_of(), dates.as_of(iso=True)
    rows = []
    for where, text in _prose(root):
        for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text):
            sentence = sentence.strip()
            if sentence and _tied(sentence, label, iso, "(stored output)" in where):
                rows.append((_status(sentence, label, iso), where, sentence))
    rows += list(_dated_outputs(root, label))
    return pd.DataFrame(rows, columns=["status", "where", "sentence"]).drop_duplicates()


def dated_rows() -> pd.DataFrame:
    """Table rows whose status is a fact as of the as-of date: each partnership (its kind and
    partner), each treaty with no end recorded (still in force, as far as the kit knows), and
    the latest official restatement of the doctrine the kit found."""
    rows = []
    events = load("events").set_index("event_id")
    kinds = load("partnerships") if "partnerships" in table_names() else pd.DataFrame()
    for row in kinds.itertuples():
        when = dates.label(events.at[row.event_id, "date"])
        kind = "" if row.kind == "comprehensive_strategic_partnership" else ", not counted"
        rows.append(
            (
                "partnerships.csv",
                row.event_id,
                f"{row.partner} ({row.partner_type}): {row.kind_as_named} since {when}{kind}",
            )
        )
    for row in load("treaties").itertuples():
        if not row.ended:
            rows.append(("treaties.csv", row.treaty_id, f"{row.name}: no end recorded"))
    doctrine = events[events["category"] == "doctrine"].sort_values("date")
    if len(doctrine):
        latest = doctrine.index[-1]
        rows.append(
            (
                "events.csv",
                latest,
                (
                    f"latest official statement of the doctrine found: "
                    f"{doctrine.at[latest, 'title']} ({dates.label(doctrine.at[latest, 'date'])})"
                ),
            )
        )
    return pd.DataFrame(rows, columns=["table", "row", "fact"])


def as_of_report(root: Path | None = None, today=None) -> tuple[str, int]:
    """The staleness report as text, and how many statements are stale."""
    from fournos.doctrine import partnership_count
    from fournos.freshness import age_sentence

    prose = dated_prose(root)
    stale = prose[prose["status"] == "stale"]
    table_rows = dated_rows()
    lines = [
        f"== Everything tied to the as-of date ({dates.as_of()}) ==",
        age_sentence(today),
        "",
        "-- counts computed from the data (current once the notebooks are re-run) --",
        f"  {partnership_count()}",
        "",
        f"-- table rows true as of that date: {len(table_rows)} --",
    ]
    lines += [f"  {r.table} {r.row}: {r.fact}" for r in table_rows.itertuples()]
    lines += ["", f"-- prose tied to that date: {len(prose)}, of which stale: {len(stale)} --"]
    for row in pd.concat([stale, prose[prose["status"] != "stale"]]).itertuples():
        mark = "STALE" if row.status == "stale" else "ok   "
        lines.append(f"  {mark} {row.where}: {row.sentence[:200]}")
    lines += [
        "",
        (
            f"== {len(table_rows) + len(prose) + 1} statements tied to the as-of date; "
            f"{len(stale)} stale =="
        ),
    ]
    return "\n".join(lines), len(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos audit",
        description="Show the document and passage each event, treaty coding and principle "
        "statement rests on, and list the facts that rest on none.",
    )
    parser.add_argument(
        "--missing", action="store_true", help="list only the facts with no document or passage"
    )
    parser.add_argument(
        "--as-of",
        action="store_true",
        help="list every count and statement tied to the as-of date, stale ones first "
        "(exit status 1 if any is stale)",
    )
    args = parser.parse_args(argv)
    stale = 0
    try:
        if args.as_of:
            text, stale = as_of_report()
            print(text)
        else:
            print(report(only_missing=args.missing))
    except BrokenPipeError:  # `fournos audit | head`: the reader stopped early, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if stale else 0
