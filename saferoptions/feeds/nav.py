"""The feeds pages in the header and on the home page (registered in apps.py)."""

from saferoptions.access.policy import roles_with
from saferoptions.core.navigation import NavEntry

from .roles import IMPORTERS, OVERSEERS

# The file formats and the partner API they point to are for those who work with feeds: who
# sends their agency's files (a licensing team sends its licensing reports this way), who
# watches the feeds, and who reads the API's documentation. Not a community member, who
# sends no file and has no partner system (the page shows no record, so this is what is
# offered, not what is allowed: the address still answers any signed-in user).
WORK_WITH_FEEDS = frozenset(IMPORTERS) | frozenset(OVERSEERS) | frozenset(
    roles_with("read_api_docs"))

NAV_ENTRIES = [
    NavEntry("Data feeds", "feeds:status", "What each agency's feed has sent, and when.",
             order=60),
    # On the home page only, to keep the header short.
    NavEntry("Send a file from your agency", "feeds:import",
             "Upload your agency's records as a file.", header=False, order=80),
    NavEntry("Records waiting for correction", "feeds:quarantine",
             "Rows from agency files that could not be read.", header=False, order=80),
    NavEntry("File formats", "feeds:schemas",
             "What each agency's file must contain.", roles=WORK_WITH_FEEDS, header=False,
             order=80),
    NavEntry("Partner systems", "feeds:partners",
             "Issue, rotate and revoke the tokens partner systems send feeds with.",
             header=False, order=80),
]
