"""ROUGE evaluation: every method on the same articles, scored the way the literature does
(rouge-score, Porter stemming on, ROUGE-Lsum over one sentence per line)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .model import Article
from .pipeline import summarize_article
from .segment import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
_LOWER_END = re.compile(r"(?<=[.!?])(?:\s*'')?\s+(?=\S)")


@lru_cache(maxsize=1)
def rouge_scorer():  # type: ignore[no-untyped-def]
    from rouge_score import rouge_scorer as rs

    return rs.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge(prediction: list[str], reference: list[str]) -> dict[str, float]:
    """F1 × 100 for each ROUGE type; both sides one sentence a line (what Lsum needs)."""
    scores = rouge_scorer().score("\n".join(reference), "\n".join(prediction))
    return {k: scores[k].fmeasure * 100 for k in ROUGE_TYPES}


@dataclass
class MethodResult:
    method: str
    articles: int = 0
    failed: int = 0
    seconds: float = 0.0
    totals: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in ROUGE_TYPES})
    words: int = 0
    faithful: int = 0
    bullets: int = 0

    def add(self, prediction: list[str], reference: list[str]) -> None:
        for k, v in rouge(prediction, reference).items():
            self.totals[k] += v
        self.words += sum(len(p.split()) for p in prediction)
        self.articles += 1

    def row(self) -> dict[str, Any]:
        n = max(self.articles, 1)
        return {
            "method": self.method,
            "articles": self.articles,
            "failed": self.failed,
            **{k: round(v / n, 2) for k, v in self.totals.items()},
            "words": round(self.words / n, 1),
            "articles_per_s": round(self.articles / self.seconds, 1) if self.seconds else None,
            "faithful_share": round(self.faithful / self.bullets, 4) if self.bullets else None,
        }


def system_sentences(text: str) -> list[str]:
    """A published system's summary (one string, often lower-cased and tokenised) → sentences."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    if text == text.lower():  # lower-cased system output: splitters look for capitals; cut at stops
        return [s.strip() for s in _LOWER_END.split(text) if s.strip()]
    return split_sentences(text)


def evaluate(
    articles: Iterable[Article],
    methods: list[str],
    n: int = 3,
    max_words: int | None = None,
    compress: bool | None = None,
    systems: bool = False,
    check_faithfulness: bool = False,
    on_article: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Run each method on every article with a reference; one result row per method
    (and per published system found in the articles' `systems` metadata if asked)."""
    results: dict[str, MethodResult] = {m: MethodResult(m) for m in methods}
    articles = list(articles)
    for method in methods:  # warm-up, untimed: model loading is not per-article cost
        for article in articles[:1]:
            summarize_article(article, min(n, len(article.sentences)), method, max_words, compress)
    for article in articles:
        if not article.reference:
            continue
        for method in methods:
            result = results[method]
            start = time.perf_counter()
            try:
                summary = summarize_article(article, min(n, len(article.sentences)), method, max_words, compress)
            except Exception:  # a peer library failing on one article must not end the run
                result.failed += 1
                continue
            result.seconds += time.perf_counter() - start
            result.add(summary.bullets, article.reference)
            if check_faithfulness:
                from .facts import check_highlight

                for h in summary.highlights:
                    result.bullets += 1
                    result.faithful += check_highlight(h, article)["passed"]
        if systems:
            for name, text in (article.metadata.get("systems") or {}).items():
                key = f"published:{name}"
                results.setdefault(key, MethodResult(key)).add(system_sentences(text), article.reference)
        if on_article:
            on_article()
    return [r.row() for r in results.values()]
