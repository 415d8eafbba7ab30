"""The evaluation store: the synthetic city's ground truth, as Parquet files outside the database.

No screen or API reads these files; evaluations and benchmarks do. Contract (see generator.py):
identities.parquet (agency_slug, source_id, true_person_key), groups.parquet (true_group_key,
true_person_key), people.parquet (true_person_key, person_kind, is_exploited, is_exploiter).
"""

from pathlib import Path

import polars as pl

from . import place_risk
from .recording import HOURS
from .records import City


def truth_dir(base: Path, seed: int, children: int) -> Path:
    return Path(base) / f"{seed}-{children}"


def write_truth(city: City, base: Path) -> Path:
    """Write every truth table for `city` under `base/<seed>-<children>/` and return that folder."""
    folder = truth_dir(base, city.seed, city.children)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in truth_frames(city).items():
        frame.write_parquet(folder / f"{name}.parquet")
    return folder


def truth_frames(city: City) -> dict[str, pl.DataFrame]:
    """The truth tables as data frames (also handy in memory for evaluations)."""
    people = city.people
    return {
        "people": _people(city),
        "identities": pl.DataFrame({
            "agency_slug": [i.agency_slug for i in city.identities],
            "source_id": [i.source_id for i in city.identities],
            "true_person_key": [i.person_key for i in city.identities],
            "variations": [",".join(i.variations) for i in city.identities],
        }),
        "groups": pl.DataFrame(
            [(g.key, people[m].key, role) for g in city.groups
             for role, ms in (("member", g.members), ("exploiter", g.exploiters)) for m in ms],
            schema=["true_group_key", "true_person_key", "role"], orient="row",
        ),
        "group_places": pl.DataFrame(
            [(g.key, city.places[p].name, city.places[p].latitude, city.places[p].longitude)
             for g in city.groups for p in g.places],
            schema=["true_group_key", "place_name", "latitude", "longitude"], orient="row",
        ),
        "associations": _associations(city),
        "events": pl.DataFrame({
            "agency_slug": [e.agency_slug for e in city.events],
            "source_reference": [e.source_reference for e in city.events],
            "true_group_key": [city.groups[e.group].key if e.group is not None else None
                               for e in city.events],
        }, schema={"agency_slug": pl.String, "source_reference": pl.String,
                   "true_group_key": pl.String}),
        **place_frames(city),
        "escalation": _escalation(city),
    }


def place_frames(city: City) -> dict[str, pl.DataFrame]:
    """The place-and-time process (place_risk.py): each place's risk, its flares, the true
    expected forecast events per place and local week, and the time-of-week profile."""
    places = city.places
    truth = place_risk.intensity(city)
    grid = truth.expected
    week_rows = [(places[p].name, places[p].latitude, places[p].longitude, week,
                  float(grid[p, w])) for p in truth.places for w, week in enumerate(truth.weeks)]
    profile = place_risk.time_of_week(HOURS["evening"])
    return {
        "place_risk": pl.DataFrame({
            "place_name": [p.name for p in places], "place_type": [p.place_type for p in places],
            "latitude": [p.latitude for p in places], "longitude": [p.longitude for p in places],
            "ward_code": [p.ward_code for p in places], "risk": [p.risk for p in places]}),
        "place_flares": pl.DataFrame(
            [(places[f.place].name, f.first, f.weeks, f.factor) for f in city.flares],
            schema={"place_name": pl.String, "first_day": pl.Date, "weeks": pl.Int64,
                    "factor": pl.Float64}, orient="row"),
        "place_weeks": pl.DataFrame(week_rows, schema={
            "place_name": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
            "week": pl.Date, "expected": pl.Float64}, orient="row"),
        "time_of_week": pl.DataFrame(
            [(d + 1, h, float(profile[d, h])) for d in range(7) for h in range(24)],
            schema={"weekday": pl.Int8, "hour": pl.Int8, "share": pl.Float64}, orient="row"),
    }


def _escalation(city: City) -> pl.DataFrame:
    """Each young person's path: raised risk (before the period) and when drawn into a group.

    An exploited child drawn in during the period looks like a raised-risk child before that
    day and while groomed (visibility.periods); `from_day` is null where it began before the
    period. A hidden child's records never show it (people.parquet's `visibility`).
    """
    rows = []
    for p in city.people:
        if p.kind not in ("child", "young_adult") or p.risk == "low":
            continue
        if p.risk == "exploited":
            before = p.exploited_from and p.exploited_from <= city.start
            rows.append((p.key, "exploited", None if before else p.exploited_from))
            if not before:
                rows.append((p.key, "raised", None))
        else:
            rows.append((p.key, "raised", None))
    return pl.DataFrame(rows, schema={"true_person_key": pl.String, "stage": pl.String,
                                      "from_day": pl.Date}, orient="row")


def _people(city: City) -> pl.DataFrame:
    people = city.people
    return pl.DataFrame({
        "true_person_key": [p.key for p in people],
        "person_kind": [_kind(p.kind) for p in people],
        "is_exploited": [p.is_exploited for p in people],
        "is_exploiter": [p.is_exploiter for p in people],
        "risk": [p.risk for p in people],
        "exploited_from": [p.exploited_from for p in people],
        # how much agencies record of this person (visibility.py): hidden, heavy...
        "visibility": [p.visibility for p in people],
        "recording": [p.recording for p in people],
        "given_name": [p.given_name for p in people],
        "family_name": [p.family_name for p in people],
        "date_of_birth": [p.date_of_birth for p in people],
        "sex": [p.sex for p in people],
        "ethnicity": [p.ethnicity for p in people],
        "nhs_number": [p.nhs_number for p in people],
        "household": [p.household for p in people],
        "ward_code": [p.ward_code for p in people],
        "school_urn": [city.schools[p.school].urn if p.school is not None else None
                       for p in people],
    }, schema_overrides={"exploited_from": pl.Date, "school_urn": pl.String})


def _kind(kind: str) -> str:
    # Parents are in the population as plain adults; people.models.PersonKind has no such kind.
    return "adult" if kind == "adult" else kind


def _associations(city: City) -> pl.DataFrame:
    people = city.people
    rows = []
    for i, p in enumerate(people):
        rows += [(p.key, people[f].key, "friend") for f in p.friends if f > i]
    members: dict[int, list[int]] = {}
    for i, p in enumerate(people):
        members.setdefault(p.household, []).append(i)
    for ms in members.values():
        rows += [(people[a].key, people[b].key, "family") for a in ms for b in ms if a < b]
    for g in city.groups:
        rows += [(people[a].key, people[b].key, "group") for a in g.members for b in g.members
                 if a < b]
        rows += [(people[x].key, people[m].key, "exploits") for x in g.exploiters
                 for m in g.members]
    return pl.DataFrame(rows, schema=["true_person_key", "other_true_person_key", "kind"],
                        orient="row")
