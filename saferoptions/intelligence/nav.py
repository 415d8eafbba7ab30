"""The intelligence pages in the header and on the home page (registered in apps.py)."""

from saferoptions.core.navigation import WORK_WITH_CHILDREN, NavEntry

NAV_ENTRIES = [
    NavEntry("Intelligence queue", "intelligence:queue",
             "Grade intelligence from partners and the public (3x5x2), write the version to "
             "share, link it and tell the person who raised it.",
             duty="grade_intelligence"),
    NavEntry("Share intelligence", "intelligence:submit",
             "Tell the Hub what you have seen or heard about people, vehicles, phones, places "
             "or events.", header=False),
    NavEntry("Intelligence you shared", "intelligence:mine",
             "What happened to the intelligence you gave the Hub.", header=False),
    NavEntry("Shared intelligence", "intelligence:shared",
             "Graded, sanitised intelligence your agency may see.", duty=WORK_WITH_CHILDREN,
             header=False),
    NavEntry("Tell the Hub about a worry", "intelligence:worry",
             "Worried about a young person? Tell the Hub who, without the details being kept.",
             duty="report_worries", header=False),
    NavEntry("Encoded reports that matched", "intelligence:encoded-matches",
             "Partners' encoded worries that matched someone on record.",
             duty="grade_intelligence", header=False),
    NavEntry("Intelligence handling changes", "intelligence:handling-changes",
             "Every time intelligence was allowed to go further, and why.",
             duty="review_handling_changes", header=False),
]
