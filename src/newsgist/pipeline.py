"""The pipeline every interface calls: ingest → clean → segment → score/select → (compress) → render."""

from __future__ import annotations

import time
from pathlib import Path

from .errors import InputError
from .ingest import parse_text, read_article_file
from .model import Article, Highlight, Summary
from .select import rank_sentences

DEFAULT_METHOD = "learned"
DEFAULT_BULLETS = 3
# Methods whose bullets are trimmed unless asked not to: the learned compressor was trained on
# the learned ranker's picks, and the baselines stay what the literature measures.
COMPRESSED_BY_DEFAULT = frozenset({"learned"})


def compresses(method: str, compress: bool | None) -> bool:
    return method in COMPRESSED_BY_DEFAULT if compress is None else compress


def load_article(source: str | Path | Article, fmt: str = "auto", splitter: str = "blingfire") -> Article:
    """An Article from an Article, a path, or the text itself."""
    if isinstance(source, Article):
        return source
    if isinstance(source, Path):
        return read_article_file(source, fmt, splitter)
    return parse_text(source, fmt, splitter=splitter)


def summarize_article(
    article: Article,
    n: int = DEFAULT_BULLETS,
    method: str = DEFAULT_METHOD,
    max_words: int | None = None,
    compress: bool | None = None,
    facts: bool = False,
    timings: dict[str, float] | None = None,
) -> Summary:
    if n < 1:
        raise InputError("the number of highlights must be at least 1")
    if len(article.sentences) < n:
        raise InputError(
            f"{article.id}: article has {len(article.sentences)} sentence(s), fewer than the {n} highlights asked for"
        )
    timings = dict(timings or {})
    start = time.perf_counter()
    chosen, scores = rank_sentences(article, method, n, max_words)
    timings["select_ms"] = (time.perf_counter() - start) * 1000
    texts = [article.sentences[i].text for i in chosen]
    if compresses(method, compress):
        from .compress import default_compressor

        start = time.perf_counter()
        texts = default_compressor().compress(article, chosen)
        timings["compress_ms"] = (time.perf_counter() - start) * 1000
    highlights = [
        Highlight(text=text, sources=[i], source_text=article.sentences[i].text, score=round(scores[i], 6))
        for i, text in zip(chosen, texts, strict=True)
    ]
    summary = Summary(
        id=article.id,
        title=article.title,
        method=method,
        highlights=highlights,
        reference=article.reference,
        timings_ms=timings,
    )
    from .facts import attach_facts, attach_faithfulness

    attach_faithfulness(summary, article)
    if facts:
        start = time.perf_counter()
        attach_facts(summary, article)
        summary.timings_ms["facts_ms"] = (time.perf_counter() - start) * 1000
    summary.timings_ms = {k: round(v, 3) for k, v in summary.timings_ms.items()}
    return summary


def summarize(
    text_or_article: str | Path | Article,
    n: int = DEFAULT_BULLETS,
    method: str = DEFAULT_METHOD,
    max_words: int | None = None,
    fmt: str = "auto",
    splitter: str = "blingfire",
    compress: bool | None = None,
    facts: bool = True,
) -> Summary:
    """Story highlights for one article: its text, a path to it, or a parsed Article.
    With facts (the default): entities, quotes and numbers, each with its sentence index."""
    start = time.perf_counter()
    article = load_article(text_or_article, fmt, splitter)
    parse_ms = (time.perf_counter() - start) * 1000
    return summarize_article(article, n, method, max_words, compress, facts, {"parse_ms": parse_ms})
