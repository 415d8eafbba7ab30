"""Record an incident: a practitioner types one in, and it goes through their agency's feed."""

import uuid

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render

from saferoptions.access.routes import ROLES, access_rule
from saferoptions.people.selectors import search_people

from . import selectors, services
from .forms import IncidentForm
from .incidents import form_field, kinds_for
from .roles import RECORDERS

SALT = "feeds.recorded-incident"


@access_rule(ROLES, roles=RECORDERS)
def record_incident(request):
    kinds = kinds_for(request.user.agency)
    if not kinds:  # the agency sends no feed a person can type: as if the page were not here
        raise Http404
    posted = request.method == "POST"
    child = {} if posted else selectors.child_to_record(user=request.user,
                                                        public_id=request.GET.get("child", ""))
    form = IncidentForm(request.POST if posted else None, kinds=kinds,
                        initial={"key": uuid.uuid4().hex, **child})
    if posted and form.is_valid():
        try:
            receipt = services.record_incident(actor=request.user, incident=form.incident())
        except services.IncidentRefused as refused:
            _explain(form, refused.errors)
        except services.KeyConflict:
            form.add_error(None, "This page was already sent with other details. Open "
                                 "'Record an incident' again to record another incident.")
        else:
            token = signing.dumps({"m": receipt.message.pk, "u": request.user.pk}, salt=SALT)
            return redirect("feeds:recorded-incident", token=token)
    find = "" if posted else request.GET.get("find", "").strip()[:100]
    return render(request, "feeds/record_incident.html", {
        "form": form, "agency": request.user.agency, "find": find, "chosen": bool(child),
        # Find a child's own search (through the policy, audited): names the user may see.
        "found": search_people(user=request.user, query=find) if find else None},
        status=400 if posted else 200)


def _explain(form: IncidentForm, errors: list[dict]) -> None:
    """The feed's own reasons, put on the form's fields in the form's words."""
    for error in errors:
        field = form_field(error["field"])
        label = form.fields[field].label if field else "The incident"
        form.add_error(field, f"{label} {error['reason']}.")


@access_rule(ROLES, roles=RECORDERS)
def recorded_incident(request, token):
    try:
        signed = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Http404 from None
    if signed.get("u") != request.user.pk:
        raise Http404
    found = selectors.recorded_incident(user=request.user, message_id=signed.get("m"))
    if found is None:
        raise Http404
    own_team = any(t.team_id == request.user.team_id for t in found["tasks"])
    return render(request, "feeds/recorded_incident.html", {**found, "own_team": own_team})
