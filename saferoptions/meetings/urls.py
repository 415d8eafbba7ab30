from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/attendees/", views.invite, name="invite"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendees/<int:attendee>/withdraw/", views.withdraw_invitation,
         name="withdraw-invitation"),
    path("<int:pk>/add/", views.add, name="add"),
    path("<int:pk>/items/<int:item>/", views.item, name="item"),
    path("<int:pk>/items/<int:item>/discussion/", views.discussion, name="discussion"),
    path("<int:pk>/items/<int:item>/actions/", views.action, name="action"),
    path("<int:pk>/items/<int:item>/actions/<int:action>/withdraw/", views.withdraw_action,
         name="withdraw-action"),
    path("<int:pk>/items/<int:item>/actions/<int:action>/correct/", views.correct_action,
         name="correct-action"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
]
