"""Errors a user can act on: each names the problem in one line."""

from __future__ import annotations


class NewsgistError(Exception):
    """Base class: the message is shown to the user as is, without a traceback."""


class InputError(NewsgistError):
    """The input cannot be read as an article (empty, binary, wrong encoding, too big, malformed)."""


class ModelError(NewsgistError):
    """A trained model file is missing, corrupt, or incompatible."""
