"""`manage.py check --deploy` refuses a deployment with the demo switched on.

The demo lists every demo account's password and current one-time code on the sign-in page:
fine on a laptop with synthetic data, a wide-open door anywhere else.
"""

from django.conf import settings
from django.core import checks

DEMO_ON = checks.Error(
    "The demo setting is on (SAFEROPTIONS_DEMO=1): the sign-in page shows the demo accounts' "
    "passwords and one-time codes, and every page says the data is synthetic.",
    hint="Unset SAFEROPTIONS_DEMO (or set it to 0) before deploying.",
    id="saferoptions.E001",
)


@checks.register(checks.Tags.security, deploy=True)
def demo_is_off(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A deployment check: the demo must be off."""
    return [DEMO_ON] if settings.DEMO_MODE else []
