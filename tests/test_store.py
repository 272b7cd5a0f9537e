"""The SQLite archive: idempotent ingest, FTS5 search, versioned schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from newsgist.cli import app
from newsgist.store import MIGRATIONS, connect, count_articles, fts_query, schema_version, search

from .conftest import FRANK

runner = CliRunner()


def _small_set(tmp_path: Path, frank_rows: list[dict]) -> Path:
    data = tmp_path / "ten.jsonl"
    lines = [json.dumps(r) for r in frank_rows[:10]] + ['{"id": "broken", "article": ']
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_ingest_is_idempotent_and_reports_bad_records(tmp_path: Path, frank_rows: list[dict]) -> None:
    data, db = _small_set(tmp_path, frank_rows), tmp_path / "a.sqlite"
    first = runner.invoke(app, ["ingest", str(data), "--db", str(db), "--no-facts"])
    assert first.exit_code == 0, first.output
    assert "10 added, 0 already" in first.stderr and "1 skipped" in first.stderr
    assert "skipped ten.jsonl:11: malformed JSON" in first.stderr
    again = runner.invoke(app, ["ingest", str(data), "--db", str(db), "--no-facts"])
    assert "0 added, 10 already" in again.stderr
    conn = connect(db)
    assert count_articles(conn) == 10
    assert conn.execute("SELECT count(*) FROM highlights").fetchone()[0] == 30
    assert conn.execute("SELECT count(*) FROM search").fetchone()[0] == 10


def test_search_finds_bodies_and_returns_highlights(tmp_path: Path, frank_rows: list[dict]) -> None:
    db = tmp_path / "a.sqlite"
    runner.invoke(app, ["ingest", str(_small_set(tmp_path, frank_rows)), "--db", str(db)])
    conn = connect(db)
    hits = search(conn, "Travolta Scientology")
    assert [h["id"] for h in hits] == [frank_rows[5]["id"]]
    assert len(hits[0]["highlights"]) == 3 and "[" in hits[0]["snippet"]
    assert search(conn, "extraterrestrials")[0]["id"] == frank_rows[0]["id"]
    assert search(conn, 'unbalanced " AND (') == []  # user text never becomes an FTS5 syntax error
    facts = json.loads(
        conn.execute("SELECT facts FROM facts WHERE article_id = ?", (frank_rows[5]["id"],)).fetchone()[0]
    )
    assert any(e["name"] == "John Travolta" for e in facts["entities"])
    out = runner.invoke(app, ["search", "Travolta", "--db", str(db), "--json"])
    assert json.loads(out.stdout)[0]["id"] == frank_rows[5]["id"]


def test_schema_is_versioned_and_migrations_run_once(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite"
    conn = connect(db)
    assert schema_version(conn) == len(MIGRATIONS)
    conn.close()
    conn = connect(db)  # reopening applies nothing twice (CREATE TABLE would fail)
    assert schema_version(conn) == len(MIGRATIONS)
    assert {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")} >= {
        "articles",
        "highlights",
        "facts",
        "search",
    }


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('Derna OR "ISIS') == '"Derna" "OR" "ISIS"'


def test_search_cli_without_archive(tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1 and "no such archive" in result.stderr
    assert FRANK.exists()
