"""newsgist: story highlights for news articles, with provenance for every bullet."""

from .errors import InputError, ModelError, NewsgistError
from .model import Article, Highlight, Sentence, Summary
from .pipeline import load_article, summarize

__all__ = [
    "Article",
    "Highlight",
    "InputError",
    "ModelError",
    "NewsgistError",
    "Sentence",
    "Summary",
    "load_article",
    "summarize",
]
__version__ = "0.1.0"
