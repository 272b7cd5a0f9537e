"""Two measurements behind the learned selector's README section, reproducible:

1. Seed spread: the sentence ranker retrained on the shipped split with three seeds (13 is the
   shipped one), its untrimmed picks scored on FRANK and the held-out CNN articles. It says how
   much of a FRANK difference is noise.
2. A summary-level reranker (tried, not shipped): candidate sets of 2-4 sentences from the
   ranker's top 8, 21 set features (the members' scores and ranks, positions, words, redundancy,
   centroid coverage, title coverage, trigram overlap), a LightGBM LambdaRank model over sets
   (labels: the set's mean ROUGE-1/2 against the reference, in 11 levels of the article's best),
   trained on out-of-fold sentence scores (5 folds) and bagged over 5 seeds; it picks the best
   3-sentence set. Scored untrimmed and trimmed by the shipped compressor, beside the shipped
   ranker's picks.

    python bench/selector_experiments.py      # ~2.5 minutes on 2 cores
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, provenance  # noqa: E402
from newsgist.compress import default_compressor  # noqa: E402
from newsgist.evaluate import ROUGE_TYPES, MethodResult  # noqa: E402
from newsgist.features import _unit_rows, content_words, trigrams, vectorize  # noqa: E402
from newsgist.learned import Ranker, default_ranker  # noqa: E402
from newsgist.model import Article  # noqa: E402
from newsgist.oracle import reference_ngrams, rouge12, rouge_tokens  # noqa: E402
from newsgist.train import PARAMS, ROUNDS, fit, load_split, oracle_labels, ranker_picks  # noqa: E402

CACHE = Path(__file__).resolve().parents[1] / ".cache"
TRAIN = [str(DATA / "sumllm-cnndm-train-gpt4.jsonl"), f"{DATA / 'cnndm-validation-1000.jsonl'}@0:800"]
EVAL = {
    "frank": str(DATA / "frank-cnndm-dev.jsonl"),
    "cnn_held_out": f"{DATA / 'cnndm-validation-1000.jsonl'}@800:1000",
}
TOP, SET_SIZES, LEVELS, FOLDS = 8, (2, 3, 4), 10, 5
# The ranker's settings, ranking sets of an article instead of classifying sentences; the seed
# is set per bagged model.
RERANK_PARAMS: dict[str, Any] = {**PARAMS, "objective": "lambdarank", "lambdarank_truncation_level": 5}


def score_picks(articles: list[Article], picks: list[list[int]], trimmed: bool) -> dict[str, float]:
    result = MethodResult("picks")
    for article, chosen in zip(articles, picks, strict=True):
        bullets = (
            default_compressor().compress(article, chosen) if trimmed else [article.sentences[i].text for i in chosen]
        )
        result.add(bullets, article.reference)
    row = result.row()
    return {k: row[k] for k in ROUGE_TYPES}


def candidate_sets(article: Article, scores: list[float]) -> tuple[list[list[int]], np.ndarray]:
    """Every set of 2-4 sentences among the TOP best-scored, with one feature row per set."""
    vec = vectorize(article)
    n = len(article.sentences)
    top = sorted(range(n), key=lambda i: -scores[i])[:TOP]
    rank = {i: r for r, i in enumerate(top)}
    vocab = {w: k for k, w in enumerate(vec.centroid)}
    weights = np.zeros((n, len(vocab)))
    for i, vector in enumerate(vec.vectors):
        for w, x in vector.items():
            weights[i, vocab[w]] = x
    unit = _unit_rows(weights)
    pairwise = unit @ unit.T
    centroid = np.array([vec.centroid[w] for w in vocab])
    centroid /= np.linalg.norm(centroid) or 1.0
    title = set(content_words(article.title))
    s = np.asarray(scores)
    grams = {i: trigrams(vec.tokens[i]) for i in top}  # once a sentence, not once a set
    sets, rows = [], []
    for k in SET_SIZES:
        for combo in itertools.combinations(sorted(top), k):
            c = list(combo)
            repeats = any(grams[a] & grams[b] for a, b in itertools.combinations(c, 2))
            n_words = sum(len(vec.tokens[i]) for i in c)
            sub = pairwise[np.ix_(c, c)]
            summed = weights[c].sum(axis=0)
            unique = {w for i in c for w in vec.content[i]}
            rows.append(
                [
                    k,
                    n_words,
                    s[c].sum(),
                    s[c].mean(),
                    s[c].min(),
                    s[c].max(),
                    np.mean([rank[i] for i in c]),
                    max(rank[i] for i in c),
                    min(c),
                    max(c),
                    np.mean(c),
                    float(0 in c),
                    (sub.sum() - k) / (k * (k - 1)),
                    sub[np.triu_indices(k, 1)].max(),
                    float(summed @ centroid / (np.linalg.norm(summed) or 1.0)),
                    len(unique),
                    len(unique & title) / (len(title) or 1),
                    float(repeats),
                    n,
                    n_words / k,
                    float(bool(article.dateline)),
                ]
            )
            sets.append(c)
    return sets, np.asarray(rows, dtype=np.float64)


def set_labels(article: Article, sets: list[list[int]]) -> np.ndarray:
    ref1, ref2 = reference_ngrams(article.reference)
    tokens = [rouge_tokens(s.text) for s in article.sentences]
    gains = np.array([rouge12([t for i in c for t in tokens[i]], ref1, ref2) for c in sets])
    return np.round(LEVELS * gains / (gains.max() or 1.0)).astype(int)


def main() -> None:
    import lightgbm as lgb

    train = [a for spec in TRAIN for a in load_split(spec)]
    labels = oracle_labels(train, CACHE)
    held = {name: load_split(spec) for name, spec in EVAL.items()}
    result: dict[str, Any] = {"provenance": provenance(), "seed_spread_untrimmed": {}, "set_reranker": {}}
    shipped: dict[str, list[list[int]]] = {}

    for seed in (13, 1, 2):
        ranker = default_ranker() if seed == 13 else Ranker(fit(train, labels, ROUNDS, seed), {})
        for name, articles in held.items():
            picks = [ranker_picks(ranker, a) for a in articles]
            if seed == 13:
                shipped[name] = picks
            result["seed_spread_untrimmed"][f"{name} seed {seed}"] = score_picks(articles, picks, trimmed=False)
            print(name, "seed", seed, result["seed_spread_untrimmed"][f"{name} seed {seed}"], flush=True)

    # Out-of-fold sentence scores: the reranker must see scores like the ones it gets at run time.
    oof: list[list[float]] = [[] for _ in train]
    for fold in range(FOLDS):
        rest = [i for i in range(len(train)) if i % FOLDS != fold]
        ranker = Ranker(fit([train[i] for i in rest], [labels[i] for i in rest], ROUNDS, PARAMS["seed"]), {})
        for i in range(fold, len(train), FOLDS):
            oof[i] = ranker.score(train[i])
    xs, ys, groups = [], [], []
    for article, scores in zip(train, oof, strict=True):
        sets, x = candidate_sets(article, scores)
        xs.append(x)
        ys.append(set_labels(article, sets))
        groups.append(len(sets))
    dataset = lgb.Dataset(np.vstack(xs), np.concatenate(ys), group=groups)
    models = [lgb.train({**RERANK_PARAMS, "seed": seed}, dataset, num_boost_round=150) for seed in range(1, 6)]

    for name, articles in held.items():
        reranked = []
        for article in articles:
            sets, x = candidate_sets(article, default_ranker().score(article))
            predicted = np.mean([m.predict(x) for m in models], axis=0)
            predicted[x[:, 0] != 3] = -np.inf
            reranked.append(sets[int(np.argmax(predicted))])
        for label, picks in (("ranker", shipped[name]), ("set reranker", reranked)):
            for trimmed in (False, True):
                key = f"{name}: {label}, {'trimmed' if trimmed else 'untrimmed'}"
                result["set_reranker"][key] = score_picks(articles, picks, trimmed)
                print(key, result["set_reranker"][key], flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "selector_experiments.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
