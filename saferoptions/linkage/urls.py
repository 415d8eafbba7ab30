from django.urls import path

from . import merge_views, views

app_name = "linkage"
urlpatterns = [
    path("review/", views.queue, name="review-queue"),
    path("review/<int:pk>/", views.pair, name="review-pair"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("unmatched/<int:pk>/", views.unmatched_decide, name="unmatched-decide"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("people/<uuid:public_id>/merge/", merge_views.merge_search, name="merge"),
    path("people/<uuid:public_id>/merge/<uuid:other_id>/", merge_views.merge_confirm,
         name="merge-confirm"),
    path("people/<uuid:public_id>/split/", merge_views.split, name="split"),
    path("people/<uuid:public_id>/changes/", merge_views.changes, name="changes"),
    path("changes/<int:pk>/undo/", merge_views.undo, name="undo"),
]
