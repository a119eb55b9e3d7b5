"""The files an instructor reads: grades.csv, marking-sheet.csv, feedback/, report.html.

Every text that came from a submission is cleaned of control characters (no terminal escape
sequences), HTML is escaped in feedback files and the report (a Markdown viewer would run a
submission's <script>), feedback files keep each such text on one line with its Markdown
escaped (a student's error message cannot forge a "✔ Correct" line, an image or a link), and
CSV cells that a spreadsheet would run as a formula (= + - @)
are escaped.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from collections import Counter
from pathlib import Path

from fournos_tools.spreadsheet import cell, clean  # one escaper for every CSV the kit writes

GRADE_COLUMNS = ["submission", "notebook", "status", "points", "out_of"]
TAIL_COLUMNS = ["written_answered", "written_words", "flags", "feedback_file"]
SHEET_COLUMNS = [
    "submission",
    "notebook",
    "question",
    "words",
    "answer_text",
    "points",
    "out_of",
    "comment",
]
OUTCOME_ORDER = ["pass", "fail", "not answered", "not run", "kit error"]
# a written answer in the marking sheet: at most this many characters (a spreadsheet cell
# holds 32,767); the longest field any reader of the kit's CSVs accepts
SHEET_TEXT_CHARS = 32_000
FIELD_LIMIT = 64_000_000


class SheetError(Exception):
    """The last marking sheet cannot be read: nothing is replaced; the message says why."""


def sheet_text(text: str) -> str:
    """A written answer as the marking sheet holds it: cut, with a note, past
    SHEET_TEXT_CHARS (the whole answer is in the student's notebook)."""
    if len(text) <= SHEET_TEXT_CHARS:
        return text
    return (
        f"{text[:SHEET_TEXT_CHARS]} [cut here: the answer has {len(text):,} characters; "
        "read it whole in the student's notebook]"
    )


def read_sheet(path: Path) -> list[dict]:
    """The rows of a marking sheet the grader wrote (and an instructor filled in)."""
    csv.field_size_limit(FIELD_LIMIT)
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def typed_marks(rows: list[dict]) -> int:
    """How many marks an instructor typed (the grader's own blank zeros not counted)."""
    from fournos_tools.lms import BLANK_SCORED

    return sum(
        1
        for r in rows
        if str(r.get("points") or "").strip() and (r.get("comment") or "") != BLANK_SCORED
    )


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: cell(row.get(c, "")) for c in columns})


def carry_hand_marks(sheet: list[dict], previous: Path) -> tuple[int, int]:
    """Keep the marks an instructor typed into the last run's marking sheet: a re-run (a late
    submission, a fixed kit) must not wipe them. A mark is kept where the same submission's same
    question has the same answer text; where the text changed, the old mark goes into the comment
    for the instructor to look at again. Returns (kept, answers changed since marked).
    A sheet that cannot be read is a SheetError (never "kept 0": its marks would be lost)."""
    try:
        old_rows = read_sheet(previous)
    except (OSError, csv.Error) as err:
        raise SheetError(
            f"The last marking sheet {previous} could not be read ({err}), so the marks typed "
            "in it could not be carried over. Nothing was replaced: repair that file (save it "
            "again as CSV, UTF-8) or move it away, then grade again."
        ) from None
    marked = {
        (r.get("submission"), r.get("notebook"), r.get("question")): r
        for r in old_rows
        if str(r.get("points", "")).strip()
    }
    kept = changed = 0
    for row in sheet:
        old = marked.get((cell(row["submission"]), cell(row["notebook"]), cell(row["question"])))
        if old is None:
            continue
        if old.get("answer_text") == cell(row["answer_text"]):
            row["points"], row["comment"] = old["points"], old.get("comment", "")
            kept += 1
        else:
            row["comment"] = f"answer changed since your mark of {old['points']}: mark it again"
            changed += 1
    return kept, changed


def feedback_names(relatives: list[str]) -> dict[str, str]:
    """A unique, readable file name for each submission: alice/ex01.ipynb -> alice__ex01.md,
    and alice__ex01.ipynb, which would clash with it, -> alice__ex01-2.md."""
    names, taken = {}, set()
    for relative in sorted(relatives):
        stem = re.sub(r"\.ipynb$", "", relative, flags=re.IGNORECASE)
        base = re.sub(r"[^\w.-]+", "_", stem.replace("/", "__")).strip("._") or "submission"
        name, n = f"{base}.md", 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}.md"
        taken.add(name.lower())
        names[relative] = name
    return names


VERDICT_MARKS = str.maketrans("", "", "✔✘✓✗✅❌☑")
MARKDOWN_ACTIVE = re.compile(r"([\\`*\[\]!~|#])")  # code, emphasis, images, links, tables


def _underscores(text: str) -> str:
    """`_` escaped wherever it could start or end emphasis; kept between letters or digits
    (check_date_gaps, a file name), where Markdown never reads it as emphasis."""

    def escape(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        inside = before.isalnum() and after.isalnum()
        return match.group() if inside else match.group().replace("_", "\\_")

    return re.sub(r"_+", escape, text)


def safe(text) -> str:
    """One line of plain text for a feedback file, whatever a submission put in it: no control
    characters, newlines folded (no line of its own that looks like the feedback's), the
    feedback's verdict marks removed (no forged "✔ Correct"), HTML escaped, Markdown escaped
    (no emphasis, code, image or link) and web and mail addresses broken so that no viewer
    turns them into links (`http:\\//`, `www\\.`, `\\@`). It reads as the text it was."""
    text = " ".join(clean(text).translate(VERDICT_MARKS).split())
    text = _underscores(MARKDOWN_ACTIVE.sub(r"\\\1", text))
    text = re.sub(r"^([-+])", r"\\\1", text)  # no list item at a line's start
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    text = text.replace("://", ":\\//").replace("@", "\\@")
    text = re.sub(r"(?i)(?<=www)\.", r"\\.", text)
    return html.escape(text, quote=False)


def write_feedback(path: Path, result: dict) -> None:
    lines = [
        f"# Feedback: {safe(result['submission'])}",
        "",
        f"Notebook: {safe(result['status'])}.",
    ]
    if result.get("advice"):
        lines += ["", safe(result["advice"])]
    errors = result.get("errors") or ([result["first_error"]] if result.get("first_error") else [])
    if errors:
        lines += ["", f"{len(errors)} cell(s) stopped with an error:"]
        lines += [f"- {safe(error)}" for error in errors]
    if result["checks"]:
        lines.append("")
    for check in result["checks"]:
        mark = "✔" if check["outcome"] == "pass" else "✘"
        label = f"Exercise {safe(check['exercise'])}" if check.get("exercise") else "Check"
        lines.append(f"- {mark} {label} (`{check['check']}`): {safe(check['message'])}")
    if result["checks"]:
        lines += [
            "",
            (
                f"{result['points']} of {result['out_of']} points from the checks. "
                "Your written answers are read separately by your instructor."
            ),
        ]
    if result.get("relied_on"):
        lines += ["", safe(result["relied_on"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="replace")


def write_report(folder: Path, results: list[dict], check_names: list[str]) -> None:
    """report.html: per check pass / fail / not answered, statuses, the distribution of
    totals, the most common failure message per check. Works offline: plotly.js is copied
    beside it once."""
    import plotly.graph_objects as go
    import plotly.io as pio

    graded = [r for r in results if r["checks"]]
    colours = {
        "pass": "#009E73",
        "fail": "#D55E00",
        "not answered": "#E69F00",
        "not run": "#999999",
        "kit error": "#CC79A7",
    }
    by_check = {name: Counter() for name in check_names}
    failures = {name: Counter() for name in check_names}
    for r in graded:
        for c in r["checks"]:
            by_check.setdefault(c["check"], Counter())[c["outcome"]] += 1
            if c["outcome"] == "fail":
                failures.setdefault(c["check"], Counter())[clean(c["message"])[:300]] += 1
    names = list(by_check)
    bars = go.Figure(
        [
            go.Bar(
                name=o,
                y=names,
                x=[by_check[n][o] for n in names],
                orientation="h",
                marker_color=colours[o],
            )
            for o in OUTCOME_ORDER
        ],
        layout={
            "barmode": "stack",
            "title": "Outcome of each check (number of notebooks)",
            "xaxis_title": "notebooks",
            "yaxis_title": "check",
            "height": 200 + 40 * len(names),
            "yaxis_autorange": "reversed",  # in exercise order, top to bottom
            "legend_traceorder": "normal",
        },
    )
    totals = [r["points"] / r["out_of"] * 100 for r in graded if r["out_of"]]
    hist = go.Figure(
        go.Histogram(x=totals, xbins={"start": -5, "end": 105, "size": 10}, marker_color="#0072B2"),
        layout={
            "title": "Distribution of totals (% of check points)",
            "xaxis_title": "% of the points from checks",
            "yaxis_title": "notebooks",
        },
    )
    # every notebook the instructor should open: not "ran" cleanly to its end
    stopped = [r for r in results if r["status"] != "ran" or not r["checks"]]
    who = (
        "".join(
            f'<tr><td><a href="{html.escape(r["feedback_file"])}">'
            f"{html.escape(clean(r['submission']))}</a></td>"
            f"<td>{html.escape(clean(r['status']))}</td></tr>"
            for r in sorted(stopped, key=lambda r: r["submission"])
        )
        or "<tr><td colspan='2'>Every notebook ran to its end with no error.</td></tr>"
    )
    statuses = Counter(r["status"] for r in results)
    rows = "".join(
        f"<tr><td>{html.escape(clean(s))}</td><td>{n}</td></tr>" for s, n in statuses.most_common()
    )
    common = (
        "".join(
            f"<tr><td><code>{html.escape(n)}</code></td><td>{html.escape(m)}</td><td>{k}</td></tr>"
            for n in names
            if failures.get(n)
            for m, k in failures[n].most_common(1)
        )
        or "<tr><td colspan='3'>No check failed.</td></tr>"
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class report</title>
<script src="plotly.min.js"></script>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}</style>
</head><body>
<h1>Class report</h1>
<p>{len(results)} notebooks, {len(graded)} with checks. Written answers are in
marking-sheet.csv; each student's feedback is in feedback/.</p>
<h2>Checks</h2>
{pio.to_html(bars, full_html=False, include_plotlyjs=False)}
<p>Each bar is one check: green passed, orange-red failed, yellow not answered, grey not run,
purple a problem in the kit's own check.</p>
<h2>Totals</h2>
{pio.to_html(hist, full_html=False, include_plotlyjs=False)}
<p>How many notebooks scored in each band of 10 % of the check points.</p>
<h2>Statuses</h2>
<table><tr><th>status</th><th>notebooks</th></tr>{rows}</table>
<h2>Notebooks to look at: a cell stopped with an error, the notebook stopped, or it was not graded</h2>
<table><tr><th>submission (its feedback)</th><th>status</th></tr>{who}</table>
<h2>Most common failure message per check</h2>
<table><tr><th>check</th><th>message</th><th>notebooks</th></tr>{common}</table>
</body></html>
"""
    (folder / "report.html").write_text(page, encoding="utf-8", errors="replace")
    import plotly

    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", folder)
