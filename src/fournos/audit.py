"""The audit trail: for each event, treaty coding and principle statement, the document and the
passage it rests on, and a list of the facts that rest on none.

    python -m fournos audit            # everything
    python -m fournos audit --missing  # only the facts with no document or passage
"""

from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from fournos.data import load


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos audit",
        description="Show the document and passage each event, treaty coding and principle "
        "statement rests on, and list the facts that rest on none.",
    )
    parser.add_argument(
        "--missing", action="store_true", help="list only the facts with no document or passage"
    )
    args = parser.parse_args(argv)
    try:
        print(report(only_missing=args.missing))
    except BrokenPipeError:  # `fournos audit | head`: the reader stopped early, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
