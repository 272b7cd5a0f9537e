"""The learned highlight selector: a LightGBM ranker over sentence features, trained on greedy
ROUGE-oracle labels by the project's own code (`newsgist train`), shipped small in the package."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .features import FEATURE_NAMES, SentenceVectors, sentence_features, vectorize
from .model import Article

MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL = MODEL_DIR / "ranker.txt"


def _doc_relative(rows: list[list[float]]) -> np.ndarray:
    """Add, for each feature that compares sentences, its rank within the article: whether a
    sentence is the most central *of this article* matters more than its absolute cosine."""
    x = np.asarray(rows, dtype=np.float64)
    if x.size == 0:
        return np.zeros((0, len(FEATURE_NAMES) + len(_RANKED)))
    ranks = [rank_within(-x[:, FEATURE_NAMES.index(name)]) for name in _RANKED]
    return np.column_stack([x, *ranks])


def rank_within(values: np.ndarray) -> np.ndarray:
    """Each value's rank in its article, 0 for the smallest to 1 for the largest."""
    return values.argsort(kind="stable").argsort(kind="stable") / max(len(values) - 1, 1)


_RANKED = ("centroid_cosine", "centrality", "title_overlap", "words", "numbers", "capitalized")
MODEL_FEATURES = FEATURE_NAMES + [f"{name}_rank" for name in _RANKED]


def feature_matrix(article: Article, vec: SentenceVectors | None = None) -> np.ndarray:
    return _doc_relative(sentence_features(article, vec or vectorize(article)))


@dataclass
class Ranker:
    booster: Any  # lightgbm.Booster
    card: dict[str, Any]

    def score(self, article: Article, vec: SentenceVectors | None = None) -> list[float]:
        x = feature_matrix(article, vec)
        if not len(x):
            return []
        return [float(v) for v in self.booster.predict(x, num_threads=1)]

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> Ranker:
        booster, card = load_booster(path, len(MODEL_FEATURES))
        return cls(booster, card)


def load_booster(path: Path, n_features: int) -> tuple[Any, dict[str, Any]]:
    """A LightGBM model file and its JSON card, checked before LightGBM sees the file."""
    import lightgbm as lgb

    if not path.exists():
        raise ModelError(f"model file {path} is missing; run `newsgist train` to create it")
    card_path = path.with_suffix(".json")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
        text = path.read_bytes()
    except (OSError, ValueError) as exc:
        raise ModelError(f"model file {path} is corrupt or unreadable ({type(exc).__name__})") from None
    # LightGBM aborts the whole process on some truncated files instead of raising: check first.
    expected = card.get("sha256")
    if expected and hashlib.sha256(text).hexdigest() != expected:
        raise ModelError(f"model file {path} is corrupt or unreadable (checksum differs from its card)")
    if not text.startswith(b"tree") or b"end of trees" not in text or b"end of parameters" not in text:
        raise ModelError(f"model file {path} is corrupt or unreadable (not a complete LightGBM model)")
    try:
        booster = lgb.Booster(model_str=text.decode("utf-8"))
    except Exception as exc:  # lightgbm raises its own LightGBMError
        raise ModelError(f"model file {path} is corrupt or unreadable ({type(exc).__name__})") from None
    if booster.num_feature() != n_features:
        raise ModelError(
            f"model file {path} expects {booster.num_feature()} features, this newsgist computes "
            f"{n_features}; retrain with `newsgist train`"
        )
    return booster, card


@lru_cache(maxsize=1)
def default_ranker() -> Ranker:
    return Ranker.load(DEFAULT_MODEL)
