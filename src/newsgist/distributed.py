"""`--engine ray`: the same batch on a Ray cluster, through Ray Data.

read_text (one JSONL line a row) → map_batches on an actor pool whose actors each hold the
loaded model → rows streamed back in input order and written by the driver exactly as the local
path writes them (same JSONL, same error side file, same resume). Lines are parsed inside the
actors, so one malformed line is a reported record, not a failed read. A distributed read has no
line numbers, so a line without an `id` is named `FILE:sha1-of-line` instead of `FILE:LINE`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .batch import BatchCounts, BatchOptions, done_ids, process_item
from .errors import NewsgistError
from .ingest import RawItem, resolve_id


class _Summarizer:
    """A Ray actor: loads the model once, then summarizes batches of JSONL lines."""

    def __init__(self, options: BatchOptions, name: str, skip: frozenset[str]) -> None:
        from .batch import warm_up

        self.options, self.name, self.skip = options, name, skip
        warm_up(options)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        ids, results, errors = [], [], []
        for line in batch["text"]:
            if not line.strip():
                continue
            # a distributed read has no line numbers: a line without an id is named by its content
            item = RawItem(f"{self.name}:{hashlib.sha1(line.encode()).hexdigest()[:12]}", line=line)
            item.id = resolve_id(item)
            if item.id in self.skip:
                continue
            rid, data, reason = process_item(item, self.options)
            ids.append(rid)
            results.append(json.dumps(data, ensure_ascii=False) if data is not None else None)
            errors.append(reason)
        return {"id": ids, "result": results, "error": errors}


def run_ray(
    source: str | Path,
    options: BatchOptions,
    output: Path,
    errors: Path | None = None,
    address: str | None = None,
    workers: int | None = None,
    on_error: Callable[[str, str], None] | None = None,
    on_result: Callable[[], None] | None = None,
) -> BatchCounts:
    try:
        import ray
    except ImportError as exc:
        raise NewsgistError("--engine ray needs Ray: pip install 'newsgist[scale]'") from exc
    from .batch import check_models

    check_models(options)  # a bad model file: one error here, not one per actor
    path = Path(source)
    if not path.is_file() or not any(s in (".jsonl", ".ndjson") for s in path.suffixes):
        raise NewsgistError("--engine ray reads JSONL files (plain or .gz); convert other inputs first")
    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=None if address else workers,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    skip = done_ids(output, errors)
    counts = BatchCounts(resumed=len(skip))
    size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    # The read is light; leave it a sliver of CPU so that a pool using every core cannot starve it.
    lines = ray.data.read_text(str(path), num_cpus=0.1)
    results = lines.map_batches(
        _Summarizer,
        fn_constructor_args=(options, path.name, frozenset(skip)),
        batch_size=32,
        compute=ray.data.ActorPoolStrategy(size=size),
        num_cpus=0.9,
    )
    with output.open("a", encoding="utf-8") as out, (errors or Path("/dev/null")).open("a", encoding="utf-8") as bad:
        for row in results.iter_rows():
            if row["result"] is not None:
                out.write(row["result"] + "\n")
                counts.summarized += 1
            else:
                bad.write(json.dumps({"id": row["id"], "error": row["error"]}) + "\n")
                counts.skipped += 1
                if on_error:
                    on_error(row["id"], row["error"])
            if on_result:
                on_result()
    return counts
