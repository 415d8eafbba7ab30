from django.urls import path

from . import catalogue_views, outcome_views, views

app_name = "interventions"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/new/", catalogue_views.programme_new, name="programme-new"),
    path("programmes/<int:pk>/edit/", catalogue_views.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/places/", catalogue_views.programme_places,
         name="programme-places"),
    path("programmes/<int:pk>/places/<int:area_id>/", catalogue_views.area_places,
         name="area-places"),
    path("programmes/<int:pk>/providers/", catalogue_views.add_provider, name="add-provider"),
    path("programmes/<int:pk>/areas/", catalogue_views.add_area, name="add-area"),
    path("children/<uuid:public_id>/support/", views.find_support, name="find-support"),
    path("children/<uuid:public_id>/risk/", views.record_risk, name="record-risk"),
    path("children/<uuid:public_id>/refer/<int:programme_id>/", views.refer, name="refer"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/feedback-link/", outcome_views.feedback_link,
         name="feedback-link"),
    path("referrals/<int:pk>/<slug:action>/", views.referral_action, name="referral-action"),
    path("programmes/<int:pk>/report/", outcome_views.programme_report,
         name="programme-report"),
    path("feedback/<str:token>/", outcome_views.feedback, name="feedback"),
    path("provider/", views.provider, name="provider"),
    path("consent-overrides/", views.consent_overrides, name="consent-overrides"),
]
