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
# The file formats page and each feed's CSV template: for those who work with feeds, who
# send their agency's files (a licensing team sends its licensing reports this way), who
# watch the feeds, and who read the partner API's documentation. Not a community member, who
# sends no file and has no partner system: the page shows no record, but what is not offered
# is not there (the same 404 as an address that does not exist).
WORK_WITH_FEEDS = tuple(sorted(set(IMPORTERS) | set(OVERSEERS)
                               | set(roles_with("read_api_docs"))))
# Type one incident in, as their agency's feed would send it: those who send their agency's
# records and work with children (the form is about a child). Their agency must also send a
# feed a person can type (`incidents.kinds_for`); for any other the page is not there.
RECORDERS = tuple(sorted(set(IMPORTERS) & set(roles_with("work_with_children"))))
