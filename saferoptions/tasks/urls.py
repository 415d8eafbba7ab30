from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("rows/", views.inbox_rows, name="rows"),
    path("rules/", views.rules, name="rules"),
    path("notifications/read/", views.read_notifications, name="read-notifications"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
