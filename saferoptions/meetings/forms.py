"""Forms for the meeting pages: they parse input; the services hold the rules."""

from django import forms

from saferoptions.access.policy import roles_with
from saferoptions.core.date_input import DateField
from saferoptions.core.models import Team, User

from . import services
from .models import WithdrawnFrom


class DiscussionForm(forms.Form):
    notes = forms.CharField(
        label="Discussion notes", required=False, max_length=services.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What partners shared and said. Do not copy records in full.")
    decision = forms.CharField(
        label="Decision", max_length=services.MAX_DECISION,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the meeting decided."})
    discussed = forms.BooleanField(
        label="Discussed", required=False, initial=True,
        help_text="Leave unticked to carry the item over to the next meeting.")


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", max_length=services.MAX_ACTION,
        error_messages={"required": "Describe the action."})
    team = forms.ModelChoiceField(
        label="Owning team", queryset=Team.objects.select_related("agency"),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team that owns the action.",
                        "invalid_choice": "Choose a team from the list."})
    due_on = DateField(label="Due date", future=True)

    def group_teams(self, groups: list) -> None:
        """Show the teams grouped (selectors.team_choices); any team is still accepted."""
        self.fields["team"].choices = [("", "Choose a team"), *groups]


class WithdrawActionForm(forms.Form):
    reason = forms.CharField(
        label="Why the action is withdrawn", max_length=services.MAX_ACTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the action is withdrawn."})


class InviteForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Invite a practitioner", queryset=User.objects.none(),
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose a practitioner to invite.",
                        "invalid_choice": "Choose a practitioner from the list."})

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True, role__in=roles_with("attend_meetings"))
        if meeting is not None:
            # someone already invited is listed under Attendees, not offered a second time
            # (a withdrawn invitation is not listed as invited: they may be invited again)
            people = people.exclude(pk__in=meeting.attendees.filter(
                withdrawn_at__isnull=True).values("user_id"))
            self.fields["user"].help_text = (
                "People already invited are listed under Attendees and are not offered again; "
                "someone whose invitation was withdrawn may be invited again.")
            self.fields["user"].error_messages["invalid_choice"] = (
                "Choose a practitioner from the list. "
                "People already invited are not offered again.")
        self.fields["user"].queryset = people.select_related("agency").order_by(
            "agency__name", "last_name", "username")
        self.fields["user"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.agency or 'no agency'}, "
                      f"{u.get_role_display()})")


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Who attended", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose attendees from the list."})

    def __init__(self, *args, attendees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(a.pk), f"{a.user.get_full_name() or a.user.username} ({a.agency or 'no agency'})")
            for a in attendees]
        self.initial.setdefault("present", [str(a.pk) for a in attendees if a.attended])


class FindForm(forms.Form):
    q = forms.CharField(label="Name of a child, peer group or place", max_length=100,
                        required=False)


class AddForm(forms.Form):
    kind = forms.ChoiceField(choices=[("child", "Child"), ("group", "Peer group"),
                                      ("place", "Place")])
    ref = forms.CharField(max_length=64)


class CorrectActionForm(ActionForm):
    """The action as it should read, and why: the earlier wording stays on the record."""

    reason = forms.CharField(
        label="Why the action is corrected", max_length=services.MAX_ACTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the wrong team was chosen. The earlier wording stays on the "
                  "record with your reason.",
        error_messages={"required": "Enter why the action is corrected."})


class WithdrawInvitationForm(forms.Form):
    """How far to withdraw an invitation: someone invited for a child on the agenda is
    withdrawn from this meeting only; someone who comes every week, from this one or all."""

    withdrawn_from = forms.ChoiceField(
        label="Withdraw the invitation", widget=forms.RadioSelect,
        choices=WithdrawnFrom.choices,
        error_messages={"required": "Choose whether to withdraw the invitation to this meeting "
                                    "only or from every week.",
                        "invalid_choice": "Choose this meeting only or every week."})

    def __init__(self, *args, attendee=None, **kwargs):
        super().__init__(*args, **kwargs)
        if attendee is not None and not attendee.comes_every_week:
            self.fields["withdrawn_from"].choices = [
                (WithdrawnFrom.MEETING, WithdrawnFrom.MEETING.label)]
            self.fields["withdrawn_from"].initial = WithdrawnFrom.MEETING

    @property
    def every_week(self) -> bool:
        return self.cleaned_data["withdrawn_from"] == WithdrawnFrom.EVERY_WEEK
