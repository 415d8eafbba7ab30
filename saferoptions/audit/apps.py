from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferoptions.audit"
    label = "audit"
