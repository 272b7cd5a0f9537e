"""Clean stage: strip page furniture from scraped text and pull out title, dateline and the
publisher's highlights, so that only the story body reaches the summarizer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Video-player and navigation furniture that CNN pages interleave with the story.
_FURNITURE_LINE = re.compile(
    r"^\s*(?:JUST WATCHED|MUST WATCH|Replay|Read More|Hide Caption|Show Caption|"
    r"Photos?:.*|Video:.*|\d{1,2}:\d{2}(?::\d{2})?|\d+ of \d+)\s*$",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s*[-|–—]\s*(CNN(?:\.com)?|CNN Politics|CNN Money|Daily Mail Online)\s*$")
_HIGHLIGHTS_HEADER = re.compile(r"^\s*(?:Story highlights|STORY HIGHLIGHTS|Highlights)\s*$")
# "(CNN)", "LONDON, England (CNN) --", "Sanaa, Yemen (CNN)": place, then the agency in brackets.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,4})?\s*"
    r"\((?P<source>CNN(?: Money| Student News)?|CNNMoney|AP|Reuters|AFP|EW\.com)\)\s*(?:--|—|–|-)?\s*"
)
# Daily Mail bylines: "By . Sam Webb . PUBLISHED: . 10:05 EST, 1 May 2013 . | . UPDATED: ... ."
_DM_BYLINE = re.compile(
    r"^\s*(?:By \.\s.*?\.\s+)?(?:PUBLISHED:\s*\.\s.*?\|\s*\.\s*UPDATED:\s*\.\s.*?\d{4}\s*\.\s*)",
    re.DOTALL,
)
_DM_BY_ONLY = re.compile(r"^\s*By \. [^.]{2,80} \. (?:and [^.]{2,80} \. )?")
_LAST_UPDATED = re.compile(r"^\s*Last updated at .{5,60}?\d{4}\s*\.?\s*")
_WS = re.compile(r"[ \t\u00a0]+")
# Daily Mail pages inline their video teaser into the body text.
_SCROLL = re.compile(r"\bScroll down for (?:video|more)\.?\s*", re.IGNORECASE)


@dataclass(slots=True)
class CleanText:
    body_paragraphs: list[str]
    title: str = ""
    source: str = ""
    dateline: str = ""
    highlights: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)


def normalize_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


def clean_title(title: str) -> str:
    """`ISIS comes to Libya  - CNN` → `ISIS comes to Libya`."""
    return _TITLE_SUFFIX.sub("", normalize_whitespace(title)).strip()


def strip_dateline(paragraph: str) -> tuple[str, str, str]:
    """Remove a leading dateline; returns (rest, dateline, source)."""
    match = _DATELINE.match(paragraph)
    if not match:
        return paragraph, "", ""
    place = (match.group("place") or "").strip(" ,")
    source = match.group("source")
    dateline = f"{place} ({source})" if place else f"({source})"
    return paragraph[match.end() :].lstrip(), dateline, source


def strip_byline(paragraph: str) -> str:
    """Drop Daily Mail style bylines and timestamps that precede the first sentence."""
    for pattern in (_DM_BYLINE, _DM_BY_ONLY, _LAST_UPDATED):
        paragraph = pattern.sub("", paragraph, count=1)
    return paragraph.lstrip(" .")


def clean_body_text(text: str) -> CleanText:
    """Clean a body that is already free of page structure (corpus rows, .story, HTML text)."""
    text = _SCROLL.sub(" ", text)
    paragraphs = [normalize_whitespace(p) for p in re.split(r"\n\s*\n|\n", text)]
    paragraphs = [p for p in paragraphs if p and not _FURNITURE_LINE.match(p)]
    dateline = source = ""
    if paragraphs:
        first = strip_byline(paragraphs[0])
        first, dateline, source = strip_dateline(first)
        paragraphs[0] = first
        paragraphs = [p for p in paragraphs if p]
    return CleanText(body_paragraphs=paragraphs, dateline=dateline, source=source)


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation between paragraphs: a section subheading."""
    words = line.split()
    return 0 < len(words) <= 8 and not re.search(r"[.!?:;\"”’)]$", line)


def clean_scraped_page(text: str) -> CleanText:
    """Parse scraped page text: `Title - CNN` first line, video furniture, a `Story highlights`
    block (the publisher's summary, kept apart), a `(CNN)` dateline, then the body."""
    lines = [normalize_whitespace(line) for line in text.splitlines()]
    title = ""
    source = ""
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    if start < len(lines) and _TITLE_SUFFIX.search(lines[start]):
        source = _TITLE_SUFFIX.search(lines[start]).group(1)  # type: ignore[union-attr]
        title = _TITLE_SUFFIX.sub("", lines[start]).strip()
        start += 1

    highlights: list[str] = []
    body_lines: list[str] = []
    headings: list[str] = []
    dateline = ""
    in_highlights = False
    after_just_watched = False
    for line in lines[start:]:
        if not line:
            in_highlights = False
            continue
        if line.upper() == "JUST WATCHED":
            after_just_watched = True  # the next line is the video's title
            continue
        if after_just_watched:
            after_just_watched = False
            if len(line.split()) <= 15 and not line.endswith("."):
                continue
        if _FURNITURE_LINE.match(line):
            continue
        if _HIGHLIGHTS_HEADER.match(line):
            in_highlights = True
            continue
        if in_highlights:
            rest, found_dateline, found_source = strip_dateline(line)
            if found_dateline:
                in_highlights = False
                dateline, source = found_dateline, source or found_source
                if rest:
                    body_lines.append(rest)
                continue
            if len(line.split()) <= 40:
                highlights.append(line)
                continue
            in_highlights = False
        if not body_lines and not dateline:
            rest, found_dateline, found_source = strip_dateline(line)
            if found_dateline:
                dateline, source = found_dateline, source or found_source
                if rest:
                    body_lines.append(rest)
                continue
        if body_lines and _is_heading(line):
            headings.append(line)
            continue
        body_lines.append(line)
    return CleanText(
        body_paragraphs=body_lines,
        title=title,
        source=source,
        dateline=dateline,
        highlights=highlights,
        headings=headings,
    )


def looks_like_scraped_page(text: str) -> bool:
    head = text[:3000]
    return bool(
        re.search(r"^\s*(?:JUST WATCHED|Story highlights|MUST WATCH|Read More)\s*$", head, re.M)
        or _TITLE_SUFFIX.search(head.split("\n", 1)[0])
    )


def clean_text(text: str) -> CleanText:
    """Either cleaner, by the look of the text: scraped pages carry their furniture with them."""
    return clean_scraped_page(text) if looks_like_scraped_page(text) else clean_body_text(text)
