"""`{% shown_person person as shown %}`: a person as the signed-in reader may see them.

Any page that names a child it has opened (a case, a chronology, a caseload) shows the names,
date of birth and sex through this, so they appear only where the access policy grants the
identity category (`people.selectors.shown_people`); otherwise they read as never recorded.
"""

from django import template

from saferoptions.people import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_person(context, person):
    request = context["request"]
    known = request.__dict__.setdefault("_shown_people", {})  # one answer per person a request
    if person.pk not in known:
        known.update(selectors.shown_people(user=request.user, people=[person]))
    return known[person.pk]
