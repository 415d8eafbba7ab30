"""Who may use the feeds pages (partners configure roles in one place: here)."""

from saferoptions.access.policy import roles_with
from saferoptions.core.models import Role

# See feed health and the ledger of every batch.
OVERSEERS = (Role.HUB_PRACTITIONER, Role.SYSTEM_ADMINISTRATOR, Role.TEAM_MANAGER,
             Role.STRATEGIC_LEAD)
# Correct quarantined rows: they read raw records, so not the system administrator, who
# holds reference data only (docs/access-policy.md). Who an unmatched record is, is decided
# in the one unmatched queue, by linkage's reviewers (`linkage/roles.py`).
RESOLVERS = (Role.HUB_PRACTITIONER,)
# Import a file on behalf of their own agency.
IMPORTERS = (Role.POLICE_OFFICER, Role.HEALTH_PRACTITIONER, Role.EDUCATION_INCLUSION_MANAGER,
             Role.HOUSING_OFFICER, Role.LICENSING_OFFICER, Role.SOCIAL_WORKER,
             Role.HUB_PRACTITIONER, Role.SYSTEM_ADMINISTRATOR)
# Issue, rotate and revoke partner systems' API credentials (the duty
# `administer_partner_systems` in ACCESS_ROLE_RULES). Credentials are configuration, not
# records, so this is the system administrator's by default; the pages show no personal data.
PARTNER_ADMINS = roles_with("administer_partner_systems")
