from django.urls import path

from . import views, views_analysis, views_cases

app_name = "contexts"
urlpatterns = [
    path("places/<int:pk>/", views.place, name="place"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/refer/", views_cases.refer, name="refer"),
    path("cases/<int:pk>/", views_cases.case, name="case"),
    path("cases/<int:pk>/assessment/", views_cases.assess, name="assess"),
    path("cases/<int:pk>/plan/", views_cases.plan, name="plan"),
    path("cases/<int:pk>/plan/status/", views_cases.intervention_status,
         name="intervention-status"),
    path("cases/<int:pk>/review/", views_cases.review, name="review"),
    path("cases/<int:pk>/close/", views_cases.close, name="close"),
    path("cases/<int:pk>/referral/correct/", views_cases.correct_referral,
         name="correct-referral"),
    path("cases/<int:pk>/referral/withdraw/", views_cases.withdraw_referral,
         name="withdraw-referral"),
    path("cases/<int:pk>/plan/correct/", views_cases.correct_intervention,
         name="correct-intervention"),
    path("cases/<int:pk>/review/correct/", views_cases.correct_review, name="correct-review"),
    path("cases/<int:pk>/assessment/correct/", views_cases.correct_assessment,
         name="correct-assessment"),
    path("groups/suggested/", views_analysis.suggested_groups, name="suggested-groups"),
    path("groups/suggested/<int:pk>/", views_analysis.confirm_group, name="confirm-group"),
    path("groups/<int:pk>/peer-map/", views_analysis.group_peer_map, name="group-peer-map"),
    path("people/<uuid:public_id>/peer-map/", views_analysis.child_peer_map,
         name="child-peer-map"),
    path("hotspots/", views_analysis.hotspots, name="hotspots"),
    path("locations/", views_analysis.unresolved_locations, name="locations"),
    path("places/new/", views_analysis.new_place, name="new-place"),
]
