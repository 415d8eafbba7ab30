"""`saferoptions link-file`: links a spreadsheet, and refuses a file it cannot use in one line."""

import csv
import itertools
import subprocess
import sys
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from saferoptions.linkage import synthetic

COLUMNS = ["record_id", "source", "first_name", "last_name", "dob", "sex", "postcode", "address",
           "phone", "nhs_number"]


def write_csv(path, records, columns=COLUMNS):
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    return path


def read_csv(path):
    # utf-8-sig: the review and rejects files start with a byte-order mark for Excel.
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def pairs_of(groups):
    return {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}


def test_links_a_spreadsheet_into_persons(tmp_path):
    records = synthetic.generate(people=150, seed=11)
    out = tmp_path / "out.csv"
    call_command("link_file", str(write_csv(tmp_path / "in.csv", records)), str(out))
    rows = read_csv(out)
    assert list(rows[0]) == ["record_id", "person_id", "match_probability"]
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in records]
    truth, found = defaultdict(list), defaultdict(list)
    for record, row in zip(records, rows, strict=True):
        truth[record["true_person_key"]].append(record["record_id"])
        found[row["person_id"]].append(row["record_id"])
    true_pairs, linked = pairs_of(truth), pairs_of(found)
    assert len(linked & true_pairs) / len(linked) >= 0.97  # linked pairs are nearly all right
    assert len(linked & true_pairs) / len(true_pairs) >= 0.8  # and most true pairs are linked


def test_missing_columns_and_extra_columns_are_fine(tmp_path):
    records = synthetic.generate(people=40, seed=2)
    for r in records:
        r["favourite_colour"] = "blue"
    path = write_csv(tmp_path / "in.csv", records,
                     ["record_id", "first_name", "last_name", "dob", "favourite_colour"])
    call_command("link_file", str(path), str(tmp_path / "out.csv"))
    assert len(read_csv(tmp_path / "out.csv")) == len(records)


def test_tiny_file_gives_each_record_its_own_person(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("record_id,first_name\nA,Jayden\nB,\n")
    call_command("link_file", str(path), str(tmp_path / "out.csv"))
    rows = read_csv(tmp_path / "out.csv")
    assert [r["person_id"] for r in rows] == ["P1", "P2"]


BAD_FILES = {
    "not a CSV": (b'{"records": [{"record_id": 1}]}', "has no column link-file can use"),
    "empty": (b"", "is empty"),
    "blank lines only": (b"\n\n  \n", "is empty"),
    "header only": (b"record_id,first_name\n", "has a header but no records"),
    "binary": (b"\x00\x01\x02\x03IHDR\x00\x00", "is a binary file"),
    "an image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is an image, not a CSV"),
    "every row ragged": (b"record_id,first_name\n7,A,extra,more\n",
                         "1 of 1 rows cannot be used, the first because row 2 has 4 values"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_it_cannot_use_gets_one_clear_line(tmp_path, case):
    content, message = BAD_FILES[case]
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("link_file", str(path), str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_missing_input_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("link_file", str(tmp_path / "nope.csv"), str(tmp_path / "out.csv"))


def test_command_line_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"\x00\x01\x02")
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", "import sys; from saferoptions.cli import main; sys.exit(main())",
         "link-file", str(path), str(tmp_path / "out.csv")],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["CommandError: in.csv is a binary file, not a CSV"]


def test_a_memory_limit_duckdb_cannot_read_gets_one_clear_line(tmp_path):
    path = write_csv(tmp_path / "in.csv", synthetic.generate(people=20, seed=2))
    with pytest.raises(CommandError, match="memory limit '4 gigs' is not usable"):
        call_command("link_file", str(path), str(tmp_path / "out.csv"), memory_limit="4 gigs")
    assert not (tmp_path / "out.csv").exists()


def test_a_small_file_with_a_capped_memory_still_links(tmp_path):
    path = write_csv(tmp_path / "in.csv", synthetic.generate(people=60, seed=2))
    call_command("link_file", str(path), str(tmp_path / "out.csv"), memory_limit="256MB")
    rows = read_csv(tmp_path / "out.csv")
    assert len(rows) > 60 and len({r["person_id"] for r in rows}) < len(rows)
