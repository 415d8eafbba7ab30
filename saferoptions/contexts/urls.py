from django.urls import path

from . import views

app_name = "contexts"
urlpatterns = [
    path("places/<int:pk>/", views.place, name="place"),
    path("groups/<int:pk>/", views.group, name="group"),
]
