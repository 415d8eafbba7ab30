"""Every change to intelligence: one function each, acting user as keyword, audit row included.

Audit rows carry ids, grades and field names, never what was said or who said it.
"""

import re
import secrets

from django.db import transaction

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.cases.services import check_accumulation
from saferoptions.contexts import services as contexts_services
from saferoptions.contexts.errors import ContextInputError, NotAllowed
from saferoptions.contexts.models import CaseStatus, ContextCase, ContextKind
from saferoptions.contexts.services_places import PlaceDescription, propose_place
from saferoptions.core import clock
from saferoptions.events.models import Event
from saferoptions.people.models import Person

from .models import (
    Addition,
    Channel,
    EntityKind,
    Grading,
    HandlingCode,
    IntelligenceLink,
    IntelligenceReport,
    PoleEntity,
    SanitisedEntity,
    SanitisedIntelligence,
    Status,
)

# Letters and digits that cannot be mistaken for one another when read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXY346789"
ENTITY_FIELDS = ("name", "identifier", "description")
# A person's details for the linkage matcher: never in the version to share.
PERSON_DETAILS = ("date_of_birth", "postcode")
OBJECT_TYPE = "intelligence_report"


class Refused(ValueError):
    """A change that cannot be made as asked; `field` and the message say why (for the form)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _audit(actor, action: str, ids, **detail) -> None:
    record(actor=actor, action=action, object_type=OBJECT_TYPE, object_ids=list(ids),
           detail=detail)


def new_reference() -> str:
    """A reference a reporter can quote to add more (not guessable: 28^8 possibilities)."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"SO-{code[:4]}-{code[4:]}"
        if not IntelligenceReport.objects.filter(reference=reference).exists():
            return reference


def _require(actor, duty: str) -> None:
    if not policy.has_duty(actor, duty):
        raise Refused("", "Only an intelligence analyst in the Hub may do this.")


# --- submissions ------------------------------------------------------------------------------

def _person_details(e) -> dict:
    """Date of birth and postcode, for a person only (a vehicle has neither)."""
    if e["kind"] != EntityKind.PERSON:
        return {"date_of_birth": None, "postcode": ""}
    return {"date_of_birth": e.get("date_of_birth") or None,
            "postcode": (e.get("postcode") or "").strip().upper()}


def _entities(report, entities) -> int:
    made = 0
    for e in entities:
        details = _person_details(e)
        if not (any((e.get(f) or "").strip() for f in ENTITY_FIELDS) or any(details.values())):
            continue  # an empty row on the form
        PoleEntity.objects.create(
            report=report, kind=e["kind"], object_kind=e.get("object_kind", "") or "",
            **{f: (e.get(f) or "").strip() for f in ENTITY_FIELDS}, **details)
        made += 1
    return made


def _check_account(account: str) -> str:
    account = (account or "").strip()
    if not account:
        raise Refused("account", "Say what you saw or heard.")
    return account


def _described(actor, described: PlaceDescription):
    """A place the submitter did not find on the list: a proposed place for the Hub to confirm
    (contexts' own), which does not name who described it (the source is protected)."""
    try:
        return propose_place(actor=actor, described=described, protect_source=True)
    except ContextInputError as error:
        raise Refused(error.field, error.reason[:1].upper() + error.reason[1:] + ".") from error


@transaction.atomic
def submit(*, actor, account: str, place=None, described_place: PlaceDescription | None = None,
           place_not_listed: str = "", when_seen: str = "", entities=(),
           channel: str = Channel.PARTNER) -> IntelligenceReport:
    """A signed-in partner's submission (or their notes from a community meeting). A place
    from the list is `place`; one described as not listed is `described_place`."""
    if channel not in (Channel.PARTNER, Channel.COMMUNITY_MEETING):
        raise Refused("channel", "Choose where this came from.")
    account = _check_account(account)
    if place is None and described_place is not None:
        place = _described(actor, described_place)
    report = IntelligenceReport.objects.create(
        reference=new_reference(), channel=channel, submitted_by=actor,
        submitter_agency_id=actor.agency_id, account=account, place=place,
        place_not_listed=place_not_listed.strip(), when_seen=when_seen.strip())
    count = _entities(report, entities)
    _audit(actor, "intelligence_submitted", [report.pk], channel=channel, entities=count)
    return report


@transaction.atomic
def submit_from_community(*, account: str, where: str = "", when_seen: str = "",
                          contact: str = "") -> IntelligenceReport:
    """A member of the public's report from the open page: no account, contact optional."""
    report = IntelligenceReport.objects.create(
        reference=new_reference(), channel=Channel.COMMUNITY, account=_check_account(account),
        place_not_listed=where.strip(), when_seen=when_seen.strip(),
        reporter_contact=contact.strip())
    _audit(None, "intelligence_submitted", [report.pk], channel=Channel.COMMUNITY, entities=0)
    return report


@transaction.atomic
def add_more(*, reference: str, text: str) -> IntelligenceReport:
    """More information under a reference; an unknown reference starts a new report.

    The answer is the same either way, so the page never tells whether a reference exists.
    """
    text = _check_account(text)
    report = IntelligenceReport.objects.filter(reference=reference.strip().upper()).first()
    if report is None:
        report = IntelligenceReport.objects.create(
            reference=new_reference(), channel=Channel.COMMUNITY,
            account=f"(Added under reference {reference.strip()[:20]!r}, which we could not "
                    f"find.)\n\n{text}")
        _audit(None, "intelligence_submitted", [report.pk], channel=Channel.COMMUNITY,
               entities=0, unknown_reference=True)
        return report
    addition = Addition.objects.create(report=report, text=text)
    _audit(None, "intelligence_added_to", [report.pk, addition.pk])
    return report


# --- grading ----------------------------------------------------------------------------------

def _is_loosening(previous: Grading | None, code: str, agencies: set) -> bool:
    """Whether the new handling lets the item go further than before."""
    if previous is None or previous.handling_code == HandlingCode.P:
        return False
    if code == HandlingCode.P:
        return True
    return bool(agencies - {a.pk for a in previous.shared_with.all()})


def _check_grading(code, conditions, agencies, source_risk) -> None:
    if code == HandlingCode.C and not conditions.strip():
        raise Refused("handling_conditions", "Handling code C needs its conditions.")
    if code == HandlingCode.C and not agencies:
        raise Refused("shared_with", "Handling code C needs the agencies it may go to.")
    if not source_risk.strip():
        raise Refused("source_risk", "Assess the risk to the source if they were identified.")


@transaction.atomic
def grade(*, actor, report: IntelligenceReport, source_evaluation: str,
          intelligence_assessment: str, handling_code: str, source_risk: str,
          handling_conditions: str = "", shared_with=(), loosening_reason: str = "") -> Grading:
    """A new version of the 3x5x2 grading; loosening the handling needs a reason for the DPO."""
    _require(actor, "grade_intelligence")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    agencies = list(shared_with) if handling_code == HandlingCode.C else []
    _check_grading(handling_code, handling_conditions, agencies, source_risk)
    previous = report.gradings.order_by("-version").first()
    loosening = _is_loosening(previous, handling_code, {a.pk for a in agencies})
    if loosening and len(loosening_reason.strip()) < 10:
        raise Refused("loosening_reason", "Say why this may now go further (at least 10 "
                      "characters): the data protection officer sees it.")
    grading = Grading.objects.create(
        report=report, version=(previous.version + 1) if previous else 1,
        source_evaluation=source_evaluation, intelligence_assessment=intelligence_assessment,
        handling_code=handling_code, handling_conditions=handling_conditions.strip(),
        source_risk=source_risk.strip(), graded_by=actor, is_loosening=loosening,
        loosening_reason=loosening_reason.strip() if loosening else "")
    grading.shared_with.set(agencies)
    _copy_current(report, grading, agencies, actor)
    _audit(actor, "intelligence_graded", [report.pk, grading.pk], version=grading.version,
           grade=report.grade, loosening=loosening)
    _recheck_people(report)
    return grading


def _copy_current(report, grading, agencies, actor) -> None:
    report.source_evaluation = grading.source_evaluation
    report.intelligence_assessment = grading.intelligence_assessment
    report.handling_code = grading.handling_code
    report.grading_agency_id = actor.agency_id
    if report.status == Status.RECEIVED:
        report.status, report.status_changed_at = Status.BEING_LOOKED_AT, clock.now()
    report.save()
    report.shared_with.set(agencies)


def _recheck_people(report) -> None:
    """A linked child's accumulating concern may have changed with the grade."""
    for link in report.links.live().filter(person__isnull=False).select_related("person"):
        check_accumulation(person=link.person)


# --- the sanitised version --------------------------------------------------------------------

def _removed_values(report, keep_place: bool, keep_when: bool, kept: dict) -> list[str]:
    """Every value of the original that the sanitised version must not carry."""
    values = [report.reporter_contact, report.place_not_listed]
    if report.submitted_by is not None:
        u = report.submitted_by
        values += [u.get_full_name(), u.first_name, u.last_name, u.username, u.email]
    if report.submitter_agency is not None:
        values.append(report.submitter_agency.name)
    if not keep_place and report.place is not None:
        values.append(report.place.name)
    if not keep_when:
        values.append(report.when_seen)
    for entity in report.entities.all():
        values += [getattr(entity, f) for f in ENTITY_FIELDS if f not in kept.get(entity.pk, ())]
        values += _person_detail_values(entity)
    return [v.strip() for v in values if v and len(v.strip()) >= 3]


def _person_detail_values(entity) -> list[str]:
    """A person's postcode and date of birth as people write them: never shared."""
    values = [entity.postcode, entity.postcode.replace(" ", "")]
    born = entity.date_of_birth
    if born is not None:
        values += [born.isoformat(), f"{born:%d/%m/%Y}", f"{born.day}/{born.month}/{born.year}",
                   f"{born.day} {born:%B %Y}", f"{born.day} {born:%b %Y}"]
    return values


def _mentions(text: str, value: str) -> bool:
    """Whether `value` appears in `text` as whole words, whatever the case."""
    pattern = r"(?<!\w)" + re.escape(value.casefold()) + r"(?!\w)"
    if re.search(pattern, text.casefold()):
        return True
    # A phone number or registration written with other spacing is still the same number.
    digits = re.sub(r"\D", "", value)
    runs = (re.sub(r"\D", "", run) for run in re.findall(r"\d[\d\s-]*", text))
    return len(digits) >= 6 and any(digits in run for run in runs)


@transaction.atomic
def write_sanitised(*, actor, report: IntelligenceReport, summary: str, keep_place: bool,
                    keep_when: bool, kept: dict) -> SanitisedIntelligence:
    """The version for wider sharing: only the kept fields; refused if it repeats a removed one.

    `kept` maps a POLE entity's id to the names of its fields to keep (ENTITY_FIELDS); an
    entity not in it is left out altogether. Who raised it is never kept.
    """
    _require(actor, "grade_intelligence")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    if not report.handling_code:
        raise Refused("summary", "Grade the intelligence before writing the version to share.")
    summary = (summary or "").strip()
    if not summary:
        raise Refused("summary", "Write the summary to share.")
    removed = _removed_values(report, keep_place, keep_when, kept)
    if any(_mentions(summary, value) for value in removed):
        raise Refused("summary", "The summary repeats something you chose not to share (or "
                      "who raised it): take it out, or keep that field.")
    sanitised, _ = SanitisedIntelligence.objects.update_or_create(original=report, defaults={
        "summary": summary, "place": report.place if keep_place else None,
        "when_seen": report.when_seen if keep_when else "", "written_by": actor,
        "written_at": clock.now()})
    sanitised.entities.all().delete()
    for entity in report.entities.filter(pk__in=list(kept)):
        fields = {f: getattr(entity, f) if f in kept[entity.pk] else "" for f in ENTITY_FIELDS}
        SanitisedEntity.objects.create(sanitised=sanitised, kind=entity.kind,
                                       object_kind=entity.object_kind, **fields)
    _audit(actor, "intelligence_sanitised", [report.pk, sanitised.pk], keep_place=keep_place,
           keep_when=keep_when, kept={str(k): sorted(v) for k, v in kept.items()})
    return sanitised


# --- links, status ----------------------------------------------------------------------------

@transaction.atomic
def link(*, actor, report: IntelligenceReport, person=None, place=None,
         group=None, event=None) -> IntelligenceLink:
    """Tie a graded report to a person, place, group or partner event the analyst may see
    (an event it corroborates, e.g. a police incident)."""
    _require(actor, "grade_intelligence")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    if not report.handling_code:
        raise Refused("subject", "Grade the intelligence before linking it.")
    if [person, place, group, event].count(None) != 3:
        raise Refused("subject", "Choose one person, place, group or event.")
    if person is not None and not policy.restrict(
            actor, "view", Person.objects.filter(pk=person.pk)).exists():
        raise Refused("person", "No child or young person with that reference that you may see.")
    if event is not None and not policy.restrict(
            actor, "view", Event.objects.filter(pk=event.pk)).exists():
        raise Refused("event", "No event with that reference that you may see.")
    subject = {"person": person, "place": place, "group": group, "event": event}
    if report.links.live().filter(**{k: v for k, v in subject.items() if v is not None}).exists():
        raise Refused("subject", "It is already linked to that.")
    made = IntelligenceLink.objects.create(report=report, linked_by=actor, **subject)
    kind = next(k for k, v in subject.items() if v is not None)
    _audit(actor, "intelligence_linked", [report.pk, made.pk], subject=kind)
    if person is not None:
        check_accumulation(person=person)
    return made


@transaction.atomic
def unlink(*, actor, report: IntelligenceReport, link_id, reason: str) -> IntelligenceLink:
    """Undo a link made in error, with the reason: kept on file (who, when, why), never
    deleted, and no longer ties the report to its subject (pages, concern, agendas)."""
    _require(actor, "grade_intelligence")
    made = (IntelligenceLink.objects.select_for_update(of=("self",)).select_related("person")
            .filter(report=report, pk=link_id).first())
    if made is None:
        raise Refused("link", "Choose a link of this report to unlink.")
    if made.unlinked_at is not None:
        raise Refused("link", "That link was already unlinked.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Refused("reason", "Say why the link was made in error (at least 10 characters).")
    made.unlinked_at, made.unlinked_by, made.unlink_reason = clock.now(), actor, reason
    made.save(update_fields=["unlinked_at", "unlinked_by", "unlink_reason"])
    kind = next(k for k in ("person", "place", "group", "event") if getattr(made, f"{k}_id"))
    _audit(actor, "intelligence_unlinked", [report.pk, made.pk], subject=kind)
    if made.person is not None:
        check_accumulation(person=made.person)
    return made


@transaction.atomic
def set_status(*, actor, report: IntelligenceReport, status: str,
               message: str = "") -> IntelligenceReport:
    """What the person who raised it is told: the status, and any message the Hub writes."""
    _require(actor, "grade_intelligence")
    if status not in Status.values:
        raise Refused("status", "Choose a status.")
    report.status, report.status_changed_at = status, clock.now()
    report.message_to_referrer = (message or "").strip()
    report.save(update_fields=["status", "status_changed_at", "message_to_referrer"])
    _audit(actor, "intelligence_status", [report.pk], status=status,
           message=bool(report.message_to_referrer))
    return report


# --- places: a place review, and a described place the Hub found it knew ---------------------

@transaction.atomic
def open_place_review(*, actor, report: IntelligenceReport, place) -> ContextCase:
    """The Hub opens a place review (a place case: contexts' own referral, assessment and plan)
    for a place this graded intelligence is linked to. The case's referral reason is written
    from the grade alone: case viewers read the intelligence only as its handling code allows,
    on the place's own page."""
    _require(actor, "grade_intelligence")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    if not report.handling_code or not report.links.live().filter(place=place).exists():
        raise Refused("place", "Link the graded intelligence to the place first.")
    if ContextCase.objects.filter(place=place).exclude(status=CaseStatus.CLOSED).exists():
        raise Refused("place", f"{place.name} already has an open place review.")
    try:
        case = contexts_services.refer(
            actor=actor, kind=ContextKind.PLACE, place=place,
            reason=f"Intelligence graded {report.grade} was linked to this place by the Hub. "
                   "What may be shared is in the intelligence about the place.")
    except (ContextInputError, NotAllowed) as error:
        raise Refused("place", "The place review could not be opened.") from error
    _audit(actor, "intelligence_place_review", [report.pk, case.pk], place=place.pk)
    return case


def follow_merged_place(*, actor, proposed, place) -> None:
    """A place described as not listed turned out to be one the Hub knows (contexts' merge
    calls this in its transaction): the reports and versions to share on it move with it.
    Links are only ever made to known places, so none points at a described one."""
    reports = list(IntelligenceReport.objects.filter(place=proposed).values_list("pk", flat=True))
    if not reports:
        return
    IntelligenceReport.objects.filter(pk__in=reports).update(place=place)
    SanitisedIntelligence.objects.filter(place=proposed).update(place=place)
    _audit(actor, "intelligence_place_merged", reports, place=place.pk, proposed=proposed.pk)
