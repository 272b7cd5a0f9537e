"""Compression: deletions only, whole phrases, quotes and hedges kept, a clear error for a bad model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgist import summarize
from newsgist.cli import app
from newsgist.compress import DEFAULT_COMPRESSOR, Compressor, candidate_spans, default_compressor, delete_spans, parser
from newsgist.errors import ModelError
from newsgist.facts import check_highlight
from newsgist.ingest import parse_text


def is_deletion_of(bullet: str, source: str) -> bool:
    """Every word of the bullet appears in the source, in order (punctuation aside)."""
    source_words = iter(w.strip(".,;:'\"“”‘’").lower() for w in source.split())
    return all(any(w.strip(".,;:'\"“”‘’").lower() == s for s in source_words) for w in bullet.split())


def deletions(sentence: str) -> dict[str, str]:
    doc = parser()(sentence)
    return {doc[c.start : c.end].text: delete_spans(doc, [(c.start, c.end)]) for c in candidate_spans(doc)}


def test_phrases_go_with_their_commas_and_leave_a_sentence() -> None:
    found = deletions(
        "Leon Yeaman, 55, was killed by a single punch during a row in front of their homes, police said."
    )
    assert (
        found[", 55,"] == "Leon Yeaman was killed by a single punch during a row in front of their homes, police said."
    )
    assert (
        found[", police said"] == "Leon Yeaman, 55, was killed by a single punch during a row in front of their homes."
    )
    assert "Leon Yeaman, 55, was killed by a single punch, police said." in found.values()


def test_quotes_hedges_and_parts_of_words_are_never_deleted() -> None:
    sentence = (
        "The highly-anticipated film, which opened on Friday, was allegedly leaked online, "
        'and the studio said it was "deeply disappointed by the theft of our work" in a statement.'
    )
    found = deletions(sentence)
    assert found  # the relative clause and the trailing phrase can go
    quote = "deeply disappointed by the theft of our work"
    assert all(quote in after for after in found.values())
    assert all("allegedly" in after for after in found.values())
    assert all("highly-anticipated" in after for after in found.values())


def test_default_bullets_are_trimmed_sentences_with_their_source_kept(frank_rows: list[dict]) -> None:
    trimmed = total = 0
    for row in frank_rows[:30]:
        article = parse_text(row["article"])
        for h in summarize(article, n=3).highlights:
            total += 1
            trimmed += h.text != h.source_text
            assert h.source_text == article.sentences[h.sources[0]].text
            assert is_deletion_of(h.text, h.source_text), (h.text, h.source_text)
            first = h.text.lstrip("\"'“‘(")[:1]
            assert len(h.text.split()) >= 5 and (first.isupper() or first.isdigit()), h.text
            assert check_highlight(h, article)["passed"]
        for h in summarize(article, n=3, compress=False).highlights:
            assert h.text == h.source_text
    assert trimmed > total / 3  # most DailyMail sentences carry an aside worth cutting


def test_shipped_compressor_loads_with_its_card() -> None:
    compressor = default_compressor()
    card = json.loads(DEFAULT_COMPRESSOR.with_suffix(".json").read_text())
    assert 0 < compressor.threshold < 1 and card["threshold"] == compressor.threshold
    assert card["threshold_judged_on"] == "publisher highlights"


def test_missing_corrupt_or_cardless_compressor_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing; run `newsgist train`"):
        Compressor.load(tmp_path / "none.txt")
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes(DEFAULT_COMPRESSOR.read_bytes()[:5000])
    with pytest.raises(ModelError, match="not a complete LightGBM model"):
        Compressor.load(truncated)
    cardless = tmp_path / "cardless.txt"
    cardless.write_bytes(DEFAULT_COMPRESSOR.read_bytes())
    with pytest.raises(ModelError, match="has no threshold"):
        Compressor.load(cardless)


def test_run_on_sentences_are_kept_whole_and_a_copula_keeps_its_complement() -> None:
    run_on = "The council said " + ", ".join(f"item {i} was approved" for i in range(400)) + "."
    text = run_on + " It met on Monday in the town hall. The mayor spoke to residents. They cheered at the end."
    summary = summarize(text, n=3, facts=False)
    assert run_on in summary.bullets  # over MAX_PARSE_CHARS: not parsed, not trimmed
    found = deletions("A third short sentence is here, the teacher said.")
    assert found and all("is here" in after for after in found.values())


def test_a_batch_with_a_missing_compressor_stops_with_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frank_rows: list[dict]
) -> None:
    import newsgist.compress as compress

    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in frank_rows[:3]), encoding="utf-8")
    monkeypatch.setattr(compress, "DEFAULT_COMPRESSOR", tmp_path / "gone.txt")
    compress.default_compressor.cache_clear()
    try:
        result = CliRunner().invoke(app, ["summarize", str(data), "-o", str(tmp_path / "out.jsonl"), "--workers", "1"])
        assert result.exit_code == 1
        assert "gone.txt is missing; run `newsgist train`" in result.output
        assert not (tmp_path / "out.jsonl").exists()  # nothing half-done to resume from
        # The baselines and untrimmed bullets need no compressor.
        result = CliRunner().invoke(app, ["summarize", str(data), "--no-compress", "--no-facts"])
        assert result.exit_code == 0 and len(result.stdout.splitlines()) == 3
    finally:
        compress.default_compressor.cache_clear()
