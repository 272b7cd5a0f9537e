"""The HTTP API: summarize, batch, search, limits; bad input never takes the server down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgist.ingest import parse_text
from newsgist.pipeline import summarize_article
from newsgist.server import create_app
from newsgist.store import connect, save

from .conftest import OWN_EXAMPLE
from .test_compress import is_deletion_of


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, example_page: str):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("db") / "a.sqlite"
    conn = connect(db)
    article = parse_text(example_page, id="isis-libya")
    save(conn, article, summarize_article(article))
    conn.close()
    with TestClient(create_app(db, max_body_bytes=200_000)) as c:
        yield c


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_summarize_returns_bullets_provenance_facts(client: TestClient, example_page: str) -> None:
    resp = client.post("/v1/summarize", json={"text": example_page, "n": 3})
    assert resp.status_code == 200
    data = resp.json()
    assert len(data["highlights"]) == 3 and data["title"] == "ISIS comes to Libya"
    for h in data["highlights"]:
        assert h["source_text"] == " ".join(data["sentences"][i] for i in h["sources"])
        assert is_deletion_of(h["text"], h["source_text"])  # the learned default trims by deletion
    assert any(e["name"] == "Noman Benotman" for e in data["facts"]["entities"])
    assert data["faithfulness"]["passed"] and "select_ms" in data["timings_ms"]
    assert "facts" not in client.post("/v1/summarize", json={"text": example_page, "facts": False}).json()


def test_batch_keeps_good_articles_when_one_is_bad(client: TestClient, example_page: str) -> None:
    body = {
        "articles": [
            {"text": example_page, "facts": False},
            {"text": "   "},
            {"text": OWN_EXAMPLE.read_text(), "n": 4, "facts": False},
        ]
    }
    data = client.post("/v1/batch", json=body).json()
    assert [r["ok"] for r in data["results"]] == [True, False, True]
    assert "empty" in data["results"][1]["error"] and data["failed"] == 1
    assert len(data["results"][2]["highlights"]) == 4


def test_limits_and_bad_input(client: TestClient, example_page: str) -> None:
    too_big = client.post("/v1/summarize", json={"text": example_page * 40})
    assert too_big.status_code == 413 and "limit" in too_big.json()["error"]
    malformed = client.post("/v1/summarize", content=b'{"text": "abc', headers={"content-type": "application/json"})
    assert malformed.status_code == 422 and malformed.json()["error"].startswith("malformed request")
    missing = client.post("/v1/summarize", json={"n": 3})
    assert missing.status_code == 422 and "text" in missing.json()["error"]
    short = client.post("/v1/summarize", json={"text": "One sentence only."})
    assert short.status_code == 400 and "fewer than the 3" in short.json()["error"]
    unknown = client.post("/v1/summarize", json={"text": example_page, "method": "bogus"})
    assert unknown.status_code == 400 and "unknown method" in unknown.json()["error"]
    assert client.get("/healthz").status_code == 200  # still serving


def test_search_endpoint(client: TestClient) -> None:
    data = client.get("/v1/search", params={"q": "Derna"}).json()
    assert data["results"][0]["id"] == "isis-libya" and len(data["results"][0]["highlights"]) == 3
    assert client.get("/v1/search", params={"q": "zzzunmatched"}).json()["results"] == []


def test_page_and_openapi(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/v1/summarize" in page.text
    spec = client.get("/openapi.json").json()
    assert {"/v1/summarize", "/v1/batch", "/v1/search", "/healthz"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200
    assert json.dumps(spec)  # serialisable


def test_search_without_archive(tmp_path: Path) -> None:
    with TestClient(create_app(None)) as c:
        resp = c.get("/v1/search", params={"q": "x"})
        assert resp.status_code == 404 and "--db" in resp.json()["error"]
