"""The audit trail (docs/audit.md): the database role kept from changing it, the
checkpoint signing key, and batch and page sizes.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import env_int
from .security import SECRET_KEY

# Production runs the application as a role that does not own the audit table; migrations
# (run as the owner) revoke UPDATE, DELETE and TRUNCATE on it from this role. See docs/audit.md.
AUDIT_APP_DB_ROLE = os.environ.get("SAFEROPTIONS_AUDIT_APP_DB_ROLE", "")
# Checkpoints are signed with this key; set its own value to rotate SECRET_KEY independently.
AUDIT_CHECKPOINT_KEY = os.environ.get("SAFEROPTIONS_AUDIT_CHECKPOINT_KEY", SECRET_KEY)
AUDIT_VERIFY_BATCH_SIZE = env_int("SAFEROPTIONS_AUDIT_VERIFY_BATCH_SIZE", 5000)
AUDIT_SEARCH_PAGE_SIZE = env_int("SAFEROPTIONS_AUDIT_SEARCH_PAGE_SIZE", 50)
