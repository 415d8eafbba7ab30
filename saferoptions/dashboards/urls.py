from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:app>/", views.app_page, name="app"),
    path("<slug:app>/<slug:key>.csv", views.figure_csv, name="csv"),
    path("<slug:app>/<slug:key>/people/", views.drilldown, name="drilldown"),
]
