"""The issue's other ranker: a small network over the sentence sequence, against LightGBM.

A bidirectional GRU reads an article's sentence feature rows in order (the same 26 features the
shipped ranker uses, signed-log scaled and standardised on the training rows), so each
sentence's score can depend on its neighbours; trained on the same greedy-oracle labels and
split as `newsgist train` (binary cross-entropy, Adam, 15 epochs, three seeds). Its untrimmed
picks are scored on FRANK and the held-out CNN articles beside the LightGBM ranker's three seeds
from `selector_experiments.py`, with the scoring time of one article on one thread; and a blend
(the GRU seeds' mean and LightGBM, averaged as ranks within the article), untrimmed and trimmed.

Needs PyTorch, which newsgist itself does not: `pip install torch==2.13.0` (the CPU build).

    python bench/sequence_ranker.py      # ~3 minutes on 2 cores
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, provenance  # noqa: E402
from newsgist.features import SentenceVectors, vectorize  # noqa: E402
from newsgist.learned import default_ranker, feature_matrix, rank_within  # noqa: E402
from newsgist.model import Article  # noqa: E402
from newsgist.select import pick  # noqa: E402
from newsgist.train import article_rows, load_split, oracle_labels  # noqa: E402
from selector_experiments import CACHE, EVAL, TRAIN, score_picks  # noqa: E402

SEEDS, EPOCHS, BATCH, HIDDEN = (1, 2, 3), 15, 32, 64


def signed_log(x: np.ndarray) -> np.ndarray:
    # Counts (words, sentences, numbers) are heavy-tailed; a GRU trains badly on raw magnitudes.
    return np.sign(x) * np.log1p(np.abs(x))


def build_net(n_features: int) -> Any:
    import torch

    class SentenceSequenceNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.project = torch.nn.Sequential(
                torch.nn.Linear(n_features, HIDDEN), torch.nn.ReLU(), torch.nn.Dropout(0.1)
            )
            self.gru = torch.nn.GRU(HIDDEN, HIDDEN, batch_first=True, bidirectional=True)
            self.head = torch.nn.Sequential(
                torch.nn.Linear(3 * HIDDEN, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 1)
            )

        def forward(self, x: Any) -> Any:
            z = self.project(x)
            context, _ = self.gru(z)
            return self.head(torch.cat([context, z], -1)).squeeze(-1)

    return SentenceSequenceNet()


class Scaler:
    def __init__(self, rows: np.ndarray) -> None:
        logged = signed_log(rows)
        self.mean, self.std = logged.mean(0), logged.std(0) + 1e-6

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (signed_log(x) - self.mean) / self.std


def padded(xs: list[np.ndarray], ys: list[np.ndarray] | None = None) -> tuple[Any, Any, Any]:
    import torch

    length = max(len(x) for x in xs)
    x_out = torch.zeros(len(xs), length, xs[0].shape[1])
    mask = torch.zeros(len(xs), length)
    y_out = torch.zeros(len(xs), length)
    for i, x in enumerate(xs):
        x_out[i, : len(x)] = torch.from_numpy(x).float()
        mask[i, : len(x)] = 1
        if ys is not None:
            y_out[i, : len(x)] = torch.from_numpy(ys[i]).float()
    return x_out, mask, y_out


def train_net(xs: list[np.ndarray], ys: list[np.ndarray], seed: int) -> Any:
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    order = np.arange(len(xs))
    net = build_net(xs[0].shape[1])
    optimiser = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-5)
    for _ in range(EPOCHS):
        net.train()
        rng.shuffle(order)
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            x, mask, y = padded([xs[i] for i in batch], [ys[i] for i in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x), y, reduction="none")
            loss = (loss * mask).sum() / mask.sum()  # padding positions carry no label
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return net.eval()


def net_scores(net: Any, scale: Scaler, article: Article, vec: SentenceVectors) -> np.ndarray:
    import torch

    with torch.no_grad():
        x = torch.from_numpy(scale(feature_matrix(article, vec))).float()[None]
        return net(x)[0].numpy()


def net_picks(net: Any, scale: Scaler, article: Article) -> list[int]:
    vec = vectorize(article)
    return pick(net_scores(net, scale, article, vec).tolist(), vec, min(3, len(article.sentences)))


def blended_picks(nets: list[Any], scale: Scaler, article: Article) -> list[int]:
    """The GRU seeds' mean score and LightGBM's, each as a rank within the article, averaged."""
    vec = vectorize(article)
    gru = np.mean([net_scores(net, scale, article, vec) for net in nets], axis=0)
    lightgbm = np.asarray(default_ranker().score(article, vec))
    blended = rank_within(gru) + rank_within(lightgbm)
    return pick(blended.tolist(), vec, min(3, len(article.sentences)))


def seconds_per_article(fn: Any, articles: list[Article]) -> float:
    start = time.perf_counter()
    for article in articles:
        fn(article)
    return (time.perf_counter() - start) / len(articles)


def main() -> None:
    import torch

    train = [a for spec in TRAIN for a in load_split(spec)]
    labels = oracle_labels(train, CACHE)
    rows, ys = article_rows(train, labels)
    scale = Scaler(np.vstack(rows))
    xs = [scale(x) for x in rows]
    held = {name: load_split(spec) for name, spec in EVAL.items()}
    result: dict[str, Any] = {"provenance": provenance(), "untrimmed": {}, "blend": {}}
    torch.set_num_threads(2)
    nets = []
    for seed in SEEDS:
        start = time.perf_counter()
        nets.append(train_net(xs, ys, seed))
        print(f"seed {seed} trained in {time.perf_counter() - start:.0f} s", flush=True)
        for name, articles in held.items():
            key = f"{name}: sequence net seed {seed}"
            result["untrimmed"][key] = score_picks(articles, [net_picks(nets[-1], scale, a) for a in articles], False)
            print(key, result["untrimmed"][key], flush=True)

    for name, articles in held.items():
        picks = [blended_picks(nets, scale, a) for a in articles]
        for trimmed in (False, True):
            key = f"{name}: GRU seeds + LightGBM, {'trimmed' if trimmed else 'untrimmed'}"
            result["blend"][key] = score_picks(articles, picks, trimmed)
            print(key, result["blend"][key], flush=True)

    torch.set_num_threads(1)
    frank = held["frank"]
    ranker = default_ranker()
    result["ms_per_article_one_thread"] = {
        "lightgbm ranker (features + scores + pick)": round(
            1000 * seconds_per_article(lambda a: pick(ranker.score(a), vectorize(a), 3), frank), 2
        ),
        "sequence net (features + scores + pick)": round(
            1000 * seconds_per_article(lambda a: net_picks(nets[0], scale, a), frank), 2
        ),
    }
    print(result["ms_per_article_one_thread"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sequence_ranker.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
