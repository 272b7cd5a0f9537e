"""Highlights: count, provenance, extractiveness and redundancy control, for every method."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgist import summarize
from newsgist.cli import app
from newsgist.evaluate import rouge
from newsgist.ingest import parse_text
from newsgist.pipeline import COMPRESSED_BY_DEFAULT
from newsgist.select import METHODS

from .conftest import EXAMPLE_PAGE, OWN_EXAMPLE
from .test_compress import is_deletion_of

runner = CliRunner()


@pytest.mark.parametrize("method", list(METHODS))
def test_every_method_gives_n_traceable_bullets(method: str, example_page: str) -> None:
    article = parse_text(example_page)
    summary = summarize(article, n=4, method=method)
    assert summary.method == method
    assert len(summary.highlights) == 4
    for h in summary.highlights:
        assert h.sources and all(0 <= i < len(article.sentences) for i in h.sources)
        assert h.source_text == " ".join(article.sentences[i].text for i in h.sources)
        if method in COMPRESSED_BY_DEFAULT:
            assert is_deletion_of(h.text, h.source_text)
        else:
            assert h.text == h.source_text  # a baseline's bullet is its sentence, untrimmed
    assert [h.sources[0] for h in summary.highlights] == sorted(h.sources[0] for h in summary.highlights)


def test_lead_is_the_first_sentences(example_page: str) -> None:
    article = parse_text(example_page)
    assert summarize(article, n=3, method="lead").bullets == article.sentence_texts[:3]


@pytest.mark.parametrize("method", ["learned", "gist"])
def test_bullets_do_not_lean_on_a_rhetorical_question(method: str, example_page: str) -> None:
    # The page opens "A town in Syria or Iraq? No. A city on the coast of the Mediterranean, in
    # Libya.": the answer means nothing without its question, so neither is a bullet.
    article = parse_text(example_page)
    answer = next(s.index for s in article.sentences if s.text.startswith("A city on the coast"))
    assert article.sentences[answer - 1].text == "No."
    chosen = {i for h in summarize(article, n=3, method=method).highlights for i in h.sources}
    assert answer not in chosen and answer - 2 not in chosen


def test_no_bullet_repeats_a_trigram_of_another(frank_rows: list[dict]) -> None:
    from newsgist.features import trigrams, words

    for row in frank_rows[:25]:
        bullets = summarize(row["article"], n=4, method="learned").bullets
        grams = [trigrams(words(b)) for b in bullets]
        for i in range(len(grams)):
            for j in range(i + 1, len(grams)):
                assert not grams[i] & grams[j], (bullets[i], bullets[j])


def test_word_budget_is_respected(frank_rows: list[dict]) -> None:
    for row in frank_rows[:20]:
        summary = summarize(row["article"], n=4, method="gist", max_words=50)
        words = [len(b.split()) for b in summary.bullets]
        assert len(words) == 1 or sum(words) <= 50 + 5  # the budget counts rouge-style tokens


def test_compression_only_deletes_for_every_method(frank_rows: list[dict]) -> None:
    for row in frank_rows[:10]:
        for method in ("gist", "lead"):
            for h in summarize(row["article"], n=3, method=method, compress=True).highlights:
                assert is_deletion_of(h.text, h.source_text), (h.text, h.source_text)


def test_summaries_overlap_the_reference(example_page: str) -> None:
    summary = summarize(example_page)
    assert summary.reference  # the page's Story highlights
    assert rouge(summary.bullets, summary.reference)["rouge1"] > 20


def test_cli_bullets_on_the_example_article() -> None:
    result = runner.invoke(app, ["summarize", str(EXAMPLE_PAGE)])
    assert result.exit_code == 0, result.output
    bullets = [line for line in result.stdout.splitlines() if line.startswith("• ")]
    assert len(bullets) == 3
    assert not any(w in result.stdout for w in ("JUST WATCHED", "Replay", "Read More", "(CNN)", "01:23"))


def test_cli_json_has_provenance_reference_and_timings() -> None:
    result = runner.invoke(app, ["summarize", str(OWN_EXAMPLE), "--json", "-n", "4", "--method", "gist"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "Floods cut off mountain towns as river bursts its banks"
    assert len(data["highlights"]) == 4
    assert all(isinstance(h["sources"][0], int) for h in data["highlights"])
    assert data["reference"][2] == "At least four people were killed and 37 injured; 2,300 residents were evacuated"
    assert {"parse_ms", "select_ms"} <= set(data["timings_ms"])


def test_cli_reads_stdin() -> None:
    result = runner.invoke(app, ["summarize", "-", "--json"], input=OWN_EXAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["highlights"]) == 3


def test_cli_batch_over_a_directory_streams_jsonl(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_bytes(OWN_EXAMPLE.read_bytes())
    (tmp_path / "two.txt").write_bytes(EXAMPLE_PAGE.read_bytes())
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["summarize", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == ["one", "two"]
    assert "skipped bad:" in result.stderr and "binary" in result.stderr
    assert "2 summarized, 1 skipped" in result.stderr


def test_python_api_matches_cli_json() -> None:
    from newsgist.render import summary_json

    api = summary_json(summarize(OWN_EXAMPLE, n=3))
    cli = json.loads(runner.invoke(app, ["summarize", str(OWN_EXAMPLE), "--json"]).stdout)
    assert [h["text"] for h in api["highlights"]] == [h["text"] for h in cli["highlights"]]
    assert api.keys() == cli.keys()
