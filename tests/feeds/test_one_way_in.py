"""One way in for matching: a feed hands each new record to linkage, which decides who it is;
a new person is made only by the people service, which places them in a locality."""

import ast
import datetime as dt
from pathlib import Path

import pytest

import saferoptions.feeds
from saferoptions.core.models import Locality
from saferoptions.linkage import intake
from saferoptions.people import services as people_services
from saferoptions.people.models import Person
from tests.feeds.factories import ago, young_person
from tests.linkage.conftest import linkage_model
from tests.tasks.factories import send

pytestmark = pytest.mark.django_db
FEEDS = Path(saferoptions.feeds.__file__).parent


@pytest.fixture
def calls(monkeypatch):
    """Each call of linkage's entry point and of the people service, with what it answered."""
    seen = {"take": [], "create_person": []}
    take, create_person = intake.take, people_services.create_person

    def spy_take(identity):
        outcome = take(identity)
        seen["take"].append(outcome)
        return outcome

    def spy_create(**kwargs):
        person = create_person(**kwargs)
        seen["create_person"].append(person)
        return person

    monkeypatch.setattr(intake, "take", spy_take)
    # Looked up where it is called: linkage's resolution imports it by name.
    monkeypatch.setattr("saferoptions.linkage.resolution.create_person", spy_create)
    return seen


def test_a_feed_record_like_nobody_becomes_a_person_made_by_the_people_service(monkeypatch,
                                                                              calls):
    linkage_model()
    monkeypatch.setattr("saferoptions.linkage.matching.match_identity", lambda identity: [])
    child = young_person(source_id="ONE-WAY-1", given_name="Remi", family_name="Okoro",
                         postcode="BS5 6XY")
    send("missing_episode", occurred_at=ago(hours=30), returned_at=ago(hours=2), person=child)

    person = Person.objects.get(identities__source_id="ONE-WAY-1")
    assert [o.kind for o in calls["take"]] == [intake.NEW_PERSON]
    assert calls["take"][0].person == person
    assert calls["create_person"] == [person]
    assert person.locality == Locality.objects.get(slug="east-central")


def test_a_feed_record_that_is_someone_known_joins_them_without_a_new_person(calls):
    known = Person.objects.create(given_name="Ava", family_name="Jones",
                                  date_of_birth=dt.date(2011, 1, 2))
    # No model trained yet: the same names and date of birth are exact evidence.
    child = young_person(source_id="ONE-WAY-2", given_name="Ava", family_name="Jones",
                         date_of_birth="2011-01-02")
    send("missing_episode", occurred_at=ago(hours=30), returned_at=ago(hours=2), person=child)

    assert [(o.kind, o.person) for o in calls["take"]] == [(intake.JOIN, known)]
    assert calls["create_person"] == []
    assert Person.objects.get(identities__source_id="ONE-WAY-2") == known


def _calls_and_imports(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Name):
            names.add(node.id)
    return names


def test_the_feeds_package_never_makes_or_matches_a_person_itself():
    """Feeds reach people only through `linkage.intake.take` (and linkage's resolution)."""
    for path in FEEDS.rglob("*.py"):
        used = _calls_and_imports(ast.parse(path.read_text(), str(path)))
        assert not {"create_person", "create_people", "Person", "match_identity",
                    "exact_match"} & used, path
        assert not any(n.startswith("saferoptions.people.services") for n in used), path
    mapping = _calls_and_imports(ast.parse((FEEDS / "mapping.py").read_text()))
    assert "take" in mapping
