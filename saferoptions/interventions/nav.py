"""The interventions pages in the header and on the home page, and find support for the pages
of lower apps (a triage decision), all registered in apps.py."""

from django.urls import reverse

from saferoptions.access.policy import roles_with
from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry

NAV_ENTRIES = [
    NavEntry("Interventions", "interventions:catalogue",
             "The programmes partners can refer to, who each is for, and places this month.",
             header=False),
    NavEntry("Referrals to your team", "interventions:provider",
             "Children referred to your team's programmes: accept, record sessions and outcomes.",
             duty=WORK_WITH_CHILDREN, header=False),
    NavEntry("Referrals without consent", "interventions:consent-overrides",
             "Every referral made without consent, with its reason.",
             duty="review_consent_overrides", header=False),
    NavEntry("Workforce register", "interventions:register",
             "Who is trained in what, until when; group and place work is staffed from it.",
             frozenset(roles_with("manage_workforce")) | frozenset(roles_with("schedule_outreach")),
             header=False),
    NavEntry("Outreach sessions", "interventions:outreach",
             "Detached youth work and late-night outreach: where, when, who, what was seen.",
             duty="schedule_outreach", header=False),
    NavEntry("Participation activities", "interventions:participation",
             "Peer influencers, \"It takes a village\" meetings, practice reviews and research "
             "with young people: who took part and in their words.",
             duty="schedule_outreach", header=False),
]


def find_support_url(person) -> str:
    """Find support for one child (cases offers it where the viewer may open the child)."""
    return reverse("interventions:find-support", args=[person.public_id])
