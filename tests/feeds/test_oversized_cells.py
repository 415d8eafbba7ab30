"""A file whose first line is one enormous cell is refused in words, never a server error.

Found attacking the demo: a 3 MB line with no separator, imported as the police officer,
answered 500: guessing the separator read the header with the csv module, whose 128 KiB
field limit raised an error nothing caught. It now says, in words, what is wrong.
"""

import csv

import pytest

from saferoptions.feeds.files import read_rows
from saferoptions.feeds.flat import HeaderError


@pytest.mark.parametrize("content", [b"x" * 3_000_000, b"source_reference\n" + b"y" * 300_000])
def test_a_cell_over_the_csv_limit_is_a_header_error(content):
    with pytest.raises(HeaderError, match="has a cell over 131,072 characters long"):
        read_rows("police_incident", "big.csv", content)


def test_the_limit_holds_whatever_the_process_wide_csv_limit_is():
    # link-file raises the csv module's limit for the whole process; the suite failed here
    # whenever a linkage test had run first in the same worker.
    was = csv.field_size_limit(64 * 1024 * 1024)
    try:
        with pytest.raises(HeaderError, match="has a cell over 131,072 characters long"):
            read_rows("police_incident", "big.csv", b"x" * 3_000_000)
    finally:
        csv.field_size_limit(was)
