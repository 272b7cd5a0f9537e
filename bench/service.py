"""Service benchmark: /v1/summarize on loopback with concurrent clients (requests/s, p50/p99
latency), server memory before and after 10,000 requests, and archive ingest + search timings.

    python bench/service.py [--requests 10000] [--clients 4] [--archive 10000]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, RESULTS, provenance  # noqa: E402
from newsgist.server import running_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post(url: str, body: bytes) -> float:
    start = time.perf_counter()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        resp.read()
    return time.perf_counter() - start


def bench_server(requests: int, clients: int) -> dict:
    with running_server() as server:
        base, pid = server.url, server.pid
        articles = [json.loads(line)["article"] for line in (DATA / "cnndm-validation-1000.jsonl").open()][:200]
        bodies = [json.dumps({"text": a, "facts": False}).encode() for a in articles]
        for b in bodies[:20]:
            post(base + "/v1/summarize", b)  # warm-up
        rss_start = rss_mb(pid)
        latencies: list[float] = []
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            for latency in pool.map(lambda i: post(base + "/v1/summarize", bodies[i % len(bodies)]), range(requests)):
                latencies.append(latency)
                if len(latencies) == requests // 10:
                    rss_early = rss_mb(pid)
        elapsed = time.perf_counter() - start
        rss_end = rss_mb(pid)
        latencies.sort()
        facts_body = json.dumps({"text": articles[0], "facts": True}).encode()
        facts_latency = statistics.median(post(base + "/v1/summarize", facts_body) for _ in range(10))
        return {
            "requests": requests,
            "clients": clients,
            "requests_per_s": round(requests / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "rss_mb_after_warmup": round(rss_start, 1),
            "rss_mb_after_10pct": round(rss_early, 1),
            "rss_mb_after_all": round(rss_end, 1),
            "with_facts_p50_ms": round(facts_latency * 1000, 1),
        }


def bench_archive(total: int) -> dict:
    """Ingest `total` records (the 1,000 CNN validation articles, repeated with new ids past
    the first thousand) into a fresh SQLite archive without facts, then time searches."""
    rows = [json.loads(line) for line in (DATA / "cnndm-validation-1000.jsonl").open()]
    with tempfile.TemporaryDirectory() as tmp:
        data, db = Path(tmp) / "in.jsonl", Path(tmp) / "a.sqlite"
        with data.open("w") as f:
            for i in range(total):
                row = dict(rows[i % len(rows)], id=f"{rows[i % len(rows)]['id']}-{i // len(rows)}")
                f.write(json.dumps(row) + "\n")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "newsgist.cli", "ingest", str(data), "--db", str(db), "--no-facts"],
            check=True,
            capture_output=True,
        )
        ingest_s = time.perf_counter() - start
        from newsgist.store import connect, count_articles, search

        conn = connect(db)
        stored = count_articles(conn)
        queries = ["Derna", "president Obama", "police shooting", "world cup", "earthquake Nepal"]
        start = time.perf_counter()
        hits = {q: len(search(conn, q, 20)) for q in queries}
        search_ms = (time.perf_counter() - start) * 1000 / len(queries)
        size_mb = db.stat().st_size / 1e6
    return {
        "records": total,
        "stored": stored,
        "ingest_seconds": round(ingest_s, 1),
        "ingest_articles_per_s": round(total / ingest_s, 1),
        "db_mb": round(size_mb, 1),
        "search_ms_mean": round(search_ms, 2),
        "hits": hits,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--archive", type=int, default=10_000)
    args = parser.parse_args()
    report = {
        "provenance": provenance(),
        "server": bench_server(args.requests, args.clients),
        "archive": bench_archive(args.archive),
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "service.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
