"""Programme providers' reports: sessions and outcomes of their own referrals, by API or file.

These feeds are not events. A message arrives, is stored, keyed and checked exactly as any
feed's (same idempotency, quarantine and ledger); the processing job then hands it to the
interventions services (`interventions/services/provider_reports.py`), which hold the same
rules as the provider's pages. A message the rules refuse is quarantined with the field and
the reason, never answered with a server error. The referral is named by its reference (its
random `public_id`, shown to the provider on the referral's page): another provider's
referral and one that does not exist get the same reason.
"""

import dataclasses

from rest_framework import serializers

from saferoptions.interventions.services.common import Refused
from saferoptions.interventions.services.provider_reports import (
    check_outcome,
    check_session,
    report_outcome,
    report_session,
)
from saferoptions.interventions.vocabulary import RATINGS, EndReason

from .dates import day_first
from .models import ProviderReport

REFERENCE_HELP = "The referral's reference, as shown on its page under 'Reference'."


class ReportRefused(Exception):
    """The interventions rules refused the report when it was recorded: `errors` say why."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


@dataclasses.dataclass
class ReportDraft:
    """A valid provider's report, waiting to be recorded by the processing job."""

    feed_type: str
    data: dict

    def apply(self, message) -> None:
        """Record it through the interventions services; a refusal is a `ReportRefused`."""
        try:
            RECORDERS[self.feed_type](message.agency_id, self.data, message.pk)
        except Refused as refused:
            raise ReportRefused([{"field": refused.field, "reason": refused.message}]) from None


class ProviderReportSchema(serializers.Serializer):
    """What every provider's report shares: the key and the referral it is about."""

    idempotency_key = serializers.CharField(max_length=100)
    referral = serializers.UUIDField(help_text=REFERENCE_HELP)

    feed_type = ""
    person_field = ""  # no people: the referral names the child

    def validate(self, attrs):
        # The sending agency, given by `checking.validate`: its referrals only, checked as
        # the message arrives so the sender hears at once (and again when it is recorded).
        agency_id = self.context.get("agency_id")
        if agency_id is not None:
            try:
                self.check_rules(agency_id, attrs)
            except Refused as refused:
                raise serializers.ValidationError({refused.field: refused.message}) from None
        return attrs

    def check_rules(self, agency_id: int, attrs: dict) -> None:
        raise NotImplementedError

    def to_draft(self, data) -> ReportDraft:
        return ReportDraft(self.feed_type, dict(data))


class ProgrammeSessionSchema(ProviderReportSchema):
    """A session the provider held (or offered) with a young person referred to it: whether
    they attended. Only the provider's own referrals that are accepted or started; the same
    `source_reference` again corrects the session."""

    feed_type = ProviderReport.PROGRAMME_SESSION
    source_reference = serializers.CharField(
        max_length=64, help_text="The provider's own reference for the session.")
    held_on = serializers.DateField(help_text="The day of the session; not in the future.")
    attended = serializers.BooleanField(help_text="Whether the young person came.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def check_rules(self, agency_id, attrs):
        check_session(agency_id=agency_id, reference=attrs["referral"],
                      held_on=attrs["held_on"])


class ProgrammeOutcomeSchema(ProviderReportSchema):
    """The end of the work on a referral: why and when it ended, what came of it, and the
    worker's rating (1 Not helpful at all to 5 Really helpful) and words. Completed or
    disengaged only after the work started; the referral then ends, as on the provider's page."""

    feed_type = ProviderReport.PROGRAMME_OUTCOME
    end_reason = serializers.ChoiceField(EndReason.choices)
    ended_on = serializers.DateField(help_text="Not in the future, nor before the start.")
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                    help_text="What came of the work, in the worker's words.")
    worker_rating = serializers.ChoiceField([r for r, _ in RATINGS], required=False,
                                            help_text="How helpful it was, 1 to 5.")
    worker_words = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def check_rules(self, agency_id, attrs):
        check_outcome(agency_id=agency_id, reference=attrs["referral"],
                      end_reason=attrs["end_reason"], ended_on=attrs["ended_on"],
                      worker_rating=attrs.get("worker_rating"),
                      worker_words=attrs.get("worker_words", ""))


def _record_session(agency_id: int, data: dict, message_id: int) -> None:
    report_session(agency_id=agency_id, reference=data["referral"],
                   source_reference=data["source_reference"], held_on=data["held_on"],
                   attended=data["attended"], note=data.get("note", ""), message_id=message_id)


def _record_outcome(agency_id: int, data: dict, message_id: int) -> None:
    report_outcome(agency_id=agency_id, reference=data["referral"],
                   end_reason=data["end_reason"], ended_on=data["ended_on"],
                   outcome=data.get("outcome", ""), worker_rating=data.get("worker_rating"),
                   worker_words=data.get("worker_words", ""), message_id=message_id)


RECORDERS = {ProviderReport.PROGRAMME_SESSION: _record_session,
             ProviderReport.PROGRAMME_OUTCOME: _record_outcome}
REPORT_SCHEMAS: dict[str, type[ProviderReportSchema]] = {
    s.feed_type: s for s in (ProgrammeSessionSchema, ProgrammeOutcomeSchema)}

# The file layout: one row per report, a column per field (dates day first, as UK
# spreadsheets write them; `attended` yes/no).
COLUMNS = {
    ProviderReport.PROGRAMME_SESSION: ["idempotency_key", "referral", "source_reference",
                                       "held_on", "attended", "note"],
    ProviderReport.PROGRAMME_OUTCOME: ["idempotency_key", "referral", "end_reason", "ended_on",
                                       "outcome", "worker_rating", "worker_words"],
}
DATES = {"held_on", "ended_on"}


def row_to_message(row: dict[str, str]) -> dict:
    """A file's row as the message its schema validates (blank cells left out)."""
    values = {k: v.strip() for k, v in row.items() if v is not None and v.strip() != ""}
    return {k: day_first(v, with_time=False) if k in DATES else v for k, v in values.items()}
