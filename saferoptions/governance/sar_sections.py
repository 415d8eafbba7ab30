"""What a subject access export holds beyond identities, events and relationships: the work.

Each `Section` is one kind of record about the person (a model with a key to them), with the
rows that belong to each of its rows (`parts`: a plan's actions and reviews, a task's
outcomes) and its earlier versions where corrections are kept as `cases.Revision`. Every key
from any model to `people.Person` is either read by a section here or named in `NOT_SECTIONS`
with the reason; `tests/governance/test_subject_access_coverage.py` fails for a new one.
"""

import dataclasses

from django.apps import apps
from django.db.models import Q


@dataclasses.dataclass(frozen=True)
class Part:
    """Rows that belong to a section's row (a plan's actions), by their key to it."""

    key: str
    title: str
    model: str  # "app.Model"
    field: str  # the lookup to the section's row: "plan", or "action__item" through a row
    revisions: str = ""  # the `cases.Revision` object type of their earlier versions


@dataclasses.dataclass(frozen=True)
class Section:
    """One kind of record about the person, in the order the DPO reads them."""

    key: str
    title: str
    model: str  # "app.Model"
    people: tuple[str, ...] = ("person",)  # keys to the person (any of them)
    order: str = "pk"
    parts: tuple[Part, ...] = ()
    revisions: str = ""
    about: str = ""  # one line for the review page: what these records are

    def rows(self, person_ids):
        model = apps.get_model(self.model)
        where = Q()
        for lookup in self.people:
            where |= Q(**{f"{lookup}__in": person_ids})
        return model._base_manager.filter(where).order_by(self.order, "pk")


SECTIONS = (
    Section("concerns", "Concerns and referrals", "cases.Concern", order="raised_at",
            revisions="concern",
            about="Worries raised about the child and what the Hub decided."),
    Section("assessments", "Assessments", "cases.Assessment", order="started_at",
            revisions="assessment",
            parts=(Part("drafts", "Unsaved drafts", "cases.AssessmentDraft", "assessment"),),
            about="Single assessments, with every earlier version kept when one was amended."),
    Section("risk_judgements", "Risk levels and needs", "interventions.RiskJudgement",
            order="recorded_at", about="Risk levels and needs recorded for finding support."),
    Section("case_formulations", "Case formulations", "interventions.CaseFormulation",
            order="written_at", about="The clinical psychologist's formulation, each version."),
    Section("plans", "Plans", "cases.Plan", order="created_at", revisions="plan",
            parts=(Part("actions", "Actions", "cases.PlanAction", "plan", "plan_action"),
                   Part("reviews", "Reviews", "cases.PlanReview", "plan", "plan_review")),
            about="Plans for the child, with their actions and reviews."),
    Section("tasks", "Tasks", "tasks.Task", order="created_at",
            parts=(Part("outcomes", "Outcomes", "tasks.TaskOutcome", "task"),),
            about="Work set for a team about the child, and what was done."),
    Section("clocks", "Clocks: missing episodes, return home interviews and others",
            "cases.StatutoryClock", order="started_at", revisions="statutory_clock",
            about="Deadlines the partnership kept for the child, and when each was met."),
    Section("nrm_referrals", "National Referral Mechanism", "cases.NrmReferral",
            order="referred_on", revisions="nrm_referral",
            about="Referrals as a possible victim of trafficking, and the decisions."),
    Section("case_meetings", "Case meetings", "cases.CaseMeeting", order="held_on",
            revisions="case_meeting",
            about="Strategy discussions, conferences and core groups."),
    Section("meeting_items", "Locality meeting items", "meetings.AgendaItem",
            order="created_at",
            parts=(Part("actions", "Actions agreed", "meetings.MeetingAction", "item"),
                   Part("action_corrections", "Corrections to the actions",
                        "meetings.MeetingActionCorrection", "action__item")),
            about="Items about the child at the weekly locality meeting: notes, decision and "
                  "actions."),
    Section("meeting_attendance", "Locality meeting attendance", "cases.MeetingAttendance",
            order="meeting_on", about="Who was recorded present when the child was discussed."),
    Section("team", "Team around the child", "cases.TeamAroundChildMember",
            order="started_on", about="Practitioners working with the child, and why."),
    Section("intelligence", "Intelligence linked to them", "intelligence.IntelligenceLink",
            order="linked_at", about="Intelligence reports linked to the child."),
    Section("intelligence_matches", "Intelligence matched on their details",
            "intelligence.EncodedMatch", order="matched_at",
            about="Reports whose encoded details matched the child's."),
    Section("interventions", "Interventions, places and waiting lists",
            "interventions.Referral", order="referred_at",
            parts=(Part("sessions", "Sessions", "interventions.Session", "referral"),
                   Part("ratings", "Ratings", "interventions.Rating", "referral")),
            about="Referrals to programmes, consent, places and waiting lists."),
    Section("participation", "Participation activities", "interventions.ParticipationChild",
            about="Participation and voice activities the child took part in."),
    Section("groups", "Peer groups", "contexts.GroupMembership", order="start_date",
            about="Peer groups the child is linked to, and which agency recorded it."),
    Section("break_glass", "Emergency (break-glass) access", "access.BreakGlassGrant",
            order="granted_at", about="Each time someone opened the record in an emergency, "
                                      "with their reason and its review."),
    Section("record_linkage", "Record linkage decisions", "linkage.IdentityMatch",
            people=("person", "identity__person"),
            about="Agency records matched to the child, with how sure the match was."),
    Section("linkage_reviews", "Record linkage reviews", "linkage.ReviewPair",
            people=("identity_a__person", "identity_b__person"), order="created_at",
            about="Pairs of records a person decided were, or were not, the same child."),
    Section("merges", "Records merged or split", "linkage.PersonMerge",
            people=("from_person", "to_person"), order="created_at",
            about="Records joined together as one child, or split apart again."),
)

# Keys to a person (or to an agency's record of them) that no section reads, and why. A new
# key must be placed here or in a section: the coverage test fails otherwise.
NOT_SECTIONS = {
    "people.Person.merged_into": "records merged into the person are exported with them",
    "people.Identity.person": "exported as 'identities'",
    "people.Relationship.person": "exported as 'relationships'",
    "people.Relationship.other": "exported as 'relationships'",
    "people.Relationship.identity": "exported as 'relationships'",
    "people.Relationship.other_identity": "exported as 'relationships'",
    "events.Involvement.person": "exported as 'events'",
    "events.Involvement.identity": "exported as 'events'",
    "linkage.UnmatchedIdentity.identity": "a record matched to nobody is not yet anyone's; "
                                          "once matched it is exported under 'identities'",
}
SUBJECT_MODELS = ("people.Person", "people.Identity")


def covered() -> set[str]:
    """Keys to a person read by a section ("app.Model.field")."""
    return {f"{section.model}.{lookup.split('__')[0]}" for section in SECTIONS
            for lookup in section.people}


def keys_to_the_subject() -> set[str]:
    """Every key from any model to a person or to an agency's record of one."""
    return {f"{model._meta.label}.{field.name}"
            for model in apps.get_models(include_auto_created=True)
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None
            and field.related_model._meta.label in SUBJECT_MODELS}


def unexported() -> set[str]:
    """Keys to the subject neither read by a section nor named with a reason."""
    return keys_to_the_subject() - covered() - set(NOT_SECTIONS)
