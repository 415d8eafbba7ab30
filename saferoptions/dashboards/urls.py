from django.urls import path

from . import forecast_views, model_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("violence-reduction/forecast/", forecast_views.next_week, name="forecast"),
    path("safer-options/demand/", forecast_views.demand_outlook, name="demand"),
    path("safer-options/models/", model_views.models_page, name="models"),
    path("<slug:app>/", views.app_page, name="app"),
    path("<slug:app>/<slug:key>.csv", views.figure_csv, name="csv"),
    path("<slug:app>/<slug:key>.xlsx", views.figure_xlsx, name="xlsx"),
    path("<slug:app>/<slug:key>/people/", views.drilldown, name="drilldown"),
]
