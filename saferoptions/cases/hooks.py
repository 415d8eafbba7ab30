"""What the pathway does when a partner's event arrives: one call for the feeds worker.

The integrator calls `event_arrived(event)` after an event's people are matched (inside the
worker's transaction). Feed rules that decide a concern is needed call
`services.raise_concern(...)` themselves, with `source="feed_rule"` and the event.
"""

from saferoptions.events.models import EventType

from . import services


def event_arrived(event) -> dict:
    """Start return home interview clocks and run the accumulating-concern rule per child."""
    people = {i.person for i in event.involvements.select_related("person") if i.person_id}
    opened, prompts = [], []
    for person in people:
        if event.event_type == EventType.MISSING_EPISODE and event.ended_at is not None:
            found = services.open_return_home_interview(event=event, person=person)
            opened.append(found.pk)
        prompt = services.check_accumulation(person=person)
        if prompt is not None:
            prompts.append(prompt.pk)
    return {"return_home_interviews": opened, "accumulation_prompts": prompts}
