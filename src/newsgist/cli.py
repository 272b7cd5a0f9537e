"""Command-line interface: a thin layer over the pipeline (typer + rich)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .batch import BatchCounts, BatchOptions, run_batch
from .errors import ModelError, NewsgistError
from .ingest import FORMATS, detect_format, iter_raw, iter_records, parse_item
from .pipeline import DEFAULT_BULLETS, DEFAULT_METHOD, summarize_article
from .progress import count_lines, progress_bar
from .render import summary_json, to_bullets
from .select import METHODS
from .train import ROUNDS

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Story highlights for news articles.")
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(1)


def _is_batch(source: str, fmt: str) -> bool:
    if source == "-":
        return fmt in ("jsonl", "csv")
    path = Path(source)
    return (
        path.is_dir()
        or fmt in ("jsonl", "csv")
        or (fmt == "auto" and detect_format("", path.name) in ("jsonl", "csv"))
        or path.suffix in (".gz", ".zst", ".parquet")
    )


MethodOpt = Annotated[str, typer.Option("--method", "-m", help=f"One of: {', '.join(METHODS)}.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=f"Input format: {', '.join(FORMATS)}.")]


@app.command()
def summarize(
    source: Annotated[str, typer.Argument(help="Article file, directory, JSONL/CSV/Parquet file, or - for stdin.")],
    n: Annotated[int, typer.Option("-n", "--bullets", help="Number of highlights.")] = DEFAULT_BULLETS,
    method: MethodOpt = DEFAULT_METHOD,
    max_words: Annotated[int | None, typer.Option(help="Word budget for all bullets together.")] = None,
    fmt: FormatOpt = "auto",
    splitter: Annotated[str, typer.Option(help="Sentence splitter: blingfire or pysbd.")] = "blingfire",
    compress: Annotated[
        bool | None,
        typer.Option(
            "--compress/--no-compress",
            help="Trim bullets by deleting phrases (default: on for learned, off for the baselines).",
        ),
    ] = None,
    facts: Annotated[bool, typer.Option("--facts/--no-facts", help="Entities, quotes, numbers (JSON output).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with provenance and timings.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Batch: JSONL (or .parquet) file.")] = None,
    workers: Annotated[int, typer.Option(help="Batch: worker processes (0 = all cores).")] = 0,
    errors: Annotated[Path | None, typer.Option(help="Batch: bad records file (default OUTPUT.errors.jsonl).")] = None,
    resume: Annotated[bool, typer.Option(help="Batch: skip ids already in the JSONL output.")] = True,
    engine: Annotated[str, typer.Option(help="Batch: local (process pool) or ray (Ray Data).")] = "local",
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: start a local one).")] = None,
) -> None:
    """Print 3–4 story highlights for an article, or stream JSONL for a batch."""
    if method not in METHODS:
        fail(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    options = BatchOptions(n, method, max_words, compress, facts, fmt, splitter)
    if engine not in ("local", "ray"):
        fail(f"unknown engine {engine!r}; choose local or ray")
    if engine == "ray":
        _summarize_on_ray(source, options, output, workers, errors, ray_address)
        return
    if _is_batch(source, fmt):
        _summarize_batch(source, options, output, workers, errors, resume)
        return
    items = list(iter_raw(source, fmt))
    if len(items) != 1:  # stdin that turned out to hold several records
        _summarize_batch(source, options, output, workers, errors, resume, items)
        return
    record = parse_item(items[0], fmt, splitter)
    if record.error or record.article is None:
        fail(record.error or "no article")
        return
    try:
        # Facts only show in JSON; bullets in the terminal skip the NER cost.
        summary = summarize_article(
            record.article, n, method, max_words, compress, facts and as_json, {"parse_ms": record.parse_ms}
        )
    except NewsgistError as exc:
        fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps(summary_json(summary), ensure_ascii=False, indent=2))
    else:
        typer.echo(to_bullets(summary))


def _report_skip(rid: str, reason: str) -> None:
    # reasons usually start with the id already ("x.jsonl:2: malformed JSON ...")
    err.print(f"skipped {reason if reason.startswith(rid) else f'{rid}: {reason}'}", highlight=False, markup=False)


def _print_counts(counts: BatchCounts) -> None:
    resumed = f", {counts.resumed} already done" if counts.resumed else ""
    err.print(f"{counts.summarized} summarized, {counts.skipped} skipped{resumed}", highlight=False)
    if counts.skipped and not counts.summarized and not counts.resumed:
        # Some bad records in a batch are normal (exit 0); a batch of nothing but bad ones is not.
        raise typer.Exit(1)


def _summarize_batch(
    source: str,
    options: BatchOptions,
    output: Path | None,
    workers: int,
    errors: Path | None,
    resume: bool,
    items: list | None = None,
) -> None:
    import os

    workers = workers or os.cpu_count() or 1
    if output and errors is None:
        errors = output.with_name(output.name + ".errors.jsonl")
    total = count_lines(source)
    try:
        with progress_bar("summarizing", total=total) as advance:
            counts = run_batch(
                items if items is not None else source,
                options,
                output,
                sys.stdout,
                workers,
                errors,
                on_error=_report_skip,
                on_result=advance,
                resume=resume,
            )
    except ModelError as exc:
        fail(str(exc))
        return
    _print_counts(counts)


def _summarize_on_ray(
    source: str, options: BatchOptions, output: Path | None, workers: int, errors: Path | None, address: str | None
) -> None:
    from .distributed import run_ray

    if output is None:
        fail("--engine ray writes to a file: give --output FILE.jsonl")
        return
    errors = errors or output.with_name(output.name + ".errors.jsonl")
    try:
        with progress_bar("summarizing on ray", total=count_lines(source)) as advance:
            counts = run_ray(source, options, output, errors, address, workers or None, _report_skip, advance)
    except NewsgistError as exc:
        fail(str(exc))
        return
    _print_counts(counts)


@app.command()
def evaluate(
    data: Annotated[Path, typer.Argument(help="JSONL/CSV (or directory) of articles with reference highlights.")],
    methods: Annotated[str, typer.Option(help="Comma-separated methods.")] = "lead,gist,learned",
    n: Annotated[int, typer.Option("-n", "--bullets")] = DEFAULT_BULLETS,
    max_words: Annotated[int | None, typer.Option()] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    compress: Annotated[bool | None, typer.Option("--compress/--no-compress")] = None,
    systems: Annotated[bool, typer.Option(help="Also score published systems found in the data.")] = False,
    faithfulness: Annotated[bool, typer.Option(help="Check names/numbers of every bullet.")] = True,
    splitter: Annotated[str, typer.Option()] = "blingfire",
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the results as JSON here.")] = None,
) -> None:
    """ROUGE-1/2/Lsum of each method against reference highlights, side by side."""
    from itertools import islice

    from .evaluate import evaluate as run_evaluation

    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METHODS]
    if unknown:
        fail(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    if not data.exists():
        fail(f"{data}: no such file or directory")
    articles = [r.article for r in islice(iter_records(data, "auto", splitter), limit) if r.article]
    with progress_bar("evaluating", total=len(articles)) as advance:
        rows = run_evaluation(articles, chosen, n, max_words, compress, systems, faithfulness, on_article=advance)
    print_table(rows, title=f"{data.name}: {len(articles)} articles")
    if json_out:
        json_out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


@app.command()
def train(
    data: Annotated[list[str], typer.Argument(help="Training JSONL/CSV files; FILE@START:END takes a slice.")],
    eval_data: Annotated[list[str] | None, typer.Option("--eval", help="Held-out sets to score.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Ranker model file to write.")] = Path("ranker.txt"),
    compressor_output: Annotated[
        Path | None, typer.Option(help="Compressor model file (default: compressor.txt beside the ranker).")
    ] = None,
    cache: Annotated[Path, typer.Option(help="Where oracle labels are cached.")] = Path(".cache"),
    rounds: Annotated[int, typer.Option(help="Boosting rounds of the ranker.")] = ROUNDS,
) -> None:
    """Train the learned highlight selector and the sentence compressor on articles with reference summaries."""
    from .learned import Ranker
    from .train import load_split, train_compressor
    from .train import train as run_training

    compressor_output = compressor_output or output.with_name("compressor.txt")
    try:
        articles = [a for spec in data for a in load_split(spec)]  # parsed once for both models
        with err.status("computing oracle labels and training the ranker (labels are cached for the next run)"):
            card = run_training(data, eval_data or [], output, cache, rounds, articles)
        err.print(f"ranker: trained on {card['train_articles']} articles in {card['training_seconds']} s → {output}")
        with progress_bar("compressor: parsing picks, labelling phrases", total=len(articles)) as advance:
            compressor_card = train_compressor(
                Ranker.load(output), data, eval_data or [], compressor_output, articles, advance
            )
    except NewsgistError as exc:
        fail(str(exc))
        return
    err.print(
        f"compressor: threshold {compressor_card['threshold']}, trained in "
        f"{compressor_card['training_seconds']} s → {compressor_output}"
    )
    typer.echo(json.dumps(compressor_card["held_out_rouge_f1_n3"], indent=2))


@app.command()
def facts(
    source: Annotated[str, typer.Argument(help="Article file or - for stdin.")],
    fmt: FormatOpt = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """People, organisations, places, quotes and numbers named in an article, with their sentences."""
    from .facts import extract_facts

    records = list(iter_records(source, fmt))
    if len(records) != 1 or records[0].article is None:
        fail(records[0].error if records and records[0].error else "expected one article")
        return
    try:
        found = extract_facts(records[0].article)
    except NewsgistError as exc:
        fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    console = Console()
    entities = Table(title="Entities")
    for col in ("type", "name", "mentions", "sentences", "also", "affiliation"):
        entities.add_column(col, no_wrap=col in ("type", "mentions"))
    for e in found["entities"]:
        if e["type"] in ("person", "organization", "place"):
            entities.add_row(
                e["type"],
                e["name"],
                str(e["mentions"]),
                ",".join(map(str, e["sentences"][:8])),
                ", ".join(e["aliases"]),
                e["affiliation"] or "",
            )
    quotes = Table(title="Quotes and attributions")
    for col in ("speaker", "quote", "sentence"):
        quotes.add_column(col)
    for q in found["quotes"]:
        quotes.add_row(q["speaker"] or "?", q["quote"] or q.get("statement") or f"({q['kind']})", str(q["sentence"]))
    numbers = Table(title="Numbers")
    for col in ("value", "counts", "category", "sentence"):
        numbers.add_column(col)
    for num in found["numbers"]:
        numbers.add_row(num["value"], num["counts"] or "", num["category"], str(num["sentence"]))
    for table in (entities, quotes, numbers):
        console.print(table)


@app.command()
def ingest(
    data: Annotated[str, typer.Argument(help="Articles: file, directory, JSONL/CSV, or - for stdin.")],
    db: Annotated[Path, typer.Option(help="SQLite archive (created if missing).")] = Path("archive.sqlite"),
    n: Annotated[int, typer.Option("-n", "--bullets")] = DEFAULT_BULLETS,
    method: MethodOpt = DEFAULT_METHOD,
    facts: Annotated[bool, typer.Option("--facts/--no-facts")] = True,
    fmt: FormatOpt = "auto",
) -> None:
    """Summarize articles into the archive; ids already there are skipped (idempotent)."""
    from .store import connect, count_articles
    from .store import ingest as store_ingest

    conn = connect(db)
    with progress_bar("ingesting", total=count_lines(data)) as advance:
        counts = store_ingest(
            conn,
            iter_records(data, fmt),
            lambda article: summarize_article(article, min(n, len(article.sentences)), method, facts=facts),
            on_record=advance,
            on_error=_report_skip,
        )
    err.print(
        f"{counts.added} added, {counts.already_there} already in {db}, {counts.failed} skipped; "
        f"{count_articles(conn)} articles in the archive",
        highlight=False,
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in bodies and highlights.")],
    db: Annotated[Path, typer.Option(help="SQLite archive.")] = Path("archive.sqlite"),
    limit: Annotated[int, typer.Option()] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Full-text search over an archive made by `newsgist ingest`."""
    from .store import connect
    from .store import search as store_search

    if not db.exists():
        fail(f"{db}: no such archive; create it with `newsgist ingest DATA --db {db}`")
    results = store_search(connect(db), query, limit)
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        typer.echo(f"{r['id']}  {r['title']}")
        for h in r["highlights"]:
            typer.echo(f"  • {h['text']}")
    err.print(f"{len(results)} match(es)", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    db: Annotated[Path | None, typer.Option(help="Archive for /v1/search.")] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (413 above).")] = 2_000_000,
) -> None:
    """Start the HTTP API and web page (http://HOST:PORT/, docs at /docs)."""
    import uvicorn

    from .server import create_app

    uvicorn.run(create_app(db, max_body), host=host, port=port, log_level="info")


def print_table(rows: list[dict], title: str = "") -> None:
    table = Table(title=title)
    for col in ("method", "articles", "rouge1", "rouge2", "rougeLsum", "words", "articles_per_s"):
        table.add_column(col, justify="left" if col == "method" else "right", no_wrap=True)
    has_faith = any(r.get("faithful_share") is not None for r in rows)
    if has_faith:
        table.add_column("faithful", justify="right")
    for r in rows:
        cells = [
            str(r[c]) if r.get(c) is not None else "–"
            for c in ("method", "articles", "rouge1", "rouge2", "rougeLsum", "words", "articles_per_s")
        ]
        if has_faith:
            cells.append(f"{r['faithful_share']:.1%}" if r.get("faithful_share") is not None else "–")
        table.add_row(*cells)
    Console().print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
