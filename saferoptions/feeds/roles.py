"""Who may use the feeds pages: duties in the one role table (`ACCESS_ROLE_RULES`)."""

from saferoptions.access.policy import roles_with

# See feed health and the ledger of every batch.
OVERSEERS = roles_with("oversee_feeds")
# Correct quarantined rows: they read raw records, so not the system administrator, who
# holds reference data only (docs/access-policy.md). Who an unmatched record is, is decided
# in the one unmatched queue, by linkage's reviewers (`linkage/roles.py`).
RESOLVERS = roles_with("resolve_quarantine")
# Import a file on behalf of their own agency.
IMPORTERS = roles_with("import_agency_files")
# Issue, rotate and revoke partner systems' API credentials. Credentials are configuration,
# not records, so this is the system administrator's by default; the pages show no personal
# data.
PARTNER_ADMINS = roles_with("administer_partner_systems")
