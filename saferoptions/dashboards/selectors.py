"""Rows for the dashboards, read as Polars tables: ids, times, localities, ages; never names.

Each reader narrows by time in SQL (so a big city reads only the period) and returns one row
per concern, event, clock or task, with `locality_id`, `ward_id` (null when no place is
known) and `age` (at the time of the item; null when no date of birth is known), which
`analytics.figures.narrowed` filters on. Nothing is cached: a partner's event counts on the
next request.
"""

import datetime as dt

import polars as pl
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from saferoptions.analytics.figures import in_period, narrowed, with_age, with_week
from saferoptions.cases.models import Concern, NrmReferral, StatutoryClock
from saferoptions.contexts.models import CaseStatus, ContextCase
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.interventions.models import Referral
from saferoptions.people import ethnicity
from saferoptions.tasks.forms import NOT_EXCLUDED
from saferoptions.tasks.models import OutcomeState, Task, TaskOutcome, TaskStatus, TaskType

from .filters import Filters

UTC = pl.Datetime("us", "UTC")
# Who an event is about, for its age and locality: never the reporter or a witness.
SUBJECT_ROLES = ("patient", "missing_person", "subject", "victim", "suspect", "pupil")


def _frame(rows, schema: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def _finish(frame: pl.DataFrame, at: str, filters: Filters) -> pl.DataFrame:
    """Age, week, and the filters (period on `at`, locality, ward, age band)."""
    frame = with_week(with_age(frame, at), at)
    frame = in_period(frame, at, filters.start, filters.end)
    return narrowed(frame, locality_id=_pk(filters.locality), ward_id=_pk(filters.ward),
                    ages=filters.ages)


def _pk(obj):
    return obj.pk if obj is not None else None


CONCERN_SCHEMA = {"id": pl.Int64, "person_id": pl.Int64, "locality_id": pl.Int64,
                  "ward_id": pl.Int64, "kind": pl.Utf8, "outcome": pl.Utf8, "raised_at": UTC,
                  "decided_at": UTC, "date_of_birth": pl.Date, "sex": pl.Utf8,
                  "ethnicity": pl.Utf8}


def concerns(filters: Filters, *, at: str = "raised_at") -> pl.DataFrame:
    """Concerns raised (at="raised_at") or decided (at="decided_at") in the period; a concern
    withdrawn as raised in error (wrong child, duplicate) was never demand, so it is not here.
    Read once per request (kept on `filters.frames`, as dashboards.sources does): the Safer
    Options view's figures asked for them five times, 0.36 s each with the demo's life at
    100,000 children."""
    key = ("concerns", at)
    if key not in filters.frames:
        filters.frames[key] = _concerns(filters, at)
    return filters.frames[key]


def first_concern_raised() -> dt.datetime | None:
    """When the first concern was raised, whatever the filters: before it, a week's 0 means
    nothing was recorded yet, not that no child was worried about (a date, no person)."""
    return Concern.objects.filter(withdrawn_at__isnull=True).aggregate(
        first=Min("raised_at"))["first"]


def _concerns(filters: Filters, at: str) -> pl.DataFrame:
    rows = Concern.objects.filter(**{f"{at}__gte": filters.start, f"{at}__lt": filters.end},
                                  withdrawn_at__isnull=True)
    rows = rows.annotate(
        ward=Coalesce("place__ward_id", "event__place__ward_id"),
        born=Coalesce("person__date_of_birth", "subject_date_of_birth"),
        ethnic_group=ethnicity.latest("person"),
    ).values_list("pk", "person_id", "locality_id", "ward", "kind", "outcome", "raised_at",
                  "decided_at", "born", "person__sex", "ethnic_group")
    return _finish(_frame(rows, CONCERN_SCHEMA), at, filters)


def concerns_per_locality(filters: Filters, kinds) -> dict:
    """How many concerns of `kinds` raised in the period per locality ({locality id: n}; no
    age filter), counted in the database: the rows' rules (`concerns`), for a figure with no
    drill-down."""
    if filters.ages:
        raise ValueError("ages: an age band is counted from the rows (selectors.concerns)")
    rows = Concern.objects.filter(raised_at__gte=filters.start, raised_at__lt=filters.end,
                                  withdrawn_at__isnull=True, kind__in=list(kinds))
    if filters.locality is not None:
        rows = rows.filter(locality_id=filters.locality.pk)
    if filters.ward is not None:
        rows = rows.annotate(ward=Coalesce("place__ward_id", "event__place__ward_id")).filter(
            ward=filters.ward.pk)
    return dict(rows.order_by().values_list("locality_id").annotate(n=Count("pk")))


EVENT_SCHEMA = {"id": pl.Int64, "event_type": pl.Utf8, "category": pl.Utf8,
                "occurred_at": UTC, "place_id": pl.Int64, "place_name": pl.Utf8,
                "ward_id": pl.Int64, "place_locality_id": pl.Int64, "person_id": pl.Int64,
                "date_of_birth": pl.Date, "person_locality_id": pl.Int64, "knife": pl.Boolean,
                "lat": pl.Float64, "lng": pl.Float64}


def events(filters: Filters, types) -> pl.DataFrame:
    """Events of `types` in the period, one row each, with the person they are about."""
    subject = Involvement.objects.filter(event=OuterRef("pk"),
                                         role__in=SUBJECT_ROLES).order_by("pk")
    rows = Event.objects.filter(event_type__in=list(types), occurred_at__gte=filters.start,
                                occurred_at__lt=filters.end).annotate(
        subject_id=Subquery(subject.values("person_id")[:1]),
        born=Coalesce(Subquery(subject.values("person__date_of_birth")[:1]),
                      Subquery(subject.values("identity__date_of_birth")[:1])),
        subject_locality=Subquery(subject.values("person__locality_id")[:1]),
    ).values_list("pk", "event_type", "category", "occurred_at", "place_id", "place__name",
                  "place__ward_id", "place__ward__locality_id", "subject_id", "born",
                  "subject_locality", "knife_among_objects", "place__latitude",
                  "place__longitude")
    frame = _frame(rows, EVENT_SCHEMA)
    # Where it happened decides the locality; with no place known, where the child lives.
    frame = frame.with_columns(
        pl.coalesce("place_locality_id", "person_locality_id").alias("locality_id"))
    return _finish(frame, "occurred_at", filters)


CLOCK_SCHEMA = {"id": pl.Int64, "kind": pl.Utf8, "person_id": pl.Int64,
                "locality_id": pl.Int64, "started_at": UTC, "due_at": UTC, "met_at": UTC,
                "date_of_birth": pl.Date}


def _due_or_open(filters: Filters) -> Q:
    """Due in the period, or still open and not yet due (open work)."""
    return (Q(due_at__gte=filters.start, due_at__lt=filters.end)
            | Q(met_at__isnull=True, due_at__gte=filters.end))


def clocks(filters: Filters, kinds) -> pl.DataFrame:
    """Statutory clocks of `kinds` due in the period or still open."""
    rows = StatutoryClock.objects.filter(_due_or_open(filters), kind__in=list(kinds)).values_list(
        "pk", "kind", "person_id", "locality_id", "started_at", "due_at", "met_at",
        "person__date_of_birth")
    return _open_work(_frame(rows, CLOCK_SCHEMA), filters)


def rapid_responses(filters: Filters) -> pl.DataFrame:
    """Hospital rapid-response tasks due in the period or still open (cancelled ones left out)."""
    rows = Task.objects.filter(
        Q(due_at__gte=filters.start, due_at__lt=filters.end)
        | Q(status=TaskStatus.OPEN, due_at__gte=filters.end),
        task_type=TaskType.HOSPITAL_RAPID_RESPONSE,
    ).exclude(status=TaskStatus.CANCELLED).annotate(
        locality=Coalesce("person__locality_id", "team__locality_id"),
    ).values_list("pk", "task_type", "person_id", "locality", "created_at", "due_at",
                  "completed_at", "person__date_of_birth", "status")
    frame = _frame([(*r[:6], r[6] if r[8] == TaskStatus.DONE else None, r[7]) for r in rows],
                   CLOCK_SCHEMA)
    return _open_work(frame, filters)


def _open_work(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    # Clocks are placed by locality only (a child's clock has no ward): a ward filter
    # narrows to the ward's locality, which the page says.
    frame = with_age(frame, "started_at")
    return narrowed(frame, locality_id=_pk(filters.locality), ages=filters.ages)


NRM_SCHEMA = {"id": pl.Int64, "person_id": pl.Int64, "locality_id": pl.Int64,
              "referred_on": pl.Date, "reasonable_grounds": pl.Utf8,
              "conclusive_grounds": pl.Utf8, "date_of_birth": pl.Date}


def nrm_referrals(filters: Filters) -> pl.DataFrame:
    """NRM referrals made in the period, with their decisions so far."""
    rows = NrmReferral.objects.filter(
        withdrawn_at__isnull=True,  # recorded in error: kept on file, never counted
        referred_on__gte=filters.start.date(), referred_on__lte=_local_day(filters.end),
    ).values_list("pk", "person_id", "person__locality_id", "referred_on",
                  "reasonable_grounds", "conclusive_grounds", "person__date_of_birth")
    frame = with_age(_frame(rows, NRM_SCHEMA), "referred_on")
    return narrowed(frame, locality_id=_pk(filters.locality), ages=filters.ages)


def _local_day(moment: dt.datetime) -> dt.date:
    return clock.local(moment).date()


CASE_SCHEMA = {"id": pl.Int64, "kind": pl.Utf8, "locality_id": pl.Int64, "ward_id": pl.Int64}


def open_context_cases(filters: Filters) -> pl.DataFrame:
    """Groups, places and schools under review now (open context cases), by locality."""
    rows = ContextCase.objects.exclude(status=CaseStatus.CLOSED).annotate(
        ward=Coalesce("place__ward_id", "school__place__ward_id"),
        locality=Coalesce("place__ward__locality_id", "school__place__ward__locality_id",
                          "group__locality_id"),
    ).values_list("pk", "kind", "locality", "ward")
    frame = _frame(rows, CASE_SCHEMA)
    return narrowed(frame, locality_id=_pk(filters.locality), ward_id=_pk(filters.ward))


REFERRAL_SCHEMA = {"id": pl.Int64, "person_id": pl.Int64, "locality_id": pl.Int64,
                   "referred_at": UTC, "started_on": pl.Date, "ended_on": pl.Date,
                   "end_reason": pl.Utf8, "date_of_birth": pl.Date, "sex": pl.Utf8,
                   "ethnicity": pl.Utf8}


def referrals(filters: Filters, *, at: str = "referred_at") -> pl.DataFrame:
    """Referrals to interventions made (at="referred_at"), started ("started_at") or ended
    ("ended_at") in the period; a day is placed at its local noon, so its week is its own."""
    day = {"started_at": "started_on", "ended_at": "ended_on"}.get(at)
    rows = Referral.objects.filter(**(
        {f"{day}__gte": filters.start.date(), f"{day}__lte": _local_day(filters.end)} if day
        else {"referred_at__gte": filters.start, "referred_at__lt": filters.end})).annotate(
        locality=Coalesce("person__locality_id", "area__locality_id"),
        ethnic_group=ethnicity.latest("person"),
    ).values_list("pk", "person_id", "locality", "referred_at", "started_on", "ended_on",
                  "end_reason", "person__date_of_birth", "person__sex", "ethnic_group")
    frame = _frame(rows, REFERRAL_SCHEMA)
    for name, column in (("started_at", "started_on"), ("ended_at", "ended_on")):
        frame = frame.with_columns(pl.col(column).dt.combine(dt.time(12))
                                   .dt.replace_time_zone(clock.LOCAL.key)
                                   .dt.convert_time_zone("UTC").alias(name))
    frame = with_week(with_age(frame, at), at)
    if day is None:
        frame = in_period(frame, at, filters.start, filters.end)
    return narrowed(frame, locality_id=_pk(filters.locality), ages=filters.ages)


RISK_SCHEMA = {"id": pl.Int64, "person_id": pl.Int64, "locality_id": pl.Int64,
               "happened_at": UTC, "outcome": pl.Utf8, "programme_instead": pl.Utf8,
               "date_of_birth": pl.Date}


def risk_assessments(filters: Filters) -> pl.DataFrame:
    """Education Inclusion Managers' risk assessments done in the period (current versions),
    with `avoided`: a programme offered instead of exclusion, and the pupil not excluded."""
    rows = TaskOutcome.objects.filter(
        task_type=TaskType.RISK_ASSESSMENT, state=OutcomeState.CURRENT,
        happened_at__gte=filters.start, happened_at__lt=filters.end,
    ).annotate(locality=Coalesce("task__person__locality_id", "task__team__locality_id")
               ).values_list("pk", "task__person_id", "locality", "happened_at", "outcome",
                             "answers__programme_instead", "task__person__date_of_birth")
    frame = _frame(((*r[:5], str(r[5]) if r[5] is not None else None, r[6]) for r in rows),
                   RISK_SCHEMA)
    frame = with_week(with_age(frame, "happened_at"), "happened_at").with_columns(
        ((pl.col("programme_instead") == "yes") & (pl.col("outcome") == NOT_EXCLUDED))
        .fill_null(False).alias("avoided"))
    return narrowed(frame, locality_id=_pk(filters.locality), ages=filters.ages)
