"""`newsgist train`: oracle labels → features → LightGBM ranker → model file + card; then the
compressor: the new ranker's picks on the same articles → deletable phrases → labels (does
deleting the phrase raise the summary's ROUGE?) → LightGBM classifier + a threshold chosen by
5-fold cross-validation → model file + card.

Any JSONL/CSV of articles with a reference summary works (`highlights`, or `llm_summary`).
A `FILE@START:END` suffix takes a slice of a file's articles, so that a train/held-out split
of one file is stated on the command line and reproducible.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from .compress import (
    CATEGORICAL,
    SPAN_FEATURES,
    Compressor,
    SentenceCandidates,
    delete_spans,
    sentence_candidates,
)
from .errors import InputError
from .features import vectorize
from .ingest import iter_records
from .learned import MODEL_FEATURES, Ranker, feature_matrix
from .model import Article
from .oracle import ORACLE_MAX_SENTENCES, greedy_oracle, reference_ngrams, rouge12, rouge_tokens

_SLICE = re.compile(r"^(?P<path>.+)@(?P<start>\d*):(?P<end>\d*)$")

PARAMS: dict[str, Any] = {
    "objective": "binary",  # oracle membership; beat lambdarank and gain regression on held-out ROUGE
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "seed": 13,
    "deterministic": True,
    "num_threads": 2,
}
ROUNDS = 150  # 300 overfits: held-out ROUGE-1 falls on FRANK (41.2 → 40.5)


def load_split(spec: str) -> list[Article]:
    """Articles with a reference from `FILE` or `FILE@START:END`."""
    match = _SLICE.match(spec)
    path, start, end = (
        (match["path"], int(match["start"] or 0), int(match["end"]) if match["end"] else None)
        if match
        else (spec, 0, None)
    )
    if not Path(path).exists():
        raise InputError(f"{path}: no such file")
    records = islice(iter_records(path), start, end)
    articles = [r.article for r in records if r.article is not None and r.article.reference and r.article.sentences]
    if not articles:
        raise InputError(f"{spec}: no articles with a reference summary")
    return articles


def _cache_key(articles: list[Article]) -> str:
    h = hashlib.sha1(f"oracle-max-{ORACLE_MAX_SENTENCES}".encode())
    for a in articles:
        h.update(a.id.encode())
        h.update("\x00".join(a.sentence_texts).encode())
        h.update("\x00".join(a.reference).encode())
    return h.hexdigest()[:16]


def oracle_labels(articles: list[Article], cache_dir: Path | None = None) -> list[list[int]]:
    """Greedy-oracle sentence indices per article, computed once and cached on disk."""
    cache = cache_dir / f"oracle-{_cache_key(articles)}.json" if cache_dir else None
    if cache and cache.exists():
        return json.loads(cache.read_text())
    labels = []
    for a in articles:
        labels.append(greedy_oracle(a.sentence_texts, a.reference))
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(labels))
    return labels


def article_rows(articles: list[Article], labels: list[list[int]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per article: its sentence feature matrix and 0/1 oracle labels."""
    xs, ys = [], []
    for article, chosen in zip(articles, labels, strict=True):
        x = feature_matrix(article)
        y = np.zeros(len(x))
        y[chosen] = 1
        xs.append(x)
        ys.append(y)
    return xs, ys


def build_dataset(articles: list[Article], labels: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = article_rows(articles, labels)
    return np.vstack(xs), np.concatenate(ys)


def fit(articles: list[Article], labels: list[list[int]], rounds: int = ROUNDS, seed: int = 13) -> Any:
    import lightgbm as lgb

    x, y = build_dataset(articles, labels)
    dataset = lgb.Dataset(x, y, feature_name=MODEL_FEATURES, free_raw_data=True)
    return lgb.train({**PARAMS, "seed": seed}, dataset, num_boost_round=rounds)


def ranker_picks(ranker: Ranker, article: Article, n: int = 3) -> list[int]:
    from .select import pick

    vec = vectorize(article)
    return pick(ranker.score(article, vec), vec, min(n, len(article.sentences)))


def held_out_scores(
    ranker: Ranker, articles: list[Article], compressor: Compressor | None = None, n: int = 3
) -> dict[str, float]:
    from .evaluate import rouge

    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    for article in articles:
        chosen = ranker_picks(ranker, article, n)
        bullets = compressor.compress(article, chosen) if compressor else [article.sentences[i].text for i in chosen]
        for k, v in rouge(bullets, article.reference).items():
            totals[k] += v
    return {k: round(v / len(articles), 2) for k, v in totals.items()}


def _save(booster: Any, card: dict[str, Any], features: list[str], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(output))
    card["sha256"] = hashlib.sha256(output.read_bytes()).hexdigest()  # lets loading detect a damaged file
    output.with_suffix(".json").write_text(json.dumps({"features": features, **card}, indent=2) + "\n")


def train(
    train_specs: list[str],
    eval_specs: list[str],
    output: Path,
    cache_dir: Path | None = None,
    rounds: int = ROUNDS,
    articles: list[Article] | None = None,
) -> dict[str, Any]:
    """Train, evaluate on the held-out sets, save model + card; returns the card. `articles`, when
    given, are `train_specs` already loaded (the compressor trains on the same ones)."""
    start = time.perf_counter()
    articles = articles if articles is not None else [a for spec in train_specs for a in load_split(spec)]
    labels = oracle_labels(articles, cache_dir)
    booster = fit(articles, labels, rounds)
    seconds = time.perf_counter() - start
    ranker = Ranker(booster, {})
    evaluation = {
        spec: {"articles": len(arts), **held_out_scores(ranker, arts)}
        for spec in eval_specs
        for arts in [load_split(spec)]
    }
    card = {
        "model": (
            "LightGBM binary classifier over sentence features, "
            f"greedy ROUGE-oracle labels (≤ {ORACLE_MAX_SENTENCES} sentences)"
        ),
        "train_data": train_specs,
        "train_articles": len(articles),
        "train_sentences": int(sum(len(a.sentences) for a in articles)),
        "oracle_max_sentences": ORACLE_MAX_SENTENCES,
        "rounds": rounds,
        "params": PARAMS,
        "held_out_rouge_f1_n3": evaluation,
        "training_seconds": round(seconds, 1),
        "machine": f"{platform.machine()} {platform.system()}, python {platform.python_version()}",
        "trained": time.strftime("%Y-%m-%d"),
    }
    _save(booster, card, MODEL_FEATURES, output)
    return card


COMPRESSOR_PARAMS: dict[str, Any] = dict(PARAMS)  # the same settings as the ranker
COMPRESSOR_ROUNDS = 200
THRESHOLDS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)
FOLDS = 5


@dataclass
class _ArticleSpans:
    reference: tuple[Counter, Counter]
    sentences: list[SentenceCandidates]
    gains: list[np.ndarray]  # per sentence, per candidate: summary ROUGE change when deleted alone


def _summary_score(texts: list[str], reference: tuple[Counter, Counter]) -> float:
    return rouge12([t for text in texts for t in rouge_tokens(text)], *reference)


def span_dataset(
    ranker: Ranker, articles: list[Article], progress: Callable[[], None] | None = None
) -> list[_ArticleSpans]:
    """The ranker's picks on each article, their deletable phrases, and each phrase's label gain."""
    data = []
    for article in articles:
        reference = reference_ngrams(article.reference)
        sentences = sentence_candidates(article, ranker_picks(ranker, article))
        texts = [s.doc.text for s in sentences]
        base = _summary_score(texts, reference)
        gains = []
        for k, sentence in enumerate(sentences):
            row = [
                _summary_score([*texts[:k], delete_spans(sentence.doc, [(c.start, c.end)]), *texts[k + 1 :]], reference)
                - base
                for c in sentence.candidates
            ]
            gains.append(np.array(row))
        data.append(_ArticleSpans(reference, sentences, gains))
        if progress:
            progress()
    return data


def _fit_compressor(data: list[_ArticleSpans], seed: int = 13) -> Any:
    import lightgbm as lgb

    x = np.vstack([s.features for a in data for s in a.sentences if s.candidates])
    y = np.concatenate([g > 0 for a in data for g in a.gains if len(g)]).astype(float)
    dataset = lgb.Dataset(x, y, feature_name=SPAN_FEATURES, categorical_feature=CATEGORICAL, free_raw_data=True)
    return lgb.train({**COMPRESSOR_PARAMS, "seed": seed}, dataset, num_boost_round=COMPRESSOR_ROUNDS)


def choose_threshold(data: list[_ArticleSpans], judged: list[bool]) -> dict[str, float]:
    """Mean summary ROUGE-1/2 F1 × 100 per threshold over the `judged` articles, each scored by a
    model that did not see it (5 folds); the card keeps the table, the compressor the best one."""
    totals = dict.fromkeys(THRESHOLDS, 0.0)
    uncompressed = 0.0
    for fold in range(FOLDS):
        held = [a for i, a in enumerate(data) if i % FOLDS == fold and judged[i]]
        booster = _fit_compressor([a for i, a in enumerate(data) if i % FOLDS != fold])
        for article in held:
            uncompressed += _summary_score([s.doc.text for s in article.sentences], article.reference)
            for t in THRESHOLDS:
                totals[t] += _summary_score(Compressor(booster, t, {}).trim(article.sentences), article.reference)
    n = sum(judged)
    table = {str(t): round(v * 100 / n, 2) for t, v in totals.items()}
    return {"none": round(uncompressed * 100 / n, 2), **table}


def train_compressor(
    ranker: Ranker,
    train_specs: list[str],
    eval_specs: list[str],
    output: Path,
    articles: list[Article] | None = None,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    start = time.perf_counter()
    articles = articles if articles is not None else [a for spec in train_specs for a in load_split(spec)]
    data = span_dataset(ranker, articles, progress)
    # How much to cut is judged against publisher highlights where the data has them: LLM
    # summaries run long (GPT-4's: 70+ words) and would argue for bullets of article length.
    publisher = [a.metadata.get("reference_field") != "llm_summary" for a in articles]
    cv = choose_threshold(data, publisher if any(publisher) else [True] * len(articles))
    threshold = max(THRESHOLDS, key=lambda t: cv[str(t)])
    booster = _fit_compressor(data)
    seconds = time.perf_counter() - start
    compressor = Compressor(booster, threshold, {})
    evaluation = {
        spec: {
            "articles": len(arts),
            "uncompressed": held_out_scores(ranker, arts),
            "compressed": held_out_scores(ranker, arts, compressor),
        }
        for spec in eval_specs
        for arts in [load_split(spec)]
    }
    card = {
        "model": (
            "LightGBM classifier over candidate deletions (parsed phrases); "
            "label: deleting it alone raises the summary's mean ROUGE-1/2 F1"
        ),
        "train_data": train_specs,
        "train_articles": len(articles),
        "train_phrases": int(sum(len(s.candidates) for a in data for s in a.sentences)),
        "rounds": COMPRESSOR_ROUNDS,
        "params": COMPRESSOR_PARAMS,
        "threshold": threshold,
        "threshold_judged_on": "publisher highlights" if any(publisher) else "all references",
        "cv_mean_rouge12_by_threshold": cv,
        "held_out_rouge_f1_n3": evaluation,
        "training_seconds": round(seconds, 1),
        "machine": f"{platform.machine()} {platform.system()}, python {platform.python_version()}",
        "trained": time.strftime("%Y-%m-%d"),
    }
    _save(booster, card, SPAN_FEATURES, output)
    return card
