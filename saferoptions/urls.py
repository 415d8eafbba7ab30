"""Every route of the system. Each app owns its routes; every route has an access policy."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("saferoptions.web.urls")),
    path("accounts/", include("saferoptions.accounts.urls")),
    path("admin/", admin.site.urls),
]
