"""The partner REST API: one endpoint per feed type, a credential per partner system.

A credential only ever sees its own agency's allowed feeds: any other feed, a feed that does
not exist and a message that is not its own all get the same 404, so nothing is revealed.
"""

import json

from django.core.exceptions import RequestDataTooBig
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

from .models import InboxMessage, MessageStatus, PartnerSystem, hash_token
from .schemas import SCHEMAS, has_lone_surrogate
from .services import KeyConflict, receive_json

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


class FeedMessageView(PartnerAPIView):
    """Deliver one message of a feed."""

    feed_type = ""

    def post(self, request, feed_type=None):
        feed = self.feed_type or feed_type
        if feed not in SCHEMAS or not request.auth.allows(feed):
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        try:
            raw = request.body
        except RequestDataTooBig:
            return Response({"errors": [{"field": "body", "reason": "is too large"}]},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        key, errors = idempotency_key(raw)
        if errors:
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            receipt = receive_json(partner=request.auth, feed_type=feed, key=key, raw=raw)
        except KeyConflict as clash:
            return Response({"detail": f"The idempotency key {key!r} was already used for "
                             f"message {clash.original.pk} with a different body. Send a new "
                             "message with a new key."}, status=status.HTTP_409_CONFLICT)
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
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "", [{"field": "body", "reason": "is not valid UTF-8"}]
    except json.JSONDecodeError as exc:
        return "", [{"field": "body", "reason": f"is not valid JSON ({exc.msg})"}]
    key = data.get("idempotency_key") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key.strip() or len(key) > 100 or has_lone_surrogate(key):
        return "", [{"field": "idempotency_key",
                     "reason": "is required: a text of 1 to 100 characters"}]
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
