"""Free-text hospital locations resolved to known places, or left for a person to resolve."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.analytics.errors import AnalyticsInputError, UnknownPlaceTypeError
from saferoptions.analytics.placematch import KnownPlace, PlaceMatcher, normalise, unresolved

TYPES = {"transport_hub", "takeaway", "park", "street", "shop", "licensed_premises"}
PLACES = [
    KnownPlace(1, "Bristol Bus Station", ("Marlborough Street bus station",), "transport_hub"),
    KnownPlace(2, "Bus Station Underpass", ("Marlborough St underpass",), "street"),
    KnownPlace(3, "McDonald's, Stokes Croft", (), "takeaway"),
    KnownPlace(4, "Castle Park", (), "park"),
    KnownPlace(5, "Temple Meads Station", ("Temple Meads",), "transport_hub"),
    KnownPlace(6, "St Pauls Park", (), "park"),
    KnownPlace(7, "McDonald's, Broadmead", (), "takeaway"),
    KnownPlace(8, "Cabot Circus", ("Cabot Circus shopping centre",), "shop"),
    KnownPlace(9, "The Coach House", (), "licensed_premises"),
]


@pytest.fixture
def matcher():
    return PlaceMatcher(PLACES, place_types=TYPES, threshold=80)


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("the underpass by the bus station", 2),
        ("Maccies on Stokes Croft", 3),
        ("castel pk", 4),
        ("temple meeds stn", 5),
        ("outside cabbot circus", 8),
        ("nr st pauls park", 6),
        ("cabot circus shoping center", 8),
        ("MARLBOROUGH ST BUS STN", 1),
    ],
)
def test_typos_slang_and_abbreviations_resolve(matcher, text, place_id):
    match = matcher.match(text)
    assert match.resolved, match.reason
    assert match.place_id == place_id


def test_vague_text_is_unresolved_with_candidates(matcher):
    match = matcher.match("somewhere in town")
    assert not match.resolved and match.place_id is None
    assert "below the threshold 80" in match.reason
    assert len(match.candidates) == 3


def test_text_that_fits_two_places_is_left_for_a_person(matcher):
    match = matcher.match("mcdonalds")
    assert not match.resolved
    assert {c.place_id for c in match.candidates[:2]} == {3, 7}
    assert "more than one place" in match.reason


def test_empty_text_is_unresolved(matcher):
    assert matcher.match("   ").reason == "no location given"


def test_unresolved_lists_only_the_doubtful_worst_first(matcher):
    matches = matcher.match_all(["castle park", "mcdonalds", "somewhere in town"])
    assert [m.text for m in unresolved(matches)] == ["somewhere in town", "mcdonalds"]


def test_normalise_expands_abbreviations_and_drops_filler():
    assert normalise("Nr the Castle Pk") == "castle park"
    assert normalise("O/S Temple Meads Stn") == "temple meads station"
    assert normalise("by the") == "by the"


def test_an_unknown_place_type_is_refused():
    bad = [*PLACES, KnownPlace(10, "Sky Garden", (), "spaceport")]
    with pytest.raises(UnknownPlaceTypeError) as caught:
        PlaceMatcher(bad, place_types=TYPES)
    assert caught.value.field == "places[9].place_type"
    assert "'spaceport' is not a known place type" in str(caught.value)


@pytest.mark.parametrize(
    ("places", "kwargs", "field"),
    [
        ([], {}, "places"),
        ([PLACES[0], PLACES[0]], {}, "places[1].place_id"),
        ([KnownPlace(1, " ", (), "park")], {}, "places[0].name"),
        (PLACES, {"threshold": 0}, "threshold"),
        (PLACES, {"margin": -1}, "margin"),
    ],
)
def test_bad_matcher_input_names_the_field(places, kwargs, field):
    with pytest.raises(AnalyticsInputError) as caught:
        PlaceMatcher(places, place_types=TYPES, **kwargs)
    assert caught.value.field == field


LONG_NAMES = [
    "Hartcliffe Community Centre",
    "Southmead Adventure Playground",
    "Lawrence Weston Library",
    "Fishponds Railway Path",
    "Hengrove Leisure Park",
]


@settings(max_examples=100, deadline=None)
@given(which=st.integers(0, len(LONG_NAMES) - 1), data=st.data())
def test_one_mistyped_letter_still_finds_the_place(which, data):
    matcher = PlaceMatcher(
        [KnownPlace(i, n, (), "other") for i, n in enumerate(LONG_NAMES)], place_types={"other"}
    )
    name = LONG_NAMES[which]
    position = data.draw(st.integers(0, len(name) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    typo = name[:position] + letter + name[position + 1 :]
    match = matcher.match(typo)
    assert match.resolved and match.place_id == which


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80))
def test_any_text_gets_an_answer_not_an_error(text):
    match = PlaceMatcher(PLACES, place_types=TYPES).match(text)
    assert match.resolved == (match.place_id is not None)
    assert 0 <= match.score <= 100
