"""Independent counts for the dashboard tests: plain ORM queries and Python, no Polars.

Each function mirrors what a figure is documented to count, written the obvious way, so a
mistake in the dashboards' readers or counting shows up as a difference.
"""

import datetime as dt

from saferoptions.cases.models import Concern, NrmReferral, StatutoryClock
from saferoptions.contexts.models import ContextCase
from saferoptions.core import clock
from saferoptions.dashboards.filters import AGE_BANDS
from saferoptions.events.models import Event
from saferoptions.interventions.models import Referral
from saferoptions.people.models import Identity
from saferoptions.tasks.models import Task, TaskOutcome

SUBJECT_ROLES = ("patient", "missing_person", "subject", "victim", "suspect", "pupil")


def monday(moment) -> dt.date:
    day = clock.local(moment).date()
    return day - dt.timedelta(days=day.weekday())


def age_on(born, day) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def weekly(items, weeks) -> list[int]:
    return [sum(1 for w in items if w == week) for week in weeks]


def concerns_weekly(locality, f) -> list[list[int]]:
    rows = Concern.objects.filter(locality=locality, raised_at__gte=f.start, raised_at__lt=f.end,
                                  withdrawn_at__isnull=True)  # raised in error: never demand
    return [weekly([monday(c.raised_at) for c in rows], f.weeks)]


def decisions(locality, f, outcomes) -> list[list[int]]:
    rows = Concern.objects.filter(locality=locality, decided_at__gte=f.start,
                                  decided_at__lt=f.end, withdrawn_at__isnull=True,
                                  ).exclude(outcome="")
    return [weekly([monday(c.decided_at) for c in rows if c.outcome == o], f.weeks)
            for o in outcomes]


def state(due, met, now) -> str:
    if met is not None:
        return "met_on_time" if met <= due else "met_late"
    return "overdue" if due <= now else "open_not_due"


def _in_work(due, met, f) -> bool:
    return f.start <= due < f.end or (met is None and due >= f.end)


def clock_states(locality, f, kind) -> list[int]:
    rows = [c for c in StatutoryClock.objects.filter(kind=kind, locality=locality)
            if _in_work(c.due_at, c.met_at, f)]
    return _by_state([state(c.due_at, c.met_at, f.end) for c in rows])


def _by_state(states) -> list[int]:
    return [states.count(s) for s in ("met_on_time", "met_late", "overdue", "open_not_due")]


def rapid_response_states(locality, f) -> list[int]:
    states = []
    for t in Task.objects.filter(task_type="hospital_rapid_response").exclude(status="cancelled"):
        where = t.person.locality_id if t.person and t.person.locality_id else t.team.locality_id
        met = t.completed_at if t.status == "done" else None
        in_work = f.start <= t.due_at < f.end or (t.status == "open" and t.due_at >= f.end)
        if where == locality.pk and in_work:
            states.append(state(t.due_at, met, f.end))
    return _by_state(states)


def events(locality, f, test) -> list[Event]:
    """Events in the period and locality (where it happened, else the child's home) passing test."""
    found = []
    rows = Event.objects.filter(occurred_at__gte=f.start, occurred_at__lt=f.end).select_related(
        "place__ward").prefetch_related("involvements__person", "pole_objects")
    for e in rows:
        subject = next((i.person for i in sorted(e.involvements.all(), key=lambda i: i.pk)
                        if i.role in SUBJECT_ROLES), None)
        where = e.place.ward.locality_id if e.place else (subject.locality_id if subject else None)
        if where == locality.pk and test(e, subject):
            found.append((e, subject))
    return found


def is_knife(e, _subject) -> bool:
    return e.category == "knife" or any(o.kind == "knife" for o in e.pole_objects.all())


def is_ed_under_25(e, subject) -> bool:
    if e.event_type != "ed_assault" or subject is None:
        return False
    age = age_on(subject.date_of_birth, clock.local(e.occurred_at).date())
    return age is not None and age < 25


def of_type(event_type):
    return lambda e, _s: e.event_type == event_type


def nrm_counts(locality, f) -> list[int]:
    rows = NrmReferral.objects.filter(person__locality=locality, referred_on__gte=f.start.date(),
                                      referred_on__lte=clock.local(f.end).date())
    return [rows.count(), rows.filter(reasonable_grounds="positive").count(),
            rows.filter(reasonable_grounds="negative").count(),
            rows.filter(reasonable_grounds="").count(),
            rows.filter(conclusive_grounds="positive").count(),
            rows.filter(conclusive_grounds="negative").count()]


def open_cases(locality) -> list[int]:
    counts = {"place": 0, "group": 0, "school": 0}
    for case in ContextCase.objects.exclude(status="closed").select_related(
            "place__ward", "group"):
        where = case.place.ward.locality_id if case.place else case.group.locality_id
        if where == locality.pk:
            counts[case.kind] += 1
    return [counts["place"], counts["group"], counts["school"]]


# --- Safer Options: referrals, outcomes, disproportionality ----------------------------------

def _referral_locality(r):
    return r.person.locality_id if r.person and r.person.locality_id else r.area.locality_id


def referrals_weekly(locality, f) -> list[list[int]]:
    rows = [r for r in Referral.objects.filter(referred_at__gte=f.start, referred_at__lt=f.end)
            if _referral_locality(r) == locality.pk]
    return [weekly([monday(r.referred_at) for r in rows], f.weeks)]


def _in_days(day, f) -> bool:
    return day is not None and f.start.date() <= day <= clock.local(f.end).date()


def outcomes(locality, f) -> list[list[int]]:
    """Started, completed, ended early, exclusions avoided, programme offered but excluded."""
    mine = [r for r in Referral.objects.all() if _referral_locality(r) == locality.pk]
    started = sum(_in_days(r.started_on, f) for r in mine)
    ended = [r for r in mine if _in_days(r.ended_on, f) and r.end_reason]
    completed = sum(r.end_reason == "completed" for r in ended)
    avoided = not_avoided = 0
    for o in TaskOutcome.objects.filter(task_type="risk_assessment", state="current",
                                        happened_at__gte=f.start, happened_at__lt=f.end):
        person = o.task.person
        where = person.locality_id if person and person.locality_id else o.task.team.locality_id
        if where != locality.pk or o.answers.get("programme_instead") != "yes":
            continue
        if o.outcome == "not_excluded":
            avoided += 1
        else:
            not_avoided += 1
    return [[started, completed, len(ended) - completed, avoided, not_avoided]]


def ethnic_group(person) -> str:
    """The broad group of the person's most recently recorded ethnicity ("not" if none)."""
    if person is None:
        return "not"
    recorded = [i for i in Identity.objects.filter(person=person)
                if i.ethnicity != "not_recorded"]
    if not recorded:
        return "not"
    oldest = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)  # an undated record counts as the oldest
    latest = max(recorded, key=lambda i: (i.ethnicity_recorded_at or oldest, i.pk))
    return latest.ethnicity.split("_")[0]


def child_items(locality, f) -> list[tuple]:
    """(measure, person, age) for every counted child's item in the locality and period."""
    items = []
    for c in Concern.objects.filter(locality=locality, raised_at__gte=f.start,
                                    raised_at__lt=f.end, withdrawn_at__isnull=True):
        born = c.person.date_of_birth if c.person else c.subject_date_of_birth
        items.append(("concerns", c.person, age_on(born, clock.local(c.raised_at).date())))
    for c in Concern.objects.filter(locality=locality, decided_at__gte=f.start,
                                    decided_at__lt=f.end, withdrawn_at__isnull=True
                                    ).exclude(outcome=""):
        born = c.person.date_of_birth if c.person else c.subject_date_of_birth
        items.append(("decisions", c.person, age_on(born, clock.local(c.decided_at).date())))
    for r in Referral.objects.all():
        if _referral_locality(r) != locality.pk:
            continue
        born = r.person.date_of_birth
        if f.start <= r.referred_at < f.end:
            items.append(("referrals", r.person, age_on(born, clock.local(r.referred_at).date())))
        if _in_days(r.started_on, f):
            items.append(("interventions", r.person, age_on(born, r.started_on)))
    return [(m, p, a) for m, p, a in items if a is not None and a < 18]


MEASURES = ("concerns", "decisions", "referrals", "interventions")


def by_group(items, group_of, groups) -> list[list[int]]:
    return [[sum(1 for m, p, a in items if m == measure and group_of(p, a) == g)
             for measure in MEASURES] for g in groups]


def band(age) -> str:
    return next(b for b, (lo, hi) in AGE_BANDS.items() if lo <= age <= hi)


# --- Each app's first view, figure by figure (the client and the browser tests) --------------

def first_view(app: str, locality, f) -> dict[str, list[list[int]]]:
    """What each figure of the app's first view must count, by figure key."""
    return {"safer-options": _safer_options, "violence-reduction": _violence_reduction,
            "exploitation": _exploitation}[app](locality, f)


def _safer_options(here, f) -> dict:
    from saferoptions.cases.models import TriageOutcome  # noqa: PLC0415 the choices' values

    return {"concerns": concerns_weekly(here, f),
            "decisions": decisions(here, f, TriageOutcome.values),
            "timescales": [rapid_response_states(here, f),
                           clock_states(here, f, "return_home_interview"),
                           clock_states(here, f, "assessment")]}


def _weekly_events(rows, f) -> list[list[int]]:
    return [weekly([monday(e.occurred_at) for e, _ in rows], f.weeks)]


def _violence_reduction(here, f) -> dict:
    knives, ed = events(here, f, is_knife), events(here, f, is_ed_under_25)
    searches = events(here, f, of_type("stop_search"))
    grid = [[0] * 6 for _ in range(7)]
    for e in {e.pk: e for e, _ in knives + ed}.values():
        local = clock.local(e.occurred_at)
        grid[local.weekday()][local.hour // 4] += 1
    exploitation = Concern.objects.filter(locality=here, raised_at__gte=f.start,
                                          raised_at__lt=f.end,
                                          kind__in=["exploitation", "sexual_exploitation"])
    ed_knives = [(e, s) for e, s in ed if is_knife(e, s)]
    return {"knife": _weekly_events(knives, f), "ed_assaults": _weekly_events(ed, f),
            "ed_knife": _weekly_events(ed_knives, f),
            "stop_search": _weekly_events(searches, f), "time_of_week": grid,
            "needs_assessment": [[len(knives), len(ed), len(searches),
                                  len(events(here, f, of_type("missing_episode"))),
                                  exploitation.count()]]}


def _exploitation(here, f) -> dict:
    missing = events(here, f, of_type("missing_episode"))
    per_child: dict = {}
    for _, s in missing:
        if s is not None:
            per_child[s.pk] = per_child.get(s.pk, 0) + 1
    concerns = Concern.objects.filter(locality=here, raised_at__gte=f.start,
                                      raised_at__lt=f.end)
    indicators = [weekly([monday(c.raised_at) for c in concerns if c.kind == kind], f.weeks)
                  for kind in ("exploitation", "sexual_exploitation")]
    for category in ("exploitation", "sexual_exploitation"):
        found = events(here, f, lambda e, _s, c=category: e.category == c)
        indicators.append(weekly([monday(e.occurred_at) for e, _ in found], f.weeks))
    return {"missing": _weekly_events(missing, f),
            "repeats": [[len(missing), len(per_child),
                         sum(1 for n in per_child.values() if n >= 2)]],
            "return_interviews": [clock_states(here, f, "return_home_interview")],
            "indicators": indicators, "nrm": [nrm_counts(here, f)],
            "under_review": [open_cases(here)]}
