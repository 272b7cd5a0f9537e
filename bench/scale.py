"""Scale benchmark: throughput per worker count and method, peak memory and per-article cost
as the archive grows (synthetic by repetition of the 1,000 CNN validation articles).

    python bench/scale.py [--sizes 10000,100000,1000000] [--methods learned,gist]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, provenance  # noqa: E402


def make_input(path: Path, total: int, garbage_every: int = 0) -> int:
    """`total` records (unique ids); with garbage_every=k, one bad record after every k-th."""
    rows = [json.loads(line) for line in (DATA / "cnndm-validation-1000.jsonl").open()]
    bad = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(total):
            row = rows[i % len(rows)]
            f.write(json.dumps({"id": f"{row['id']}-{i}", "article": row["article"]}) + "\n")
            if garbage_every and i % garbage_every == garbage_every - 1:
                kind = bad % 4
                if kind == 0:
                    f.write(json.dumps({"id": f"bad-{bad}", "article": ""}) + "\n")
                elif kind == 1:
                    f.write(json.dumps({"id": f"bad-{bad}", "article": "\x00\x01\x02\x03" * 50}) + "\n")
                elif kind == 2:
                    f.write(json.dumps({"id": f"bad-{bad}", "article": row["article"]})[:120] + "\n")
                else:
                    f.write(json.dumps({"id": f"bad-{bad}", "article": "word " * 4_200_000}) + "\n")
                bad += 1
    return bad


def run(input_path: Path, method: str, workers: int, out: Path) -> float:
    """Wall seconds of one CLI run."""
    out.unlink(missing_ok=True)
    seconds, _ = peak_rss_mb(
        [
            sys.executable,
            "-m",
            "newsgist.cli",
            "summarize",
            str(input_path),
            "-o",
            str(out),
            "--method",
            method,
            "--no-facts",
            "--workers",
            str(workers),
            "--no-resume",
        ]
    )
    return seconds


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the process and its children) via GNU time if present."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return seconds, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--methods", default="learned,gist")
    parser.add_argument("--scaling-records", type=int, default=4000)
    args = parser.parse_args()
    report: dict = {"provenance": provenance(), "scaling": [], "growth": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        small = tmp_dir / "small.jsonl"
        make_input(small, args.scaling_records)
        for method in args.methods.split(","):
            rates = {}
            for workers in (1, 2):
                rates[workers] = args.scaling_records / run(small, method, workers, tmp_dir / "out.jsonl")
            row = {
                "method": method,
                "records": args.scaling_records,
                "articles_per_s_1_worker": round(rates[1], 1),
                "articles_per_s_2_workers": round(rates[2], 1),
                "speedup": round(rates[2] / rates[1], 2),
            }
            report["scaling"].append(row)
            print(row, flush=True)
        for size in (int(s) for s in args.sizes.split(",")):
            data = tmp_dir / f"in-{size}.jsonl"
            bad = make_input(data, size, garbage_every=100)
            out = tmp_dir / "out.jsonl"
            out.unlink(missing_ok=True)
            seconds, rss = peak_rss_mb(
                [
                    sys.executable,
                    "-m",
                    "newsgist.cli",
                    "summarize",
                    str(data),
                    "-o",
                    str(out),
                    "--method",
                    "gist",
                    "--no-facts",
                    "--workers",
                    "2",
                    "--no-resume",
                ]
            )
            written = sum(1 for _ in out.open())
            errors = sum(1 for _ in Path(str(out) + ".errors.jsonl").open())
            row = {
                "records": size,
                "garbage": bad,
                "written": written,
                "reported_bad": errors,
                "seconds": round(seconds, 1),
                "ms_per_article": round(1000 * seconds / size, 3),
                "peak_rss_mb": round(rss, 1),
            }
            report["growth"].append(row)
            print(row, flush=True)
            data.unlink()
            out.unlink()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
