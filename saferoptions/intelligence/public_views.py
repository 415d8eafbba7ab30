"""The community page: anyone may tell the partnership about a place or a worry, no account.

Whatever is typed, the answer is the same thank-you page with a reference: it never says
whether a named child, place or reference is known. Floods from one client are refused with a
plain message (community.allow); a filled-in honeypot gets the same thank-you and stores
nothing. Nothing here logs the client's address.
"""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from saferoptions.access.routes import PUBLIC, access_rule

from . import community, services
from .forms import AddMoreForm, CommunityForm


def _too_many(request):
    return render(request, "intelligence/public_too_many.html", status=429)


def _thanks(request, reference):
    return render(request, "intelligence/public_thanks.html", {"reference": reference})


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def tell_us(request):
    form = CommunityForm(request.POST or None)
    if request.method == "GET":
        return render(request, "intelligence/public_tell_us.html", {"form": form})
    if not community.allow(request):
        return _too_many(request)
    if form.is_valid():
        d = form.cleaned_data
        if d["website"]:  # a robot: the same answer, nothing kept
            return _thanks(request, services.new_reference())
        report = services.submit_from_community(
            account=d["account"], where=d["where"], when_seen=d["when_seen"],
            contact=d["contact"])
        return _thanks(request, report.reference)
    return render(request, "intelligence/public_tell_us.html", {"form": form}, status=400)


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
def tell_us_more(request):
    form = AddMoreForm(request.POST or None)
    if request.method == "GET":
        return render(request, "intelligence/public_more.html", {"form": form})
    if not community.allow(request):
        return _too_many(request)
    if form.is_valid():
        d = form.cleaned_data
        if not d["website"]:
            services.add_more(reference=d["reference"], text=d["text"])
        # The reference they gave, whether or not it was found: existence never leaks.
        return _thanks(request, d["reference"].strip().upper())
    return render(request, "intelligence/public_more.html", {"form": form}, status=400)
