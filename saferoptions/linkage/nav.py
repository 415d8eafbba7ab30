"""The linkage pages in the header and on the home page (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

NAV_ENTRIES = [
    NavEntry("Record review", "linkage:review-queue",
             "Pairs of agency records that may be the same child: decide match or not.",
             duty="review_linkage"),
    NavEntry("Records not matched to a person", "linkage:unmatched",
             "Agency records no one has matched to a child yet: say who they are.",
             duty="review_linkage", header=False),
    NavEntry("Linkage thresholds", "linkage:thresholds",
             "How often reviewers found a match at each probability: are the thresholds right?",
             duty="tune_linkage", header=False),
]
