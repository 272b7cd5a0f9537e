"""Sentence splitting survives abbreviations, numbers and multi-sentence quotes."""

from __future__ import annotations

import pytest

from newsgist.segment import merge_open_quotes, split_sentences


@pytest.mark.parametrize("splitter", ["blingfire", "pysbd"])
def test_abbreviations_and_numbers(splitter: str) -> None:
    text = (
        "U.S. Special Forces captured Ahmed Abu Khatallah in June. "
        "The bill passed 68-32 on Jan. 5 and costs $4.5 billion, officials said. "
        "Dr. Paolo Ferri said 3.5% of patients were children."
    )
    assert split_sentences(text, splitter) == [
        "U.S. Special Forces captured Ahmed Abu Khatallah in June.",
        "The bill passed 68-32 on Jan. 5 and costs $4.5 billion, officials said.",
        "Dr. Paolo Ferri said 3.5% of patients were children.",
    ]


def test_multi_sentence_quote_stays_one_sentence() -> None:
    text = (
        '"ISIS pose a serious threat in Libya. They are well on the way to creating an Islamic emirate in eastern '
        'Libya," Benotman said. Judges have been targeted.'
    )
    assert split_sentences(text) == [
        '"ISIS pose a serious threat in Libya. They are well on the way to creating an Islamic emirate in eastern '
        'Libya," Benotman said.',
        "Judges have been targeted.",
    ]


def test_merge_is_bounded_when_a_quote_never_closes() -> None:
    parts = ['"One.', "Two.", "Three.", "Four.", "Five.", "Six."]
    merged = merge_open_quotes(parts)
    assert merged[0] == '"One. Two. Three. Four.'
    assert merged[1:] == ["Five.", "Six."]


def test_unknown_splitter() -> None:
    with pytest.raises(ValueError, match="unknown sentence splitter"):
        split_sentences("A. B.", "nltk")
