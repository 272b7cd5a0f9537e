"""Sentence compression by deletion only: a highlight never gains a word its source lacks.

Real highlights run ~13 words a bullet; article sentences ~25. What they drop most often is
cheap to spot: attribution tails (", Benotman told CNN."), parenthetical asides, and
discourse openers ("But", "However,"). Quotes keep their speaker: a bare quote would lose
who said it.
"""

from __future__ import annotations

import re

_SPEECH = (
    r"(?:said|says|told (?:CNN|reporters|the [A-Z][\w ]{1,30}|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3})"
    r"|added|explained|wrote|stated|reported|announced)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|morning|afternoon|evening)"
_WHEN = rf"(?:\s+(?:on|last|this|late|early)?\s*{_DAY})?"
# ", police said." / ", Benotman told CNN." / ", according to officials." at the end of a clause.
_ATTRIBUTION_TAIL = re.compile(
    rf",\s+(?:(?:[A-Za-z][\w.'’-]*\s+){{1,6}}{_SPEECH}{_WHEN}|according to [^,;.\"“”]{{2,60}})\s*(?=[.!?]\s*$)"
)
_PARENTHETICAL = re.compile(r"\s+\((?![A-Z]{2,6}\))[^()]{3,120}\)")
_OPENER = re.compile(r"^(?:But|And|So|However|Meanwhile|Still|Yet|Now|Instead|In addition|Also),?\s+(?=[A-Za-z\"“])")


def compress_sentence(sentence: str) -> str:
    """The sentence with attribution tails, asides and openers deleted (when any remain)."""
    text = sentence.strip()
    if not _has_open_quote(text):
        text = _ATTRIBUTION_TAIL.sub("", text)
    text = _PARENTHETICAL.sub("", text)
    opener = _OPENER.match(text)
    if opener:
        rest = text[opener.end() :]
        text = rest[:1].upper() + rest[1:]
    # Never trim a sentence down to a fragment.
    return text if len(text.split()) >= 5 else sentence.strip()


def _has_open_quote(text: str) -> bool:
    return bool(re.search(r"[\"“”]|``|''", text))
