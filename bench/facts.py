"""Facts benchmark: entity precision/recall against hand-labelled articles, and speed.

Gold: tests/data/entities-frank-32.jsonl (see tests/data/README.md for how it was labelled).
Each article is cut to the labelled window of sentences before extraction, so that precision
and recall speak of the same text. Speed: full facts extraction on all FRANK articles.

    python bench/facts.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, provenance  # noqa: E402
from newsgist.facts import extract_facts, nlp  # noqa: E402
from newsgist.ingest import iter_records  # noqa: E402

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "entities-frank-32.jsonl"
TYPES = ("person", "organization", "place")


def _words(name: str) -> str:
    return " " + " ".join(re.findall(r"[\w.'’-]+", name.lower().replace("’", "'"))) + " "


def same(a: list[str], b: list[str]) -> bool:
    """Names match when one contains the other as whole words (alias lists on both sides)."""
    return any(_words(x) in _words(y) or _words(y) in _words(x) for x in a for y in b)


def score(gold: list[tuple[str, list[str]]], predicted: list[tuple[str, list[str]]], typed: bool) -> tuple[int, int]:
    """(true positives, predicted count) with one-to-one matching."""
    unmatched = list(gold)
    tp = 0
    for p_type, p_names in predicted:
        for g in unmatched:
            if same(p_names, g[1]) and (not typed or g[0] == p_type):
                unmatched.remove(g)
                tp += 1
                break
    return tp, len(predicted)


def main() -> None:
    articles = {r.article.id: r.article for r in iter_records(DATA / "frank-cnndm-dev.jsonl") if r.article}
    labels = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    nlp()  # load once, outside the timings
    totals = {k: [0, 0, 0] for k in ("untyped", "typed", *TYPES)}  # tp, predicted, gold
    for label in labels:
        article = articles[label["id"]]
        window = replace(article, sentences=article.sentences[: label["window_sentences"]])
        facts = extract_facts(window)
        predicted = [(e["type"], [e["name"], *e["aliases"]]) for e in facts["entities"] if e["type"] in TYPES]
        gold = [(t, names.split("|")) for t in TYPES for names in label[t]]
        for key, typed in (("untyped", False), ("typed", True)):
            tp, n = score(gold, predicted, typed)
            totals[key] = [totals[key][0] + tp, totals[key][1] + n, totals[key][2] + len(gold)]
        for t in TYPES:
            tp, n = score([g for g in gold if g[0] == t], [p for p in predicted if p[0] == t], True)
            totals[t] = [totals[t][0] + tp, totals[t][1] + n, totals[t][2] + sum(1 for g in gold if g[0] == t)]
    rows = []
    for key, (tp, n, g) in totals.items():
        p, r = tp / max(n, 1), tp / max(g, 1)
        rows.append(
            {
                "entities": key,
                "gold": g,
                "predicted": n,
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            }
        )
    everything = list(articles.values())
    start = time.perf_counter()
    for article in everything:
        extract_facts(article)
    speed = len(everything) / (time.perf_counter() - start)
    report = {
        "provenance": provenance(),
        "labelled_articles": len(labels),
        "entity_scores": rows,
        "facts_articles_per_s": round(speed, 1),
        "speed_articles": len(everything),
    }
    print(f"entity extraction on {len(labels)} hand-labelled FRANK articles (first 6 sentences each)")
    print(f"{'entities':14} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for r in rows:
        counts = f"{r['entities']:14} {r['gold']:5} {r['predicted']:5}"
        print(f"{counts} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}")
    print(f"facts extraction speed: {speed:.1f} articles/s on {len(everything)} full FRANK articles (1 process)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "facts.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
