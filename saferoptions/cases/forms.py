"""Input to the pathway pages, validated with messages that name the field and the reason."""

from django import forms
from django.conf import settings

from saferoptions.access.policy import roles_with
from saferoptions.contexts.models import Group, Place
from saferoptions.core.date_input import DateField
from saferoptions.core.models import Locality, User
from saferoptions.core.widgets import ManyRecordsField, SearchSelect

from .models import (
    SECTIONS,
    ConcernKind,
    MeetingKind,
    PlanKind,
    PlanStatus,
    TeamRole,
    TriageOutcome,
)
from .selectors.chronology import KINDS

# Who may be added to the team around a child (it gives them the child's records).
PRACTITIONER_ROLES = roles_with("work_with_children")


def date_field(label: str, *, required: bool = True, hint: str = "",
               future: bool = True) -> DateField:
    """The GOV.UK date input; `future=False` where the date is of something already done."""
    return DateField(label=label, required=required, help_text=hint, future=future)


def text(label: str, *, required: bool = True, max_length: int = 4000, rows: int = 5,
         hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=hint, strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label.lower()}.",
                        "max_length": f"{label} must be {max_length} characters or fewer."},
    )


def choice(label: str, choices, *, radios: bool = False) -> forms.ChoiceField:
    widget = forms.RadioSelect if radios else forms.Select
    return forms.ChoiceField(label=label, choices=choices, widget=widget,
                             error_messages={"required": f"Choose the {label.lower()}.",
                                             "invalid_choice": f"Choose a {label.lower()} "
                                                               "from the list."})


def many(label: str) -> forms.ModelMultipleChoiceField:
    """Several choices from a long list: a plain multiple select that search-as-you-type
    (core/autocomplete.js) takes over when scripts run; the server checks every choice."""
    return ManyRecordsField(
        label=label, required=False, queryset=None,
        help_text="Type to search and choose each one that applies. Without search, hold Ctrl "
                  "(Cmd on a Mac) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"data-autocomplete": "multiple", "size": 8}),
        error_messages={"invalid_choice": f"Choose {label[0].lower()}{label[1:]} from the list.",
                        "invalid_pk_value": f"Choose {label[0].lower()}{label[1:]} from the list."})


# The list opens on a request to choose: it opened on 'Missing from home or care', so a
# referrer who never opened it sent every worry to the Hub as a missing child.
CONCERN_KINDS = [("", "Choose the kind of concern"),
                 *ConcernKind.choices[:-2], *ConcernKind.choices[-1:]]


class ReferralForm(forms.Form):
    """A partner's referral about a child (they need not know whether the Hub knows them)."""

    given_name = forms.CharField(label="Child's first name", max_length=100, required=False)
    family_name = forms.CharField(label="Child's last name", max_length=100,
                                  error_messages={"required": "Enter the child's last name."})
    date_of_birth = date_field("Child's date of birth", required=False,
                               hint="If you know it.", future=False)
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.all(), empty_label="Choose a locality",
        error_messages={"required": "Choose the locality where the child lives.",
                        "invalid_choice": "Choose a locality from the list."})
    kind = choice("Kind of concern", CONCERN_KINDS)
    reason = text("What you are worried about", hint="What you saw or heard, when and where.")


class ConcernForm(forms.Form):
    kind = choice("Kind of concern", CONCERN_KINDS)
    reason = text("What you are worried about")


class DecisionForm(forms.Form):
    outcome = choice("Decision", TriageOutcome.choices, radios=True)
    reasons = text("Reasons for the decision")
    group = forms.ModelChoiceField(label="Group", required=False, queryset=None,
                                   empty_label="No group")
    place = forms.ModelChoiceField(label="Place", required=False, queryset=None,
                                   empty_label="No place", widget=SearchSelect(),
                                   help_text="Start typing, then choose from the list.")

    def __init__(self, *args, groups=(), places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(pk__in=[g.pk for g in groups])
        self.fields["place"].queryset = Place.objects.filter(pk__in=[p.pk for p in places])


class CorrectionForm(DecisionForm):
    """The decision as it should have been, and why it is corrected (kept with the change)."""

    reason = text("Why you are correcting the decision", rows=3,
                  hint="For example: the wrong outcome was chosen, or new information came in. "
                       "The decision as it was stays on the concern's history.")


class WithdrawalForm(forms.Form):
    reason = text("Why you are withdrawing the concern", rows=3,
                  hint="For example: raised in error, about the wrong child, or a duplicate of "
                       "another concern.")


class MatchForm(forms.Form):
    reference = forms.UUIDField(
        label="The child's reference", help_text="From the child's record (Find a child).",
        error_messages={"required": "Enter the child's reference.",
                        "invalid": "Enter the reference exactly as shown on the child's record."})


class StartAssessmentForm(forms.Form):
    referral_on = date_field("Referral date", future=False)


HARM_OUTSIDE = "How much of the harm is outside the family"


class AssessmentForm(forms.Form):
    """Every section of the single assessment, with the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    extra_familial_weight = forms.IntegerField(
        label=f"{HARM_OUTSIDE} (0 to 100)", required=False,
        min_value=0, max_value=100,
        help_text="0 means all the harm is within the family; 100 means all of it is outside.",
        # A number, not a slider: a slider always sends a value, even one nobody chose.
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric",
                                        "class": "govuk-input--width-3"}),
        # The message names the field in its label's words, not the team's shorthand.
        error_messages={"min_value": f"{HARM_OUTSIDE} must be between 0 and 100.",
                        "max_value": f"{HARM_OUTSIDE} must be between 0 and 100.",
                        "invalid": f"{HARM_OUTSIDE} must be a whole number from 0 to 100."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading, prompt in SECTIONS:
            self.fields[name] = text(heading, required=False, max_length=20000, hint=prompt)


class SubmitForm(forms.Form):
    late_reason = text("Why the assessment is late", required=False)


class ApprovalForm(forms.Form):
    decision = choice("Decision", [("approve", "Approve"), ("return", "Return with comments")],
                      radios=True)
    comments = text("Comments", required=False)


class PlanForm(forms.Form):
    # No kind is chosen for the worker: a hurried save recorded the first in the list.
    kind = choice("Kind of plan", [("", "Choose the kind of plan"), *PlanKind.choices])
    outcomes = text("What the plan should achieve")
    review_on = date_field("Review date")
    groups = many("Groups that affect the child")
    places = many("Places that affect the child")

    def __init__(self, *args, groups=(), places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(pk__in=[g.pk for g in groups])
        self.fields["places"].queryset = Place.objects.filter(pk__in=[p.pk for p in places])


class PlanEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcomes = text("What the plan should achieve")
    review_on = date_field("Review date")
    status = choice("Status", PlanStatus.choices)


class PlanReviewForm(forms.Form):
    held_on = date_field("Date of the review", future=False)
    summary = text("What the review found")
    next_review_on = date_field("Next review date", required=False)


class ActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=300,
                                  error_messages={"required": "Describe the action."})
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Choose an owner",
                                   error_messages={"required": "Choose who owns the action."})
    due_on = date_field("Due date")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in owners])


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Practitioner", empty_label="Choose a practitioner",
        queryset=User.objects.filter(is_active=True, role__in=PRACTITIONER_ROLES)
        .order_by("last_name", "username"),
        error_messages={"required": "Choose the practitioner to add.",
                        "invalid_choice": "Choose a practitioner from the list."})
    role = choice("Role in the team", TeamRole.choices)
    started_on = date_field("Start date", required=False, hint="Leave empty for today.")
    reason = text("Why they join the team", max_length=2000, rows=3,
                  hint="The lead professional is told, and the reason is kept with the change.")


class TeamEndForm(forms.Form):
    end_reason = text("Why their membership ends", max_length=2000, rows=2)


class MeetingForm(forms.Form):
    kind = choice("Kind of meeting", MeetingKind.choices)
    held_on = date_field("Date of the meeting", future=False)
    discussion = text("What was discussed and decided")


class NrmReferralForm(forms.Form):
    referred_on = date_field("Referral date", future=False)


class NrmDecisionForm(forms.Form):
    stage = choice("Decision", [("reasonable", "Reasonable grounds"),
                                ("conclusive", "Conclusive grounds")])
    outcome = choice("Outcome", [("positive", "Positive"), ("negative", "Negative")])
    decided_on = date_field("Decision date", future=False)


class ReturnInterviewForm(forms.Form):
    held_at = DateField(label="When the interview was offered or held", with_time=True)
    late_reason = text("Why it was late", required=False, rows=3)


class ChronologyFilterForm(forms.Form):
    kinds = forms.MultipleChoiceField(label="Show", required=False,
                                      widget=forms.CheckboxSelectMultiple, choices=())
    agency = forms.CharField(label="Agency", required=False, max_length=120)
    since = date_field("From", required=False)
    until = date_field("To", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(KINDS.items())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The 'to' date must be on or after the 'from' date.")
        return data


AUTOSAVE_DELAY = settings.CASES_AUTOSAVE_DELAY


class AllocationForm(forms.Form):
    """A team manager names a worker of their own team in the team around the child."""

    user = forms.ModelChoiceField(
        label="Worker", queryset=User.objects.none(), empty_label="Choose a worker",
        error_messages={"required": "Choose the worker to allocate the child to.",
                        "invalid_choice": "Choose a worker of your team from the list."})
    role = choice("Role in the team", TeamRole.choices)
    reason = text("Why this worker", max_length=2000, rows=3,
                  hint="The lead professional is told, and the reason is kept with the change.")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = workers
