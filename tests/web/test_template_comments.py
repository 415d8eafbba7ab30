"""Django's {# #} comment ends at the line's end: one that spans lines is printed on the page."""

import re
from pathlib import Path

import saferoptions

OPEN_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_no_template_comment_spans_lines():
    root = Path(saferoptions.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if OPEN_COMMENT.search(p.read_text(encoding="utf-8"))]
    assert offenders == [], f"use {{% comment %}} for these: {offenders}"


def test_the_check_finds_a_comment_that_spans_lines():
    assert OPEN_COMMENT.search("{# starts here\n and ends here #}")
    assert not OPEN_COMMENT.search("{# one line #}\n<p>x</p>")
