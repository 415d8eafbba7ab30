from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mine/", views.my_tasks, name="mine"),
    path("new/", views.new_tasks, name="new"),
    path("rules/", views.rules, name="rules"),
    path("notifications/read/", views.read_notifications, name="read-notifications"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/outcome/", views.record_outcome, name="outcome"),
    path("<int:pk>/outcome/correct/", views.correct_outcome, name="correct"),
    path("<int:pk>/outcome/withdraw/", views.withdraw_outcome, name="withdraw"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
