"""How an event's kind reads: the type, and the category only where it adds something."""

from saferoptions.events.models import Event, kind_words


def test_the_category_is_left_out_where_it_only_repeats_the_type():
    assert Event(event_type="missing_episode", category="missing").kind == "Missing episode"
    assert kind_words("Missing episode", "missing") == "Missing episode"


def test_a_category_that_adds_something_is_kept():
    assert Event(event_type="police_incident", category="violence").kind == \
        "Police incident (Violence)"
    assert Event(event_type="stop_search", category="knife").kind == \
        "Stop and search (Knife or sharp object)"
