"""Route declarations live in `saferoptions.core.routes`, below every app, so that any layer
(the audit search included) can declare its rule; this name stays for the apps above access."""

from saferoptions.core.routes import (
    KINDS,
    MONITORING,
    PERSONAL_DATA,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    access_rule,
    has_monitoring_token,
)

__all__ = ["KINDS", "MONITORING", "PERSONAL_DATA", "PUBLIC", "ROLES", "SIGNED_IN",
           "access_rule", "has_monitoring_token"]
