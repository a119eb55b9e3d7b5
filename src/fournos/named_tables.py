"""One loader per table, named for what it holds. Each returns a fresh, typed DataFrame."""

from __future__ import annotations

import pandas as pd

from fournos import dates
from fournos.data import descriptor, load, table_names


def sources() -> pd.DataFrame:
    """Everything the kit cites: the five articles and the outside references."""
    return load("sources")


def articles() -> pd.DataFrame:
    """The five source articles in reading (publication) order."""
    return load("articles").sort_values("reading_order", ignore_index=True)


# events of Vietnam's neighbours (lesson 10), kept out of the views of Vietnam's own record
REGIONAL = "regional_commitment"


def events(folder=None) -> pd.DataFrame:
    """Dated events in time order, with `start` and `end` days for plotting.

    `start` is the first day the date can mean and `end` the last day of `end_date`
    (or of `date`), so a month-precision event covers its whole month. `source_titles` lists
    the titles of the sources linked to each event. `folder` reads a copy of the dataset
    (see `copy_dataset`) instead of the kit's own.
    """
    frame = load("events", folder)
    frame["start"] = frame["date"].map(dates.first_day)
    until = frame["end_date"].where(frame["end_date"] != "", frame["date"])
    frame["end"] = until.map(dates.last_day)
    frame["when"] = frame["date"].map(dates.label)
    titles = load("sources", folder).set_index("source_id")["title"]
    links = load("event_sources", folder)
    by_event = links.groupby("event_id")["source_id"].agg(lambda ids: [titles[i] for i in ids])
    frame["source_titles"] = (
        frame["event_id"].map(by_event).map(lambda found: found if isinstance(found, list) else [])
    )
    return frame.sort_values(["start", "event_id"], ignore_index=True)


def event_sources(folder=None) -> pd.DataFrame:
    """Links from each event to the sources that support it, with quotes from articles."""
    return load("event_sources", folder)


def overview() -> pd.DataFrame:
    """One line per table: its name, what one row is, and how many rows it has."""
    rows = [
        {
            "table": res["name"],
            "file": f"data/{res['path']}",
            "one row is": res["description"].split(". ")[0].split(": ")[0].rstrip("."),
            "rows": len(load(res["name"])),
        }
        for res in descriptor()["resources"]
    ]
    return pd.DataFrame(rows)


__all__ = ["articles", "event_sources", "events", "overview", "sources", "table_names"]
