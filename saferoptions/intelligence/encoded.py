"""A partner's worry about a person, matched without revealing who it is about.

The partner types a name, date of birth and postcode (or pastes the line the partner-side
`saferoptions encode-report` printed); the raw values are encoded in memory with the
partnership's key and never stored or logged. The encoding is compared with the person index
(the linked identities, encoded in memory per process, never stored per person). The partner
always gets the same answer; a match raises an alert in the Hub's intelligence queue.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django_q.tasks import async_task

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.linkage import bloom
from saferoptions.people.models import Identity, Person
from saferoptions.people.selectors import shown_people

from .encoded_models import EncodedCheck, EncodedMatch, EncodedWorry
from .models import Channel, IntelligenceReport
from .services import Refused, _audit, new_reference

ALERT_TEXT = ("A partner's encoded report of a worry matched a person on record. The partner "
              "gave no details to the Hub and was not told of the match. Who it matched is on "
              "the encoded matches page, shown as far as you may see the person.")
_index: dict = {}


def encoder() -> bloom.Encoder:
    return bloom.Encoder(settings.SAFEROPTIONS_PPRL_KEY.encode())


def may_report(user) -> bool:
    """Non-traditional partners (businesses, community organisations, licensing, housing)."""
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind in settings.INTELLIGENCE_PPRL_AGENCY_KINDS


def _signature() -> tuple:
    linked = Identity.objects.filter(person__isnull=False)
    return linked.count(), linked.order_by("-pk").values_list("pk", flat=True).first()


def person_index() -> bloom.Index:
    """The index of everyone on record, rebuilt when identities change or it grows old."""
    signature = _signature()
    age = time.monotonic() - _index.get("built", float("-inf"))
    if _index.get("signature") != signature or age > settings.INTELLIGENCE_PPRL_INDEX_SECONDS:
        rows = Identity.objects.filter(person__isnull=False).values_list(
            "person_id", "given_name", "family_name", "date_of_birth", "postcode")
        _index.update(signature=signature, built=time.monotonic(), index=bloom.Index(
            encoder(), ((pk, bloom.Person(g, f, d, p)) for pk, g, f, d, p in rows.iterator())))
    return _index["index"]


def _encode(person: bloom.Person | None, encoded: str) -> tuple[bytes, frozenset]:
    try:
        if encoded.strip():
            return bloom.from_text(encoded)
        shape = bloom.check_report(person or bloom.Person())
        return encoder().encode(person, shape), shape
    except bloom.EncodingError as error:
        raise Refused(error.field, error.message) from None


def _keep(actor, encoding: bytes, shape: frozenset) -> list[int]:
    """Keep the encoding for the configured window (none by default); drop older ones."""
    days = settings.INTELLIGENCE_PPRL_KEEP_DAYS
    EncodedWorry.objects.filter(received_at__lt=clock.now() - timedelta(days=days)).delete()
    if days <= 0:
        return []
    kept = EncodedWorry.objects.create(encoding=encoding, fields=" ".join(sorted(shape)),
                                       agency_id=actor.agency_id)
    return [kept.pk]


def _alert(actor, person_id: int, score: float, shape: frozenset) -> EncodedMatch:
    person = Person.objects.get(pk=person_id)
    while person.merged_into_id:  # a merge after the index was built: the survivor
        person = person.merged_into
    report = IntelligenceReport.objects.create(
        reference=new_reference(), channel=Channel.PARTNER, submitter_agency_id=actor.agency_id,
        account=ALERT_TEXT)
    match = EncodedMatch.objects.create(report=report, person=person, score=round(score, 4),
                                        fields=" ".join(sorted(shape)), reported_by=actor)
    _audit(None, "encoded_worry_matched", [report.pk, match.pk], person=person.pk)
    return match


CHECK_JOB = "saferoptions.intelligence.encoded.check_worry"


def _to_check(actor, encoding: bytes, shape: frozenset) -> EncodedCheck:
    """The row the job reads the encoding from; checks left over from jobs that never
    succeeded are deleted once past their window."""
    hours = settings.INTELLIGENCE_PPRL_CHECK_HOURS
    EncodedCheck.objects.filter(received_at__lt=clock.now() - timedelta(hours=hours)).delete()
    return EncodedCheck.objects.create(encoding=encoding, fields=" ".join(sorted(shape)),
                                       reported_by=actor)


@transaction.atomic
def report_worry(*, actor, person: bloom.Person | None = None, encoded: str = "") -> None:
    """Encode a partner's worry and hand it to the worker to check. Returns nothing: the
    partner's answer must not depend on the outcome, nor may the time it takes. So the
    request does the same work whatever the outcome (encode, keep, audit, enqueue) and the
    match and any alert happen in the django-q2 job (inline under tests' sync mode). The job
    is enqueued in this transaction (the ORM broker), so it runs only if the report is kept.
    Its only argument is the id of the row holding the encoding (`EncodedCheck`), never the
    encoding: django-q2 keeps a failed job with its arguments, and a successful one's are
    not kept (Q_CLUSTER save_limit -1)."""
    if not may_report(actor):
        raise Refused("", "Your organisation does not report worries this way.")
    encoding, shape = _encode(person, encoded)
    kept = _keep(actor, encoding, shape)
    _audit(actor, "encoded_worry_received", kept, fields=" ".join(sorted(shape)))
    check = _to_check(actor, encoding, shape)
    async_task(CHECK_JOB, check.pk, task_name="encoded-worry")


@transaction.atomic
def check_worry(check_id: int) -> bool:
    """The worker's half: compare the encoding with the person index; alert the Hub on a
    match; delete the encoding with the check. Whether it matched is the job's result (not
    kept) and the Hub's queue, nothing the partner can see. A job that fails leaves the row
    for django-q2's retry (this transaction is rolled back); one already checked, or deleted
    past its window, is nothing to check."""
    # Only the check's own row is locked: PostgreSQL refuses to lock the nullable side of
    # the join to who reported it.
    check = (EncodedCheck.objects.select_for_update(of=("self",))
             .select_related("reported_by__agency")
             .filter(pk=check_id).first())
    if check is None:
        return False
    shape = frozenset(check.fields.split())
    found = person_index().match(bytes(check.encoding), shape)
    if found is not None:
        _alert(check.reported_by, found[0], found[1], shape)
    check.delete()
    return found is not None


# --- the Hub's view of the alerts -------------------------------------------------------------

@transaction.atomic
def matches_for_hub(user, *, page=None):
    """The alerts, newest first, each person only as far as the analyst may see them."""
    rows = EncodedMatch.objects.filter(report__in=policy.restrict(
        user, "list", IntelligenceReport.objects.all())).select_related(
        "report", "reported_by__agency", "person")
    found = Paginator(rows, settings.INTELLIGENCE_PAGE_SIZE).get_page(page)
    seen = shown_people(user=user, people=policy.restrict(user, "view", Person.objects.filter(
        pk__in=[m.person_id for m in found])))  # names only where the policy grants identity
    for match in found:
        match.shown = seen.get(match.person_id) or policy.mask()
    _audit(user, "encoded_match_list", [m.pk for m in found])
    return found
