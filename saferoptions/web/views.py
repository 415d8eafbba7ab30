"""The home page each role lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from saferoptions.access.routes import SIGNED_IN, access_rule

from .introductions import introduction
from .nav import work_counts


@access_rule(SIGNED_IN)
@login_required
def home(request):
    """What this person does here, how much work is waiting, and the pages they can use.

    The counts are numbers only (no child is named), each from its app through the policy.
    """
    user = request.user
    return render(request, "web/home.html",
                  {"introduction": introduction(user.role), "counts": work_counts(user)})
