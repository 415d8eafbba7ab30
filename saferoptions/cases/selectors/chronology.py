"""One timeline of everything the viewer may see about a child, across agencies."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.events.models import Event
from saferoptions.people.models import Person

from ..models import Assessment, CaseMeeting, NrmReferral, Plan, PlanReview
from .child import ChildCase, find_child

KINDS = {
    "event": "Partner events", "concern": "Concerns", "decision": "Hub decisions",
    "assessment": "Assessments", "plan": "Plans and reviews", "meeting": "Meetings",
    "nrm": "National Referral Mechanism",
}


@dataclass(frozen=True)
class Entry:
    """One line of the chronology: when, what kind, what happened, which agency said so."""

    at: dt.datetime | dt.date
    kind: str
    title: str
    detail: str
    agency: str
    link: str = ""
    withdrawn: str = ""  # why a withdrawn record was withdrawn: it stays, marked

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return self.at
        return dt.datetime.combine(self.at, dt.time(12), tzinfo=dt.UTC)


def _agency(user) -> str:
    return user.agency.name if user and user.agency_id else "Not recorded"


def _events(child: ChildCase):
    rows = policy.record_rows(child.decision, Event.objects.all())
    for e in rows.select_related("reporting_agency", "place"):
        where = e.place.name if e.place else e.location_description
        yield Entry(e.occurred_at, "event", e.kind, where or "", e.reporting_agency.name)


def _sibling_events(child: ChildCase):
    for e in child.sibling_events:
        where = e.place.name if e.place else e.location_description
        yield Entry(e.occurred_at, "event", f"{e.kind}: a sibling", where or "",
                    e.reporting_agency.name)


def _concerns(child: ChildCase):
    rows = child.concerns().select_related("referrer_agency", "decided_by__agency")
    for c in rows:
        agency = c.referrer_agency.name if c.referrer_agency else "Safer Options rules"
        yield Entry(c.raised_at, "concern", f"Concern: {c.get_kind_display()}", c.reason, agency)
        if c.outcome:
            yield Entry(c.decided_at, "decision", f"Hub decision: {c.get_outcome_display()}",
                        c.outcome_reasons, _agency(c.decided_by))


def _assessments(child: ChildCase):
    rows = policy.record_rows(child.decision, Assessment.objects.all())
    for a in rows.select_related("worker__agency"):
        link = reverse("cases:assessment", args=[a.pk])
        yield Entry(a.started_at, "assessment", "Single assessment started",
                    f"Due {a.due_on:%d %b %Y}", _agency(a.worker), link)
        if a.submitted_at:
            yield Entry(a.submitted_at, "assessment", "Single assessment submitted",
                        a.late_reason, _agency(a.worker), link)
        if a.approved_at:
            yield Entry(a.approved_at, "assessment", "Single assessment approved",
                        a.recommendation, _agency(a.approved_by), link)


def _plans(child: ChildCase):
    plans = policy.record_rows(child.decision, Plan.objects.all())
    for p in plans.select_related("worker__agency"):
        yield Entry(p.created_at, "plan", f"{p.get_kind_display()} started", p.outcomes,
                    _agency(p.worker), reverse("cases:plan", args=[p.pk]))
    for r in PlanReview.objects.filter(plan__in=plans.values("pk")).select_related(
            "plan", "recorded_by__agency"):
        yield Entry(r.held_on, "plan", f"{r.plan.get_kind_display()} reviewed", r.summary,
                    _agency(r.recorded_by), withdrawn=r.withdrawn_reason)


def _meetings(person):
    for m in CaseMeeting.objects.filter(person=person).select_related("recorded_by__agency"):
        yield Entry(m.held_on, "meeting", m.get_kind_display(), m.discussion,
                    _agency(m.recorded_by), withdrawn=m.withdrawn_reason)


def _referrals(child: ChildCase):
    rows = policy.record_rows(child.decision, NrmReferral.objects.all())
    for r in rows.select_related("recorded_by__agency"):
        agency, why = _agency(r.recorded_by), r.withdrawn_reason
        yield Entry(r.referred_on, "nrm", "NRM referral made", "", agency, withdrawn=why)
        for stage in ("reasonable", "conclusive"):
            on = getattr(r, f"{stage}_grounds_on")
            if on:
                outcome = getattr(r, f"get_{stage}_grounds_display")()
                yield Entry(on, "nrm", f"NRM {stage} grounds decision", outcome, agency,
                            withdrawn=why)


def entries_for(child: ChildCase) -> list[Entry]:
    """Everything, newest first; every source is the policy-restricted one for this child."""
    person = child.person
    found = [*_events(child), *_sibling_events(child), *_concerns(child),
             *_assessments(child), *_plans(child), *_meetings(person), *_referrals(child)]
    return sorted(found, key=lambda e: e.sort_key, reverse=True)


def _matches(entry: Entry, kinds, agency, since, until) -> bool:
    day = entry.sort_key.date()
    return ((not kinds or entry.kind in kinds) and (not agency or entry.agency == agency)
            and (since is None or day >= since) and (until is None or day <= until))


def chronology(*, user, public_id, kinds=(), agency="", since=None, until=None):
    """(child, entries, agencies) filtered as asked; None for the common 404."""
    with transaction.atomic():
        person = Person.objects.filter(public_id=public_id, merged_into__isnull=True).first()
        child = find_child(user, person)
        if child is None:
            record(actor=user, action="deny", object_type="chronology", outcome="denied",
                   detail={"reference": str(public_id)})
            return None
        every = entries_for(child)
        shown = [e for e in every if _matches(e, set(kinds), agency, since, until)]
        shown = shown[: settings.CASES_CHRONOLOGY_PAGE_SIZE]
        record(actor=user, action="view", object_type="chronology",
               object_ids=[child.person.pk], purpose=child.decision.purpose,
               detail={"entries": len(shown), "withheld": len(child.withheld)})
    return child, shown, sorted({e.agency for e in every})
