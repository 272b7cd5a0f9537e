"""The one article model every input format is parsed into, and the summary it yields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Sentence:
    index: int  # position in the article's body, 0-based
    text: str
    paragraph: int  # index of the body paragraph it came from
    position_in_paragraph: int


@dataclass(slots=True)
class Article:
    id: str
    body: str  # cleaned body text, paragraphs separated by blank lines
    title: str = ""
    source: str = ""
    dateline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # The publisher's own summary. Kept as the evaluation reference; never fed to a summarizer.
    reference: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Highlight:
    text: str
    sources: list[int]  # indices into Article.sentences the bullet was taken from
    source_text: str  # the untrimmed source sentence(s), for provenance
    score: float = 0.0


@dataclass(slots=True)
class Summary:
    id: str
    title: str
    method: str
    highlights: list[Highlight]
    reference: list[str]
    timings_ms: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] | None = None
    faithfulness: dict[str, Any] | None = None

    @property
    def bullets(self) -> list[str]:
        return [h.text for h in self.highlights]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
