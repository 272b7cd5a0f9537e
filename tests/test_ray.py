"""`--engine ray` on a local Ray cluster (2 CPUs) gives the local path's results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgist.cli import app

from .conftest import VALIDATION, read_rows

ray = pytest.importorskip("ray", reason="the `scale` extra is not installed")


def _without_timings(path: Path) -> list[dict]:
    return [{k: v for k, v in json.loads(line).items() if k != "timings_ms"} for line in path.open()]


def test_ray_engine_matches_local(tmp_path: Path) -> None:
    if not VALIDATION.exists():
        pytest.skip("../shared/data is not beside the repo")
    rows = read_rows(VALIDATION, 60)
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows) + '{"id": "cut", "article": "The\n', encoding="utf-8")
    runner = CliRunner()
    common = ["--method", "gist", "--no-facts"]
    local = runner.invoke(app, ["summarize", str(data), "-o", str(tmp_path / "local.jsonl"), "--workers", "2", *common])
    assert local.exit_code == 0, local.output
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        on_ray = runner.invoke(
            app,
            ["summarize", str(data), "-o", str(tmp_path / "ray.jsonl"), "--engine", "ray", "--workers", "2", *common],
        )
        assert on_ray.exit_code == 0, on_ray.output
        assert "60 summarized, 1 skipped" in on_ray.stderr
        assert _without_timings(tmp_path / "ray.jsonl") == _without_timings(tmp_path / "local.jsonl")
        bad = [json.loads(line) for line in (tmp_path / "ray.jsonl.errors.jsonl").open()]
        assert len(bad) == 1 and "malformed JSON" in bad[0]["error"]
        again = runner.invoke(
            app, ["summarize", str(data), "-o", str(tmp_path / "ray.jsonl"), "--engine", "ray", *common]
        )
        assert "0 summarized, 0 skipped, 61 already done" in again.stderr  # resume: nothing twice
    finally:
        ray.shutdown()
