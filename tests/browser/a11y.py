"""Run the vendored axe-core in a Playwright page and summarise what it finds."""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def run_axe(page, context: list[str] | None = None) -> list[dict]:
    """axe's violations on the page, or inside the elements matching the CSS selectors in
    `context`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    target = "document" if context is None else json.dumps({"include": [[c] for c in context]})
    return page.evaluate(
        f"""async () => {{
            const r = await axe.run({target}, {{resultTypes: ['violations']}});
            return r.violations.map(v => ({{
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
                count: v.nodes.length,
            }}));
        }}"""
    )


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in SERIOUS]


def summary(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}, {v['count']}): {v['nodes'][:2]}" for v in violations
    )
