from django.urls import path

from . import agreement_views, views

app_name = "access"
urlpatterns = [
    path("break-glass/", views.break_glass, name="break-glass"),
    path("break-glass/alerts/", views.break_glass_queue, name="break-glass-queue"),
    path("break-glass/<int:pk>/review/", views.break_glass_review, name="break-glass-review"),
    path("break-glass/<int:pk>/acknowledge/", views.break_glass_acknowledge,
         name="break-glass-acknowledge"),
    path("people/<uuid:public_id>/access-log/", views.access_log, name="access-log"),
    # Information sharing agreements: proposed, approved by the DPO, ended (docs/access-policy.md)
    path("agreements/", agreement_views.agreement_list, name="agreements"),
    path("agreements/new/", agreement_views.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", agreement_views.agreement, name="agreement"),
    path("agreements/<int:pk>/end/", agreement_views.agreement_end, name="agreement-end"),
]
