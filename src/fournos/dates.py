"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD): their first and last day, and a readable label."""

from __future__ import annotations

import re

import pandas as pd

from fournos.friendly_errors import DataError

PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def first_day(date: str) -> pd.Timestamp:
    """First day a partial date can mean: '1991-11' -> 1 November 1991."""
    if not isinstance(date, str) or not PARTIAL_DATE.fullmatch(date):
        raise DataError(
            f"{date!r} is not a date the kit can read: write YYYY, YYYY-MM or YYYY-MM-DD, "
            "like '1951', '1951-03' or '1951-03-11'."
        )
    try:
        return pd.Timestamp(date + "-01" * (2 - date.count("-")))
    except ValueError:
        raise DataError(f"{date!r} is not a real date.") from None


def last_day(date: str) -> pd.Timestamp:
    """Last day a partial date can mean: '1991-11' -> 30 November 1991."""
    start = first_day(date)
    parts = date.count("-")
    if parts == 0:
        return start + pd.offsets.YearEnd(0)
    if parts == 1:
        return start + pd.offsets.MonthEnd(0)
    return start


def label(date: str) -> str:
    """A partial date written for people, no more precise than it is: '1991-11' -> 'November 1991'."""
    if not date:
        return "date unknown"
    start = first_day(date)
    parts = date.count("-")
    if parts == 0:
        return str(start.year)
    if parts == 1:
        return f"{start:%B} {start.year}"
    return f"{start.day} {start:%B} {start.year}"


def as_of(iso: bool = False) -> str:
    """The dataset's one as-of date (datapackage.json, "asOf"): every count and "current"
    statement in the kit is true as of this day. '31 October 2025', or the ISO date if iso=True."""
    from fournos.data import descriptor  # late import: data.py needs nothing from here

    date = descriptor().get("asOf", "")
    if not PARTIAL_DATE.fullmatch(date or ""):
        raise DataError("datapackage.json has no valid 'asOf' date (YYYY-MM-DD).")
    return date if iso else label(date)


def years_not_in(quote: str, date: str, end_date: str = "") -> list[str]:
    """The years of an event's date (and end date) that a quoted passage does not contain:
    an article that mentions an event does not always date it."""
    years = [d[:4] for d in (date, end_date) if isinstance(d, str) and d]
    text = quote if isinstance(quote, str) else ""
    return [y for y in dict.fromkeys(years) if not re.search(rf"(?<!\d){y}(?!\d)", text)]
