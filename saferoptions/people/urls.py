from django.urls import path

from . import placement_views, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
    path("unplaced/", placement_views.unplaced, name="unplaced"),
    path("unplaced/<uuid:public_id>/", placement_views.place, name="place"),
    path("<uuid:public_id>/", views.detail, name="detail"),
]
