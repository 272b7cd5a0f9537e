"""Every input format parses into the one Article model, on real text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from newsgist.ingest import detect_format, iter_records, parse_text, read_article_file

from .conftest import OWN_EXAMPLE

FURNITURE = re.compile(r"JUST WATCHED|MUST WATCH|\bReplay\b|Read More|\b\d{1,2}:\d{2}\b|\(CNN\)|Story highlights")


def test_scraped_page_title_highlights_and_clean_body(example_page: str) -> None:
    article = parse_text(example_page)
    assert article.metadata["format"] == "page"
    assert article.title == "ISIS comes to Libya"
    assert article.source == "CNN"
    assert article.dateline == "(CNN)"
    assert article.reference == [
        "ISIS has taken over Derna, Libya, a city of 100,000 on the Mediterranean coast",
        '"Derna today looks identical to Raqqa, the ISIS headquarters town in Syria" an analyst says',
        "Derna, marginalized during the Gadhafi era, has a long history of Islamist radicalism",
    ]
    assert not FURNITURE.search(article.body)
    # video titles that follow JUST WATCHED are furniture too, and section headings are not sentences
    assert "Egypt bombs ISIS in Libya" not in article.body
    assert "ISIS finds support in Libya" not in article.body
    assert "Similarities to Syria" not in article.sentence_texts
    assert article.metadata["headings"] == ["Similarities to Syria", "Concerns in Egypt"]
    # the publisher's highlights never leak into the summarizer's input
    assert "ISIS has taken over Derna" not in article.body
    assert article.sentences[0].text == "The black flag of ISIS flies over government buildings."


def test_own_example_parses_the_same_way() -> None:
    article = read_article_file(OWN_EXAMPLE)
    assert article.title == "Floods cut off mountain towns as river bursts its banks"
    assert len(article.reference) == 3
    assert not FURNITURE.search(article.body)
    assert "Drone footage shows flooded town" not in article.body
    assert article.sentences[0].text.startswith("Floodwaters swept through the Varenna valley")


def test_story_file(tmp_path: Path, frank_rows: list[dict]) -> None:
    row = frank_rows[0]
    highlights = row["highlights"].split("\n")
    story = row["article"] + "\n\n" + "".join(f"@highlight\n\n{h}\n\n" for h in highlights)
    path = tmp_path / "x.story"
    path.write_text(story, encoding="utf-8")
    article = read_article_file(path)
    assert article.metadata["format"] == "story"
    assert article.reference == highlights
    assert "@highlight" not in article.body
    assert article.dateline == "(CNN)"
    assert article.sentences[0].text.startswith("They may not be")


def test_jsonl_and_csv_rows_give_the_same_articles(tmp_path: Path, frank_rows: list[dict]) -> None:
    rows = frank_rows[:5]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["id", "article", "highlights"])
    writer.writeheader()
    for r in rows:
        writer.writerow({k: r[k] for k in ("id", "article", "highlights")})
    csv_path = tmp_path / "a.csv"
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
    from_jsonl = [r.article for r in iter_records(jsonl)]
    from_csv = [r.article for r in iter_records(csv_path)]
    assert [a.id for a in from_jsonl] == [r["id"] for r in rows]
    assert [a.sentence_texts for a in from_jsonl] == [a.sentence_texts for a in from_csv]
    assert from_jsonl[0].reference == rows[0]["highlights"].split("\n")
    assert "systems" in from_jsonl[0].metadata  # extra columns are carried, not dropped


def test_gpt4_summary_is_a_reference_split_into_sentences(tmp_path: Path) -> None:
    from .conftest import GPT4, read_rows

    row = read_rows(GPT4, 1)[0]
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    article = next(iter_records(path)).article
    assert article is not None and len(article.reference) >= 2
    assert " ".join(article.reference).split() == row["llm_summary"].split()


def test_html_page_main_text_through_trafilatura(example_page: str) -> None:
    body = parse_text(example_page).paragraphs
    html = (
        "<!DOCTYPE html><html><head><title>ISIS comes to Libya - CNN</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/politics'>Politics</a></nav>"
        "<article><h1>ISIS comes to Libya</h1>"
        + "".join(f"<p>{p}</p>" for p in body)
        + "</article><footer>© 2014 Cable News Network. All Rights Reserved. Terms of service.</footer></body></html>"
    )
    assert detect_format(html) == "html"
    article = parse_text(html, name="page.html")
    assert article.metadata["format"] == "html"
    assert article.title == "ISIS comes to Libya"
    assert "All Rights Reserved" not in article.body and "Politics" not in article.sentence_texts
    assert article.sentences[0].text == "The black flag of ISIS flies over government buildings."
    assert len(article.sentences) >= 50


def test_plain_text_with_inline_dateline() -> None:
    text = (
        "WASHINGTON (CNN) -- The Senate voted 68-32 on Tuesday to pass the bill. "
        "Dr. Jane Smith of the U.S. Department of Health said it would take effect on Jan. 1. "
        "Critics said the $4.5 billion cost was too high."
    )
    article = parse_text(text)
    assert article.metadata["format"] == "text"
    assert article.dateline == "WASHINGTON (CNN)"
    assert article.sentence_texts == [
        "The Senate voted 68-32 on Tuesday to pass the bill.",
        "Dr. Jane Smith of the U.S. Department of Health said it would take effect on Jan. 1.",
        "Critics said the $4.5 billion cost was too high.",
    ]


def test_format_override_wins_over_detection(example_page: str) -> None:
    as_text = parse_text(example_page.replace("Story highlights\n", ""), fmt="text")
    assert as_text.metadata["format"] == "text"


def test_directory_of_mixed_files(tmp_path: Path, example_page: str) -> None:
    (tmp_path / "a.txt").write_text(example_page, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(OWN_EXAMPLE.read_bytes())
    ids = [r.id for r in iter_records(tmp_path)]
    assert ids == ["a", "b"]
