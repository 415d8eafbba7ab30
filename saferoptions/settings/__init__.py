"""Django settings, read from environment variables (12-factor, as cookiecutter-django).

DJANGO_SETTINGS_MODULE is `saferoptions.settings`: this package. `base` holds the framework
(apps, middleware, database, templates, static files, logging, time zone) and the `env_*`
helpers; `security` the secret key, cookies, headers, sign-in and throttles; then one module of
defaults per domain, each importing only what it derives from. A setting is changed in its own
module, or through the environment variable it reads (docs/deploy.md).

Settings load once, when a process starts: a change applies after the web and worker processes
restart.
"""

# Base and security first, as a reader meets them; each module imports what it derives from
# itself, so this order changes no value.
# isort: off
from .base import *  # noqa: F403
from .security import *  # noqa: F403
# the domains' defaults
from .access import *  # noqa: F403
from .audit import *  # noqa: F403
from .governance import *  # noqa: F403
from .cases import *  # noqa: F403
from .feeds import *  # noqa: F403
from .tasks import *  # noqa: F403
from .linkage import *  # noqa: F403
from .contexts import *  # noqa: F403
from .meetings import *  # noqa: F403
from .intelligence import *  # noqa: F403
from .interventions import *  # noqa: F403
from .dashboards import *  # noqa: F403
from .city import *  # noqa: F403
# isort: on
