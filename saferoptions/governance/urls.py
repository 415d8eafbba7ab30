from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("people/<int:person_id>/hold/", views.place_hold, name="place-hold"),
    path("holds/<int:hold_id>/release/", views.release_hold, name="release-hold"),
    path("people/<int:person_id>/dispose/", views.dispose, name="dispose"),
    path("audit-verification/", views.audit_verification, name="audit-verification"),
    path("subject-access/", views.subject_access_search, name="subject-access-search"),
    path(
        "people/<int:person_id>/subject-access/", views.subject_access_export, name="subject-access"
    ),
]
