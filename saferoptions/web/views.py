"""The home page each role lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from saferoptions.access.routes import SIGNED_IN, access_rule


@access_rule(SIGNED_IN)
@login_required
def home(request):
    """What this role can do so far (the links come from the navigation registry)."""
    return render(request, "web/home.html", {})
