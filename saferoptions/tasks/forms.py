"""What each kind of task asks the person doing it, with errors that use each label's words.

Every outcome form gives the service three things: the outcome (one of the type's
`OUTCOMES`), when the work happened, and its answers as JSON-safe values
(`TaskOutcomeForm.answers`). The choices are the partners' words; "none" choices cannot be
ticked with others.
"""

import datetime as dt

from django import forms

from saferoptions.core.models import User
from saferoptions.interventions.models import Programme
from saferoptions.interventions.selectors import programmes_for_a_child
from saferoptions.interventions.vocabulary import RiskLevel

from .fields import DateField, when
from .models import TaskType

YES_NO = [("yes", "Yes"), ("no", "No")]


def radios(label: str, choices, *, required: bool = True, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, required=required,
        help_text=hint,
        error_messages={"required": f"{label}: choose an answer",
                        "invalid_choice": f"{label}: choose an answer from the list"})


def several(label: str, choices, *, required: bool = False,
            hint: str = "Choose all that apply.") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=required,
        help_text=hint,
        error_messages={"required": f"{label}: choose at least one",
                        "invalid_choice": f"{label}: choose from the list"})


def text(label: str, *, required: bool = True, max_length: int = 4000,
         hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, strip=True, help_text=hint,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length} characters or fewer"})


class TaskOutcomeForm(forms.Form):
    """The questions every type shares: how it ended; subclasses add their own."""

    OUTCOMES: list = []
    happened_field = "happened_on"
    # The question after which the form offers find support for the task's child (in a new
    # tab, so nothing typed is lost); "" where a programme is not one of the answers.
    find_support_after = ""

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["outcome"] = radios("Outcome", self.OUTCOMES)
        self.order_fields(self.field_order or [])

    def _exclusive(self, name: str, none: str, words: str) -> None:
        """A "none" answer cannot be ticked with the others."""
        chosen = self.cleaned_data.get(name) or []
        if none in chosen and len(chosen) > 1:
            self.add_error(name, f"{self.fields[name].label}: choose '{words}' or the others, "
                                 "not both")

    def answers(self) -> dict:
        """Every answer but the outcome, as JSON-safe values (dates as ISO text)."""
        return {name: _plain(value) for name, value in self.cleaned_data.items()
                if name != "outcome"}

    def happened_at(self) -> dt.datetime:
        return when(self.cleaned_data[self.happened_field])


def _plain(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Programme):
        return {"id": value.pk, "name": value.name}
    return value


class GeneralOutcomeForm(TaskOutcomeForm):
    """Any task without its own form: what was done, when, and how it ended."""

    OUTCOMES = [("done", "Done"), ("no_further_action", "No further action needed"),
                ("passed_on", "Passed to another team")]
    field_order = ["what_was_done", "happened_on", "outcome"]

    what_was_done = text("What was done")
    happened_on = DateField(label="Date it was done")


class MeetingActionForm(GeneralOutcomeForm):
    """An action the locality meeting agreed: what was done about it."""

    OUTCOMES = [("done", "Done"), ("partly_done", "Partly done"),
                ("not_done", "Could not be done")]


class HospitalRapidResponseForm(TaskOutcomeForm):
    """Barnardo's rapid response: reaching the young person, what they were offered and took."""

    OUTCOMES = [("engaged", "Engaged with support"), ("declined", "Declined support"),
                ("not_reached", "Could not be contacted"), ("referred_on", "Referred on")]
    field_order = ["contact_attempted_at", "contact_made", "contact_made_at", "contact_how",
                   "support_offered", "support_accepted", "consent", "referred_to",
                   "referral_details", "what_was_done", "outcome"]
    happened_field = "contact_attempted_at"
    find_support_after = "referred_to"

    contact_attempted_at = DateField(label="When contact was first attempted", with_time=True)
    contact_made = radios("Was contact made", YES_NO)
    contact_made_at = DateField(label="When contact was made", with_time=True, required=False,
                                help_text="If contact was made. For example, 27 3 2026 and 23 40")
    contact_how = radios("How contact was made or attempted", [
        ("in_person", "In person at the hospital"), ("phone", "By phone"),
        ("video", "By video call"), ("text", "By text message"),
        ("parent", "Through a parent or carer"), ("other", "Another way")])
    support_offered = several("Support offered", [
        ("mentoring", "Mentoring"), ("youth_work", "Youth work"),
        ("emotional", "Emotional support or counselling"),
        ("education", "Help with education, training or work"),
        ("family", "Support for the family"), ("safety_plan", "Safety planning"),
        ("none", "No support offered")], required=True)
    support_accepted = radios("Was the support accepted", [
        ("yes", "Yes"), ("some", "Some of it"), ("no", "No")])
    consent = radios("Consent to work with the young person", [
        ("young_person", "The young person agreed"), ("parent", "A parent or carer agreed"),
        ("refused", "Consent was refused"), ("not_asked", "Not asked yet")])
    referred_to = several("Referred on to", [
        ("none", "No referral onward"), ("hub", "The Safer Options Hub"),
        ("social_care", "Children's social care"),
        ("camhs", "Children's mental health services (CAMHS)"),
        ("youth_justice", "Youth justice service"), ("programme", "A programme in the catalogue"),
        ("police", "Police"), ("other", "Another service")], required=True)
    referral_details = text("Details of the referral onward", required=False)
    what_was_done = text("What was done", required=False)

    def clean(self):
        data = super().clean()
        made, made_at = data.get("contact_made"), data.get("contact_made_at")
        if made == "yes" and made_at is None and "contact_made_at" not in self.errors:
            self.add_error("contact_made_at", "Enter when contact was made")
        first = data.get("contact_attempted_at")
        if made_at and first and made_at < first:
            self.add_error("contact_made_at", "When contact was made must be the same as or "
                                              "after when contact was first attempted")
        if made == "no" and data.get("outcome") in ("engaged", "referred_on"):
            self.add_error("outcome", "Outcome: choose 'Could not be contacted' or "
                                      "'Declined support' when no contact was made")
        if made == "yes" and data.get("outcome") == "not_reached":
            self.add_error("outcome", "Outcome: contact was made, so choose another outcome")
        self._exclusive("support_offered", "none", "No support offered")
        self._exclusive("referred_to", "none", "No referral onward")
        return data

    def happened_at(self) -> dt.datetime:
        return self.cleaned_data.get("contact_made_at") or self.cleaned_data["contact_attempted_at"]


# What "exclusions avoided" counts: a preventative programme instead, and no exclusion.
NOT_EXCLUDED = "not_excluded"


class RiskAssessmentForm(TaskOutcomeForm):
    """The Education Inclusion Manager's risk assessment after a weapon or drugs incident."""

    OUTCOMES = [(NOT_EXCLUDED, "Not excluded"), ("suspended", "Suspended (fixed-term exclusion)"),
                ("permanently_excluded", "Permanently excluded"),
                ("managed_move", "Managed move to another school"),
                ("alternative_provision", "Moved to alternative provision")]
    field_order = ["assessed_on", "risk_factors", "risk_level", "what_was_weighed",
                   "programme_instead", "programme", "programme_not_listed", "outcome"]
    happened_field = "assessed_on"
    find_support_after = "programme_not_listed"

    assessed_on = DateField(label="Date of the risk assessment")
    risk_factors = several("Risk factors found", [
        ("weapon", "Carrying a weapon"), ("drugs_own_use", "Drugs for their own use"),
        ("drugs_supply", "Signs of supplying drugs"),
        ("exploitation", "Older associates or signs of exploitation"),
        ("peer_group", "A peer group involved in harm"), ("missing", "Going missing"),
        ("police_contact", "Contact with the police"),
        ("victim", "Has been a victim of violence"), ("home", "Difficulties at home"),
        ("disengaged", "Poor attendance or disengaged from school"),
        ("online", "Threats or harm online"), ("wellbeing", "Mental health or wellbeing")],
        required=True)
    risk_level = radios("Level of risk", RiskLevel.choices,
                        hint="Your professional judgement, having weighed the factors.")
    what_was_weighed = text("What you weighed", required=False)
    programme_instead = radios("Was a preventative programme offered instead of exclusion",
                               YES_NO)
    programme = forms.ModelChoiceField(
        label="Which programme", required=False, queryset=Programme.objects.none(),
        empty_label="Choose a programme",
        error_messages={"invalid_choice": "Choose which programme from the list"})
    programme_not_listed = forms.CharField(
        label="Programme not listed: describe it", required=False, max_length=200,
        error_messages={"max_length": "Programme not listed must be 200 characters or fewer"})

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        field.queryset = programmes_for_a_child()  # the same programmes as find support
        if programmes:  # eligible first, with this month's places
            field.choices = [("", "Choose a programme"), *programmes]

    def clean(self):
        data = super().clean()
        offered = data.get("programme_instead")
        named = data.get("programme") or data.get("programme_not_listed")
        if offered == "yes" and not named and "programme" not in self.errors:
            self.add_error("programme", "Choose which programme, or describe one not listed")
        if offered == "no" and named:
            self.add_error("programme", "Which programme: leave it empty when no programme "
                                        "was offered")
        return data


class ReturnHomeInterviewForm(TaskOutcomeForm):
    """The return home interview: the child's account, in their words, and what it showed."""

    OUTCOMES = [("held", "Interview held"), ("declined", "Offered, the child declined"),
                ("not_reached", "Could not reach the child")]
    field_order = ["held_at", "held_by", "outcome", "child_words", "push_factors",
                   "pull_factors", "exploitation_indicators", "shared_with", "late_reason"]
    happened_field = "held_at"

    held_at = DateField(label="When the interview was held or offered", with_time=True)
    held_by = forms.CharField(label="Who held it", max_length=200,
                              help_text="Name and role.",
                              error_messages={"required": "Enter who held it",
                                              "max_length": "Who held it must be 200 characters "
                                                            "or fewer"})
    child_words = text("The child's own words", required=False,
                       hint="What they said about why they went, where and with whom.")
    push_factors = several("What pushed them away (push factors)", [
        ("home_conflict", "Conflict at home"), ("neglect", "Neglect or lack of care"),
        ("loss", "Loss or bereavement"), ("school", "Problems at school"),
        ("placement", "Unhappy where they live (care placement)"), ("bullying", "Bullying"),
        ("none", "None identified")])
    pull_factors = several("What drew them away (pull factors)", [
        ("friends", "Friends or peers"), ("partner", "A boyfriend or girlfriend"),
        ("older_people", "Older people"), ("money_gifts", "Money, gifts or drugs"),
        ("place", "A place they go to"), ("online", "Someone met online"),
        ("none", "None identified")])
    exploitation_indicators = several("Signs of exploitation found", [
        ("criminal", "Criminal exploitation"), ("county_lines", "Travelling to other areas"),
        ("sexual", "Sexual exploitation"),
        ("unexplained_money", "Unexplained money, phones or gifts"), ("injuries", "Injuries"),
        ("substances", "Drugs or alcohol"), ("older_associates", "Older associates"),
        ("none", "None found")])
    shared_with = several("Who it was shared with", [
        ("social_worker", "The child's social worker"), ("hub", "The Safer Options Hub"),
        ("police", "Police missing persons team"), ("school", "School"),
        ("parent", "Parent or carer"), ("health", "Health"),
        ("lead_professional", "The lead professional"), ("nobody", "Not shared yet")],
        required=True)
    late_reason = text("Why the interview was late", required=False,
                       hint="Only if it was more than 72 hours after the child returned.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "held" and not data.get("child_words"):
            self.add_error("child_words", "Enter the child's own words")
        for name, none, words in (("push_factors", "none", "None identified"),
                                  ("pull_factors", "none", "None identified"),
                                  ("exploitation_indicators", "none", "None found"),
                                  ("shared_with", "nobody", "Not shared yet")):
            self._exclusive(name, none, words)
        held = data.get("held_at")
        if held and self.task and held > self.task.due_at and not data.get("late_reason"):
            self.add_error("late_reason", "Enter why the interview was late")
        return data


# What "actions agreed" counts: the review found work to do at the place and agreed it.
ACTIONS_AGREED = "actions_agreed"
NO_ACTION = "none"


class PlaceReviewForm(TaskOutcomeForm):
    """The Hub's place review: what it found at the place, what partners agreed to do there,
    and whether the place goes to the locality meeting."""

    OUTCOMES = [(ACTIONS_AGREED, "Actions agreed for the place"),
                ("monitor", "Keep watching the place, no action yet"),
                ("no_concern", "No concern about the place found"),
                ("passed_on", "Passed to another team")]
    field_order = ["reviewed_on", "found", "actions", "action_details", "to_locality_meeting",
                   "outcome"]
    happened_field = "reviewed_on"

    reviewed_on = DateField(label="Date of the review")
    found = text("What the review found",
                 hint="What happens at the place, when, and who it affects.")
    actions = several("Actions agreed", [
        ("outreach", "Detached youth work or outreach at the place"),
        ("licensing", "Licensing conditions or a licence review"),
        ("disruption", "Police disruption"),
        ("guardians", "Working with the owner, staff or security (guardianship)"),
        ("environment", "Changes to the place (lighting, CCTV, layout)"),
        ("safety_plans", "Safety plans for the children linked to the place"),
        ("community", "Working with the community or local businesses"),
        (NO_ACTION, "No action agreed")], required=True)
    action_details = text("Who does what, by when", required=False)
    to_locality_meeting = radios("Does it go to the locality meeting", YES_NO)

    def clean(self):
        data = super().clean()
        self._exclusive("actions", NO_ACTION, "No action agreed")
        agreed = [a for a in data.get("actions") or [] if a != NO_ACTION]
        if data.get("outcome") == ACTIONS_AGREED and data.get("actions") and not agreed:
            self.add_error("actions", "Actions agreed: choose the actions, or another outcome")
        if agreed and data.get("outcome") == "no_concern":
            self.add_error("outcome", "Outcome: actions were agreed, so choose another outcome")
        return data


FORMS = {
    TaskType.PLACE_REVIEW: PlaceReviewForm,
    TaskType.HOSPITAL_RAPID_RESPONSE: HospitalRapidResponseForm,
    TaskType.RISK_ASSESSMENT: RiskAssessmentForm,
    TaskType.RETURN_HOME_INTERVIEW: ReturnHomeInterviewForm,
    TaskType.LOCALITY_MEETING_ACTION: MeetingActionForm,
}


def outcome_form_class(task_type: str) -> type[TaskOutcomeForm]:
    return FORMS.get(task_type, GeneralOutcomeForm)


def outcome_choices(task_type: str) -> dict[str, str]:
    """The outcomes a type may end with, code to words (the service checks against it)."""
    return dict(outcome_form_class(task_type).OUTCOMES)


class ReasonForm(forms.Form):
    """Why an outcome is corrected or withdrawn (never silently)."""

    reason = text("Why you are making this change", max_length=1000)


class ReassignForm(forms.Form):
    """Give the task to someone in the team."""

    assignee = forms.ModelChoiceField(
        label="Give it to", queryset=User.objects.none(), empty_label="Choose a team member",
        error_messages={"required": "Choose who to give it to",
                        "invalid_choice": "Choose a member of the task's team"})

    def __init__(self, *args, team_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            team_id=team_id, is_active=True).order_by("first_name", "last_name", "username")


class InboxFilterForm(forms.Form):
    """Sort and filter the inbox; anything it does not understand is ignored, never a 500."""

    SORTS = [("due", "Due soonest"), ("urgency", "Most urgent"), ("newest", "Newest")]
    OWNERS = [("", "Anyone"), ("me", "Me"), ("unassigned", "Nobody yet")]

    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)
    task_type = forms.ChoiceField(label="Type", required=False,
                                  choices=[("", "Any type"), *TaskType.choices])
    owner = forms.ChoiceField(label="Owner", choices=OWNERS, required=False)
    overdue = forms.BooleanField(label="Only overdue", required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = self.OWNERS + [
            (str(u.pk), u.get_full_name() or u.username) for u in members]

    def choices(self) -> dict:
        """The valid filters (an invalid one is dropped, and reported on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
