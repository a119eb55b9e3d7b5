"""The `check_…` functions students run after each exercise answer.

Each one returns a Feedback: correct, or a specific hint. It never raises: a wrong type,
an unanswered `...`, an empty table or an error inside the student's own object all become
a friendly message. Hints say what is wrong, never what the right values are.

These checks ship to students, so none of them holds a model answer in readable form: where
the answer is computed from the data (Exercises 1.1, 1.4, 2.1, 2.3, 2.4) they compare a
digest of the student's answer with the digest of the right one (answer_digests.py) and
hint from the question alone. Batch grading runs the instructors' full checks (with the
same names, in fournos_tools.grading.hidden_checks) in its own process; nothing here
reports anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from fournos import dates, watch
from fournos.answer_shapes import expects, plain_reason
from fournos.data import DataError, load
from fournos.feedback import Feedback
from fournos.friendly_errors import a_type
from fournos.text import _normalise, article_ids, article_text, find_quote
from fournos.treaties import OBLIGATIONS
from fournos.workspace import validate

TREND_TERMS = [
    "alliance",
    "independence",
    "self-reliance",
    "integration",
    "multilateral",
    "sovereignty",
]
MIN_QUOTE_WORDS = 3  # a quote must be a phrase, not a word that occurs everywhere
STATED_DATES = {"ev_1951_alliance": "1951-03-13", "ev_2013_resolution_22": "2013-12"}


DIGEST_SALT = "fournos-answer:"


def digest(value) -> str:
    """A short digest of a plain value (numbers, strings, lists): equal values, equal digests;
    the digest does not give the value back."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256((DIGEST_SALT + text).encode()).hexdigest()[:24]


def matches(key: str, value, item: str | None = None) -> bool:
    """True if `value` is the right answer named `key` (an item of it, with `item`)."""
    from fournos.answer_digests import DIGESTS

    expected = DIGESTS[key] if item is None else DIGESTS[key].get(item)
    return expected is not None and digest(value) == expected


def _numbers(frame, rows: list, columns: list, places: int | None = None):
    """The frame's values at rows x columns as a list of lists of plain numbers, or None."""
    try:
        got = frame.loc[rows, columns].astype(float).fillna(0)
    except (KeyError, TypeError, ValueError):
        return None
    if places is None:
        return [
            [int(v) if float(v).is_integer() else v for v in row] for row in got.to_numpy().tolist()
        ]
    return got.round(places).to_numpy().tolist()


def checker(func):
    """Make a check safe to call with anything: every answer gets a Feedback, never an error."""

    @functools.wraps(func)
    def safe(answer=..., *args, **kwargs):
        stale = watch.stale_message(answer)
        if stale:
            result = Feedback(False, stale)
        elif answer is ...:
            result = Feedback(
                False,
                "Not answered yet: replace the ... with your answer, run that "
                "cell, then run this check again.",
            )
        elif answer is None:
            result = Feedback(
                False,
                "Your answer is None (empty). A common cause: ending the line with something "
                "that only shows or changes a value, such as .show() or .append(), which "
                "returns None. Keep the value itself, run that cell, then check again.",
            )
        else:
            try:
                result = func(answer, *args, **kwargs)
            except DataError as err:
                result = Feedback(False, str(err))
            # anything a student's object can throw is explained, not raised
            except Exception as err:  # noqa: BLE001
                result = Feedback(
                    False,
                    "Your answer could not be checked: it is not shaped the way this exercise "
                    f"asks ({plain_reason(err)}). Print it to look at it, and compare it with "
                    "the example in the exercise.",
                )
        return result

    return safe


def _need_frame(answer, what: str) -> Feedback | None:
    if not isinstance(answer, pd.DataFrame):
        return Feedback(False, f"Expected a pandas DataFrame ({what}), but got {a_type(answer)}.")
    if answer.empty:
        return Feedback(False, f"Your table is empty: it should hold {what}.")
    return None


def _need_columns(answer, needed: list[str]) -> Feedback | None:
    """A non-empty DataFrame with these columns, or the Feedback saying what is wrong."""
    if problem := _need_frame(answer, f"columns {', '.join(needed)}"):
        return problem
    missing = [c for c in needed if c not in answer.columns]
    if missing:
        return Feedback(False, f"Your table needs the column(s): {', '.join(missing)}.")
    return None


def theme_matrix_shape(answer, themes: list[str]) -> Feedback | None:
    """What in Exercise 1.1's table is not shaped as asked (a table, one level of columns,
    articles as rows, every article and theme present), or None. It needs no answer, so the
    students' check and the instructors' hidden one share it."""
    if problem := _need_frame(answer, "one row per article, one column per theme"):
        return problem
    if isinstance(answer.columns, pd.MultiIndex):
        return Feedback(
            False,
            "Your table has two levels of column names, so each theme is hidden under another "
            "name. pivot_table without values= does that: use pd.crosstab on the article and "
            "theme columns, or pivot_table(..., values='claim_id', aggfunc='count').",
        )
    if set(map(str, answer.columns)) >= set(article_ids()):
        return Feedback(
            False,
            "Rows and columns are swapped: put articles as rows (the index) and "
            "themes as columns. Try .T to transpose.",
        )
    missing = [a for a in article_ids() if a not in answer.index]
    if missing:
        return Feedback(
            False, f"Rows are missing for: {', '.join(missing)}. Is article_id the index?"
        )
    absent = [t for t in themes if t not in answer.columns]
    if absent:
        return Feedback(False, f"Columns are missing for the themes: {', '.join(absent)}.")
    return None


@checker
@expects("table")
def check_theme_matrix(answer) -> Feedback:
    """Exercise 1.1: claims counted by article (rows) and theme (columns)."""
    themes = sorted(set(load("claims")["theme"]))
    if problem := theme_matrix_shape(answer, themes):
        return problem
    if not matches("theme_matrix", _numbers(answer, article_ids(), themes)):
        return Feedback(
            False,
            "Some cells hold a different count. Each cell should be the number of claims "
            "(rows of the claims table) with that article and theme.",
        )
    return Feedback(True, "Correct: every count matches.")


@checker
@expects("figure")
def check_heatmap(answer) -> Feedback:
    """Exercise 1.2: a heatmap figure with a title and labelled axes."""
    if not isinstance(answer, go.Figure):
        return Feedback(
            False,
            f"Expected a plotly figure (for example from px.imshow), but got {a_type(answer)}.",
        )
    if not any(trace.type == "heatmap" for trace in answer.data):
        return Feedback(
            False, "The figure has no heatmap in it: px.imshow(theme_matrix) makes one."
        )
    layout = answer.layout
    if not (layout.title and layout.title.text):
        return Feedback(False, "Give the figure a title (title=... in px.imshow).")
    if not (layout.xaxis.title.text and layout.yaxis.title.text):
        return Feedback(False, "Label both axes (labels=dict(x=..., y=...) in px.imshow).")
    heatmap = next(trace for trace in answer.data if trace.type == "heatmap")
    rows = [str(label) for label in heatmap.y] if heatmap.y is not None else []
    if sorted(rows) != sorted(article_ids()):
        return Feedback(
            False,
            "The rows should be the five articles, named by their ids: draw the table itself "
            "(px.imshow(theme_matrix...)), with articles as its index.",
        )
    if rows != article_ids():
        return Feedback(
            False,
            "The rows are not in reading order: select them with "
            "theme_matrix.loc[fournos.article_ids()] so they run from 2018 to 2024.",
        )
    return Feedback(True, "Correct: a heatmap with a title, labelled axes and rows in order.")


def word_trends_shape(answer) -> Feedback | None:
    """What in Exercise 1.4's table is not shaped as asked (a table, the six terms as columns
    and no others, the five articles as rows in reading order), or None. It needs no answer,
    so the students' check and the instructors' hidden one share it."""
    if problem := _need_frame(answer, "one row per article and one column per term"):
        return problem
    if set(map(str, answer.columns)) >= set(article_ids()):
        return Feedback(
            False,
            "Rows and columns are swapped: put articles as rows (the index) and the six "
            "terms as columns. Try .T to transpose.",
        )
    missing = [t for t in TREND_TERMS if t not in answer.columns]
    if missing:
        return Feedback(False, f"Columns are missing for: {', '.join(missing)}.")
    extra = [str(c) for c in answer.columns if c not in TREND_TERMS]
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        return Feedback(
            False,
            f"Keep only the six terms asked for: your table also has {shown}. "
            "Select the columns with trends[TREND_TERMS].",
        )
    if sorted(map(str, answer.index)) != sorted(article_ids()):
        return Feedback(
            False, "The rows should be the five articles, with article_id as the index."
        )
    if list(answer.index) != article_ids():
        return Feedback(
            False, "Put the rows in reading (publication) order: fournos.article_ids() gives it."
        )
    return None


@checker
@expects("table")
def check_word_trends(answer) -> Feedback:
    """Exercise 1.4: uses per 1,000 words, one row per article in reading order, one column per term."""
    if problem := word_trends_shape(answer):
        return problem
    got = _numbers(answer, article_ids(), TREND_TERMS, places=2)
    if matches("word_trends_raw", got):
        return Feedback(
            False,
            "These look like raw counts. Divide by the article's word count and "
            "multiply by 1,000, so long and short articles can be compared.",
        )
    if not matches("word_trends", got):
        return Feedback(
            False, "Some values differ: use the per_1000_words column of term_counts()."
        )
    return Feedback(
        True, "Correct: you can now compare the articles fairly, whatever their length."
    )


def trend_lines(answer) -> tuple[list, Feedback | None]:
    """Exercise 1.4's figure: its named lines, or the Feedback that says what in its shape is
    wrong (type, title, axes, the six terms, articles in reading order). This part needs no
    answer, so the students' check and the instructors' hidden one share it."""
    if not isinstance(answer, go.Figure):
        return [], Feedback(
            False, f"Expected a plotly figure (for example from px.line), but got {a_type(answer)}."
        )
    lines = [t for t in answer.data if t.type == "scatter" and t.name]
    if not lines:
        return [], Feedback(
            False,
            "The figure has no named lines: px.line(trends.reset_index(), x='article_id', "
            "y=TREND_TERMS) draws one line per term.",
        )
    layout = answer.layout
    if not (layout.title and layout.title.text):
        return [], Feedback(False, "Give the figure a title (title=... in px.line).")
    if not (layout.xaxis.title.text and layout.yaxis.title.text):
        return [], Feedback(False, "Label both axes (labels={...} in px.line).")
    names = [str(t.name) for t in lines]
    if set(names) >= set(article_ids()):
        return [], Feedback(
            False,
            "Your figure draws one line per article: draw one line per term instead, with the "
            "articles along the x axis (plot the trends table itself, not trends.T).",
        )
    missing = [term for term in TREND_TERMS if term not in names]
    extra = [name for name in names if name not in TREND_TERMS]
    if missing or extra:
        return [], Feedback(
            False,
            "Draw one line for each of the six terms, and no others"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not asked for: {', '.join(extra[:3])}" if extra else "")
            + ".",
        )
    for line in lines:
        xs = [str(x) for x in (line.x if line.x is not None else [])]
        if sorted(xs) != sorted(article_ids()):
            return [], Feedback(
                False,
                f"The line for {line.name} should have one point per article, with the article "
                "ids along the x axis.",
            )
        if xs != article_ids():
            return [], Feedback(
                False, "Put the articles in reading order along the x axis: plot the trends table."
            )
    return lines, None


@checker
@expects("figure")
def check_trends_figure(answer) -> Feedback:
    """Exercise 1.4: the word trends drawn as lines, one per term, articles in reading order."""
    lines, problem = trend_lines(answer)
    if problem:
        return problem
    return trend_lines_verdict(
        lines,
        lambda term, ys: matches("trend_lines", ys.astype(float).round(2).tolist(), str(term)),
    )


def trend_lines_verdict(lines: list, right) -> Feedback:
    """Exercise 1.4's figure feedback, given its lines: `right(term, values)` says whether a
    line's values (a Series) are that term's (the students' check compares digests, the hidden
    one the values; both say the same)."""
    for line in lines:
        if not right(line.name, pd.to_numeric(pd.Series(list(line.y)), errors="coerce")):
            return Feedback(
                False,
                f"The line for {line.name} does not show the values of your trends table "
                "(uses per 1,000 words).",
            )
    return Feedback(True, "Correct: six lines, one per term, across the articles in order.")


def formulations_table(answer) -> tuple[pd.DataFrame | None, Feedback | None]:
    """Exercise 2.1's answer as a True/False table (articles in reading order, principle ids
    as columns, short names accepted), or the Feedback that says what in its shape is wrong.
    It needs no answer, so the students' check and the instructors' hidden one share it."""
    principles = load("principles")
    names = dict(zip(principles["principle_id"], principles["short_name"]))
    if problem := _need_frame(answer, "one row per article, one True/False column per principle"):
        return None, problem
    frame = answer.rename(columns={v: k for k, v in names.items()})
    missing = [p for p in names if p not in frame.columns]
    if missing:
        listed = ", ".join(names[p] for p in missing)
        return None, Feedback(False, f"Columns are missing for: {listed}.")
    absent = [a for a in article_ids() if a not in frame.index]
    if absent:
        return None, Feedback(
            False,
            f"Rows are missing for: {', '.join(absent)}. Every article needs a row, "
            "even one that states no principle.",
        )
    return frame.loc[article_ids(), list(names)].astype(bool), None


@checker
@expects("table")
def check_formulations(answer) -> Feedback:
    """Exercise 2.1: for each article, which of the four principles it states (True/False)."""
    got, problem = formulations_table(answer)
    if problem:
        return problem
    wrong = [a for a in article_ids() if not matches("formulations", got.loc[a].tolist(), a)]
    return formulations_verdict(wrong)


def formulations_verdict(wrong: list[str]) -> Feedback:
    """Exercise 2.1's feedback, given the articles whose row is wrong (the students' check and
    the hidden one say the same)."""
    if wrong:
        return Feedback(
            False,
            f"Check the row(s) for {', '.join(wrong)}: look up that article's rows in "
            "principle_statements.",
        )
    return Feedback(True, "Correct. Notice which articles state all four and which only three.")


@checker
@expects("table")
def check_date_gaps(answer) -> Feedback:
    """Exercise 2.3: days between the date an article states and the date in the record."""
    if problem := _need_columns(answer, ["event_id", "article_date", "record_date", "days_apart"]):
        return problem
    return date_gaps_verdict(answer, lambda event_id, days: matches("date_gaps", days, event_id))


def date_gaps_verdict(answer, right) -> Feedback:
    """Exercise 2.3's feedback for a table with the four columns: `right(event_id, days)` says
    whether a whole number of days is that event's gap (the students' check compares digests,
    the hidden one the gap itself; both say the same)."""
    rows = answer.set_index("event_id")
    for event_id in STATED_DATES:
        if event_id not in rows.index:
            return Feedback(False, f"There is no row for {event_id}.")
        got = rows.at[event_id, "days_apart"]
        got = getattr(got, "days", got)  # accept a Timedelta as well as a number
        days = float(got)
        whole = int(days) if days.is_integer() else None
        if whole is not None and whole != 0 and right(event_id, -whole):
            return Feedback(
                False,
                f"{event_id}: right size, wrong sign. Take the record date away "
                "from the article date.",
            )
        if whole is not None and any(right(event_id, whole + step) for step in (-1, 1)):
            return Feedback(
                False,
                f"{event_id}: off by one day. Compare the first day each date can "
                "mean (dates.first_day), not the last.",
            )
        if whole is None or not right(event_id, whole):
            return Feedback(
                False,
                f"{event_id}: the gap is not right. Turn both dates into days with "
                "fournos.dates.first_day, then subtract.",
            )
    return Feedback(True, "Correct: one gap is a matter of days, the other of months.")


@checker
@expects("table")
def check_stale_statistics(answer) -> Feedback:
    """Exercise 2.4: every paragraph that gives the 80 / 37 / 49 defence-relations figures."""
    from fournos.answer_digests import DIGESTS

    if problem := _need_columns(answer, ["article_id", "paragraph"]):
        return problem
    found = {(str(a), int(p)) for a, p in zip(answer["article_id"], answer["paragraph"])}
    right = set(DIGESTS["stale_statistics"])
    extra = [pair for pair in found if digest(list(pair)) not in right]
    if extra:
        return Feedback(
            False,
            f"{len(extra)} of your paragraphs do not give the three figures. "
            "Search for a number that only this statistic uses.",
        )
    if len(found) != len(right):
        return Feedback(
            False,
            f"You found {len(found)} of the paragraphs; the figures appear in "
            f"{DIGESTS['stale_statistics_articles']} articles. Search every article, not one.",
        )
    return Feedback(
        True,
        "Correct: the same three figures, dated 'by the end of 2019' in 2020 and "
        "given as true 'so far' in 2022.",
    )


@checker
@expects("pairs")
def check_quotes(answer) -> Feedback:
    """Exercise 3.1: a list of (article_id, quote) pairs, each quote verbatim from its article."""
    if not isinstance(answer, (list, tuple)) or not all(
        isinstance(p, (list, tuple)) and len(p) == 2 for p in answer
    ):
        return Feedback(
            False, "Give a list of pairs: [(article_id, quote), (article_id, quote), ...]."
        )
    lines, good = [], set()
    for article_id, quote in answer:
        if not isinstance(quote, str) or len(quote.split()) < MIN_QUOTE_WORDS:
            lines.append(f"✘ {quote!r} is too short to be evidence: quote a whole phrase.")
            continue
        try:
            lines.append(f"✔ {article_id}, paragraph {find_quote(article_id, quote)}")
            good.add((article_id, _normalise(quote)))
        except DataError as err:
            lines.append(f"✘ {err}")
    report = " | ".join(lines)
    if any(line.startswith("✘") for line in lines):
        return Feedback(
            False,
            f"Every quote must be word for word, at least {MIN_QUOTE_WORDS} words. {report}",
        )
    if len(good) < 3 or len({a for a, _ in good}) < 2:
        return Feedback(
            False, f"Use at least three different quotes from at least two articles. {report}"
        )
    return Feedback(True, f"All quotes are verbatim. {report}")


@checker
@expects("mapping")
def check_treaty_coding(answer, treaty_id: str = "treaty_1978_ussr") -> Feedback:
    """Exercise 3.2: your coding of a treaty ({obligation: 'yes'/'no'/'contested'/'unknown'})
    compared with the kit's own coding."""
    allowed = {"yes", "no", "contested", "unknown"}
    if not isinstance(answer, dict):
        return Feedback(
            False, f"Give a dict such as {{'defense': 'no', ...}}, not {a_type(answer)}."
        )
    unknown = [str(k) for k in answer if k not in OBLIGATIONS]
    if unknown:
        return Feedback(
            False,
            f"The kit has no obligation called {', '.join(unknown)}. Use these names, "
            f"spelt as here: {', '.join(OBLIGATIONS)}.",
        )
    missing = [o for o in OBLIGATIONS if o not in answer]
    if missing:
        return Feedback(False, f"Code every obligation; missing: {', '.join(missing)}.")
    odd = {o: v for o, v in answer.items() if v not in allowed}
    if odd:
        cased = [
            f"{o} ({v!r} → {str(v).strip().lower()!r})"
            for o, v in odd.items()
            if str(v).strip().lower() in allowed
        ]
        if cased:
            return Feedback(
                False,
                f"Right word, wrong form: write it in small letters with no spaces: {', '.join(cased)}.",
            )
        return Feedback(False, f"Use only yes, no, contested or unknown (check: {', '.join(odd)}).")
    kit = (
        load("treaty_provisions")
        .query("treaty_id == @treaty_id")
        .set_index("obligation")["present"]
    )
    differ = [o for o in OBLIGATIONS if answer[o] != kit[o]]
    # yes against no contradicts the quoted clauses; other differences are judgement calls
    opposite = [o for o in differ if {answer[o], kit[o]} == {"yes", "no"}]
    reread = f"Reread fournos.evidence({treaty_id!r}, obligation) for each"
    if len(opposite) >= 2:
        return Feedback(
            False,
            f"Your coding says the opposite of the kit's on {len(opposite)} obligations "
            f"({', '.join(opposite)}). {reread}: what does the quoted text commit the parties to?",
        )
    # a yes or no needs a clause to point to; where the kit has none, the honest code is unknown
    unsupported = [o for o in differ if kit[o] == "unknown" and answer[o] in {"yes", "no"}]
    if len(unsupported) + len(opposite) >= 2:
        return Feedback(
            False,
            f"You code yes or no where the documents give no clause to point to "
            f"({', '.join(unsupported)}). {reread}: which article says so? If none does, "
            "the honest code is unknown.",
        )
    # unknown where the kit quotes a clause that settles it: the reading was not done
    unread = [o for o in differ if kit[o] in {"yes", "no"} and answer[o] == "unknown"]
    if len(unread) + len(unsupported) + len(opposite) >= 2:
        return Feedback(
            False,
            f"You code unknown where the treaty has a clause to read ({len(unread)} "
            f"obligation(s)). {reread}: unknown is for an obligation no clause settles.",
        )
    if differ:  # a different coding is not wrong: the exercise asks for a justification
        return Feedback(
            True,
            f"Complete. You differ from the kit's coding on {len(differ)}: {', '.join(differ)}. "
            f"{reread} and justify your choice in the next cell.",
        )
    return Feedback(True, "Complete, and your coding matches the kit's on every obligation.")


@checker
@expects("folder")
def check_my_timeline(answer) -> Feedback:
    """Exercise 3.3: a copy of the dataset with at least three new, sourced, valid events."""
    if not isinstance(answer, (str, Path)):
        return Feedback(
            False, f"Expected the path of your copy of the data folder, but got {a_type(answer)}."
        )
    if "\0" in str(answer):
        return Feedback(False, "That path holds a NUL character: no folder is called that.")
    folder = Path(answer)
    problems = validate(folder)
    if problems:
        return Feedback(False, "Your copy has a problem to fix first: " + problems[0])
    mine = load("events", folder)
    new = sorted(set(mine["event_id"]) - set(load("events")["event_id"]))
    if len(new) < 3:
        return Feedback(
            False, f"Add at least three events of your own (you have {len(new)} so far)."
        )
    links = load("event_sources", folder)
    unsourced = [e for e in new if e not in set(links["event_id"])]
    if unsourced:
        return Feedback(
            False,
            f"Every event needs a row in event_sources.csv; missing for: {', '.join(unsourced)}.",
        )
    article_links = links[links["event_id"].isin(new) & links["source_id"].str.startswith("art_")]
    for row in article_links.itertuples():
        if len(row.quote.split()) < MIN_QUOTE_WORDS:
            return Feedback(
                False,
                f"The quote for {row.event_id} is too short to show where the event comes "
                f"from: quote a phrase of at least {MIN_QUOTE_WORDS} words.",
            )
        if _normalise(row.quote) not in _normalise(article_text(row.source_id)):
            return Feedback(
                False, f"The quote for {row.event_id} is not word for word from {row.source_id}."
            )
    undated = _dated_only_by_words_that_lack_the_year(mine, links, new)
    if undated:
        return Feedback(False, undated)
    impossible = _dated_after_the_data_or_its_sources(mine, links, new, folder)
    if impossible:
        return Feedback(False, impossible)
    return Feedback(True, f"Correct: {len(new)} new events, each sourced, and the copy validates.")


def _dated_only_by_words_that_lack_the_year(mine, links, new) -> str:
    """An event whose only sources are articles must quote the words that give its year."""
    dated = mine.set_index("event_id")
    for event_id in new:
        sources = links[links["event_id"] == event_id]
        if not sources["source_id"].str.startswith("art_").all():
            continue  # an outside source carries the date
        date, end = dated.at[event_id, "date"], dated.at[event_id, "end_date"]
        quotes = " ".join(sources["quote"])
        missing = dates.years_not_in(quotes, date, end)
        if missing:
            return (
                f"The quote for {event_id} does not contain the year {missing[0]} you give it. "
                "An article can mention an event without dating it: quote the words that give "
                "the year, or cite an outside source for the date."
            )
    return ""


def _not_before(later: str, earlier: str) -> bool:
    """ISO dates that may be partial ('1978', '1978-11'): compared as far as both go."""
    n = min(len(later), len(earlier))
    return later[:n] >= earlier[:n]


def _dated_after_the_data_or_its_sources(mine, links, new, folder) -> str:
    """No event after the data's as-of date, and none after every source that reports it: a
    document cannot report what happened after it was written (undated sources are let be)."""
    as_of = dates.as_of(iso=True)
    dated = mine.set_index("event_id")
    written = load("sources", folder).set_index("source_id")["date"].fillna("")
    for event_id in new:
        date = str(dated.at[event_id, "date"])
        if not _not_before(as_of, date):
            return (
                f"{event_id} is dated {date}, after the data's as-of date ({as_of}): "
                "an event in the timeline must already have happened."
            )
        cited = links.loc[links["event_id"] == event_id, "source_id"]
        known = [str(written.get(s, "")) for s in cited if str(written.get(s, ""))]
        if known and not any(_not_before(when, date) for when in known):
            return (
                f"{event_id} is dated {date}, but every source you cite for it was written "
                f"before then ({', '.join(sorted(known))}): cite a source that reports it."
            )
    return ""


# Exercise 4 (notebook 09): arguments and answers in the alliance debate


def _argument_ids() -> set[str]:
    return set(load("debate_arguments")["argument_id"])


def _unknown_id(value, known: set[str], what: str) -> Feedback | None:
    if not isinstance(value, str):
        return Feedback(
            False, f"Each {what} is an id in quotes, like 'adv_bui_01', not {a_type(value)}."
        )
    if value not in known:
        return Feedback(
            False,
            f"'{value}' is not a known {what}. Copy ids from the tables above "
            "(fournos.debate.arguments() and fournos.debate.rebuttal_claims()).",
        )
    return None


@checker
@expects("mapping")
def check_rebuttal_matches(answer) -> Feedback:
    """Exercise 4.1: a dict {rebuttal claim id: id of the argument it answers}."""
    if not isinstance(answer, dict):
        return Feedback(
            False, f"Expected a dict {{claim_id: argument_id}}, but got {a_type(answer)}."
        )
    links = load("argument_links")
    links = links[links["answered_by_claim"] != ""]
    rebuttals = sorted(set(links["answered_by_claim"]))
    answers_of = {c: set(links[links["answered_by_claim"] == c]["argument_id"]) for c in rebuttals}
    extra = sorted(str(k) for k in answer if k not in answers_of)
    if extra:
        return Feedback(
            False,
            f"{extra[0]!r} is not one of the rebuttals to match. The keys are the claim ids in "
            "the table of rebuttals (fournos.debate.rebuttal_claims()).",
        )
    missing = [c for c in rebuttals if answer.get(c, ...) is ...]
    if len(missing) == len(rebuttals):
        return Feedback(
            False,
            "Not answered yet: every rebuttal is still set to ... . Write a line like "
            'my_matches["cl_xxx_00"] = "adv_xxx_00" for each, run that cell, then this check.',
        )
    known = _argument_ids()
    for claim in rebuttals:
        if claim in missing:
            continue
        if problem := _unknown_id(answer[claim], known, "argument id"):
            return problem
    wrong = [c for c in rebuttals if c not in missing and answer[c] not in answers_of[c]]
    done = len(rebuttals) - len(missing)
    if wrong:
        return Feedback(
            False,
            f"{done - len(wrong)} of {done} matches are right. Look again at "
            f"{', '.join(wrong)}: read the claim's quote, then ask which argument it would "
            "persuade someone to give up.",
        )
    if missing:
        return Feedback(
            False,
            f"The {done} matches you gave are right; {len(missing)} still to do: "
            f"{', '.join(missing)}.",
        )
    return Feedback(True, f"Correct: all {done} rebuttals are matched to an argument they answer.")


@checker
@expects("id")
def check_unanswered_argument(answer) -> Feedback:
    """Exercise 4.2: the id of an advocate argument that no source in the reading answers."""
    args = load("debate_arguments").set_index("argument_id")
    if problem := _unknown_id(answer, set(args.index), "argument id"):
        return problem
    if args.at[answer, "side"] != "advocate":
        return Feedback(
            False, f"{answer} is not an advocate's argument: pick one whose id starts with adv_."
        )
    answered = set(load("argument_links")["argument_id"])
    if answer in answered:
        return Feedback(
            False,
            f"Some source in the reading does answer {answer}: look for it in the table of "
            "answers (fournos.debate.answers()).",
        )
    return Feedback(True, f"Correct: no rebuttal in the reading answers {answer}.")


@checker
@expects("id")
def check_rebuttal_without_advocate(answer) -> Feedback:
    """Exercise 4.3: a rebuttal (claim or argument id) that answers only arguments no advocate
    in the reading makes in their own words (arguments known only as their opponents report them)."""
    args = load("debate_arguments").set_index("argument_id")
    links = load("argument_links")
    links["by"] = links["answered_by_claim"].where(
        links["answered_by_claim"] != "", links["answered_by_argument"]
    )
    rebuttals = set(links["by"]) - {a for a in args.index if args.at[a, "side"] == "advocate"}
    if problem := _unknown_id(answer, rebuttals | set(args.index), "rebuttal id"):
        return problem
    if answer in args.index and args.at[answer, "side"] == "advocate":
        return Feedback(
            False, f"{answer} is an advocate's argument; pick a rebuttal (a claim or a reb_ id)."
        )
    if answer not in rebuttals:
        return Feedback(
            False,
            f"{answer} answers nothing in the reading. Pick a rebuttal that answers an "
            "argument (see fournos.debate.answers()).",
        )
    answered = set(links[links["by"] == answer]["argument_id"])
    voiced = [a for a in answered if args.at[a, "voice"] == "own"]
    if voiced:
        return Feedback(
            False,
            f"{answer} answers an argument that an advocate makes in their own words. Look for "
            "a rebuttal whose arguments are known only as their opponents report them.",
        )
    return Feedback(
        True,
        f"Correct: {answer} answers an argument that no advocate in the reading makes in their "
        "own words. Now say in 4.4 what that tells you.",
    )


# Exercises 5's checks live in their own module; importing them here registers them where
# students (`from fournos.checks import …`) and the grader (getattr(fournos.checks, name)) look.
from fournos.checks_region import (
    check_commitment_order,
    check_no_base_clauses,
    check_region_coding,
)

__all__ = ["check_commitment_order", "check_no_base_clauses", "check_region_coding"]
