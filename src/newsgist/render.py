"""Render stage: summaries as terminal bullets or JSON."""

from __future__ import annotations

from typing import Any

from .model import Summary


def summary_json(summary: Summary) -> dict[str, Any]:
    data = summary.to_dict()
    if data.get("facts") is None:
        data.pop("facts", None)
    if data.get("faithfulness") is None:
        data.pop("faithfulness", None)
    return data


def to_bullets(summary: Summary, show_sources: bool = True) -> str:
    lines = []
    if summary.title:
        lines.append(summary.title)
        lines.append("")
    for h in summary.highlights:
        where = f"  [sentence {', '.join(str(i) for i in h.sources)}]" if show_sources else ""
        lines.append(f"• {h.text}{where}")
    return "\n".join(lines)
