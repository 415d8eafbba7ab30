"""Who may use the linkage pages: duties in the one role table (`ACCESS_ROLE_RULES`).

The Hub and team managers decide who a record is: they know the children and the agencies'
systems. The data protection officer is left out on purpose: they oversee this processing
(audit, subject access) and should not also be doing it. Analysts see the threshold read-out,
which is counts only.
"""

from saferoptions.access.policy import roles_with

REVIEWERS = roles_with("review_linkage")
MERGERS = roles_with("merge_people")
TUNERS = roles_with("tune_linkage")
