"""Sentence splitters compared: boundary precision/recall/F1 on the FRANK publisher highlights
joined into running text (their line breaks are the gold boundaries), and speed on the GPT-4
training articles.

    python bench/splitters.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import blingfire  # noqa: E402

from common import DATA  # noqa: E402
from newsgist.segment import split_sentences  # noqa: E402


def raw_blingfire(text: str) -> list[str]:
    return [s for s in blingfire.text_to_sentences(text).split("\n") if s.strip()]


def regex(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text) if s]


SPLITTERS: dict[str, Callable[[str], list[str]]] = {
    "blingfire (raw)": raw_blingfire,
    "newsgist default (blingfire + repairs)": lambda t: split_sentences(t, "blingfire"),
    "pysbd": lambda t: split_sentences(t, "pysbd"),
    "regex": regex,
}


def boundaries(text: str, sentences: list[str]) -> set[int]:
    found, at = set(), 0
    for s in sentences[:-1]:
        at = text.find(s, at) + len(s)
        while at < len(text) and text[at] == " ":
            at += 1
        found.add(at)
    return found


def main() -> None:
    frank = [json.loads(line) for line in (DATA / "frank-cnndm-dev.jsonl").open()]
    gpt = [json.loads(line)["article"] for line in (DATA / "sumllm-cnndm-train-gpt4.jsonl").open()][:300]
    gold = [[h.strip() for h in r["highlights"].split("\n") if h.strip()] for r in frank]
    print(f"{'splitter':42} {'P':>6} {'R':>6} {'F1':>6} {'articles/s':>11}")
    for name, split in SPLITTERS.items():
        tp = fp = fn = 0
        for lines in gold:
            text = " ".join(lines)
            truth, predicted = boundaries(text, lines), boundaries(text, split(text))
            tp, fp, fn = tp + len(truth & predicted), fp + len(predicted - truth), fn + len(truth - predicted)
        start = time.perf_counter()
        for article in gpt:
            split(article)
        speed = len(gpt) / (time.perf_counter() - start)
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"{name:42} {p:6.3f} {r:6.3f} {2 * p * r / (p + r):6.3f} {speed:11.0f}")


if __name__ == "__main__":
    main()
