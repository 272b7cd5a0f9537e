"""Bad input: a one-line error naming the problem, non-zero exit, no traceback; batches go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgist import InputError, summarize
from newsgist.cli import app
from newsgist.ingest import decode, iter_records

runner = CliRunner()


def run_cli(*args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def assert_one_line_error(result, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and needle in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n ")
    assert_one_line_error(run_cli("summarize", str(path)), "empty")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_one_line_error(run_cli("summarize", str(path)), "binary")


def test_non_utf8_file(example_page: str, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(example_page.replace("Gadhafi", "Gadhafi’s café").encode("cp1252"))
    assert_one_line_error(run_cli("summarize", str(path)), "not valid UTF-8")


def test_huge_file(example_page: str, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    repeats = 50_000_000 // len(example_page.encode()) + 1
    with path.open("w", encoding="utf-8") as f:
        for _ in range(repeats):
            f.write(example_page)
    assert path.stat().st_size >= 50_000_000
    assert_one_line_error(run_cli("summarize", str(path)), "over the")


def test_fewer_sentences_than_asked(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("The black flag of ISIS flies over government buildings. Police cars carry its insignia.")
    assert_one_line_error(run_cli("summarize", str(path), "-n", "3"), "2 sentence(s)")
    with pytest.raises(InputError, match="fewer than the 3"):
        summarize(path.read_text(), n=3)


def test_missing_file() -> None:
    assert_one_line_error(run_cli("summarize", "no/such/article.txt"), "no such file")


def test_empty_stdin() -> None:
    assert_one_line_error(run_cli("summarize", "-", input=b""), "empty")


def test_decode_names_the_byte() -> None:
    with pytest.raises(InputError, match=r"bad byte 0xe9 at offset 3"):
        decode(b"caf\xe9 au lait", "x")


def test_batch_skips_bad_records_and_keeps_the_rest(frank_rows: list[dict], tmp_path: Path) -> None:
    good = frank_rows[:4]
    lines = [
        json.dumps(good[0]),
        '{"id": "truncated", "article": "The black flag of ISIS',  # truncated JSON
        json.dumps(good[1]),
        json.dumps({"id": "empty", "article": ""}),
        json.dumps({"id": "short", "article": "Only one sentence here."}),
        json.dumps(good[2]),
        json.dumps({"id": "no-text", "headline": "x"}),
        json.dumps(good[3]),
    ]
    data = tmp_path / "batch.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("summarize", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [w["id"] for w in written] == [r["id"] for r in good]
    assert all(len(w["highlights"]) == 3 for w in written)
    stderr = result.stderr
    assert "skipped batch.jsonl:2: malformed JSON" in stderr
    assert "skipped empty:" in stderr and "no article text" in stderr
    assert "skipped short:" in stderr and "fewer than the 3" in stderr
    assert "skipped no-text:" in stderr
    assert stderr.strip().endswith("4 summarized, 4 skipped")


def test_batch_of_only_bad_records_exits_non_zero(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "empty", "article": ""}\n{"id": "cut", "article": "The black\n', encoding="utf-8")
    result = run_cli("summarize", str(data), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 1
    assert "skipped empty:" in result.stderr and "malformed JSON" in result.stderr
    assert result.stderr.strip().endswith("0 summarized, 2 skipped")


def test_reader_reports_bad_lines_without_stopping(tmp_path: Path, frank_rows: list[dict]) -> None:
    data = tmp_path / "b.jsonl"
    data.write_text("not json\n" + json.dumps(frank_rows[0]) + "\n[1, 2]\n", encoding="utf-8")
    records = list(iter_records(data))
    assert [r.error is None for r in records] == [False, True, False]
    assert "malformed JSON" in (records[0].error or "")
    assert "not a JSON object" in (records[2].error or "")
