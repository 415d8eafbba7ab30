"""The "Intelligence" section of a child's page and of a place's page.

Those pages belong to apps below intelligence, which never import it: their templates load
this library. Each section reads through the same selectors as the intelligence pages (the
access policy decides, the handling code included; the read is audited), so it shows exactly
what /intelligence/people/<reference>/ and /intelligence/places/<pk>/ would.
"""

from django import template

from .. import selectors

register = template.Library()
SHOWN = 5  # the newest few; the rest are on the intelligence page the section links to


@register.inclusion_tag("intelligence/_section.html", takes_context=True)
def child_intelligence(context, person):
    found = selectors.about_person(context["request"].user, person.public_id,
                                   embedded=True)
    items = found[1] if found else []
    return {"items": items[:SHOWN], "more": len(items) - SHOWN, "subject": "child",
            "all_url": ("intelligence:about-person", person.public_id)}


@register.inclusion_tag("intelligence/_section.html", takes_context=True)
def place_intelligence(context, place):
    found = selectors.about_place(context["request"].user, place.pk, embedded=True)
    items, children = (found[1], found[2]) if found else ([], [])
    return {"items": items[:SHOWN], "more": len(items) - SHOWN, "subject": "place",
            "all_url": ("intelligence:about-place", place.pk), "children": children,
            "request": context["request"]}  # the children are named through people_tags


@register.inclusion_tag("intelligence/_events.html", takes_context=True)
def event_intelligence(context, events):
    """Below a page's table of events: the intelligence linked to those events that the viewer
    may read (nothing at all, not even a heading, when there is none)."""
    found = selectors.about_events(context["request"].user, list(events or ()))
    return {"rows": [(e, found[e.pk]) for e in events or () if e.pk in found]}
