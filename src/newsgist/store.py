"""The archive: processed articles, their highlights and facts in SQLite, with FTS5 search.

Idempotent by article id (re-ingesting adds nothing twice). The schema is versioned with
`PRAGMA user_version`; each entry of MIGRATIONS moves it one version up, applied in order.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Article, Summary

MIGRATIONS: list[str] = [
    # 1: articles, highlights, facts, full-text index over body and highlights
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        dateline TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE highlights (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        sources TEXT NOT NULL,
        method TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    );
    CREATE TABLE facts (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        facts TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, title, body, highlights, tokenize='porter unicode61');
    """,
]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the archive to the current schema."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    for version in range(schema_version(conn), len(MIGRATIONS)):
        with conn:
            conn.executescript(MIGRATIONS[version])
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return conn


def has_article(conn: sqlite3.Connection, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def save(conn: sqlite3.Connection, article: Article, summary: Summary) -> bool:
    """Store one processed article; False (and nothing written) when its id is already there."""
    with conn:
        inserted = conn.execute(
            "INSERT OR IGNORE INTO articles (id, title, source, dateline, body, reference, metadata)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.title,
                article.source,
                article.dateline,
                article.body,
                json.dumps(article.reference),
                json.dumps(article.metadata, default=str),
            ),
        ).rowcount
        if not inserted:
            return False
        conn.executemany(
            "INSERT INTO highlights (article_id, position, text, sources, method) VALUES (?, ?, ?, ?, ?)",
            [(article.id, i, h.text, json.dumps(h.sources), summary.method) for i, h in enumerate(summary.highlights)],
        )
        if summary.facts is not None:
            conn.execute("INSERT INTO facts (article_id, facts) VALUES (?, ?)", (article.id, json.dumps(summary.facts)))
        conn.execute(
            "INSERT INTO search (id, title, body, highlights) VALUES (?, ?, ?, ?)",
            (article.id, article.title, article.body, "\n".join(summary.bullets)),
        )
    return True


@dataclass
class IngestCounts:
    added: int = 0
    already_there: int = 0
    failed: int = 0


def fts_query(text: str) -> str:
    """User words → an FTS5 query that cannot be a syntax error: every word quoted, all required."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w}"' for w in words)


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    match = fts_query(query)
    if not match:
        return []
    rows = conn.execute(
        "SELECT id, title, snippet(search, 2, '[', ']', ' … ', 12) AS snippet FROM search"
        " WHERE search MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    ).fetchall()
    results = []
    for row in rows:
        highlights = [
            {"text": h["text"], "sources": json.loads(h["sources"])}
            for h in conn.execute(
                "SELECT text, sources FROM highlights WHERE article_id = ? ORDER BY position", (row["id"],)
            )
        ]
        results.append({"id": row["id"], "title": row["title"], "snippet": row["snippet"], "highlights": highlights})
    return results


def count_articles(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def ingest(
    conn: sqlite3.Connection,
    records: Iterable[Any],
    summarize_one: Any,
    on_record: Any = None,
    on_error: Any = None,
) -> IngestCounts:
    """Summarize and store every record not yet in the archive; bad records are reported and skipped."""
    from .errors import NewsgistError

    counts = IngestCounts()
    for record in records:
        if record.article is None:
            counts.failed += 1
            if on_error:
                on_error(record.id, record.error or "no article")
        elif has_article(conn, record.article.id):
            counts.already_there += 1
        else:
            try:
                summary = summarize_one(record.article)
            except NewsgistError as exc:
                counts.failed += 1
                if on_error:
                    on_error(record.id, str(exc))
            else:
                counts.added += save(conn, record.article, summary)
        if on_record:
            on_record()
    return counts
