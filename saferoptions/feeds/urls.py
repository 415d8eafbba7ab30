from django.urls import path

from . import incident_views, views

app_name = "feeds"
urlpatterns = [
    path("", views.status, name="status"),
    path("schemas/", views.schemas, name="schemas"),
    path("templates/<str:feed_type>.csv", views.template, name="template"),
    path("import/", views.import_file, name="import"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("incidents/new/", incident_views.record_incident, name="record-incident"),
    path("incidents/recorded/<str:token>/", incident_views.recorded_incident,
         name="recorded-incident"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/", views.correct, name="correct"),
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/", views.partner, name="partner"),
    path("partners/<int:pk>/feed-types/", views.partner_feed_types, name="partner-feed-types"),
    path("partners/<int:pk>/rotate/", views.partner_rotate, name="partner-rotate"),
    path("partners/<int:pk>/revoke/", views.partner_revoke, name="partner-revoke"),
    path("partners/<int:pk>/reactivate/", views.partner_reactivate, name="partner-reactivate"),
    # Moved to the one unmatched queue (linkage); kept so old links and bookmarks work.
    path("unmatched/", views.unmatched_moved, name="unmatched-moved"),
    path("unmatched/<int:pk>/", views.resolve_moved, name="resolve-moved"),
]
