"""Which roles hold a duty in the role table, for the layers below access.

The role table (`settings.ACCESS_ROLE_RULES`) and the list of duty names (`access.rules.DUTIES`)
belong to the access policy; apps above access ask `access.policy.roles_with`, which refuses an
unknown name. The audit search sits below access, so it reads the table here; a misspelt duty
gives no roles, which `core.routes.access_rule` refuses when the route is declared.
"""

from django.conf import settings


def holders(duty: str) -> tuple[str, ...]:
    """The roles whose rule lists `duty`, in the table's order."""
    return tuple(role for role, rule in settings.ACCESS_ROLE_RULES.items()
                 if duty in rule.get("duties", ()))
