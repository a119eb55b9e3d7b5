"""fournos: the library behind the teaching kit on Vietnam's 'no military alliances' policy.

Notebooks call these functions; they never read the CSV files themselves.
"""

from fournos.analysis import term_counts
from fournos.criticism import LOADED_TERM_RULE, loaded_terms, source_checks
from fournos.data import load, table_names
from fournos.dates import as_of
from fournos.dates import label as date_label
from fournos.doctrine import (
    formulation_by_source,
    partnership_chart,
    partnership_count,
    partnership_table,
    principles,
    wording_matrix,
)
from fournos.documents import document, document_text, show_document
from fournos.errors import DataError
from fournos.figures import describe_term_chart, term_chart
from fournos.notebook import setup
from fournos.quiz import check as check_answer
from fournos.quiz import questions, quiz
from fournos.reading import (
    argument_map,
    argument_table,
    claim_explorer,
    context,
    glossary,
    key_terms,
    reading_card,
    support_counts,
)
from fournos.tables import articles, event_sources, events, overview, sources
from fournos.text import (
    article_ids,
    article_text,
    find_paragraphs,
    find_quote,
    full_text,
    highlight,
    paragraph,
    paragraphs,
    show_quote,
)
from fournos.timelines import (
    filter_events,
    partners,
    timeline,
    timeline_explorer,
    timeline_table,
    treaty_spans,
)
from fournos.treaties import (
    alliance_type,
    compare,
    descriptions,
    evidence,
    treaties,
    treaty_table,
)
from fournos.workspace import add_rows, copy_dataset, remove_rows, validate

__all__ = [
    "LOADED_TERM_RULE",
    "DataError",
    "add_rows",
    "alliance_type",
    "argument_map",
    "argument_table",
    "article_ids",
    "article_text",
    "articles",
    "as_of",
    "check_answer",
    "claim_explorer",
    "compare",
    "context",
    "copy_dataset",
    "date_label",
    "describe_term_chart",
    "descriptions",
    "document",
    "document_text",
    "event_sources",
    "events",
    "evidence",
    "filter_events",
    "find_paragraphs",
    "find_quote",
    "formulation_by_source",
    "full_text",
    "glossary",
    "highlight",
    "key_terms",
    "load",
    "loaded_terms",
    "overview",
    "paragraph",
    "paragraphs",
    "partners",
    "partnership_chart",
    "partnership_count",
    "partnership_table",
    "principles",
    "questions",
    "quiz",
    "reading_card",
    "remove_rows",
    "setup",
    "show_document",
    "show_quote",
    "source_checks",
    "sources",
    "support_counts",
    "table_names",
    "term_chart",
    "term_counts",
    "timeline",
    "timeline_explorer",
    "timeline_table",
    "treaties",
    "treaty_spans",
    "treaty_table",
    "validate",
    "wording_matrix",
]
