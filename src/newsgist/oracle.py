"""Greedy ROUGE oracle: the sentences an extractive summarizer should have picked.

Training labels and the "oracle" upper-bound row of the benchmark both come from here. It counts
n-grams itself with rouge-score's own tokenizer and stemmer (the same tokens the metric sees),
because calling the full scorer ~100 times an article would make labelling minutes slower.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rouge_score import tokenize as rouge_tokenize


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer().stem(token) if len(token) > 3 else token


def rouge_tokens(text: str) -> list[str]:
    return [_stem(t) for t in rouge_tokenize.tokenize(text, None)]


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap or not predicted or not reference:
        return 0.0
    p, r = overlap / predicted, overlap / reference
    return 2 * p * r / (p + r)


def rouge12(candidate: list[str], ref1: Counter, ref2: Counter) -> float:
    """Mean of ROUGE-1 and ROUGE-2 F1 of candidate tokens against reference n-gram counts."""
    c1, c2 = _ngrams(candidate, 1), _ngrams(candidate, 2)
    o1 = sum((c1 & ref1).values())
    o2 = sum((c2 & ref2).values())
    return (_f1(o1, sum(c1.values()), sum(ref1.values())) + _f1(o2, sum(c2.values()), sum(ref2.values()))) / 2


# Labels describe the picks the selector makes (3 bullets by default): an oracle allowed a 4th
# sentence taught the ranker to favour long DailyMail-style sets (held-out ROUGE-2 −0.5).
ORACLE_MAX_SENTENCES = 3


def reference_ngrams(reference: list[str]) -> tuple[Counter, Counter]:
    """The reference's unigram and bigram counts, as `rouge12` takes them."""
    tokens = rouge_tokens(" ".join(reference))
    return _ngrams(tokens, 1), _ngrams(tokens, 2)


def greedy_oracle(sentences: list[str], reference: list[str], max_sentences: int = ORACLE_MAX_SENTENCES) -> list[int]:
    """Add the sentence that most raises mean ROUGE-1/2 F1 until none does (or max reached)."""
    ref1, ref2 = reference_ngrams(reference)
    sent_tokens = [rouge_tokens(s) for s in sentences]
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < max_sentences:
        current = [t for i in sorted(chosen) for t in sent_tokens[i]]
        gains = [(rouge12(current + sent_tokens[i], ref1, ref2), i) for i in range(len(sentences)) if i not in chosen]
        if not gains:
            break
        score, index = max(gains)
        if score <= best:
            break
        best = score
        chosen.append(index)
    return sorted(chosen)
