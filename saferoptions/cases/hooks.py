"""What the pathway does when a partner's event arrives: one call for the feeds worker.

The integrator calls `event_arrived(event)` after an event's people are matched (inside the
worker's transaction). Feed rules that decide a concern is needed call
`services.raise_concern(...)` themselves, with `source="feed_rule"` and the event.
"""

from saferoptions.events.models import EventType, InvolvementRole
from saferoptions.people.ages import adult_then

from . import services


def event_arrived(event) -> dict:
    """Start return home interview clocks and run the accumulating-concern rule per child.

    Only the people the event is about: a parent who reported a child missing is in the
    event too, but the tally is not theirs, and the interview (statutory for children) is the
    missing child's. A child then is a child by their age on the day of the episode (who is
    18 today was still owed the interview at 17), the same rule as the interview's task.
    """
    about = [i for i in event.involvements.select_related("person", "identity")
             if i.person_id and i.role != InvolvementRole.REPORTER]
    went_missing = {i.person for i in about if i.role == InvolvementRole.MISSING_PERSON
                    and not adult_then(event, i)}
    people = {i.person for i in about}
    opened, prompts = [], []
    for person in sorted(people, key=lambda p: p.pk):
        if (event.event_type == EventType.MISSING_EPISODE and event.ended_at is not None
                and person in went_missing):
            found = services.open_return_home_interview(event=event, person=person)
            opened.append(found.pk)
        prompt = services.check_accumulation(person=person)
        if prompt is not None:
            prompts.append(prompt.pk)
    return {"return_home_interviews": opened, "accumulation_prompts": prompts}
