"""Partner API for people: the same selectors, so the same policy and audit, as the pages."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from saferoptions.access.routes import PERSONAL_DATA, access_rule
from saferoptions.audit.services import AuditUnavailable

from . import selectors

NOT_FOUND = {"detail": "Not found."}
AUDIT_DOWN = {"detail": "The audit log is unavailable, so no records can be shown."}


class PersonSerializer(serializers.Serializer):
    reference = serializers.UUIDField(source="public_id")
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    kind = serializers.CharField()


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    page = serializers.IntegerField(required=False, min_value=1, max_value=100_000, default=1)


# The published schema (docs at /api/docs/) describes these answers; the API fuzz test
# (web/tests/test_api_fuzz.py) holds every answer to it.
class PersonPageSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = PersonSerializer(many=True)


class PersonRecordSerializer(PersonSerializer):
    purpose = serializers.CharField()
    identities = serializers.ListField(child=serializers.DictField())


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


AUDIT_DOWN_RESPONSE = OpenApiResponse(DetailSerializer, description="Audit log unavailable")
# More than the account's rate (core/api_throttles.py); Retry-After says when to ask again.
THROTTLED_RESPONSE = OpenApiResponse(DetailSerializer, description="Too many requests")


class PersonListApi(APIView):
    """People the caller may see, optionally filtered by name (`q`), 50 a page."""

    @extend_schema(operation_id="people_list", parameters=[SearchParams],
                   responses={200: PersonPageSerializer, 429: THROTTLED_RESPONSE,
                              503: AUDIT_DOWN_RESPONSE})
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            found = selectors.search_people(user=request.user, query=params.validated_data["q"],
                                            page=params.validated_data["page"])
        except AuditUnavailable:
            return Response(AUDIT_DOWN, status=503)
        return Response({
            "total": found.total, "page": found.page, "pages": found.pages,
            "results": PersonSerializer(found.people, many=True).data,
        })


class PersonDetailApi(APIView):
    """One person the caller may see; the same 404 for absent and not allowed."""

    @extend_schema(operation_id="people_retrieve", responses={
        200: PersonRecordSerializer,
        404: OpenApiResponse(DetailSerializer, description="Not found"),
        429: THROTTLED_RESPONSE, 503: AUDIT_DOWN_RESPONSE})
    def get(self, request, public_id):
        try:
            child = selectors.child_record(user=request.user, public_id=public_id)
        except AuditUnavailable:
            return Response(AUDIT_DOWN, status=503)
        if child is None:
            return Response(NOT_FOUND, status=404)
        data = PersonSerializer(child.shown).data  # names and date of birth only if granted
        data["purpose"] = child.decision.purpose
        data["identities"] = [
            {"agency": i["agency"], **{k: _plain(v) for k, v in i["fields"].items()}}
            for i in child.identities
        ]
        return Response(data)


def _plain(value):
    return value if value is None or isinstance(value, str) else str(value)


app_name = "people-api"
urlpatterns = [
    path("", access_rule(PERSONAL_DATA)(PersonListApi.as_view()), name="list"),
    path("<uuid:public_id>/", access_rule(PERSONAL_DATA)(PersonDetailApi.as_view()),
         name="detail"),
]
