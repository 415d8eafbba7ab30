"""What every page's layout needs: the service name, the user's role and their navigation."""

from django.conf import settings

from . import nav


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    links = nav.entries_for(user) if signed_in else []
    for link in links:
        link["active"] = link["url_name"] == current
    return {
        "service_name": "Safer Options",
        "user_role": user.get_role_display() if signed_in else "",
        "nav_links": links,
        # The demo's banner on every page (synthetic data); never shown in a real deployment.
        "demo_mode": settings.DEMO_MODE,
    }
