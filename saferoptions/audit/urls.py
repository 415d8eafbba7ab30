from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("search/", views.search, name="search"),
]
