"""The partner REST API (DRF) and its OpenAPI schema. Each app adds its routes here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from saferoptions.access.routes import PUBLIC, access_rule

urlpatterns = [
    # The schema describes the API's shape only, never any record.
    path("schema/", access_rule(PUBLIC)(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        access_rule(PUBLIC)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("people/", include("saferoptions.people.api")),
    path("feeds/", include("saferoptions.feeds.api_urls")),
]
