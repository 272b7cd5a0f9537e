"""Score/select stage: rank an article's sentences and pick the highlights.

Every method maps an `Article` to one score per sentence; `pick` then chooses bullets with
trigram blocking (no two bullets that repeat a three-word phrase) and an optional word budget.
Methods: `lead` (Lead-3 baseline), `gist` (ours, unsupervised: position + centrality + length,
redundancy-controlled), `learned` (the trained ranker, see learned.py), and the classical
peers behind the same interface: sumy `lexrank`, `textrank`, `lsa`, and `summa`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache

from .features import SentenceVectors, content_words, similarities, trigrams, vectorize, words
from .model import Article

Scorer = Callable[[Article, SentenceVectors, int], list[float]]  # (article, vectors, n)


def score_lead(article: Article, vec: SentenceVectors, n: int) -> list[float]:
    return [-float(i) for i in range(len(article.sentences))]


def score_gist(article: Article, vec: SentenceVectors, n: int) -> list[float]:
    """Position prior × (centrality + title/lead fit), damped for sentences too short or long
    to stand alone as a bullet (sentences that lean on the previous one are damped for every
    ranking method in `rank_sentences`). Only the similarities: the fast path skips the other
    features (quotes, numbers, names), which it does not use."""
    centroid_cos, centrality, title_cos, _ = similarities(article, vec)
    has_title = bool(content_words(article.title))
    scores = []
    for i, sentence in enumerate(article.sentences):
        position = 1.0 / math.sqrt(1.0 + i)
        # centrality (a mean cosine to every other sentence) runs ~3× smaller than the others
        title = float(title_cos[i]) if has_title else 0.0
        content = 0.5 * float(centroid_cos[i]) + 0.9 * float(centrality[i]) + 0.2 * title
        n_words = len(vec.tokens[i])
        length = 1.0 if 8 <= n_words <= 40 else (0.5 if n_words < 8 else 0.8)
        question = 0.6 if _is_question(sentence.text) else 1.0
        scores.append((0.6 * position + 0.4 * content) * length * question)
    return scores


class _SumyTokenizer:
    """sumy wants a tokenizer; its default needs NLTK data that cannot be downloaded offline."""

    language = "english"
    _word = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._word.findall(sentence))


@cache
def _sumy_summarizer(name: str):  # type: ignore[no-untyped-def]
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def _sumy_scorer(name: str) -> Scorer:
    def score(article: Article, vec: SentenceVectors, n: int) -> list[float]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        tokenizer = _SumyTokenizer()
        sentences = [Sentence(s.text, tokenizer) for s in article.sentences]
        document = ObjectDocumentModel([Paragraph(sentences)])
        # sumy picks its own n sentences: those score 1, the rest keep article order below.
        chosen = {id(s) for s in _sumy_summarizer(name)(document, n)}
        return [1.0 if id(s) in chosen else -1.0 - i / 1000 for i, s in enumerate(sentences)]

    return score


def score_summa(article: Article, vec: SentenceVectors, n: int) -> list[float]:
    from summa import summarizer as summa_summarizer

    text = "\n".join(s.text for s in article.sentences)
    try:
        ranked = summa_summarizer.summarize(text, ratio=1.0, split=True, scores=True)
    except (ValueError, ZeroDivisionError):
        ranked = []
    scores = [-1.0 - i / 1000 for i in range(len(article.sentences))]
    sentence_words = [set(toks) for toks in vec.tokens]
    for summa_text, summa_score in ranked:
        # summa re-splits the text with its own rules; map each of its sentences back to ours.
        toks = set(words(summa_text))
        best = max(
            range(len(sentence_words)),
            key=lambda j: len(toks & sentence_words[j]) / (len(toks | sentence_words[j]) or 1),
        )
        scores[best] = max(scores[best], float(summa_score))
    return scores


def _learned_scorer(article: Article, vec: SentenceVectors, n: int) -> list[float]:
    from .learned import default_ranker

    return default_ranker().score(article, vec)


METHODS: dict[str, Scorer] = {
    "learned": _learned_scorer,
    "gist": score_gist,
    "lead": score_lead,
    "lexrank": _sumy_scorer("lexrank"),
    "textrank": _sumy_scorer("textrank"),
    "lsa": _sumy_scorer("lsa"),
    "summa": score_summa,
}
# Methods whose selection is the baseline's own and must not be re-ranked or blocked.
_PLAIN_TOP_N = {"lead", "lexrank", "textrank", "lsa", "summa"}


def pick(
    scores: list[float],
    vec: SentenceVectors,
    n: int,
    max_words: int | None = None,
    block_trigrams: bool = True,
) -> list[int]:
    """Best-scored sentences, skipping any that repeats a trigram of one already picked, until
    n are picked or the word budget is spent. Returned in article order."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    used_words = 0
    for i in order:
        if len(picked) >= n:
            break
        grams = trigrams(vec.tokens[i])
        if block_trigrams and grams & seen:
            continue
        length = len(vec.tokens[i])
        if max_words is not None and picked and used_words + length > max_words:
            continue
        picked.append(i)
        seen |= grams
        used_words += length
    return sorted(picked)


def rank_sentences(
    article: Article, method: str, n: int, max_words: int | None = None
) -> tuple[list[int], list[float]]:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    vec = vectorize(article)
    scores = METHODS[method](article, vec, n)
    if method in _PLAIN_TOP_N:
        return pick(scores, vec, n, max_words=None, block_trigrams=False), scores
    # A bullet must stand alone: no questions or fragments, while enough other sentences remain.
    unfit = [i for i, s in enumerate(article.sentences) if _unfit_bullet(s.text, len(vec.tokens[i]))]
    ranked = [s - _LEANING_COST * abs(s) if _leans_on_previous(article, vec, i) else s for i, s in enumerate(scores)]
    if len(article.sentences) - len(unfit) >= n:
        for i in unfit:
            ranked[i] = float("-inf")
    return pick(ranked, vec, n, max_words), scores


# Share of its score a sentence loses when it leans on the one before: a bullet is read alone.
# Held-out ROUGE-1 with it, FRANK / CNN: learned −0.2 / +0.2, gist +0.7 / +0.2.
_LEANING_COST = 0.3
_LEANING_START = re.compile(r"^\s*[\"“]?(?:He|She|It|They|This|That|These|Those|His|Her|Its|Their)\b")


def _leans_on_previous(article: Article, vec: SentenceVectors, i: int) -> bool:
    """ "It has been bolstered by ..." needs its antecedent; "A city on the coast, in Libya."
    answers the rhetorical question or the one-word reply just before it."""
    if i == 0:
        return False
    previous = article.sentences[i - 1].text
    return bool(_LEANING_START.match(article.sentences[i].text) or _is_question(previous) or len(vec.tokens[i - 1]) < 3)


def _unfit_bullet(text: str, n_words: int) -> bool:
    return n_words < 5 or _is_question(text)


def _is_question(text: str) -> bool:
    return text.rstrip("\"'”’ ").endswith("?")
