"""Ingest stage: bytes from files, stdin or records → one `Article` model.

Formats (auto-detected, overridable): scraped page text (`page`), CNN/DailyMail `.story`
files (`story`), JSON Lines and CSV rows (`jsonl`, `csv`), HTML pages (`html`), plain text
(`text`). Batch readers yield one `Record` per article so that one bad record is reported
and skipped without losing the rest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clean import CleanText, clean_body_text, clean_scraped_page, clean_text, clean_title, looks_like_scraped_page
from .errors import InputError
from .model import Article
from .segment import segment_paragraphs

FORMATS = ("auto", "page", "story", "jsonl", "csv", "html", "text")
MAX_BYTES = 5_000_000  # a long news article is ~100 KB; far beyond this is not an article
TEXT_KEYS = ("article", "text", "body", "content", "story")
REFERENCE_KEYS = ("highlights", "reference", "summary", "llm_summary")
_FILE_SUFFIXES = {".txt", ".story", ".html", ".htm", ".md", ".parquet", ""}

_ID_AT_HEAD = re.compile(r'^\s*\{\s*"id"\s*:\s*"([^"\\]{1,200})"')

csv.field_size_limit(MAX_BYTES * 2)


@dataclass(slots=True)
class Record:
    """One item of a batch: an article, or the reason it could not be read."""

    id: str
    article: Article | None = None
    error: str | None = None
    parse_ms: float = 0.0


def decode(data: bytes, name: str = "input", max_bytes: int = MAX_BYTES) -> str:
    """Bytes → text, refusing what is not a readable article with a message naming why."""
    if len(data) > max_bytes:
        raise InputError(f"{name}: input is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if not data.strip():
        raise InputError(f"{name}: input is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: input is binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: input is not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise InputError(f"{name}: input looks binary ({controls} control characters), not text")
    return text


def detect_format(text: str, name: str = "") -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".story":
        return "story"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    head = text.lstrip()[:2000]
    if re.match(r"(?i)<!doctype html|<html|<head|<body|<article", head):
        return "html"
    if "\n@highlight" in text:
        return "story"
    if head.startswith("{") and '"' in head:
        return "jsonl"
    if looks_like_scraped_page(text):
        return "page"
    return "text"


def article_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def build_article(
    cleaned: CleanText,
    id: str,
    splitter: str = "blingfire",
    reference: list[str] | None = None,
    title: str = "",
    metadata: dict[str, Any] | None = None,
) -> Article:
    if not cleaned.body_paragraphs:
        raise InputError(f"{id}: no article text left after cleaning")
    sentences = segment_paragraphs(cleaned.body_paragraphs, splitter)
    return Article(
        id=id,
        body="\n\n".join(cleaned.body_paragraphs),
        title=title or cleaned.title,
        source=cleaned.source,
        dateline=cleaned.dateline,
        paragraphs=cleaned.body_paragraphs,
        sentences=sentences,
        reference=reference if reference is not None else cleaned.highlights,
        metadata={**(metadata or {}), "headings": cleaned.headings} if cleaned.headings else (metadata or {}),
    )


def _reference_lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if not value:
        return []
    text = str(value)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) == 1:  # a paragraph summary (e.g. GPT-4's): one sentence a line, for ROUGE-Lsum
        from .segment import split_sentences

        return split_sentences(lines[0])
    return lines


def parse_story(text: str) -> tuple[str, list[str]]:
    body, _, rest = text.partition("@highlight")
    highlights = [h.strip() for h in re.split(r"\n\s*@highlight\s*\n", "@highlight" + rest) if h.strip()]
    highlights = [h.removeprefix("@highlight").strip() for h in highlights] if rest else []
    return body, [h for h in highlights if h]


def parse_html(text: str, name: str) -> tuple[str, str]:
    import trafilatura  # imported lazily: only HTML input needs it

    doc = trafilatura.bare_extraction(text, include_comments=False, with_metadata=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    title = clean_title(getattr(doc, "title", "") or "")
    first, _, rest = body.strip().partition("\n")
    if title and first.strip() and first.strip() in title:  # the page's <h1> repeats the title
        body = rest
    return body, title


def parse_text(
    text: str,
    fmt: str = "auto",
    id: str | None = None,
    splitter: str = "blingfire",
    name: str = "input",
) -> Article:
    """Parse one article's text in the given (or detected) format."""
    if not text.strip():
        raise InputError(f"{name}: input is empty")
    fmt = detect_format(text, name) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    aid = id or article_id(text)
    if fmt in ("jsonl", "csv"):
        records = list(iter_text_records(text, fmt, name, splitter))
        if len(records) != 1:
            raise InputError(f"{name}: expected one {fmt} record, found {len(records)}")
        if records[0].error:
            raise InputError(records[0].error)
        assert records[0].article is not None
        return records[0].article
    if fmt == "page":
        return build_article(clean_scraped_page(text), aid, splitter, metadata={"format": fmt})
    if fmt == "story":
        body, highlights = parse_story(text)
        return build_article(clean_body_text(body), aid, splitter, reference=highlights, metadata={"format": fmt})
    if fmt == "html":
        body, title = parse_html(text, name)
        cleaned = clean_text(body)
        return build_article(cleaned, aid, splitter, title=title, metadata={"format": fmt})
    cleaned = clean_text(text)
    return build_article(cleaned, aid, splitter, metadata={"format": fmt})


def article_from_row(row: dict[str, Any], fallback_id: str, splitter: str = "blingfire") -> Article:
    if not isinstance(row, dict):
        raise InputError(f"{fallback_id}: record is not a JSON object")
    rid = str(row.get("id") or fallback_id)
    text = next((row[k] for k in TEXT_KEYS if isinstance(row.get(k), str) and row[k].strip()), None)
    if text is None:
        raise InputError(f"{rid}: record has no article text (expected one of: {', '.join(TEXT_KEYS)})")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"{rid}: article is over the {MAX_BYTES:,}-byte limit")
    reference_key = next((k for k in REFERENCE_KEYS if row.get(k)), None)
    reference = _reference_lines(row[reference_key]) if reference_key else []
    cleaned = clean_text(text)
    extra = {k: v for k, v in row.items() if k not in (*TEXT_KEYS, *REFERENCE_KEYS, "id", "title")}
    if reference_key:
        extra["reference_field"] = reference_key  # training tells publisher highlights from LLM summaries
    return build_article(
        cleaned,
        rid,
        splitter,
        reference=reference or cleaned.highlights,
        title=str(row.get("title") or ""),
        metadata=extra,
    )


@dataclass(slots=True)
class RawItem:
    """One article as read, before parsing: a row, a file holding one article, or text.
    Reading raw items is cheap and done in order; parsing them is the per-article work that
    workers share."""

    id: str
    row: Any = None
    line: str | None = None  # a JSONL line, parsed by whoever parses the item (a worker)
    path: str | None = None
    text: str | None = None
    error: str | None = None


def resolve_id(item: RawItem) -> str:
    """The id an item will have once parsed (a JSONL line's `id`), without parsing the article."""
    if item.line is None:
        return item.id
    head = _ID_AT_HEAD.search(item.line[:2000])
    if head:
        return head.group(1)
    try:
        row = json.loads(item.line)
    except json.JSONDecodeError:
        return item.id
    return str(row.get("id") or item.id) if isinstance(row, dict) else item.id


def row_item(row: Any, fallback_id: str) -> RawItem:
    rid = str(row.get("id") or fallback_id) if isinstance(row, dict) else fallback_id
    return RawItem(rid, row=row) if isinstance(row, dict) else RawItem(rid, error=f"{rid}: record is not a JSON object")


def line_items(stream: Iterable[str], fmt: str, name: str) -> Iterator[RawItem]:
    if fmt == "csv":
        for n, row in enumerate(csv.DictReader(stream), start=2):  # type: ignore[arg-type]
            yield row_item(row, f"{name}:{n}")
        return
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        fallback = f"{name}:{n}"
        if len(line) > MAX_BYTES:  # not parsed at all; name it by the id at its head if there is one
            head = _ID_AT_HEAD.search(line[:2000])
            rid = head.group(1) if head else fallback
            yield RawItem(rid, error=f"{rid}: record is over the {MAX_BYTES:,}-byte limit ({fallback})")
            continue
        yield RawItem(fallback, line=line)


def parse_line(item: RawItem) -> RawItem:
    assert item.line is not None
    try:
        row = json.loads(item.line)
    except json.JSONDecodeError as exc:
        return RawItem(item.id, error=f"{item.id}: malformed JSON ({exc.msg} at column {exc.colno})")
    return row_item(row, item.id)


def parse_item(item: RawItem, fmt: str = "auto", splitter: str = "blingfire") -> Record:
    """RawItem → Record: the article, or the reason it cannot be read."""
    if item.line is not None:
        item = parse_line(item)
    if item.error:
        return Record(item.id, error=item.error)
    if item.row is not None:
        return _single(lambda: article_from_row(item.row, item.id, splitter), item.id)
    if item.path is not None:
        return _single(lambda: read_article_file(Path(item.path), fmt, splitter), item.id)  # type: ignore[arg-type]
    text = item.text or ""
    return _single(lambda: parse_text(text, fmt, splitter=splitter, name=item.id), item.id)


def iter_text_records(text: str, fmt: str, name: str, splitter: str = "blingfire") -> Iterator[Record]:
    """Rows of an in-memory JSONL/CSV text."""
    for item in line_items(io.StringIO(text), fmt, name):
        yield parse_item(item, fmt, splitter)


def _open_text(path: Path) -> io.TextIOBase:
    """Open plain, .gz or .zst text files for streaming, decoding bad bytes as errors per line."""
    if path.suffix == ".gz":
        import gzip

        return gzip.open(path, "rt", encoding="utf-8", errors="replace")  # type: ignore[return-value]
    if path.suffix == ".zst":
        import zstandard

        raw = zstandard.ZstdDecompressor().stream_reader(path.open("rb"))
        return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _record_format(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".zst"):
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}.get(last)


def read_article_file(
    path: Path, fmt: str = "auto", splitter: str = "blingfire", max_bytes: int = MAX_BYTES
) -> Article:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size > max_bytes:
        raise InputError(f"{path}: input is {path.stat().st_size:,} bytes, over the {max_bytes:,}-byte limit")
    text = decode(path.read_bytes(), str(path), max_bytes)
    return parse_text(text, fmt, id=path.stem, splitter=splitter, name=str(path))


def iter_raw(source: str | Path, fmt: str = "auto") -> Iterator[RawItem]:
    """Every article in a file, a directory (recursively) or `-` (stdin), unparsed, in order."""
    if str(source) == "-":
        try:
            text = decode(sys.stdin.buffer.read(), "stdin")
        except InputError as exc:
            yield RawItem("stdin", error=str(exc))
            return
        fmt = detect_format(text) if fmt == "auto" else fmt
        if fmt in ("jsonl", "csv"):
            yield from line_items(io.StringIO(text), fmt, "stdin")
        else:
            yield RawItem("stdin", text=text)
        return
    path = Path(source)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if not child.name.startswith(".") and (_record_format(child) or child.suffix.lower() in _FILE_SUFFIXES):
                yield from iter_raw(child, fmt)
        return
    if not path.exists():
        yield RawItem(str(path), error=f"{path}: no such file or directory")
        return
    if path.suffix.lower() == ".parquet":
        yield from parquet_items(path)
        return
    record_fmt = fmt if fmt in ("jsonl", "csv") else (_record_format(path) if fmt == "auto" else None)
    if record_fmt:
        with _open_text(path) as stream:
            yield from line_items(stream, record_fmt, path.name)
        return
    yield RawItem(path.stem, path=str(path))


def parquet_items(path: Path) -> Iterator[RawItem]:
    import pyarrow.parquet as pq  # the `scale` extra

    offset = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
        for n, row in enumerate(batch.to_pylist(), start=offset + 1):
            yield row_item(row, f"{path.name}:{n}")
        offset += batch.num_rows


def iter_records(source: str | Path, fmt: str = "auto", splitter: str = "blingfire") -> Iterator[Record]:
    """Every article in a file, a directory (recursively) or `-` (stdin), as Records."""
    for item in iter_raw(source, fmt):
        yield parse_item(item, fmt, splitter)


def _single(load: Callable[[], Article], rid: str) -> Record:
    start = time.perf_counter()
    try:
        article = load()
    except InputError as exc:
        return Record(rid, error=str(exc))
    return Record(article.id, article=article, parse_ms=(time.perf_counter() - start) * 1000)
