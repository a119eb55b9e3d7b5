"""fournos: the library behind the teaching kit on Vietnam's 'no military alliances' policy.

Notebooks call these functions; they never read the CSV files themselves.

The names below are loaded on first use (PEP 562), so `from fournos import load` and
`fournos.load` work as usual, while the command line (`python -m fournos my-work`) and
`fournos.kit` import no pandas or plotly.
"""

from __future__ import annotations

import importlib
import sys
import types

# public name: "module" (same name there) or "module:name there"
_EXPORTS = {
    "add_rows": "fournos.workspace",
    "alliance_type": "fournos.treaties",
    "argument_map": "fournos.walkthrough",
    "argument_table": "fournos.walkthrough",
    "card": "fournos.walkthrough",
    "article_ids": "fournos.text",
    "article_text": "fournos.text",
    "articles": "fournos.named_tables",
    "as_of": "fournos.dates",
    "check_answer": "fournos.quiz:check",
    "claim_explorer": "fournos.walkthrough",
    "coding_counts": "fournos.region",
    "commitment_matrix": "fournos.region",
    "commitment_name": "fournos.region",
    "commitments": "fournos.region",
    "compare": "fournos.treaties",
    "context": "fournos.walkthrough",
    "copy_dataset": "fournos.workspace",
    "DataError": "fournos.friendly_errors",
    "date_label": "fournos.dates:label",
    "describe_matrix": "fournos.region",
    "describe_spectrum": "fournos.region",
    "describe_term_chart": "fournos.figures",
    "descriptions": "fournos.treaties",
    "document": "fournos.documents",
    "edition": "fournos.edition",
    "document_text": "fournos.documents",
    "event_sources": "fournos.named_tables",
    "events": "fournos.named_tables",
    "evidence": "fournos.treaties",
    "filter_events": "fournos.timelines",
    "find_clauses": "fournos.region",
    "find_paragraphs": "fournos.text",
    "find_quote": "fournos.text",
    "formulation_by_source": "fournos.doctrine",
    "full_text": "fournos.text",
    "glossary": "fournos.walkthrough",
    "highlight": "fournos.text",
    "key_terms": "fournos.walkthrough",
    "load": "fournos.data",
    "LOADED_TERM_RULE": "fournos.criticism",
    "loaded_terms": "fournos.criticism",
    "matrix_chart": "fournos.region",
    "overview": "fournos.named_tables",
    "paragraph": "fournos.text",
    "paragraphs": "fournos.text",
    "partners": "fournos.timelines",
    "partnership_chart": "fournos.doctrine",
    "partnership_count": "fournos.doctrine",
    "partnership_table": "fournos.doctrine",
    "other_partnerships": "fournos.doctrine",
    "what_sources_say": "fournos.doctrine",
    "describe_partnership_chart": "fournos.doctrine",
    "postures": "fournos.region",
    "principles": "fournos.doctrine",
    "questions": "fournos.quiz",
    "quiz": "fournos.quiz",
    "reading_card": "fournos.walkthrough",
    "open_clauses": "fournos.clauses",
    "region_quiz": "fournos.region:quiz",
    "remove_rows": "fournos.workspace",
    "setup": "fournos.notebook_setup",
    "show_document": "fournos.documents",
    "show_quote": "fournos.text",
    "side_by_side": "fournos.region",
    "source_checks": "fournos.criticism",
    "check_counts": "fournos.criticism",
    "check_explorer": "fournos.criticism",
    "sources": "fournos.named_tables",
    "spectrum": "fournos.region",
    "spectrum_chart": "fournos.region",
    "support_counts": "fournos.walkthrough",
    "table_names": "fournos.data",
    "term_chart": "fournos.figures",
    "term_counts": "fournos.terms",
    "timeline": "fournos.timelines",
    "timeline_explorer": "fournos.timelines",
    "timeline_table": "fournos.timelines",
    "treaties": "fournos.treaties",
    "treaty_spans": "fournos.timelines",
    "treaty_table": "fournos.treaties",
    "validate": "fournos.workspace",
    "wording_matrix": "fournos.doctrine",
}

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
    "card",
    "check_answer",
    "check_counts",
    "check_explorer",
    "claim_explorer",
    "coding_counts",
    "commitment_matrix",
    "commitment_name",
    "commitments",
    "compare",
    "context",
    "copy_dataset",
    "date_label",
    "describe_matrix",
    "describe_partnership_chart",
    "describe_spectrum",
    "describe_term_chart",
    "descriptions",
    "document",
    "document_text",
    "edition",
    "event_sources",
    "events",
    "evidence",
    "filter_events",
    "find_clauses",
    "find_paragraphs",
    "find_quote",
    "formulation_by_source",
    "full_text",
    "glossary",
    "highlight",
    "key_terms",
    "load",
    "loaded_terms",
    "matrix_chart",
    "open_clauses",
    "other_partnerships",
    "overview",
    "paragraph",
    "paragraphs",
    "partners",
    "partnership_chart",
    "partnership_count",
    "partnership_table",
    "postures",
    "principles",
    "questions",
    "quiz",
    "reading_card",
    "region_quiz",
    "remove_rows",
    "setup",
    "show_document",
    "show_quote",
    "side_by_side",
    "source_checks",
    "sources",
    "spectrum",
    "spectrum_chart",
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
    "what_sources_say",
    "wording_matrix",
]


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    if name not in _EXPORTS:  # a submodule, as `fournos.data.data_dir` (import it on first use)
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module 'fournos' has no attribute {name!r}") from None
    module, _, attribute = _EXPORTS[name].partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """Two functions share their submodule's name (`fournos.quiz`, `fournos.treaties`).
    Importing a submodule sets it as an attribute of the package; as the eager
    `from fournos.quiz import quiz` used to, keep the function there instead."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
