"""Quality benchmark: every method and the five published systems on the same articles.

Prints ROUGE-1/2/Lsum F1 (rouge-score, stemming, one sentence a line), mean words, articles/s,
peak memory per method (each method runs in a process of its own, so its peak RSS is its own),
and the greedy-oracle upper bound; writes bench/results/quality.{md,json}.

    python bench/quality.py [--limit N] [--methods lead,gist,...]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, markdown_table, provenance  # noqa: E402
from newsgist.evaluate import evaluate, rouge  # noqa: E402
from newsgist.oracle import greedy_oracle  # noqa: E402
from newsgist.select import METHODS  # noqa: E402

COLUMNS = [
    "method",
    "articles",
    "rouge1",
    "rouge2",
    "rougeLsum",
    "words",
    "articles_per_s",
    "peak_rss_mb",
    "faithful_share",
]


def oracle_row(articles: list) -> dict:
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    words = 0
    for a in articles:
        chosen = [a.sentences[i].text for i in greedy_oracle(a.sentence_texts, a.reference)]
        for k, v in rouge(chosen, a.reference).items():
            totals[k] += v
        words += sum(len(s.split()) for s in chosen)
    n = len(articles)
    return {
        "method": "oracle (greedy, upper bound)",
        "articles": n,
        **{k: round(v / n, 2) for k, v in totals.items()},
        "words": round(words / n, 1),
    }


def _load(spec: str, limit: int | None) -> list:
    from newsgist.train import load_split

    return load_split(spec)[:limit]


# Extra rows: a method with its compression default flipped ("learned" trims by default).
UNCOMPRESSED = "-uncompressed"


def _method_in_own_process(spec: str, limit: int | None, method: str, systems: bool) -> list[dict]:
    """One method's rows, with the peak memory of the process that ran it (articles included),
    on one core (one BLAS/OpenMP thread, as a single batch worker runs)."""
    from threadpoolctl import threadpool_limits

    name, compress = (method.removesuffix(UNCOMPRESSED), False) if method.endswith(UNCOMPRESSED) else (method, None)
    with threadpool_limits(1):
        rows = evaluate(
            _load(spec, limit), [name], n=3, compress=compress, systems=systems, check_faithfulness=_has_facts()
        )
    rows[0]["method"] = method
    rows[0]["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return rows


def run(spec: str, methods: list[str], limit: int | None, systems: bool) -> list[dict]:
    rows: list[dict] = []
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no other method's memory
    for k, method in enumerate(methods):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            rows += pool.submit(_method_in_own_process, spec, limit, method, systems and k == 0).result()
    # The published systems' rows came with the first method's run; list them after ours.
    rows.sort(key=lambda r: r["method"].startswith("published:"))
    rows.append(oracle_row(_load(spec, limit)))
    return rows


def _has_facts() -> bool:
    try:
        import newsgist.facts  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_methods = ["learned", f"learned{UNCOMPRESSED}", *(m for m in METHODS if m != "learned")]
    parser.add_argument("--methods", default=",".join(default_methods))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", default=str(RESULTS / "quality"))
    args = parser.parse_args()
    methods = args.methods.split(",")
    sets = [
        (
            "frank-cnndm-dev.jsonl (75 CNN/DM test articles, publisher highlights)",
            f"{DATA}/frank-cnndm-dev.jsonl",
            True,
        ),
        (
            "cnndm-validation-1000.jsonl@800:1000 (200 held-out CNN articles)",
            f"{DATA}/cnndm-validation-1000.jsonl@800:1000",
            False,
        ),
    ]
    report = {"provenance": provenance(), "tables": {}}
    md = [f"# Quality benchmark\n\n{json.dumps(report['provenance'])}\n"]
    for title, spec, systems in sets:
        rows = run(spec, methods, args.limit, systems)
        report["tables"][title] = rows
        md.append(f"\n## {title}\n\n" + markdown_table(rows, COLUMNS))
        print(f"\n{title}")
        print(markdown_table(rows, COLUMNS))
    md.append("\nArticles/s: select + compress + render on parsed articles (one process, one core); peak_rss_mb:\n")
    md.append("the process that ran that method alone, its articles and libraries included. `learned` trims\n")
    md.append("its bullets by default (learned compressor); `learned-uncompressed` is the same picks untrimmed.\n")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text("".join(md))


if __name__ == "__main__":
    main()
