"""Forms to correct or withdraw a recorded item: the item as it should read, and why."""

from django import forms

from saferoptions.core.date_input import DateField
from saferoptions.core.models import User

from .forms import AssessmentForm, choice, date_field, text
from .models import MeetingKind, NrmOutcome


def reason_field(doing: str) -> forms.CharField:
    return text(f"Why you are {doing}", max_length=2000, rows=3,
                hint="Kept with the change and shown on the record's history.")


class WithdrawForm(forms.Form):
    reason = text("Why you are withdrawing it", max_length=2000, rows=3,
                  hint="For example: recorded in error, or about the wrong child. It is not "
                       "deleted: it stays on the record, marked withdrawn with your reason.")


class MeetingCorrectionForm(forms.Form):
    kind = choice("Kind of meeting", MeetingKind.choices)
    held_on = date_field("Date of the meeting", future=False)
    discussion = text("What was discussed and decided")
    reason = reason_field("correcting the meeting")


DECISION_CHOICES = [(NrmOutcome.PENDING, "Waiting"), (NrmOutcome.POSITIVE, "Positive"),
                    (NrmOutcome.NEGATIVE, "Negative")]


class NrmCorrectionForm(forms.Form):
    referred_on = date_field("Referral date", future=False)
    reasonable_grounds = choice("Reasonable grounds decision", DECISION_CHOICES)
    reasonable_grounds_on = date_field("Reasonable grounds decision date", required=False,
                                       future=False, hint="Leave empty while it is awaited.")
    conclusive_grounds = choice("Conclusive grounds decision", DECISION_CHOICES)
    conclusive_grounds_on = date_field("Conclusive grounds decision date", required=False,
                                       future=False, hint="Leave empty while it is awaited.")
    reason = reason_field("correcting the referral")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reasonable_grounds", "conclusive_grounds"):
            self.fields[name].required = False  # "Waiting" is the empty choice


class ActionCorrectionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=300,
                                  error_messages={"required": "Describe the action."})
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Choose an owner",
                                   error_messages={"required": "Choose who owns the action.",
                                                   "invalid_choice": "Choose an owner from "
                                                                     "the list."})
    due_on = date_field("Due date")
    reason = reason_field("correcting the action")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in owners])


class ReviewCorrectionForm(forms.Form):
    held_on = date_field("Date of the review", future=False)
    summary = text("What the review found")
    next_review_on = date_field("Next review date", required=False)
    reason = reason_field("correcting the review")


class InterviewCorrectionForm(forms.Form):
    held_at = DateField(label="When the interview was offered or held", with_time=True)
    late_reason = text("Why it was late", required=False, rows=3)
    reason = reason_field("correcting the interview")


class ReopenForm(forms.Form):
    reason = text("Why you are reopening the clock", max_length=2000, rows=3,
                  hint="For example: the interview was recorded on the wrong child. The clock "
                       "runs again from its due time; the reason stays with it.")


class AmendAssessmentForm(AssessmentForm):
    reason = reason_field("amending the assessment")
