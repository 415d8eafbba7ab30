"""The partner REST API (DRF) and its OpenAPI schema. Each app adds its routes here."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from saferoptions.access.routes import PUBLIC, access_rule

# Redoc (served from drf-spectacular-sidecar) styles itself with inline <style> elements and
# runs its search in a worker made from a blob: address. Its page shows the API's shape only,
# never a record, and its script still comes from this site alone.
redoc_policy = csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    # The schema describes the API's shape only, never any record.
    path("schema/", access_rule(PUBLIC)(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        access_rule(PUBLIC)(redoc_policy(SpectacularRedocView.as_view(
            url_name="api-schema", template_name="web/api_docs.html"))),
        name="api-docs",
    ),
    path("people/", include("saferoptions.people.api")),
    path("feeds/", include("saferoptions.feeds.api_urls")),
]
