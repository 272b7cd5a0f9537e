"""Cross-validated check of the learned selector against GPT-4 summaries: 5 folds over the
1,000 SumLLM training articles; each fold's ranker and compressor train on the other 4 folds plus
the first 800 CNN validation articles, and are scored (with Lead-3 on the same articles) against
the GPT-4 summaries of the held-out fold: the ranker's picks as they are, and trimmed by the
fold's compressor (the default `learned` output).

    python bench/learned_cv.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, provenance  # noqa: E402
from newsgist.compress import Compressor  # noqa: E402
from newsgist.evaluate import MethodResult, evaluate  # noqa: E402
from newsgist.learned import Ranker  # noqa: E402
from newsgist.select import METHODS, rank_sentences  # noqa: E402
from newsgist.train import fit, load_split, oracle_labels, train_compressor  # noqa: E402

FOLDS = 5
CACHE = Path(__file__).resolve().parents[1] / ".cache"


def main() -> None:
    gpt = load_split(str(DATA / "sumllm-cnndm-train-gpt4.jsonl"))
    cnn = load_split(f"{DATA / 'cnndm-validation-1000.jsonl'}@0:800")
    gpt_labels, cnn_labels = oracle_labels(gpt, CACHE), oracle_labels(cnn, CACHE)
    folds = []
    for k in range(FOLDS):
        test = [a for i, a in enumerate(gpt) if i % FOLDS == k]
        train = [a for i, a in enumerate(gpt) if i % FOLDS != k] + cnn
        labels = [lab for i, lab in enumerate(gpt_labels) if i % FOLDS != k] + cnn_labels
        ranker = Ranker(fit(train, labels), {})
        METHODS["cv-learned"] = lambda article, vec, n, r=ranker: r.score(article, vec)
        rows = {r["method"]: r for r in evaluate(test, ["lead", "cv-learned"], check_faithfulness=False)}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "compressor.txt"
            train_compressor(ranker, ["folds"], [], path, articles=train)
            compressor = Compressor.load(path)
        compressed = MethodResult("cv-learned-compressed")
        for article in test:
            chosen, _ = rank_sentences(article, "cv-learned", 3)
            compressed.add(compressor.compress(article, chosen), article.reference)
        rows["cv-learned-compressed"] = compressed.row()
        folds.append(
            {
                "fold": k,
                "articles": len(test),
                "lead_rouge1": rows["lead"]["rouge1"],
                "learned_rouge1": rows["cv-learned"]["rouge1"],
                "lead_rouge2": rows["lead"]["rouge2"],
                "learned_rouge2": rows["cv-learned"]["rouge2"],
                "learned_compressed_rouge1": rows["cv-learned-compressed"]["rouge1"],
                "learned_compressed_rouge2": rows["cv-learned-compressed"]["rouge2"],
                "compressor_threshold": compressor.threshold,
            }
        )
        print(folds[-1], flush=True)
    mean = {k: round(sum(f[k] for f in folds) / FOLDS, 2) for k in folds[0] if k.endswith(("rouge1", "rouge2"))}
    print("mean over folds:", mean)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "learned_cv_gpt4.json").write_text(
        json.dumps({"provenance": provenance(), "folds": folds, "mean": mean}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
