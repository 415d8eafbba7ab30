"""Every read for the clerical review: queues, a pair side by side, the threshold read-out.

Agency identity records are personal data: they are read through the access policy with the
`data_quality` purpose (never implied: see `access/rules.py`), field by field as the user's
category grants allow, and each read is audited in its own transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from saferoptions.access import policy, rules
from saferoptions.access.categories import IDENTITY_FIELD_CATEGORIES, DataCategory, Purpose
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.people.models import Identity

from .models import ReviewPair, ReviewStatus, UnmatchedIdentity

PURPOSE = Purpose.DATA_QUALITY
# What the side-by-side screen compares, in this order (the school is not a linkage field).
SHOWN_FIELDS = ("source_id", "given_name", "family_name", "date_of_birth", "sex", "postcode",
                "address", "phone", "nhs_number")
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
    size = getattr(settings, "LINKAGE_REVIEW_PAGE_SIZE", 50)
    total = queryset.count()
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    return Page(list(queryset[(page - 1) * size: page * size]), total, page, pages)


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
        label = Identity._meta.get_field(name).verbose_name
        label = label[:1].upper() + label[1:]
        shown = visible and grants.allows(identity.agency_id, IDENTITY_FIELD_CATEGORIES[name])
        value = getattr(identity, name) if shown else None
        if name == "sex" and shown:
            value = identity.get_sex_display()
        side.fields.append((label, value, shown))
    return side


# --- the review queue -------------------------------------------------------------------------

def review_queue(*, user, page: int = 1, agencies: tuple[int, int] | None = None) -> Page:
    """Pairs waiting for a decision, oldest first; by agency pair if asked (either way round)."""
    pairs = ReviewPair.objects.filter(status__in=[ReviewStatus.PENDING, ReviewStatus.NOT_SURE])
    if agencies:
        x, y = agencies
        pairs = pairs.filter(Q(identity_a__agency_id=x, identity_b__agency_id=y)
                             | Q(identity_a__agency_id=y, identity_b__agency_id=x))
    pairs = pairs.select_related("identity_a__agency", "identity_b__agency").order_by(
        "created_at", "pk")
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


def _contributions(stored: dict) -> list[dict]:
    rows = []
    for name, part in stored.items():
        rows.append({"comparison": COMPARISON_LABELS.get(name, name.replace("_", " ")),
                     "level": part.get("label", ""), "bayes_factor": part.get("bayes_factor"),
                     "match_weight": part.get("match_weight"), "gamma": part.get("gamma")})
    return rows


# --- the unmatched queue ----------------------------------------------------------------------

def unmatched_queue(*, user, page: int = 1) -> Page:
    """Records with too little to match that nobody has decided about yet, oldest first."""
    waiting = UnmatchedIdentity.objects.filter(decision="").select_related(
        "identity__agency").order_by("created_at", "pk")
    with transaction.atomic():
        found = _paged(waiting, page)
        record(actor=user, action="list", object_type="unmatched_identity",
               object_ids=[u.pk for u in found.rows], purpose=PURPOSE,
               detail={"page": found.page, "total": found.total})
    return found


def unmatched_record(*, user, pk: int) -> tuple[UnmatchedIdentity, IdentitySide] | None:
    """One unmatched record as the user may see it; None if it does not exist."""
    unmatched = UnmatchedIdentity.objects.select_related("identity__agency").filter(
        pk=pk).first()
    if unmatched is None:
        return None
    with transaction.atomic():
        seen = visible_identity_ids(user, [unmatched.identity_id])
        side = _side(unmatched.identity, bool(seen), _grants(user))
        record(actor=user, action="view", object_type="identity", object_ids=sorted(seen),
               purpose=PURPOSE, detail={"unmatched_identity": unmatched.pk})
    return unmatched, side


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
                         [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0]))
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
