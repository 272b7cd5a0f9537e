"""Streaming batch: every input format, workers keep order, bad records go to a side file,
and a run killed with SIGKILL resumes with no article lost and none written twice."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard

from newsgist.batch import BatchOptions, run_batch, truncate_partial_line

from .conftest import VALIDATION, read_rows

FAST = BatchOptions(n=3, method="gist", facts=False)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    if not VALIDATION.exists():
        pytest.skip("../shared/data is not beside the repo")
    return read_rows(VALIDATION, 300)


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_workers_keep_input_order_and_match_one_worker(tmp_path: Path, rows: list[dict]) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", rows[:120])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run_batch(data, FAST, one, workers=1).summarized == 120
    assert run_batch(data, FAST, two, workers=2).summarized == 120
    assert _ids(two) == [r["id"] for r in rows[:120]]
    strip = [{k: v for k, v in json.loads(line).items() if k != "timings_ms"} for line in two.read_text().splitlines()]
    base = [{k: v for k, v in json.loads(line).items() if k != "timings_ms"} for line in one.read_text().splitlines()]
    assert strip == base


def test_compressed_csv_and_parquet_inputs_and_parquet_output(tmp_path: Path, rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    subset = [{k: r[k] for k in ("id", "article", "highlights")} for r in rows[:20]]
    lines = "".join(json.dumps(r) + "\n" for r in subset).encode()
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    pq.write_table(pa.Table.from_pylist(subset), tmp_path / "a.parquet")
    expected = [r["id"] for r in subset]
    for name in ("a.jsonl.gz", "a.jsonl.zst", "a.parquet"):
        out = tmp_path / f"{name}.out.jsonl"
        run_batch(tmp_path / name, FAST, out)
        assert _ids(out) == expected, name
    parquet_out = tmp_path / "out.parquet"
    run_batch(tmp_path / "a.jsonl.gz", FAST, parquet_out)
    table = pq.read_table(parquet_out).to_pylist()
    assert [r["id"] for r in table] == expected
    assert len(json.loads(table[0]["highlights"])) == 3


def test_garbage_records_go_to_the_side_file(tmp_path: Path, rows: list[dict]) -> None:
    random.seed(7)
    lines, bad = [], {}
    for i, r in enumerate(rows[:200]):
        lines.append(json.dumps(r))
        if i % 50 == 10:  # 1 in 50 garbage, of each kind
            kind = ["empty", "binary", "truncated", "huge"][(i // 50) % 4]
            rid = f"bad-{i}"
            if kind == "empty":
                lines.append(json.dumps({"id": rid, "article": ""}))
            elif kind == "binary":
                lines.append(
                    json.dumps(
                        {"id": rid, "article": bytes(random.randrange(256) for _ in range(300)).decode("latin-1")}
                    )
                )
            elif kind == "truncated":
                lines.append(json.dumps({"id": rid, "article": r["article"]})[:100])
                rid = f"in.jsonl:{len(lines)}"
            else:
                lines.append(json.dumps({"id": rid, "article": "word " * 4_200_000}))
            bad[rid] = kind
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    counts = run_batch(data, FAST, out, workers=2, errors=errors)
    assert counts.summarized == 200 and counts.skipped == len(bad)
    assert _ids(out) == [r["id"] for r in rows[:200]]
    reported = {json.loads(line)["id"]: json.loads(line)["error"] for line in errors.read_text().splitlines()}
    assert set(reported) == set(bad)
    for rid, kind in bad.items():
        word = {"empty": "no article text", "binary": "", "truncated": "malformed JSON", "huge": "limit"}[kind]
        assert word in reported[rid], (rid, reported[rid])


def test_no_resume_starts_over(tmp_path: Path, rows: list[dict]) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", rows[:10] + [{"id": "empty", "article": ""}])
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    run_batch(data, FAST, out, errors=errors)
    again = run_batch(data, FAST, out, errors=errors, resume=False)
    assert again.resumed == 0 and again.summarized == 10
    assert len(_ids(out)) == 10 and len(errors.read_text().splitlines()) == 1


def test_truncate_partial_line(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "b"}\n{"id": "c", "highl')
    truncate_partial_line(path)
    assert path.read_bytes() == b'{"id": "a"}\n{"id": "b"}\n'


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path, rows: list[dict]) -> None:
    unique = [dict(r, id=f"{r['id']}-{k}") for k in range(4) for r in rows]  # 1,200 records, unique ids
    data = _write_jsonl(tmp_path / "in.jsonl", unique)
    out = tmp_path / "out.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "newsgist.cli",
        "summarize",
        str(data),
        "-o",
        str(out),
        "--workers",
        "2",
        "--method",
        "gist",
        "--no-facts",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.read_text().count("\n") < 200):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: main and workers
    proc.wait()
    written_before = out.read_text().count("\n")
    assert 200 <= written_before < len(unique), "the run was not interrupted midway"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "already done" in done.stderr
    ids = _ids(out)
    assert len(ids) == len(set(ids)) == len(unique)
    assert set(ids) == {r["id"] for r in unique}
