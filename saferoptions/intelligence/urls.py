from django.urls import path

from . import encoded_views, public_views, views

app_name = "intelligence"
urlpatterns = [
    path("tell-us/", public_views.tell_us, name="tell-us"),
    path("tell-us/more/", public_views.tell_us_more, name="tell-us-more"),
    path("submit/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/grade/", views.grade, name="grade"),
    path("reports/<int:pk>/sanitise/", views.sanitise, name="sanitise"),
    path("reports/<int:pk>/link/", views.link, name="link"),
    path("reports/<int:pk>/unlink/", views.unlink, name="unlink"),
    path("reports/<int:pk>/place-review/", views.place_review, name="place-review"),
    path("reports/<int:pk>/status/", views.status, name="status"),
    path("shared/", views.shared, name="shared"),
    path("shared/<int:pk>/", views.shared_item, name="shared-item"),
    path("people/<uuid:public_id>/", views.about_person, name="about-person"),
    path("places/<int:pk>/", views.about_place, name="about-place"),
    path("handling-changes/", views.handling_changes, name="handling-changes"),
    path("worry/", encoded_views.worry, name="worry"),
    path("worry/thanks/", encoded_views.worry_thanks, name="worry-thanks"),
    path("encoded-matches/", encoded_views.encoded_matches, name="encoded-matches"),
]
