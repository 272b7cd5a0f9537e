"""Streaming batch summarization: any input newsgist reads → JSONL (or Parquet) out.

- Workers: a process pool, each worker loading the model once; raw items are read in order in
  the main process with at most `window` in flight, so memory stays flat however large the
  input, and output keeps input order.
- Resume: re-running with the same JSONL output skips every id already written (or already
  reported bad), after cutting a last line that a crash left half-written.
- Bad records: reported with id and reason in a side file (`<output>.errors.jsonl`) and on
  stderr; they never stop the run.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from .errors import NewsgistError
from .ingest import RawItem, iter_raw, parse_item, resolve_id
from .pipeline import compresses, summarize_article
from .render import summary_json


@dataclass(frozen=True)
class BatchOptions:
    n: int = 3
    method: str = "learned"
    max_words: int | None = None
    compress: bool | None = None  # None: the method's default (pipeline.COMPRESSED_BY_DEFAULT)
    facts: bool = True
    fmt: str = "auto"
    splitter: str = "blingfire"


@dataclass
class BatchCounts:
    summarized: int = 0
    skipped: int = 0
    resumed: int = 0


def process_item(item: RawItem, options: BatchOptions) -> tuple[str, dict[str, Any] | None, str | None]:
    """(id, summary JSON, None) or (id, None, reason)."""
    record = parse_item(item, options.fmt, options.splitter)
    if record.article is None:
        return record.id, None, record.error or "no article"
    try:
        summary = summarize_article(
            record.article,
            options.n,
            options.method,
            options.max_words,
            options.compress,
            options.facts,
            {"parse_ms": record.parse_ms},
        )
    except NewsgistError as exc:
        return record.id, None, str(exc)
    return record.id, summary_json(summary), None


_worker_options: BatchOptions | None = None
_thread_limits: Any = None  # kept alive for the worker's lifetime


def _init_worker(options: BatchOptions, pooled: bool = True) -> None:
    global _worker_options, _thread_limits
    _worker_options = options
    warm_up(options)
    if pooled:
        # One thread a worker: BLAS (numpy) and OpenMP (LightGBM) would otherwise each run a thread
        # per core in every worker, fighting over the cores the pool already fills.
        from threadpoolctl import threadpool_limits

        _thread_limits = threadpool_limits(limits=1)


def _work(item: RawItem) -> tuple[str, str | None, str | None]:
    """In a worker: parse, summarize and serialise, so the main process only writes lines."""
    assert _worker_options is not None
    rid, data, reason = process_item(item, _worker_options)
    return rid, json.dumps(data, ensure_ascii=False) if data is not None else None, reason


def check_models(options: BatchOptions) -> None:
    """Load the model files the options need (a few MB), so that a missing or corrupt one is one
    clear error before any worker starts, not a failure per record."""
    if options.method == "learned":
        from .learned import default_ranker

        default_ranker()
    if compresses(options.method, options.compress):
        from .compress import default_compressor

        default_compressor()


def warm_up(options: BatchOptions) -> None:
    """Load models once per process, before the first article."""
    check_models(options)
    if compresses(options.method, options.compress):
        from .compress import parser

        parser()
    if options.facts:
        from .facts import nlp

        nlp()


def process_stream(
    items: Iterable[RawItem], options: BatchOptions, workers: int = 1, window: int = 256
) -> Iterator[tuple[str, str | None, str | None]]:
    """(id, summary as a JSON line, None) or (id, None, reason), in input order; at most
    `window` items in flight."""
    if workers <= 1:
        from threadpoolctl import threadpool_limits

        _init_worker(options, pooled=False)
        # One worker is one core: BLAS threads on ~30-row matrices only spin (measured: 60 s of
        # CPU for 31 s of wall time on 10,000 articles). Scoped to the run, not the caller's process.
        with threadpool_limits(limits=1):
            for item in items:
                yield _work(item)
        return
    # A semaphore bounds the items in flight (memory stays flat) without draining the pool
    # between windows, which would leave workers idle at every window's tail.
    slots = threading.BoundedSemaphore(window)

    def feed() -> Iterator[RawItem]:
        for item in items:
            slots.acquire()
            yield item

    context = get_context("fork" if hasattr(os, "fork") else "spawn")
    # The main process only routes: the pool's feeder and result threads and the writer take turns
    # on the GIL, and at the default 5 ms turns workers wait on full pipes (10,000 articles on 2
    # workers: 16.2 s → 15.2 s with 0.5 ms turns).
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        with context.Pool(workers, initializer=_init_worker, initargs=(options,)) as pool:
            for result in pool.imap(_work, feed(), chunksize=8):
                slots.release()
                yield result
    finally:
        sys.setswitchinterval(switch)


def done_ids(output: Path, errors: Path | None) -> set[str]:
    """Ids already in the output (and the error side file), cutting a half-written last line."""
    seen: set[str] = set()
    for path in (output, errors):
        if path is None or not path.exists():
            continue
        truncate_partial_line(path)
        with path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    seen.add(str(json.loads(line)["id"]))
                except (ValueError, KeyError, TypeError):
                    continue
    return seen


def truncate_partial_line(path: Path) -> None:
    with path.open("rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        # walk back to the last newline; everything after it is a line cut by a crash
        chunk = 1 << 16
        pos = size
        while pos > 0:
            start = max(0, pos - chunk)
            f.seek(start)
            data = f.read(pos - start)
            cut = data.rfind(b"\n")
            if cut >= 0:
                f.truncate(start + cut + 1)
                return
            pos = start
        f.truncate(0)


class _ParquetSink:
    """Summaries as Parquet rows (nested fields JSON-encoded), one row group per window."""

    def __init__(self, path: Path) -> None:
        self.path, self.rows, self.writer = path, [], None  # type: ignore[var-annotated]

    def write(self, line: str) -> None:
        data = json.loads(line)
        self.rows.append({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in data.items()})
        if len(self.rows) >= 1024:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        table = pa.Table.from_pylist(self.rows)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema)
        self.writer.write_table(table.cast(self.writer.schema))
        self.rows = []

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


def run_batch(
    source: str | Path | Iterable[RawItem],
    options: BatchOptions,
    output: Path | None = None,
    out: IO[str] | None = None,
    workers: int = 1,
    errors: Path | None = None,
    on_error: Callable[[str, str], None] | None = None,
    on_result: Callable[[], None] | None = None,
    resume: bool = True,
) -> BatchCounts:
    """Summarize every article of `source`; write JSONL to `output` (or `out`), Parquet when the
    output ends in .parquet. Returns the counts. A missing or corrupt model raises ModelError
    before anything is read or written."""
    check_models(options)
    counts = BatchCounts()
    parquet = output is not None and output.suffix == ".parquet"
    skip = done_ids(output, errors) if (output and resume and not parquet) else set()
    counts.resumed = len(skip)
    items: Iterable[RawItem] = iter_raw(source, options.fmt) if isinstance(source, (str, Path)) else source
    if skip:
        items = (item for item in items if resolve_id(item) not in skip)
    sink: Any
    if parquet:
        sink = _ParquetSink(output)  # type: ignore[arg-type]
    else:
        sink = output.open("a" if resume else "w", encoding="utf-8") if output else out
    error_file = errors.open("a" if resume else "w", encoding="utf-8") if errors else None
    try:
        for rid, data, reason in process_stream(items, options, workers):
            if data is None:
                counts.skipped += 1
                if error_file:
                    error_file.write(json.dumps({"id": rid, "error": reason}, ensure_ascii=False) + "\n")
                    error_file.flush()
                if on_error:
                    on_error(rid, reason or "")
            else:
                counts.summarized += 1
                if parquet:
                    sink.write(data)
                else:
                    # Buffered: a crash loses unflushed lines (resume redoes them) and may leave one
                    # partial last line (resume cuts it), so no line is lost or written twice.
                    sink.write(data + "\n")
            if on_result:
                on_result()
    finally:
        if parquet:
            sink.close()
        elif output:
            sink.close()
        if error_file:
            error_file.close()
    return counts
