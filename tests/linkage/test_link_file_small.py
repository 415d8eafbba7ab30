"""A file too small to fit a model to: duplicates an analyst can see are not silently dropped.

Under ten usable records no probability can be learnt, and each record used to come back as
its own person with nothing said: José García and JOSE GARCIA, same date of birth and
postcode, were two people and no pair was in the review file.
"""

import io

from saferoptions.linkage import linkfile
from saferoptions.linkage.file_linking import link

from .test_link_file import read_csv


def run(tmp_path, text, *extra):
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    out, said = tmp_path / "out.csv", io.StringIO()
    code = linkfile.run(linkfile.parser().parse_args([str(source), str(out), *extra]), out=said)
    return code, read_csv(out), read_csv(tmp_path / "out_review.csv"), said.getvalue()


def people(rows):
    return {r["record_id"]: r["person_id"] for r in rows}


def test_a_duplicate_written_twice_is_one_person(tmp_path):
    code, rows, review, said = run(tmp_path, (
        "record_id;First Name;Last Name;DOB;Post Code\n"
        "a;José;García;03/04/2009;M1 1AA\n"
        "b;JOSE;GARCIA;3 Apr 2009;m11aa\n"
        "c;Ann;Smith;01/01/2010;M2 2BB\n"))
    assert code == 0
    persons = people(rows)
    assert persons["a"] == persons["b"] != persons["c"]
    assert review == []
    assert "too few to learn" in said


def test_name_and_birth_date_alone_are_handed_over_not_linked(tmp_path):
    _, rows, review, said = run(tmp_path, (
        "record_id,first_name,surname,dob\n"
        "a,José,García,2009-04-03\n"
        "b,Jose,Garcia,2009-04-03\n"
        "c,Jose,Garcia,\n"))
    persons = people(rows)
    assert len(set(persons.values())) == 3
    assert [(r["left_record_id"], r["right_record_id"]) for r in review] == [("a", "b")]
    # No model, so no probability is made up.
    assert review[0]["match_probability"] == "" and review[0]["match_weight"] == ""
    assert "1 unsure pair, written to" in said


def test_link_unsure_links_the_handed_over_pairs(tmp_path):
    _, rows, review, said = run(tmp_path, (
        "record_id,first_name,surname,dob\n"
        "a,Jose,Garcia,2009-04-03\n"
        "b,Jose,Garcia,2009-04-03\n"), "--link-unsure")
    assert people(rows)["a"] == people(rows)["b"]
    assert review == []
    assert "1 unsure pair linked" in said


def test_a_contradiction_keeps_two_people_apart():
    # Same name and birth date and postcode, but two different valid NHS numbers.
    result = link([
        {"record_id": "a", "first_name": "Ann", "last_name": "Lee", "dob": "2010-02-01",
         "postcode": "M1 1AA", "nhs_number": "9434765919"},
        {"record_id": "b", "first_name": "Ann", "last_name": "Lee", "dob": "2010-02-01",
         "postcode": "M1 1AA", "nhs_number": "9434765870"},
    ])
    assert result.cluster_of["a"] != result.cluster_of["b"]
    assert [(p.left, p.right) for p in result.unsure] == [("a", "b")]


def test_namesakes_sharing_only_a_name_are_left_apart():
    result = link([
        {"record_id": "a", "first_name": "Jack", "last_name": "Jones", "postcode": "M1 1AA"},
        {"record_id": "b", "first_name": "Jack", "last_name": "Jones", "postcode": "M9 9ZZ"},
    ])
    assert result.cluster_of["a"] != result.cluster_of["b"]
    assert result.unsure == []


def test_the_report_of_a_small_file_says_why_there_is_no_model(tmp_path):
    _, _, _, _ = run(tmp_path, "first_name,surname,dob\nAnn,Lee,2010-02-01\nAnn,Lee,2010-02-01\n",
                     "--report", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    assert "too few to learn" in page and "1 unsure pair (review file)" in page
