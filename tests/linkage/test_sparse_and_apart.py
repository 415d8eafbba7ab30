"""Sparse records go to a person, never straight into a child; people's "two children" holds.

An ED referral often names a child by first name and postcode only: the model may find them,
but only a reviewer may say it is them. And once a person has said two records are two
children (not a match, or a split), no third record can chain them back together.
"""

from types import SimpleNamespace as Pair

import pytest

from saferoptions.linkage import model, records, synthetic
from saferoptions.linkage.batch import link_records
from saferoptions.linkage.merges import split_identities
from saferoptions.linkage.models import ReviewPair, ReviewStatus, UnmatchedIdentity
from saferoptions.linkage.services import link_all_identities
from saferoptions.people.models import Identity

from .factories import TODAY, identity_from, synthetic_identities

HOME = {"last_name": "Okonjo", "dob": "2011-03-04", "postcode": "BS5 6XY",
        "address": "7 Mill Road", "sex": "M"}


@pytest.mark.parametrize(("raw", "review_only"), [
    ({"first_name": "Jayden", "postcode": "BS5 6XY"}, True),
    ({"first_name": "Jayden", "dob": "2011-03-04"}, True),
    ({"first_name": "Jayden", "last_name": "Okonjo"}, True),
    ({"first_name": "Jayden", "last_name": "Okonjo", "dob": "2011-03-04"}, False),
    ({"first_name": "Jayden", "nhs_number": "9434765919", "postcode": "BS5 6XY"}, False),
])
def test_sparse_records_are_linkable_only_through_review(raw, review_only):
    row = records.prepare("r1", raw, today=TODAY)
    assert records.why_unlinkable(row) is None
    assert records.review_only(row) is review_only


@pytest.mark.parametrize("raw", [{"first_name": "Jayden"}, {"first_name": "Jayden", "sex": "M"},
                                 {"postcode": "BS5 6XY", "dob": "2011-03-04"}])
def test_a_name_alone_or_no_name_is_still_too_little(raw):
    reason = records.why_unlinkable(records.prepare("r1", raw, today=TODAY))
    assert reason and "jayden" not in reason.lower()


def test_a_review_only_pair_is_never_linked_however_likely():
    limits = model.Thresholds()
    sure = {"given_name": 4, "nhs_number": -1}
    assert limits.decide(0.9999, sure) == "link"
    assert limits.decide(0.9999, sure, review_only=True) == "review"
    assert limits.decide(0.1, sure, review_only=True) is None


def _batch_city():
    raw = synthetic.generate(people=120, seed=5, today=TODAY)
    child = [{**HOME, "record_id": f"C{n}", "first_name": "Jayden", "source": source}
             for n, source in enumerate(("school", "police", "social-care"))]
    ed = {"record_id": "ED1", "first_name": "Jayden", "postcode": "bs56xy", "sex": "M",
          "source": "health"}
    return raw + child + [ed]


def test_batch_sends_a_first_name_and_postcode_to_review_once_per_person():
    result = link_records(_batch_city(), today=TODAY, u_max_pairs=1e5)
    assert result.cluster_of["ED1"] == "ED1", "never linked automatically"
    assert len({result.cluster_of[f"C{n}"] for n in range(3)}) == 1
    asked = [p for p in result.review if "ED1" in (p.left, p.right)]
    assert len(asked) == 1, "one question per would-be person, not one per record"
    other = asked[0].right if asked[0].left == "ED1" else asked[0].left
    assert other.startswith("C")


def test_unsure_pairs_within_one_cluster_are_not_asked_and_the_strongest_is_kept():
    cluster_of = {"a": "a", "b": "a", "c": "c", "d": "c", "e": "e"}
    pairs = [Pair(left="a", right="c", match_probability=0.7),
             Pair(left="b", right="d", match_probability=0.9),
             Pair(left="a", right="b", match_probability=0.8),
             Pair(left="e", right="a", match_probability=0.6)]
    kept = model.one_review_per_persons(pairs, cluster_of, ends=lambda p: (p.left, p.right),
                                        scored=lambda p: p)
    assert sorted((p.left, p.right) for p in kept) == [("b", "d"), ("e", "a")]


def test_records_kept_apart_are_never_chained_together_by_a_third():
    # x links strongly to both a and b; a person has said a and b are two children.
    cluster_of, held = model.clusters(["a", "b", "x"], [("a", "x"), ("b", "x")],
                                      apart=[("a", "b")])
    assert cluster_of["a"] == cluster_of["x"] != cluster_of["b"]
    assert held == [("b", "x")]


def test_apart_holds_across_clusters_built_in_any_order():
    links = [("a", "a2"), ("b", "b2"), ("a2", "y"), ("b2", "y")]
    cluster_of, held = model.clusters(["a", "a2", "b", "b2", "y"], links, apart=[("a", "b")])
    assert cluster_of["a"] != cluster_of["b"] and held == [("b2", "y")]


@pytest.mark.django_db
def test_a_split_stays_split_when_a_new_record_resembles_both(hub):
    synthetic_identities(people=40, seed=3)
    twin = {**HOME, "source": "school"}
    one = identity_from({**twin, "record_id": "T1", "first_name": "Jayden"})
    two = identity_from({**twin, "record_id": "T2", "first_name": "Jayden", "source": "police"})
    link_all_identities()
    one.refresh_from_db()
    split_identities(actor=hub, person=one.person, identities=[two],
                     reason="Two boys: the school knows both of them")
    third = identity_from({**twin, "record_id": "T3", "first_name": "Jayden", "source": "youth"})
    link_all_identities()
    one.refresh_from_db(), two.refresh_from_db(), third.refresh_from_db()
    assert one.person_id != two.person_id
    assert third.person_id in (one.person_id, two.person_id)
    left_out = two if third.person_id == one.person_id else one
    a, b = sorted((third.pk, left_out.pk))
    assert ReviewPair.objects.filter(identity_a_id=a, identity_b_id=b,
                                     status=ReviewStatus.PENDING).exists()


@pytest.mark.django_db
def test_an_ed_referral_by_first_name_and_postcode_waits_for_review_not_the_unmatched_queue():
    synthetic_identities(people=40, seed=3)
    known = [identity_from({**HOME, "record_id": f"K{n}", "first_name": "Jayden",
                            "source": src}) for n, src in enumerate(("school", "police"))]
    ed = identity_from({"record_id": "ED7", "first_name": "Jayden", "postcode": "BS5 6XY",
                        "sex": "M", "source": "health"})
    link_all_identities()
    ed.refresh_from_db(), known[0].refresh_from_db()
    assert ed.person_id != known[0].person_id
    assert not UnmatchedIdentity.objects.filter(identity=ed).exists()
    pair = ReviewPair.objects.get(identity_a_id__in=[k.pk for k in known], identity_b=ed)
    assert pair.contributions["home"]["label"] == "same postcode, address missing"
    assert Identity.objects.filter(person=known[0].person).count() == 2


def test_a_memory_limit_duckdb_cannot_read_is_a_clear_error():
    with pytest.raises(model.EngineUnavailable, match="memory limit '4 gigs'"):
        model.linker_for([], memory_limit="4 gigs")


def test_the_memory_limit_reaches_duckdb():
    rows = [records.prepare("r1", {"first_name": "Jay", "last_name": "Ode",
                                   "dob": "2011-01-01"}, today=TODAY)]
    linker = model.linker_for(rows, memory_limit="512MB")
    connection = linker._db_api._con
    assert connection.execute("select current_setting('memory_limit')").fetchall() == [
        ("488.2 MiB",)]
