"""How deep a JSON body may nest, checked on its text before Python's parser sees it.

Python's json parser, and everything that walks what it returns (the schema's validation, the
check for half surrogate pairs, the database's JSON column), recurses once per level: a body a
few hundred levels deep can exhaust the stack after it has been taken in. This check is a loop
over the brackets outside strings, so it uses no stack at any depth. Every JSON body (a message,
a batch, a corrected message replayed from quarantine) passes here first (`checking.read_json`).
"""

import re

from django.conf import settings

# A whole string (escapes included: brackets inside one never count) or a structural character.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_TOKEN_OR_COMMA = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def max_depth() -> int:
    """The deepest a message may nest (`FEEDS_MAX_JSON_DEPTH`); a feed's own shape needs 3."""
    return settings.FEEDS_MAX_JSON_DEPTH


def too_deep(text: str, limit: int) -> int | None:
    """Where the text first nests deeper than `limit` levels, or None if it never does."""
    if text.count("[") + text.count("{") <= limit:  # too few brackets to be too deep
        return None
    depth = 0
    for token in _TOKEN.finditer(text):
        depth += _STEP.get(token.group(), 0)
        if depth > limit:
            return token.start()
    return None


def depth_reason(limit: int) -> str:
    return f"is nested more than {limit} levels deep; a message may nest at most {limit}"


def batch_row_at(text: str, offset: int) -> int:
    """Which message of a batch (`{"messages": [...]}`, counting from 1) holds the offset."""
    depth, row = 0, 1
    for token in _TOKEN_OR_COMMA.finditer(text, 0, offset):
        mark = token.group()
        if mark == "," and depth == 2:
            row += 1
        depth += _STEP.get(mark, 0)
        if depth == 2 and mark in "[{":  # a new value of the batch object: count afresh
            row = 1
    return row
