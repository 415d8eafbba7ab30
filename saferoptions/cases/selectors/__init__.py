"""Every read on the child's pathway, through the access policy, each one audited.

Case records (concerns, assessments, plans, meetings, clocks) belong to the child: whoever the
policy lets open the child's record sees them, and nobody else. A concern or chronology entry
that comes from a partner's event is shown only when the policy lets the viewer see that event.
"""
