"""What a concern is called in a queue or on an agenda: in the words of the rule that raised it.

A feed rule's concern keeps the rule's own description as its reason ("A child has been
excluded from school and has had contact with the police within 30 days: the Hub triages
them..."); its kind is only the event that tipped the rule, often "Something else". The title
is the rule's first clause, what happened. These words are the partnership's rule text, never
a partner's free text: a referral's or a practitioner's reason is not used in a title, and small
concerns adding up are counted from their stored contributions.
"""

from django.conf import settings

from .models import Concern, ConcernKind, ConcernSource

LONGEST = 160


def first_clause(text: str) -> str:
    clause = text.split(":", 1)[0].strip().rstrip(".")
    return clause if len(clause) <= LONGEST else clause[: LONGEST - 1].rstrip() + "…"


def concern_title(concern: Concern) -> str:
    """The rule's words for a rule's concern, the sum for small concerns, else the kind."""
    if concern.source == ConcernSource.FEED_RULE and concern.reason.strip():
        return first_clause(concern.reason)
    if concern.source == ConcernSource.ACCUMULATION and concern.contributions:
        return accumulated_title(concern.contributions)
    return concern.get_kind_display()


def accumulated_title(contributions) -> str:
    """Counted from the stored contributions, never read from text."""
    total = concern_weight(ConcernKind.ACCUMULATED, contributions)
    # The number is a score, not a count (a missing episode scores 3, a school incident 1):
    # said as points, with the score that prompts a review, so "add up to 65" reads as something.
    return (f"Small concerns adding up: {len(contributions)} smaller concerns score {total} "
            f"points together (a review is prompted at "
            f"{settings.CASES_ACCUMULATION['threshold']} points)")


def concern_weight(kind: str, contributions) -> int:
    """How heavily a concern weighs: the sum it added up to, or its kind's weight."""
    if kind == ConcernKind.ACCUMULATED and contributions:
        return sum(int(part.get("weight", 0)) for part in contributions)
    return int(settings.CASES_ACCUMULATION["weights"].get(kind, 0))
