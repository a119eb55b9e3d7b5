"""fournos: the library behind the teaching kit on Vietnam's 'no military alliances' policy.

Notebooks call these functions; they never read the CSV files themselves.
"""

from fournos.data import load, table_names
from fournos.dates import label as date_label
from fournos.errors import DataError
from fournos.notebook import setup
from fournos.tables import articles, event_sources, events, overview, sources
from fournos.text import (
    article_ids,
    article_text,
    find_quote,
    highlight,
    paragraph,
    paragraphs,
    show_quote,
)

__all__ = [
    "DataError",
    "article_ids",
    "article_text",
    "articles",
    "date_label",
    "event_sources",
    "events",
    "find_quote",
    "highlight",
    "load",
    "overview",
    "paragraph",
    "paragraphs",
    "setup",
    "show_quote",
    "sources",
    "table_names",
]
