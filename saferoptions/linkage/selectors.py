"""Every read for the clerical review: queues, a pair side by side, the threshold read-out.

Agency identity records are personal data: they are read through the access policy with the
`data_quality` purpose (never implied: see `access/rules.py`), field by field as the user's
category grants allow, and each read is audited in its own transaction.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery

from saferoptions.access import policy, rules
from saferoptions.access.categories import IDENTITY_FIELD_CATEGORIES, DataCategory, Purpose
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.numbers import whole_number
from saferoptions.people.models import Identity, Person
from saferoptions.people.names import by_family_name

from .models import ReviewPair, ReviewStatus, UnmatchedIdentity

PURPOSE = Purpose.DATA_QUALITY
# What the side-by-side screen compares, in this order (the school is not a linkage field).
SHOWN_FIELDS = ("source_id", "given_name", "family_name", "date_of_birth", "sex", "postcode",
                "address", "phone", "nhs_number")
# The reviewer's words for each field ("Nhs number" and "Source id" were Django's defaults).
FIELD_LABELS = {"source_id": "Agency's record number", "given_name": "First name",
                "family_name": "Last name", "date_of_birth": "Date of birth", "sex": "Sex",
                "postcode": "Postcode", "address": "Address", "phone": "Phone",
                "nhs_number": "NHS number"}
COMPARISON_LABELS = {"given_name": "First name", "family_name": "Last name",
                     "dob": "Date of birth", "home": "Postcode and address", "phone": "Phone",
                     "nhs_number": "NHS number", "sex": "Sex"}


@dataclass(frozen=True)
class Page:
    """One page of a queue: its rows and how many there are in all."""

    rows: list
    total: int
    page: int
    pages: int


def _paged(queryset, page: int) -> Page:
    # Past the end (a decision emptied the last page) Django's paginator gives the last page.
    found = Paginator(queryset, settings.LINKAGE_REVIEW_PAGE_SIZE).get_page(page)
    return Page(list(found.object_list), found.paginator.count, found.number,
                found.paginator.num_pages)


# --- the policy, for agency records seen for data quality ------------------------------------

def _grants(user) -> rules.Grants | None:
    """Which categories, from which agencies, the user may see for data-quality review."""
    viewer = policy.viewer_of(user)
    if viewer is None or not rules.scopes(viewer, PURPOSE):
        return None
    return rules.grants_for(viewer, PURPOSE, policy.agreements_for(viewer), clock.today())


def visible_identity_ids(user, ids) -> set:
    """Of these identities, the ones whose record the user may see for data-quality review.

    A linked record: as the policy's `restrict` says. A record linked to no one yet is no
    child's record: it is seen when its agency's identity category is granted (own agency,
    or an agreement covering data quality), as for events with no known person.
    """
    ids = list(ids)
    grants = _grants(user)
    if grants is None:
        return set()
    linked = Identity.objects.filter(pk__in=ids)
    seen = set(policy.restrict(user, "view", linked, purpose=PURPOSE).values_list("pk",
                                                                                 flat=True))
    for pk, agency_id in Identity.objects.filter(pk__in=ids, person__isnull=True).values_list(
            "pk", "agency_id"):
        if grants.allows(agency_id, DataCategory.IDENTITY):
            seen.add(pk)
    return seen


@dataclass
class IdentitySide:
    """One agency's record as the reviewer may see it: each field, or that it is not shared."""

    agency: str
    visible: bool
    fields: list = field(default_factory=list)  # (label, value, shown)


def _side(identity: Identity, visible: bool, grants) -> IdentitySide:
    side = IdentitySide(agency=identity.agency.name, visible=visible)
    for name in SHOWN_FIELDS:
        label = FIELD_LABELS[name]
        shown = visible and grants.allows(identity.agency_id, IDENTITY_FIELD_CATEGORIES[name])
        value = getattr(identity, name) if shown else None
        if name == "sex" and shown:
            value = identity.get_sex_display()
        side.fields.append((label, value, shown))
    return side


# --- the review queue -------------------------------------------------------------------------

REVIEW_SORTS = {"oldest": ("Waiting longest first", ("created_at", "pk")),
                "strongest": ("Most likely the same child first", ("-match_probability", "pk")),
                "weakest": ("Least likely the same child first", ("match_probability", "pk"))}


def review_queue(*, user, page: int = 1, agencies: tuple[int, int] | None = None,
                 sort: str = "oldest") -> Page:
    """Pairs waiting for a decision, in the order asked; by agency pair (either way round)."""
    pairs = ReviewPair.objects.filter(status__in=[ReviewStatus.PENDING, ReviewStatus.NOT_SURE])
    if agencies:
        x, y = agencies
        pairs = pairs.filter(Q(identity_a__agency_id=x, identity_b__agency_id=y)
                             | Q(identity_a__agency_id=y, identity_b__agency_id=x))
    pairs = pairs.select_related("identity_a__agency", "identity_b__agency").order_by(
        *REVIEW_SORTS[sort][1])
    with transaction.atomic():
        found = _paged(pairs, page)
        record(actor=user, action="list", object_type="review_pair",
               object_ids=[p.pk for p in found.rows], purpose=PURPOSE,
               detail={"page": found.page, "total": found.total})
    return found


@dataclass
class PairView:
    """A pair side by side: the two records, each comparison's share of the weight, the total."""

    pair: ReviewPair
    sides: list
    contributions: list
    prior_weight: float | None

    @property
    def verdict(self) -> str:
        """The model's overall view in words (the figures are one click away)."""
        p = self.pair.match_probability or 0
        if p >= 0.9:
            return "The details together point strongly to the same child."
        if p >= 0.5:
            return "The details together lean towards the same child, but not enough to link."
        return "The details together lean towards two different children, but not enough to " \
               "rule it out."

    @property
    def rows(self) -> list:
        """Field by field: the label, then (value, shown) for each side."""
        a, b = self.sides
        return [(fa[0], [(fa[1], fa[2]), (fb[1], fb[2])])
                for fa, fb in zip(a.fields, b.fields, strict=True)]


def review_pair(*, user, pk: int) -> PairView | None:
    """One pair as the user may see it; None for a pair that does not exist."""
    pair = ReviewPair.objects.select_related(
        "identity_a__agency", "identity_b__agency", "model", "reviewer").filter(pk=pk).first()
    if pair is None:
        return None
    grants = _grants(user)
    with transaction.atomic():
        seen = visible_identity_ids(user, [pair.identity_a_id, pair.identity_b_id])
        sides = [_side(i, i.pk in seen, grants) for i in (pair.identity_a, pair.identity_b)]
        record(actor=user, action="view", object_type="identity", object_ids=sorted(seen),
               purpose=PURPOSE, detail={"review_pair": pair.pk})
    prior = (pair.model.level_weights or {}).get("prior_match_weight")
    return PairView(pair, sides, _contributions(pair.contributions), prior)


# How strongly a detail points to the same child, in words, from its match weight (log2 of
# its Bayes factor): 3 is eight times likelier for the same child, -1 twice likelier for two.
STRONGLY, SOMEWHAT, NEITHER, AGAINST, RULES_OUT = (
    "Strongly", "Somewhat", "Neither way", "Against", "Rules it out")
PLAIN_TAGS = {STRONGLY: "govuk-tag--green", SOMEWHAT: "govuk-tag--light-blue",
              NEITHER: "govuk-tag--grey", AGAINST: "govuk-tag--orange",
              RULES_OUT: "govuk-tag--red"}


def strength(match_weight, bayes_factor) -> str:
    """A detail's pull towards the same child, in words."""
    if match_weight is None:  # an unbounded factor: a certain agreement or a veto
        return RULES_OUT if bayes_factor == 0 else STRONGLY
    if match_weight >= 3:
        return STRONGLY
    if match_weight >= 0.5:
        return SOMEWHAT
    if match_weight > -0.5:
        return NEITHER
    return AGAINST


def _contributions(stored: dict) -> list[dict]:
    rows = []
    for name, part in stored.items():
        plain = strength(part.get("match_weight"), part.get("bayes_factor"))
        rows.append({"comparison": COMPARISON_LABELS.get(name, name.replace("_", " ")),
                     "level": part.get("label", ""), "bayes_factor": part.get("bayes_factor"),
                     "match_weight": part.get("match_weight"), "gamma": part.get("gamma"),
                     "plain": plain, "tag": PLAIN_TAGS[plain]})
    return rows


# --- the unmatched queue ----------------------------------------------------------------------

UNMATCHED_WAITING = (ReviewStatus.PENDING, ReviewStatus.NOT_SURE)
LIKELY_LIMIT = 10


def _unmatched_rows(*, waiting: bool = True):
    """Records (still waiting, unless asked otherwise), each with its oldest waiting pair."""
    pairs = ReviewPair.objects.filter(
        Q(identity_a=OuterRef("identity_id")) | Q(identity_b=OuterRef("identity_id")),
        status__in=UNMATCHED_WAITING).order_by("created_at", "pk")
    rows = UnmatchedIdentity.objects.annotate(waiting_pair=Subquery(pairs.values("pk")[:1]))
    if waiting:
        rows = rows.filter(decision="", identity__person__isnull=True)
    return rows.select_related("identity__agency")


def unmatched_queue(*, user, page: int = 1, kind: str = "") -> Page:
    """Records a feed or the batch run left without a person, oldest first; one kind if asked."""
    waiting = _unmatched_rows().order_by("created_at", "pk")
    if kind:
        waiting = waiting.filter(kind=kind)
    with transaction.atomic():
        found = _paged(waiting, page)
        record(actor=user, action="list", object_type="unmatched_identity",
               object_ids=[u.pk for u in found.rows], purpose=PURPOSE,
               detail={"page": found.page, "total": found.total, "kind": kind})
    return found


def unmatched_record(*, user, pk: int) -> tuple[UnmatchedIdentity, IdentitySide] | None:
    """One record of the queue as the user may see it (decided too); None if there is none."""
    unmatched = _unmatched_rows(waiting=False).filter(pk=pk).first()
    if unmatched is None:
        return None
    with transaction.atomic():
        seen = visible_identity_ids(user, [unmatched.identity_id])
        side = _side(unmatched.identity, bool(seen), _grants(user))
        record(actor=user, action="view", object_type="identity", object_ids=sorted(seen),
               purpose=PURPOSE, detail={"unmatched_identity": unmatched.pk})
    return unmatched, side


def waiting_entry(*, identity_id: int) -> int | None:
    """The queue entry (its id, no personal data) of a record still waiting, if it is."""
    if whole_number(identity_id) is None:  # past 2**63 - 1 a foreign key overflows SQLite
        return None
    return _unmatched_rows().filter(identity_id=identity_id).values_list("pk", flat=True).first()


def likely_people(*, user, unmatched: UnmatchedIdentity) -> list[Person]:
    """People this record may be, among those the user may change, most likely first.

    First the other side of its waiting review pairs (the model's own suggestion, however
    unsure), then people whose records share its date of birth, its family name, or its given
    name and postcode. Call only when the user may see the record: these are read from it.
    """
    identity = unmatched.identity
    paired = Identity.objects.filter(person__isnull=False, pk__in=_paired_with(identity))
    people = Person.objects.filter(merged_into__isnull=True)
    with transaction.atomic():
        found = list(policy.restrict(user, "change", people.filter(
            pk__in=paired.values("person_id"))).order_by("pk")[:LIKELY_LIMIT])
        clues = _clues(identity)
        if clues and len(found) < LIKELY_LIMIT:
            near = people.filter(reduce(or_, clues)).exclude(pk__in=[p.pk for p in found])
            found += list(policy.restrict(user, "change", near).distinct().order_by(
                *by_family_name())[:LIKELY_LIMIT - len(found)])
        record(actor=user, action="search", object_type="person",
               object_ids=[p.pk for p in found], purpose=PURPOSE,
               detail={"unmatched_identity": unmatched.pk})
    return found


def _paired_with(identity: Identity) -> set:
    pairs = ReviewPair.objects.filter(Q(identity_a=identity) | Q(identity_b=identity),
                                      status__in=UNMATCHED_WAITING)
    return {pk for a, b in pairs.values_list("identity_a_id", "identity_b_id")
            for pk in (a, b)} - {identity.pk}


def _clues(identity: Identity) -> list[Q]:
    """What, in this record, other people's records may share."""
    clues = []
    if identity.date_of_birth:
        clues += [Q(date_of_birth=identity.date_of_birth),
                  Q(identities__date_of_birth=identity.date_of_birth)]
    if identity.family_name:
        clues += [Q(family_name__iexact=identity.family_name),
                  Q(identities__family_name__iexact=identity.family_name)]
    if identity.given_name and identity.postcode:
        clues.append(Q(identities__given_name__iexact=identity.given_name,
                       identities__postcode__iexact=identity.postcode))
    return clues


# --- is the threshold right? (aggregate only) ------------------------------------------------

@dataclass(frozen=True)
class Band:
    """Decided pairs whose probability fell in [low, high), and how many reviewers matched."""

    low: float
    high: float
    matched: int
    not_matched: int
    not_sure: int

    @property
    def decided(self) -> int:
        return self.matched + self.not_matched

    @property
    def match_rate(self) -> float | None:
        return self.matched / self.decided if self.decided else None


def threshold_readout() -> list[Band]:
    """Per probability band, the reviewers' decisions: counts only, no person, no pair."""
    edges = list(getattr(settings, "LINKAGE_TUNING_BANDS",
                         [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0]))
    bands = []
    for i, (low, high) in enumerate(zip(edges, edges[1:], strict=False)):
        last = i == len(edges) - 2
        upper = Q(match_probability__lte=high) if last else Q(match_probability__lt=high)
        counts = dict(ReviewPair.objects.filter(upper, match_probability__gte=low)
                      .values_list("status").annotate(n=Count("pk")))
        bands.append(Band(low, high, counts.get(ReviewStatus.MATCH, 0),
                          counts.get(ReviewStatus.NOT_MATCH, 0),
                          counts.get(ReviewStatus.NOT_SURE, 0)))
    return bands
