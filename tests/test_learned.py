"""The learned selector: trains on a tiny split, loads, and fails clearly on a bad model file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgist.cli import app
from newsgist.compress import Compressor
from newsgist.errors import ModelError
from newsgist.features import vectorize
from newsgist.learned import DEFAULT_MODEL, MODEL_FEATURES, Ranker, default_ranker
from newsgist.oracle import greedy_oracle
from newsgist.train import load_split

from .conftest import FRANK, GPT4, VALIDATION


def test_oracle_picks_the_sentences_the_reference_was_written_from() -> None:
    sentences = [
        "The black flag of ISIS flies over government buildings.",
        "Police cars carry the group's insignia.",
        "Fighters loyal to ISIS are now in complete control of the city of Derna.",
        "The local football stadium is used for public executions.",
    ]
    assert greedy_oracle(sentences, ["ISIS fighters are in control of Derna."]) == [2]


def test_train_on_a_tiny_split_and_use_the_model(tmp_path: Path) -> None:
    if not GPT4.exists():
        pytest.skip("../shared/data is not beside the repo")
    out = tmp_path / "tiny.txt"
    result = CliRunner().invoke(
        app,
        [
            "train",
            f"{GPT4}@0:40",
            f"{VALIDATION}@0:40",
            "--eval",
            f"{FRANK}@0:10",
            "-o",
            str(out),
            "--cache",
            str(tmp_path / "cache"),
            "--rounds",
            "20",
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["train_articles"] == 80 and card["features"] == MODEL_FEATURES
    assert card["held_out_rouge_f1_n3"][f"{FRANK}@0:10"]["rouge1"] > 20
    assert list((tmp_path / "cache").glob("oracle-*.json"))  # labels cached for the next run
    ranker = Ranker.load(out)
    article = load_split(f"{FRANK}@0:1")[0]
    scores = ranker.score(article, vectorize(article))
    assert len(scores) == len(article.sentences) and len(set(scores)) > 1
    # The compressor is trained on the new ranker's picks and written beside it.
    compressor = Compressor.load(tmp_path / "compressor.txt")
    compressor_card = json.loads((tmp_path / "compressor.json").read_text())
    assert compressor_card["train_articles"] == 80 and compressor_card["train_phrases"] > 100
    assert str(compressor.threshold) in compressor_card["cv_mean_rouge12_by_threshold"]
    picks = [0, 1, 2]
    for bullet, i in zip(compressor.compress(article, picks), picks, strict=True):
        assert len(bullet.split()) <= len(article.sentences[i].text.split())


def test_shipped_model_loads_with_its_card() -> None:
    ranker = default_ranker()
    assert ranker.booster.num_feature() == len(MODEL_FEATURES)
    card = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    assert card["train_articles"] >= 1000 and "held_out_rouge_f1_n3" in card


def test_missing_and_corrupt_model_files(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing; run `newsgist train`"):
        Ranker.load(tmp_path / "none.txt")
    corrupt = tmp_path / "corrupt.txt"
    corrupt.write_text("tree\nthis is not a LightGBM model\n")
    with pytest.raises(ModelError, match="corrupt or unreadable"):
        Ranker.load(corrupt)
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes(DEFAULT_MODEL.read_bytes()[:4000])  # LightGBM itself would abort on this
    with pytest.raises(ModelError, match="not a complete LightGBM model"):
        Ranker.load(truncated)
    tampered = tmp_path / "ranker.txt"
    tampered.write_bytes(DEFAULT_MODEL.read_bytes().replace(b"leaf_value=", b"leaf_value=1", 1))
    tampered.with_suffix(".json").write_bytes(DEFAULT_MODEL.with_suffix(".json").read_bytes())
    with pytest.raises(ModelError, match="checksum differs"):
        Ranker.load(tampered)
