"""The partner REST API: one endpoint per feed type, a credential per partner system.

A credential only ever sees its own agency's allowed feeds: any other feed, a feed that does
not exist and a message or batch that is not its own all get the same 404, so nothing is
revealed. A feed takes one message per request, or up to `FEEDS_API_BATCH_MAX` as a batch.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .batches import (
    KEY_REASON,
    BatchRefused,
    ItemReceipt,
    message_key,
    read_batch,
    receive_batch,
)
from .checking import read_json
from .models import Batch, InboxMessage, MessageStatus, PartnerSystem, hash_token
from .schemas import SCHEMAS
from .selectors import ledger
from .services import KeyConflict, receive_json
from .throttles import NoCredentialThrottle, PartnerThrottle, WrongCredentialThrottle

NOT_FOUND = {"detail": "Not found."}


class PartnerPrincipal:
    """The sending system, standing in for a user on API requests."""

    is_authenticated = True
    is_active = True
    role = ""

    def __init__(self, partner: PartnerSystem):
        self.partner = partner
        self.pk = f"partner-{partner.pk}"


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; only the token's SHA-256 is stored."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer '.")
        token = header[1].decode(errors="replace")
        partner = PartnerSystem.objects.select_related("agency").filter(
            token_hash=hash_token(token), is_active=True).first()
        if partner is None:
            raise exceptions.AuthenticationFailed("Unknown or withdrawn credential.")
        return PartnerPrincipal(partner), partner

    def authenticate_header(self, request):
        return self.keyword


class IsPartnerSystem(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, PartnerSystem)


ReceiptSchema = inline_serializer("Receipt", {
    "message_id": serializers.IntegerField(),
    "status": serializers.ChoiceField(MessageStatus.choices),
    "errors": serializers.ListField(child=serializers.DictField()),
    "event_id": serializers.IntegerField(allow_null=True),
})


def receipt_body(message: InboxMessage) -> dict:
    return {"message_id": message.pk, "status": message.status, "errors": message.errors,
            "event_id": message.event_id}


class PartnerAPIView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartnerSystem]
    throttle_classes = [PartnerThrottle]

    # DRF throttles only after a caller has passed authentication and permission, so the
    # callers to slow down most (no credential, a wrong one) would never be counted: they are
    # counted here, on the way to their 401, and over their rate get 429 instead.
    def perform_authentication(self, request):
        try:
            request.user  # noqa: B018 - reading it authenticates
        except exceptions.AuthenticationFailed:
            self._throttle_stranger(request, WrongCredentialThrottle())
            raise

    def permission_denied(self, request, message=None, code=None):
        if request.auth is None:
            self._throttle_stranger(request, NoCredentialThrottle())
        super().permission_denied(request, message, code)

    def _throttle_stranger(self, request, throttle) -> None:
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())

    def sendable(self, request, feed: str) -> bool:
        """Whether this partner may send this feed; a forbidden feed answers like an unknown."""
        return feed in SCHEMAS and request.auth.allows(feed)


def too_large(reason: str = "is too large") -> Response:
    return Response({"errors": [{"field": "body", "reason": reason}]},
                    status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


class FeedMessageView(PartnerAPIView):
    """Deliver one message of a feed."""

    feed_type = ""

    def post(self, request, feed_type=None):
        feed = self.feed_type or feed_type
        if not self.sendable(request, feed):
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        try:
            raw = request.body
        except RequestDataTooBig:
            return too_large()
        key, errors = idempotency_key(raw)
        if errors:
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            receipt = receive_json(partner=request.auth, feed_type=feed, key=key, raw=raw)
        except KeyConflict as clash:
            used = ("by another of your agency's systems" if clash.foreign else
                    f"for message {clash.original.pk} with a different body")
            return Response({"detail": f"The idempotency key {key!r} was already used {used}. "
                             "Send a new message with a new key."},
                            status=status.HTTP_409_CONFLICT)
        return _receipt_response(receipt.message, replayed=receipt.duplicate)


@extend_schema_view(post=extend_schema(exclude=True))
class UnknownFeedView(FeedMessageView):
    """Any other feed name: the same 404 a credential gets for a feed it may not send."""


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "The partner system's token, issued once per system."}


def _receipt_response(message: InboxMessage, *, replayed: bool) -> Response:
    code = (status.HTTP_422_UNPROCESSABLE_ENTITY if message.status == MessageStatus.QUARANTINED
            else status.HTTP_202_ACCEPTED)
    response = Response(receipt_body(message), status=code)
    response["Idempotent-Replayed"] = "true" if replayed else "false"
    return response


def idempotency_key(raw: bytes) -> tuple[str, list[dict]]:
    """The message's idempotency key, or why the body cannot be keyed (then nothing is stored)."""
    data, errors = read_json(raw)
    if errors:
        return "", errors
    key = message_key(data)
    if not key:
        return "", [{"field": "idempotency_key", "reason": KEY_REASON}]
    return key, []


class MessageStatusView(PartnerAPIView):
    """What became of a message this system sent."""

    @extend_schema(responses={200: ReceiptSchema, 404: OpenApiResponse(description="Not found")})
    def get(self, request, message_id: int):
        message = InboxMessage.objects.filter(pk=message_id, partner=request.auth).first()
        if message is None:
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        return Response(receipt_body(message))


def feed_view(feed_type: str):
    """The endpoint for one feed, documented with that feed's schema."""
    schema = SCHEMAS[feed_type]
    responses = {
        202: ReceiptSchema, 422: ReceiptSchema,
        400: OpenApiResponse(description="Body is not a JSON object with an idempotency_key"),
        404: OpenApiResponse(description="No such feed for this credential"),
        409: OpenApiResponse(description="Idempotency key reused with a different body"),
    }

    def post(self, request, *args, **kwargs):
        return FeedMessageView.post(self, request)

    post = extend_schema(request=schema, responses=responses, operation_id=f"send_{feed_type}",
                         summary=f"Send a {feed_type.replace('_', ' ')} message",
                         description=(schema.__doc__ or "").strip())(post)
    view = type(f"{schema.__name__}View", (FeedMessageView,), {"feed_type": feed_type,
                                                                 "post": post})
    return view.as_view()


class BatchLedgerSerializer(serializers.Serializer):
    """received = accepted + quarantined + duplicates, once none is still waiting."""

    batch_id = serializers.IntegerField()
    feed_type = serializers.CharField()
    received_at = serializers.DateTimeField()
    received = serializers.IntegerField(help_text="Messages in the batch.")
    accepted = serializers.IntegerField()
    quarantined = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text="Already received before (same key, "
                                          "same bytes): counted once, where first received.")
    waiting = serializers.IntegerField(help_text="Stored, not yet processed by the worker.")
    balanced = serializers.BooleanField()


class BatchMessageSerializer(serializers.Serializer):
    """One message of a batch: where it is kept and what became of it."""

    row = serializers.IntegerField(help_text="Its place in `messages`, counting from 1.")
    code = serializers.ChoiceField(
        [202, 422, 400, 409],
        help_text="What the single-message endpoint would answer: 202 stored, 422 invalid, "
        "400 not a JSON object with an idempotency_key, 409 key already used with a different "
        "body. All four are kept (400 and 409 in quarantine), so the ledger balances.")
    message_id = serializers.IntegerField()
    status = serializers.ChoiceField(MessageStatus.choices)
    errors = serializers.ListField(child=serializers.DictField(),
                                   help_text="[{row, field, reason}]")
    event_id = serializers.IntegerField(allow_null=True)
    replayed = serializers.BooleanField(help_text="Received before: this is its first receipt.")


class BatchReceiptSerializer(serializers.Serializer):
    batch_id = serializers.IntegerField()
    ledger = BatchLedgerSerializer()
    messages = BatchMessageSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    errors = serializers.ListField(child=serializers.DictField(), help_text="[{field, reason}]")


def ledger_body(batch: Batch) -> dict:
    counts = ledger(batch)
    return {"batch_id": batch.pk, "feed_type": batch.feed_type,
            "received_at": batch.received_at, "received": counts["received"],
            "accepted": counts["accepted"], "quarantined": counts["quarantined"],
            "duplicates": counts["duplicates"], "waiting": counts["processing"],
            "balanced": counts["balanced"]}


def _item_body(item: ItemReceipt) -> dict:
    return {"row": item.row, "code": item.code, **receipt_body(item.message),
            "replayed": item.replayed}


class FeedBatchView(PartnerAPIView):
    """Deliver many messages of a feed in one request; each is kept as if sent on its own."""

    feed_type = ""

    def post(self, request, feed_type=None):
        feed = self.feed_type or feed_type
        if not self.sendable(request, feed):
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        try:
            items = read_batch(request.body)
        except RequestDataTooBig:
            return too_large(f"is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; "
                             "send fewer messages per batch")
        except BatchRefused as refused:
            code = (status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if refused.too_many
                    else status.HTTP_400_BAD_REQUEST)
            return Response({"errors": refused.errors}, status=code)
        batch, receipts = receive_batch(partner=request.auth, feed_type=feed, items=items)
        response = Response({"batch_id": batch.pk, "ledger": ledger_body(batch),
                             "messages": [_item_body(r) for r in receipts]},
                            status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("feed-batch", args=[batch.pk])
        return response


@extend_schema_view(post=extend_schema(exclude=True))
class UnknownBatchView(FeedBatchView):
    """Any other feed name: the same 404 a credential gets for a feed it may not send."""


class BatchLedgerView(PartnerAPIView):
    """The ledger of a batch this system sent."""

    @extend_schema(operation_id="batch_ledger", summary="Read a batch's ledger",
                   responses={200: BatchLedgerSerializer,
                              404: OpenApiResponse(description="Not found")})
    def get(self, request, batch_id: int):
        batch = Batch.objects.filter(pk=batch_id, partner=request.auth).first()
        if batch is None:
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        return Response(ledger_body(batch))


def batch_view(feed_type: str):
    """The batch endpoint for one feed, documented with that feed's schema."""
    schema = SCHEMAS[feed_type]
    name = feed_type.title().replace("_", "")
    request = inline_serializer(f"{name}Batch", {"messages": serializers.ListField(
        child=schema(), min_length=1, max_length=settings.FEEDS_API_BATCH_MAX)})
    responses = {
        202: BatchReceiptSerializer,
        400: OpenApiResponse(RefusalSerializer, description="Not a JSON object with a list "
                             "of messages; nothing is stored"),
        404: OpenApiResponse(description="No such feed for this credential"),
        413: OpenApiResponse(RefusalSerializer, description="More messages than the "
                             "maximum (named in the reason), or too large a body"),
    }

    def post(self, request, *args, **kwargs):
        return FeedBatchView.post(self, request)

    post = extend_schema(
        request=request, responses=responses, operation_id=f"send_{feed_type}_batch",
        summary=f"Send a batch of {feed_type.replace('_', ' ')} messages",
        description=f"Up to {settings.FEEDS_API_BATCH_MAX} messages, each exactly as "
        f"`send_{feed_type}` takes it, with its own idempotency_key. Answers 202 with each "
        "message's receipt, in order, and the batch's ledger.")(post)
    view = type(f"{name}BatchView", (FeedBatchView,), {"feed_type": feed_type, "post": post})
    return view.as_view()
