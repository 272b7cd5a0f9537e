"""HTTP service (FastAPI): summarize, batch, search, and the web page, over the same pipeline.

The model and the NER pipeline are loaded once when the app starts. Bodies over `max_body_bytes`
get 413, malformed JSON 422 with a message, unreadable articles 400; none of them stop the server.
"""

from __future__ import annotations

import os
import time
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from .errors import NewsgistError
from .ingest import parse_text
from .pipeline import DEFAULT_METHOD, summarize_article
from .render import summary_json
from .select import METHODS

STATIC = Path(__file__).parent / "static"
DEFAULT_MAX_BODY = 2_000_000
MAX_BATCH = 64


class SummarizeRequest(BaseModel):
    text: str = Field(..., description="Article: scraped page text, HTML, a .story body, or plain text.")
    format: Literal["auto", "page", "story", "html", "text"] = "auto"
    n: int = Field(3, ge=1, le=10, description="Number of highlights.")
    method: str = Field(DEFAULT_METHOD, description=f"One of: {', '.join(METHODS)}.")
    facts: bool = True
    compress: bool | None = None  # None: trimmed for the learned method, not for baselines
    max_words: int | None = Field(None, ge=5)
    id: str | None = None


class BatchRequest(BaseModel):
    articles: list[SummarizeRequest] = Field(..., max_length=MAX_BATCH)


def summarize_request(req: SummarizeRequest) -> dict[str, Any]:
    if req.method not in METHODS:
        raise NewsgistError(f"unknown method {req.method!r}; choose one of {', '.join(METHODS)}")
    start = time.perf_counter()
    article = parse_text(req.text, req.format, id=req.id, name="request")
    summary = summarize_article(
        article,
        req.n,
        req.method,
        req.max_words,
        req.compress,
        req.facts,
        {"parse_ms": (time.perf_counter() - start) * 1000},
    )
    data = summary_json(summary)
    data["sentences"] = article.sentence_texts  # what the page highlights
    return data


def create_app(db_path: str | Path | None = None, max_body_bytes: int = DEFAULT_MAX_BODY) -> FastAPI:
    db_path = db_path or os.environ.get("NEWSGIST_DB")

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        from .batch import BatchOptions, warm_up

        warm_up(BatchOptions())  # the default method's models and pipelines, once, before any request
        app.state.db = None
        if db_path:
            from .store import connect

            app.state.db = connect(db_path)
        yield
        if app.state.db is not None:
            app.state.db.close()

    app = FastAPI(
        title="newsgist",
        version="0.1.0",
        lifespan=lifespan,
        description="Story highlights for news articles, with provenance and facts.",
    )

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.method in ("POST", "PUT"):
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > max_body_bytes:
                return JSONResponse({"error": f"request body over the {max_body_bytes:,}-byte limit"}, 413)
            if not length:  # chunked: read it to know its size
                body = await request.body()
                if len(body) > max_body_bytes:
                    return JSONResponse({"error": f"request body over the {max_body_bytes:,}-byte limit"}, 413)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        message = "malformed request: " + "; ".join(problems)
        return JSONResponse({"error": message, "detail": jsonable_encoder(exc.errors())}, 422)

    @app.exception_handler(NewsgistError)
    async def bad_article(request: Request, exc: NewsgistError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, 400)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/summarize")
    def summarize_endpoint(req: SummarizeRequest) -> dict[str, Any]:
        return summarize_request(req)

    @app.post("/v1/batch")
    def batch_endpoint(req: BatchRequest) -> dict[str, Any]:
        results: list[dict[str, Any]] = []
        for i, item in enumerate(req.articles):
            try:
                results.append({"ok": True, **summarize_request(item)})
            except NewsgistError as exc:  # one bad article never fails the others
                results.append({"ok": False, "index": i, "id": item.id, "error": str(exc)})
        return {"results": results, "failed": sum(not r["ok"] for r in results)}

    @app.get("/v1/search")
    def search_endpoint(request: Request, q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=100)):  # type: ignore[no-untyped-def]
        from .store import search

        if request.app.state.db is None:
            return JSONResponse({"error": "no archive: start the server with --db archive.sqlite"}, 404)
        return {"query": q, "results": search(request.app.state.db, q, limit)}

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int


@contextmanager
def running_server(port: int | None = None, timeout_s: float = 60.0):  # type: ignore[no-untyped-def]
    """`newsgist serve` in a subprocess on loopback, yielding its URL and pid once /healthz
    answers; stopped on exit. For tests, benchmarks and scripts that need a real server."""
    import socket
    import subprocess
    import sys
    import urllib.request

    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsgist.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    error = proc.stderr.read().decode()[-2000:] if proc.poll() is not None and proc.stderr else ""
                    raise RuntimeError(f"newsgist serve did not start: {error or 'timed out'}") from None
                time.sleep(0.25)
        yield RunningServer(url, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
