"""Quality benchmark: every method and the five published systems on the same articles.

Prints ROUGE-1/2/Lsum F1 (rouge-score, stemming, one sentence a line), mean words, articles/s,
peak memory, and the greedy-oracle upper bound; writes bench/results/quality.{md,json}.

    python bench/quality.py [--limit N] [--methods lead,gist,...]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, markdown_table, provenance  # noqa: E402
from newsgist.evaluate import evaluate, rouge  # noqa: E402
from newsgist.ingest import iter_records  # noqa: E402
from newsgist.oracle import greedy_oracle  # noqa: E402
from newsgist.select import METHODS  # noqa: E402

COLUMNS = ["method", "articles", "rouge1", "rouge2", "rougeLsum", "words", "articles_per_s", "faithful_share"]


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


def run(data: Path, methods: list[str], limit: int | None, systems: bool) -> list[dict]:
    articles = [r.article for r in iter_records(data) if r.article and r.article.reference][:limit]
    rows = evaluate(articles, methods, n=3, systems=systems, check_faithfulness=_has_facts())
    rows.append(oracle_row(articles))
    return rows


def _has_facts() -> bool:
    try:
        import newsgist.facts  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", default=str(RESULTS / "quality"))
    args = parser.parse_args()
    methods = args.methods.split(",")
    sets = [
        ("frank-cnndm-dev.jsonl (75 CNN/DM test articles, publisher highlights)", DATA / "frank-cnndm-dev.jsonl", True),
        (
            "cnndm-validation-1000.jsonl@800:1000 (200 held-out CNN articles)",
            DATA / "cnndm-validation-1000.jsonl",
            False,
        ),
    ]
    report = {"provenance": provenance(), "tables": {}}
    md = [f"# Quality benchmark\n\n{json.dumps(report['provenance'])}\n"]
    for title, path, systems in sets:
        if "@800:1000" in title:
            from newsgist.train import load_split

            articles = load_split(f"{path}@800:1000")[: args.limit]
            rows = evaluate(articles, methods, n=3, check_faithfulness=_has_facts())
            rows.append(oracle_row(articles))
        else:
            rows = run(path, methods, args.limit, systems)
        report["tables"][title] = rows
        md.append(f"\n## {title}\n\n" + markdown_table(rows, COLUMNS))
        print(f"\n{title}")
        print(markdown_table(rows, COLUMNS))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["peak_rss_mb"] = round(peak_mb, 1)
    md.append(f"\nPeak memory of the whole run (all methods loaded): {peak_mb:.0f} MB\n")
    print(f"peak memory: {peak_mb:.0f} MB")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text("".join(md))


if __name__ == "__main__":
    main()
