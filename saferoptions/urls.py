"""Every route of the system. Each app owns its routes; every route has an access policy."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("saferoptions.web.urls")),
    path("accounts/", include("saferoptions.accounts.urls")),
    path("people/", include("saferoptions.people.urls")),
    path("contexts/", include("saferoptions.contexts.urls")),
    path("cases/", include("saferoptions.cases.urls")),
    path("feeds/", include("saferoptions.feeds.urls")),
    path("tasks/", include("saferoptions.tasks.urls")),
    path("access/", include("saferoptions.access.urls")),
    path("audit/", include("saferoptions.audit.urls")),
    path("governance/", include("saferoptions.governance.urls")),
    path("linkage/", include("saferoptions.linkage.urls")),
    path("meetings/", include("saferoptions.meetings.urls")),
    path("interventions/", include("saferoptions.interventions.urls")),
    path("intelligence/", include("saferoptions.intelligence.urls")),
    path("dashboard/", include("saferoptions.dashboards.urls")),
    path("api/", include("saferoptions.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ an address no route matches answers JSON, as the API's schema says (web/errors.py).
handler400 = "saferoptions.web.errors.bad_request"
handler404 = "saferoptions.web.errors.not_found"
handler500 = "saferoptions.web.errors.server_error"
