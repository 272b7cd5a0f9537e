from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE_PAGE = SHARED / "examples" / "cnn-isis-comes-to-libya.txt"
OWN_EXAMPLE = ROOT / "examples" / "river-valley-floods.txt"
FRANK = SHARED / "data" / "frank-cnndm-dev.jsonl"
VALIDATION = SHARED / "data" / "cnndm-validation-1000.jsonl"
GPT4 = SHARED / "data" / "sumllm-cnndm-train-gpt4.jsonl"


def read_rows(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


@pytest.fixture(scope="session")
def frank_rows() -> list[dict]:
    if not FRANK.exists():
        pytest.skip("../shared/data is not beside the repo")
    return read_rows(FRANK)


@pytest.fixture(scope="session")
def example_page() -> str:
    if not EXAMPLE_PAGE.exists():
        pytest.skip("../shared/examples is not beside the repo")
    return EXAMPLE_PAGE.read_text(encoding="utf-8")
