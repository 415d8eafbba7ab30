"""Who may use the linkage pages (settings, `# --- linkage`; these are the defaults).

The Hub and team managers decide who a record is: they know the children and the agencies'
systems. The data protection officer is left out on purpose: they oversee this processing
(audit, subject access) and should not also be doing it. Analysts see the threshold read-out,
which is counts only.
"""

from django.conf import settings

from saferoptions.core.models import Role

REVIEWERS = tuple(getattr(settings, "LINKAGE_REVIEW_ROLES",
                          (Role.HUB_PRACTITIONER, Role.TEAM_MANAGER)))
MERGERS = tuple(getattr(settings, "LINKAGE_MERGE_ROLES",
                        (Role.HUB_PRACTITIONER, Role.TEAM_MANAGER)))
TUNERS = tuple(getattr(settings, "LINKAGE_TUNING_ROLES", (*REVIEWERS, Role.ANALYST)))
