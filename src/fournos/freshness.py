"""How old the dataset's as-of date is. Facts about a living policy go stale: when the as-of date
is more than twelve months behind today, `fournos doctor` and the site's start page say so.
(Notebooks never print this: their stored outputs must not depend on the day they run.)

Light on purpose: `fournos doctor` imports it before it has checked that the kit's packages import,
so pandas and the data are only touched when a function runs."""

from __future__ import annotations

import calendar
import datetime as dt

STALE_AFTER_MONTHS = 12
HOW_TO_UPDATE = "the instructors' guide \"Updating the facts\" (in the instructors' kit)"


def _as_of() -> dt.date:
    from fournos.dates import as_of  # late: needs pandas and the data

    return dt.date.fromisoformat(as_of(iso=True))


def _label(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def months_behind(today: dt.date | None = None) -> int:
    """Whole calendar months from the as-of date to `today` (0 if today is not later)."""
    as_of, today = _as_of(), today or dt.date.today()
    months = (today.year - as_of.year) * 12 + today.month - as_of.month
    if today.day < as_of.day:
        months -= 1
    return max(months, 0)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(today: dt.date | None = None) -> bool:
    """True when the as-of date is more than twelve months behind `today`."""
    return (today or dt.date.today()) > _add_months(_as_of(), STALE_AFTER_MONTHS)


def age_sentence(today: dt.date | None = None) -> str:
    """The as-of date and how far behind `today` it is, with a warning when it is stale."""
    as_of, today = _as_of(), today or dt.date.today()
    months = months_behind(today)
    behind = f"{months} month{'' if months == 1 else 's'}" if months else "less than a month"
    if months >= STALE_AFTER_MONTHS:
        behind += f" ({(today - as_of).days} days)"
    sentence = (
        f"The kit's facts are as of {_label(as_of)} (its as-of date), {behind} before today "
        f"({_label(today)})."
    )
    if is_stale(today):
        sentence += (
            " That is more than twelve months: counts and statements about the present may be "
            "out of date. Students: ask whether a newer version of the kit exists (`make update` "
            f"fetches it). Instructors: {HOW_TO_UPDATE} says how to bring the facts up to date."
        )
    return sentence


def age_warning(today: dt.date | None = None) -> str:
    """The age sentence if the as-of date is stale, else '' (nothing to say)."""
    return age_sentence(today) if is_stale(today) else ""


def doctor_check() -> tuple[bool, str, str]:
    """A `fournos doctor` line. Never a problem (an old as-of date does not stop anyone working),
    but it says how old the facts are, with the warning when they are stale."""
    try:
        sentence = age_sentence()
        return True, sentence[0].lower() + sentence[1:], ""
    except Exception as err:  # noqa: BLE001 - broken data is the data check's finding
        return True, f"the as-of date could not be read ({type(err).__name__}: {err})", ""
