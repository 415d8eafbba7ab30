"""The real-time matcher scores pairs exactly as Splink's predict does, without SQL."""

import random

import numpy as np
import pytest

from saferoptions.linkage import model, realtime, records, synthetic
from saferoptions.linkage.model import Thresholds

from .factories import TODAY


@pytest.fixture(scope="module")
def trained():
    raw = synthetic.generate(people=250, seed=4, today=TODAY)
    rows = [records.prepare(r["record_id"], r, today=TODAY) for r in raw]
    rows = [r for r in rows if records.why_unlinkable(r) is None]
    linker = model.linker_for(rows)
    splink_model = model.train(linker, u_max_pairs=1e6)
    pairs = model.score(linker, min_probability=0.0)
    person_of = {r["record_id"]: r["true_person_key"] for r in raw}
    matcher = realtime.RealtimeMatcher(
        model.level_weights(splink_model),
        [dict(r, person_id=person_of[r["unique_id"]]) for r in rows], thresholds=Thresholds())
    return raw, rows, pairs, matcher


def test_match_weights_agree_with_splink_predict(trained):
    _, rows, pairs, matcher = trained
    by_id = {r["unique_id"]: r for r in rows}
    position = {uid: i for i, uid in enumerate(matcher.ids)}
    for pair in random.Random(1).sample(pairs, 500):
        gammas = matcher.gammas(by_id[pair.left], np.array([position[pair.right]]))
        assert {name: int(g[0]) for name, g in gammas.items()} == pair.gammas
        assert matcher.match_weights(gammas)[0] == pytest.approx(pair.match_weight, abs=1e-9)


def test_candidates_are_the_pairs_splink_blocks(trained):
    _, rows, pairs, matcher = trained
    blocked: dict[str, set] = {}
    for pair in pairs:
        blocked.setdefault(pair.left, set()).add(pair.right)
        blocked.setdefault(pair.right, set()).add(pair.left)
    for row in random.Random(2).sample(rows, 150):
        found = set(matcher.ids[matcher.candidates(row)]) - {row["unique_id"]}
        assert found == blocked.get(row["unique_id"], set())


def test_an_arriving_record_finds_its_person(trained):
    raw, _, _, matcher = trained
    known = next(r for r in raw if r["nhs_number"] and r["dob"] and r["first_name"])
    arriving = {**known, "identity_id": "new", "first_name": known["first_name"].upper(),
                "postcode": ""}
    best = matcher.match(arriving)[0]
    assert best.person_id == known["true_person_key"]
    assert best.decision == "link" and best.probability > 0.99
    assert best.contributions["nhs_number"]["label"] == "exact"


def test_a_twin_is_only_ever_offered_for_review(trained):
    raw, _, _, matcher = trained
    known = next(r for r in raw if r["dob"] and r["postcode"] and r["address"])
    twin = {**known, "first_name": "Zebedee", "nhs_number": "", "identity_id": "new"}
    assert all(c.decision != "link" for c in matcher.match(twin))


def test_a_record_with_too_little_is_not_matched(trained):
    _, _, _, matcher = trained
    assert matcher.match({"first_name": "Jayden", "sex": "M"}) == []


def test_a_first_name_and_postcode_is_only_ever_offered_for_review(trained):
    raw, _, _, matcher = trained
    known = next(r for r in raw if r["postcode"] and r["first_name"] and not r["address"])
    sparse = {"first_name": known["first_name"], "postcode": known["postcode"],
              "sex": known["sex"], "identity_id": "ED-new"}
    found = matcher.match(sparse)
    assert found, "a child with that first name at that postcode is offered"
    assert {c.decision for c in found} == {"review"}
    assert found[0].person_id == known["true_person_key"]
