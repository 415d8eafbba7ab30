from django.urls import path

from saferoptions.access.routes import MONITORING, PUBLIC, access_rule

from . import health, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Monitoring (docs/deploy.md): liveness says only "ok"; the rest needs the monitoring token.
    path("healthz", access_rule(PUBLIC)(health.healthz), name="healthz"),
    path("readyz", access_rule(MONITORING)(health.readyz), name="readyz"),
    path("metrics", access_rule(MONITORING)(health.metrics_view), name="metrics"),
]
