"""The Safer Options app: demand (concerns, referrals, triage decisions), open work and
timescales, intervention capacity and waits, outcomes, and disproportionality."""

import polars as pl

from saferoptions.analytics.figures import (
    LATE,
    ON_TIME,
    OPEN,
    OVERDUE,
    narrowed,
    sla_state,
    with_age,
)
from saferoptions.cases.models import ClockKind, TriageOutcome
from saferoptions.core import clock
from saferoptions.interventions.models import CapacityMonth, ProgrammeArea, Referral
from saferoptions.interventions.vocabulary import EndReason, ReferralStatus

from . import disproportionality, selectors
from .build import by_locality, by_ward, counted, keyed, week_label, weekly_by_locality
from .figures import Figure, Shown
from .filters import Filters

SLA_COLUMNS = [(ON_TIME, "Met on time"), (LATE, "Met late"), (OVERDUE, "Not met, overdue"),
               (OPEN, "Open, not yet due")]
SLA_ROWS = [("rapid_response", "Hospital rapid responses (24 hours)"),
            ("return_home_interview", "Return home interviews (72 hours)"),
            ("assessment", "Single assessments (45 working days)")]


def figures(filters: Filters) -> list[Figure]:
    return [build() for build in builders(filters).values()]


def builders(filters: Filters) -> dict:
    """Each figure's builder by key, in the page's order: a CSV, XLSX or drill-down builds
    only its own figure."""
    return {"concerns": lambda: concerns(filters),
            "concerns_by_ward": lambda: concerns_by_ward(filters),
            "referrals": lambda: referrals(filters), "decisions": lambda: decisions(filters),
            "timescales": lambda: timescales(filters), "capacity": lambda: capacity(filters),
            "outcomes": lambda: outcomes(filters), **disproportionality.builders(filters)}


def concerns(filters: Filters) -> Figure:
    return weekly_by_locality(
        "concerns", "Concerns raised", "Concerns reaching the Hub's triage queues, by the "
        "locality whose queue they wait in and the week they were raised.",
        selectors.concerns(filters), filters,
        note="A concern with no locality yet is not in any row." + _recorded_from(filters))


def _recorded_from(filters: Filters) -> str:
    """Said when concerns began to be recorded inside the period: a reader of weeks of 0 and
    then hundreds would otherwise see a surge (seen on the tour as the strategic lead)."""
    first = selectors.first_concern_raised()
    if first is None or first <= filters.start:
        return ""
    day = clock.local(first).date()
    return (f" Concerns are recorded here from {day.day} {day:%B %Y}: a week before that shows "
            "0 because nothing was recorded yet, not because there was no concern.")


def concerns_by_ward(filters: Filters) -> Figure:
    """Concerns raised in the period per ward (of the concern's place), for the map."""
    return by_ward("concerns_by_ward", "Concerns raised, by ward (map)",
                   "Concerns raised in the period with a known place, by the ward of the place.",
                   selectors.concerns(filters).with_columns(pl.lit("concerns").alias("col")),
                   filters, [("concerns", "Concerns raised")],
                   note="A concern with no place is not on the map.")


def referrals(filters: Filters) -> Figure:
    return weekly_by_locality(
        "referrals", "Referrals to interventions", "Referrals to intervention programmes, by "
        "the child's locality (or the programme area's, where the child has none) and the "
        "week referred.", selectors.referrals(filters), filters,
        note="Clocks, tasks and referrals are counted by locality only: a ward filter narrows "
        "them to the ward's locality.")


OUTCOME_COLUMNS = [("started", "Interventions started"), ("completed", "Ended, completed"),
                   ("ended_early", "Ended early (disengaged, moved, withdrawn)"),
                   ("avoided", "Exclusions avoided"),
                   ("not_avoided", "Programme offered, pupil still excluded or moved")]


def outcomes(filters: Filters) -> Figure:
    """Interventions started and ended, and exclusions avoided, per locality in the period."""
    started = selectors.referrals(filters, at="started_at").with_columns(
        pl.lit("started").alias("col"))
    ended = selectors.referrals(filters, at="ended_at").filter(
        pl.col("end_reason") != "").with_columns(
        pl.when(pl.col("end_reason") == EndReason.COMPLETED).then(pl.lit("completed"))
        .otherwise(pl.lit("ended_early")).alias("col"))
    assessed = selectors.risk_assessments(filters).filter(
        pl.col("programme_instead") == "yes").with_columns(
        pl.when(pl.col("avoided")).then(pl.lit("avoided")).otherwise(pl.lit("not_avoided"))
        .alias("col"))
    frame = pl.concat([p.select("locality_id", "person_id", "col")
                       for p in (started, ended, assessed)])
    return by_locality(
        "outcomes", "Outcomes: interventions and exclusions avoided",
        "Interventions started and ended in the period, and the Education Inclusion "
        "Managers' risk assessments where a preventative programme was offered instead of "
        "exclusion: the pupil not excluded (an exclusion avoided), or excluded or moved all "
        "the same.", frame, filters, OUTCOME_COLUMNS, row_totals=False,
        note="Ended early: disengaged, moved away or withdrawn. Risk assessments are placed "
        "by the pupil's locality, else the school team's.")


def decisions(filters: Filters) -> Figure:
    frame = keyed(selectors.concerns(filters, at="decided_at").filter(pl.col("outcome") != ""),
                  "outcome", "week")
    row_keys = [value for value, _ in TriageOutcome.choices]
    column_keys = [str(w) for w in filters.weeks]
    return Figure(key="decisions", title="Triage decisions",
                  description="The Hub's decisions on concerns, by outcome and the week decided.",
                  row_heading="Decision", rows=[label for _, label in TriageOutcome.choices],
                  columns=[week_label(w) for w in filters.weeks],
                  counts=counted(frame, row_keys, column_keys), row_keys=row_keys,
                  column_keys=column_keys, frame=frame, chart="columns")


def timescales(filters: Filters) -> Figure:
    """Open work and timescales: due in the period (met on time, late, not met) or still open."""
    parts = [
        selectors.rapid_responses(filters).with_columns(pl.lit("rapid_response").alias("row")),
        selectors.clocks(filters, [ClockKind.RETURN_HOME_INTERVIEW]).with_columns(
            pl.lit("return_home_interview").alias("row")),
        selectors.clocks(filters, [ClockKind.ASSESSMENT]).with_columns(
            pl.lit("assessment").alias("row")),
    ]
    frame = sla_state(pl.concat(parts, how="vertical_relaxed"), due="due_at", met="met_at",
                      now=filters.end).with_columns(pl.col("state").alias("col"))
    figure = Figure(
        key="timescales", title="Open work and timescales",
        description="Work due in the period, and whether it was done in time; and open work "
        "not yet due.", row_heading="Work", rows=[label for _, label in SLA_ROWS],
        columns=[label for _, label in SLA_COLUMNS],
        counts=counted(frame, [k for k, _ in SLA_ROWS], [k for k, _ in SLA_COLUMNS]),
        row_keys=[k for k, _ in SLA_ROWS], column_keys=[k for k, _ in SLA_COLUMNS],
        frame=frame, chart="rows", row_totals=False,
        note="Clocks and tasks are counted by locality only: a ward filter narrows them to "
        "the ward's locality.")
    figure.derived_columns = lambda shown: [("Met on time (of those due)", compliance(shown))]
    return figure


def compliance(shown: Shown) -> list[str]:
    """On-time share of the work due, from the counts as shown (rounded for a reader of
    aggregates), only where none of them is suppressed."""
    rates = []
    for on_time, late, overdue, _ in shown.cells:
        due = (on_time, late, overdue)
        if not all(isinstance(v, int) for v in due) or sum(due) == 0:
            rates.append("not shown" if sum(isinstance(v, int) for v in due) < 3 else "none due")
        else:
            rates.append(f"{round(100 * on_time / sum(due))}%")
    return rates


def capacity(filters: Filters) -> Figure:
    """This month's places and waiting lists per programme and area (no child is named)."""
    month = clock.today().replace(day=1)
    months = _this_month(month)
    if filters.locality is not None:
        months = [m for m in months if m.area.locality_id in (None, filters.locality.pk)]
    waiting = _waiting(filters)
    rows = [f"{m.area.programme.name} – {m.area.locality or 'whole city'}" for m in months]
    counts = [[m.taken, waiting.get(m.area_id, 0)] for m in months]
    figure = Figure(key="capacity", title="Intervention capacity and waiting lists",
                    description=f"Places this month ({month:%B %Y}), places taken, and children "
                    "waiting, per programme and area.", row_heading="Programme and area",
                    rows=rows, columns=["Places taken", "Children waiting"],
                    counts=counts or [[0, 0]], chart="rows", row_totals=False,
                    row_keys=[str(m.area_id) for m in months] or ["none"],
                    column_keys=["taken", "waiting"],
                    note="Waiting lists are as they stand now; an age band narrows who is "
                    "counted as waiting, not the places taken.")
    if not months:
        figure.rows = ["No programme has places this month"]
    figure.plain_columns = [("Places this month", [m.places for m in months] or ["-"])]
    figure.derived_columns = lambda shown: [("Full", _full(shown, months))]
    return figure


def _this_month(month) -> list:
    """Every area's places this month: its month's row once a place has been taken, else the
    area's monthly places with none taken (the row is made with the first referral), as find
    support counts them. Without this, a month with no referral yet read "no places"."""
    kept = {m.area_id: m for m in CapacityMonth.objects.filter(month=month)}
    areas = ProgrammeArea.objects.filter(monthly_places__gt=0).select_related(
        "programme", "locality").order_by("programme__name", "pk")
    months = []
    for area in areas:
        row = kept.get(area.pk) or CapacityMonth(month=month, places=area.monthly_places)
        row.area = area
        months.append(row)
    return months


def _waiting(filters: Filters) -> dict:
    rows = Referral.objects.filter(status=ReferralStatus.WAITING).values_list(
        "area_id", "person__date_of_birth", "referred_at")
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "area_id": pl.Int64, "date_of_birth": pl.Date, "at": pl.Datetime("us", "UTC")})
    if filters.ages is not None:
        frame = narrowed(with_age(frame, "at"), ages=filters.ages)
    return dict(frame.group_by("area_id").agg(pl.len()).iter_rows())


def _full(shown: Shown, months) -> list[str]:
    # "Full" would reveal a suppressed count of places taken: said only when it is shown (a
    # rounded count of 5 or more: this month's places, no nested period to subtract).
    return [("yes" if m.free == 0 else "no") if isinstance(shown.cells[i][0], int) else "not shown"
            for i, m in enumerate(months)] or ["-"]
