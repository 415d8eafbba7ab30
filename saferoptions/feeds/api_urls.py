"""Partner API routes, included by the integrator at /api/feeds/ (see docs/feeds.md)."""

from django.urls import path

from saferoptions.access.routes import PUBLIC, access_rule

from .api import (
    BatchLedgerView,
    MessageStatusView,
    UnknownBatchView,
    UnknownFeedView,
    batch_view,
    feed_view,
)
from .schemas import SCHEMAS

# PUBLIC to the session-based access rules: these routes take no user session, only a partner
# credential, and each checks that credential's agency and feed types itself.
urlpatterns = [
    path(f"{feed}/messages/", access_rule(PUBLIC)(feed_view(feed)), name=f"feed-{feed}")
    for feed in SCHEMAS
] + [
    path(f"{feed}/batches/", access_rule(PUBLIC)(batch_view(feed)), name=f"feed-{feed}-batches")
    for feed in SCHEMAS
] + [
    path("<str:feed_type>/messages/", access_rule(PUBLIC)(UnknownFeedView.as_view()),
         name="feed-unknown"),
    path("<str:feed_type>/batches/", access_rule(PUBLIC)(UnknownBatchView.as_view()),
         name="feed-unknown-batches"),
    path("messages/<int:message_id>/", access_rule(PUBLIC)(MessageStatusView.as_view()),
         name="feed-message"),
    path("batches/<int:batch_id>/", access_rule(PUBLIC)(BatchLedgerView.as_view()),
         name="feed-batch"),
]
