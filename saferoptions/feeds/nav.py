"""The feeds pages in the header and on the home page (registered in apps.py)."""

from saferoptions.core.navigation import NavEntry

from .incidents import kinds_for
from .roles import RECORDERS

NAV_ENTRIES = [
    # Beside the other ways to send (a file, below): one incident, typed in, through
    # their agency's feed (its route admits `roles.RECORDERS`, whose agency sends such a feed).
    NavEntry("Record an incident", "feeds:record-incident",
             "Tell the partnership about one incident, as your agency's system would: the "
             "team that must act gets its task at once.", header=False, order=75,
             roles=frozenset(RECORDERS), offered=lambda user: bool(kinds_for(user.agency))),
    NavEntry("Data feeds", "feeds:status", "What each agency's feed has sent, and when.",
             order=60),
    # On the home page only, to keep the header short.
    NavEntry("Send a file from your agency", "feeds:import",
             "Upload your agency's records as a file.", header=False, order=80),
    NavEntry("Records waiting for correction", "feeds:quarantine",
             "Rows from agency files that could not be read.", header=False, order=80),
    # Offered to those its route admits (`roles.WORK_WITH_FEEDS`), as the entries above are.
    NavEntry("File formats", "feeds:schemas",
             "What each agency's file must contain.", header=False, order=80),
    NavEntry("Partner systems", "feeds:partners",
             "Issue, rotate and revoke the tokens partner systems send feeds with.",
             header=False, order=80),
]
