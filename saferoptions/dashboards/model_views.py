"""The learned models' page: their cards beside the transparent score, and the switch."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from saferoptions.access.http import fail_closed
from saferoptions.access.routes import ROLES, access_rule
from saferoptions.analytics.model_card import CardRefused

from . import model_cards, pages
from .views import VIEWERS


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
def models_page(request):
    error = done = None
    if request.method == "POST":
        name = request.POST.get("model", "")[:60]
        try:
            done = model_cards.switch_on(user=request.user, name=name,
                                         approver=request.POST.get("approver", "")[:120])
        except CardRefused as refused:
            error = {"field": refused.field, "reason": refused.reason, "model": name}
    page = model_cards.cards_page(user=request.user)
    return render(request, "dashboards/models.html", {
        "apps": pages.APPS.values(), "app": pages.APPS["safer-options"], "query": {},
        "page": page, "error": error, "done": done,
        "threshold": settings.SMALL_NUMBER_THRESHOLD}, status=400 if error else 200)
