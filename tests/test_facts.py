"""Facts on the shared example article: entities merged, quotes with speakers, numbers."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsgist import summarize
from newsgist.cli import app
from newsgist.facts import check_highlight, extract_facts
from newsgist.ingest import parse_text
from newsgist.model import Highlight

from .conftest import EXAMPLE_PAGE, OWN_EXAMPLE


@pytest.fixture(scope="module")
def facts(example_page: str) -> dict:
    return extract_facts(parse_text(example_page))


def _names(facts: dict, kind: str | None = None) -> set[str]:
    return {e["name"] for e in facts["entities"] if kind is None or e["type"] == kind}


def test_people_organisations_and_places(facts: dict) -> None:
    names = _names(facts)
    for name in ["Noman Benotman", "Abu Bakr al Baghdadi", "Abu Nabil al Anbari", "Aaron Zelin", "David Cameron"]:
        assert name in _names(facts, "person"), name
    for name in [
        "ISIS",
        "Quilliam Foundation",
        "Washington Institute for Near East Policy",
        "Ansar al Shariah",
        "Abu Salem Brigade",
        "Ansar Beit al Maqdis",
    ]:
        assert name in _names(facts, "organization"), name
    for name in ["Derna", "Libya", "Benghazi", "Tobruk", "Tripoli", "Raqqa"]:
        assert name in _names(facts, "place"), name
    # The small model calls these towns people; the article lists them beside places.
    for name in ["Sirte", "al-Khums", "Fezzan"]:
        assert name in _names(facts, "place"), name
    assert "Sirte" in names


def test_mentions_are_merged_into_one_entity(facts: dict) -> None:
    by_name = {e["name"]: e for e in facts["entities"]}
    benotman = by_name["Noman Benotman"]
    assert "Benotman" in benotman["aliases"] and "Benotman" not in by_name
    assert benotman["mentions"] >= 8
    assert benotman["affiliation"] == "Quilliam Foundation"
    assert by_name["Aaron Zelin"]["affiliation"] == "Washington Institute for Near East Policy"
    isis = by_name["ISIS"]
    assert "Islamic State" in isis["aliases"] and "Islamic State" not in by_name
    assert "Baghdadi" in by_name["Abu Bakr al Baghdadi"]["aliases"]
    # One name spelled two ways in the same article is one entity.
    assert by_name["al Qaeda"]["aliases"] == ["Al Qaeda"] and "Al Qaeda" not in by_name
    assert "Al-Bayda" in by_name["al Bayda"]["aliases"]
    article = parse_text(EXAMPLE_PAGE.read_text())
    for index in benotman["sentences"]:
        assert "Benotman" in article.sentences[index].text


def test_quotes_have_full_name_speakers(facts: dict) -> None:
    def speaker_of(start: str) -> str:
        return next(q["speaker"] for q in facts["quotes"] if q["kind"] == "direct" and q["quote"].startswith(start))

    assert speaker_of("Derna today looks identical to Raqqa") == "Noman Benotman"
    assert speaker_of("ISIS pose a serious threat") == "Noman Benotman"
    assert speaker_of("could have some level of viability") == "Aaron Zelin"
    assert speaker_of("succeeds, we would be facing") == "David Cameron"
    # '"We have prepared for you ...," it said.' goes on with the group quoted the sentence before.
    assert speaker_of("We have prepared for you") == speaker_of("the secularists and parliamentarians")
    assert speaker_of("We have prepared for you") == "Mujahideen of Libya"
    attributions = {q["speaker"] for q in facts["quotes"] if q["kind"] == "attribution"}
    assert {"Noman Benotman", "Libyan sources"} <= attributions
    told = next(q for q in facts["quotes"] if q["kind"] == "attribution" and q["speaker"] == "Libyan sources")
    assert "tell CNN" in told["statement"]  # an attribution carries the sentence it attributes
    assert not any(q["quote"] == "Mujahideen of Libya" for q in facts["quotes"])  # a name, not speech


def test_numbers_with_what_they_count(facts: dict) -> None:
    found = {(n["value"], n["counts"], n["category"]) for n in facts["numbers"]}
    assert ("800", "fighters", "fighters") in found
    assert ("One", "person", "casualties") in found
    assert ("14", "wounded", "casualties") in found
    assert ("21", "soldiers", "casualties") in found
    assert ("100,000", "population", "population") in found
    assert any(n["value"] == "July 23" and n["category"] == "date" for n in facts["numbers"])
    article = parse_text(EXAMPLE_PAGE.read_text())
    for n in facts["numbers"]:
        assert n["value"].split()[-1] in article.sentences[n["sentence"]].text


def test_faithfulness_flags_what_the_source_lacks(example_page: str) -> None:
    article = parse_text(example_page)
    source = article.sentences[8].text  # "The sources say the Derna branch of ISIS counts 800 fighters ..."
    ok = Highlight(text=source, sources=[8], source_text=source)
    assert check_highlight(ok, article) == {"passed": True, "missing": []}
    bad = Highlight(text=source.replace("800", "900").replace("Derna", "Sirte"), sources=[8], source_text=source)
    result = check_highlight(bad, article)
    assert not result["passed"] and set(result["missing"]) == {"900", "Sirte"}


def test_summary_json_carries_facts_and_passing_checks() -> None:
    summary = summarize(OWN_EXAMPLE)
    assert summary.faithfulness and summary.faithfulness["passed"]
    assert summary.facts is not None
    people = {e["name"] for e in summary.facts["entities"] if e["type"] == "person"}
    assert {"Elena Marchetti", "Luca Benedetti", "Giulia Romano"} <= people
    speakers = {q["speaker"] for q in summary.facts["quotes"]}
    assert {"Elena Marchetti", "Luca Benedetti", "Giulia Romano"} <= speakers
    assert "facts_ms" in summary.timings_ms
    assert summarize(OWN_EXAMPLE, facts=False).facts is None


def test_facts_cli_table_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["facts", str(EXAMPLE_PAGE)])
    assert table.exit_code == 0 and "Quilliam" in table.stdout and "Numbers" in table.stdout
    data = json.loads(runner.invoke(app, ["facts", str(EXAMPLE_PAGE), "--json"]).stdout)
    assert {"entities", "quotes", "numbers"} == set(data)
    no_facts = json.loads(runner.invoke(app, ["summarize", str(EXAMPLE_PAGE), "--json", "--no-facts"]).stdout)
    assert "facts" not in no_facts and no_facts["faithfulness"]["passed"]
