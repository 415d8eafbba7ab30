"""The DPO's governance pages in the header (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Answer a subject access request", "governance:subject-access-search",
             "Find the person who asked and export what is held about them, "
             "other people's names removed.",
             duty="review_retention", order=49),
    NavEntry("Verify the audit trail", "governance:audit-verification",
             "Check that nobody has changed or removed entries in the audit log.",
             duty="search_audit", header=False, order=31),
    NavEntry("Retention review", "governance:review",
             "Records due for review or disposal, and legal holds.",
             duty="review_retention", order=50),
]
