"""Nothing of the access app is in Django admin.

Information sharing agreements are the policy's own data: they are proposed and approved on
audited pages (`access:agreements`), the data protection officer approving; break-glass grants
are personal data. See docs/access-policy.md.
"""
