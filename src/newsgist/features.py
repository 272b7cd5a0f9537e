"""Sentence features shared by the unsupervised scorer and the learned ranker.

Everything here is plain Python over bag-of-words vectors, so the fast path needs no model:
~30 sentences an article cost well under a millisecond each.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .model import Article

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion)\b", re.I
)
_QUOTE = re.compile(r"[\"“”]|``|''")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|added|explained|stated|claimed)\b", re.I)
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_PRONOUN_START = re.compile(r"^\s*[\"“]?(?:He|She|It|They|This|That|These|Those|His|Her|Their|But|And|So|Also)\b")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself said says told say mr mrs ms
    one would could also year years new""".split()
)

FEATURE_NAMES = [
    "index",
    "relative_position",
    "is_first",
    "paragraph",
    "position_in_paragraph",
    "words",
    "log_words",
    "centroid_cosine",
    "centrality",
    "title_overlap",
    "lead_overlap",
    "has_quote",
    "numbers",
    "capitalized",
    "attribution",
    "pronoun_start",
    "question",
    "doc_sentences",
    "doc_paragraphs",
    "content_ratio",
]


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


@dataclass(slots=True)
class SentenceVectors:
    """Per-sentence word lists and TF-IDF-like vectors of one article, computed once."""

    tokens: list[list[str]]
    content: list[list[str]]
    vectors: list[Counter[str]]
    centroid: Counter[str]


def vectorize(article: Article) -> SentenceVectors:
    tokens = [words(s.text) for s in article.sentences]
    content = [[w for w in toks if w not in STOPWORDS and len(w) > 1] for toks in tokens]
    df: Counter[str] = Counter()
    for c in content:
        df.update(set(c))
    n = max(len(content), 1)
    # Within-article IDF: words in every sentence say little about any one of them.
    idf = {w: math.log(1 + n / d) for w, d in df.items()}
    vectors = [Counter({w: tf * idf[w] for w, tf in Counter(c).items()}) for c in content]
    centroid: Counter[str] = Counter()
    for c in content:
        centroid.update(c)
    centroid = Counter({w: tf * idf[w] for w, tf in centroid.items()})
    return SentenceVectors(tokens, content, vectors, centroid)


def similarities(article: Article, vec: SentenceVectors) -> tuple[np.ndarray, ...]:
    """Per sentence: cosine to the centroid, mean cosine to the other sentences (TF-IDF), and
    cosine of raw content-word counts to the title and to the lead. One matrix product instead
    of n² dictionary cosines: this is most of the feature cost."""
    n = len(article.sentences)
    vocab = {w: k for k, w in enumerate(vec.centroid)}
    weights = np.zeros((n, len(vocab)))
    counts = np.zeros((n, len(vocab)))
    for i, (vector, content) in enumerate(zip(vec.vectors, vec.content, strict=True)):
        for w, x in vector.items():
            weights[i, vocab[w]] = x
        for w, c in Counter(content).items():
            counts[i, vocab[w]] = c
    unit = _unit_rows(weights)
    centroid = np.array([vec.centroid[w] for w in vocab])
    centroid_cos = unit @ (centroid / (np.linalg.norm(centroid) or 1.0))
    pairwise = unit @ unit.T
    centrality = (pairwise.sum(axis=1) - np.diag(pairwise)) / max(n - 1, 1)
    count_unit = _unit_rows(counts)
    title = Counter(content_words(article.title))
    lead: Counter[str] = Counter()
    for c in vec.content[:3]:
        lead.update(c)
    return centroid_cos, centrality, count_unit @ _unit_in(title, vocab), count_unit @ _unit_in(lead, vocab)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _unit_in(counts: Counter[str], vocab: dict[str, int]) -> np.ndarray:
    """`counts` as a unit vector over `vocab` (its norm taken over all its words)."""
    vector = np.zeros(len(vocab))
    for w, c in counts.items():
        if w in vocab:
            vector[vocab[w]] = c
    norm = math.sqrt(sum(c * c for c in counts.values()))
    return vector / norm if norm else vector


def sentence_features(article: Article, vec: SentenceVectors | None = None) -> list[list[float]]:
    """One row of FEATURE_NAMES values per sentence."""
    vec = vec or vectorize(article)
    n = len(article.sentences)
    n_paragraphs = max(len(article.paragraphs), 1)
    has_title = bool(content_words(article.title))
    centroid_cos, centrality, title_cos, lead_cos = similarities(article, vec)
    rows: list[list[float]] = []
    for i, sentence in enumerate(article.sentences):
        text = sentence.text
        n_words = len(vec.tokens[i])
        rows.append(
            [
                float(i),
                i / max(n - 1, 1),
                float(i == 0),
                float(sentence.paragraph),
                float(sentence.position_in_paragraph),
                float(n_words),
                math.log1p(n_words),
                float(centroid_cos[i]),
                float(centrality[i]),
                float(title_cos[i]) if has_title else 0.0,
                float(lead_cos[i]) if i >= 3 else 1.0,
                float(bool(_QUOTE.search(text))),
                float(len(_NUMBER.findall(text))),
                float(len(_CAPITALIZED.findall(text))),
                float(bool(_ATTRIBUTION.search(text))),
                float(bool(_PRONOUN_START.match(text))),
                float(text.rstrip("\"'” ").endswith("?")),
                float(n),
                float(n_paragraphs),
                len(vec.content[i]) / max(n_words, 1),
            ]
        )
    return rows


def trigrams(tokens: list[str]) -> set[tuple[str, str, str]]:
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}  # type: ignore[misc]
