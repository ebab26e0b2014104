"""Leads and customers of the CRM over REST (F31, F43, F44, F45): the same selectors and services as the pages.

Every read is scoped to the caller's centers (a party of another team is a 404) and every write goes
through ``crm.services``; a refused write is a 400 with Persian field errors.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import (DateField, ScopedChoicesMixin, model_field, page_parameter, paged_schema,
                                 require_perms)
from aftersales.core.persian import to_ascii_digits
from aftersales.customers.models import Customer
from aftersales.organization.scoping import scope_queryset

from . import services
from .models import CreditAssessment, Party, ReturnedCheque
from .selectors import next_step_suggest, party_list

_CUSTOMER_FIELDS = ("kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                    "economic_number", "mobile", "email", "notes")
_PARTY_FIELDS = ("party_type", "center", "marketer", "rating", "score", "status", "activity", "source", "region",
                 "next_step", "next_step_date")



class PartyFieldsSerializer(ScopedChoicesMixin, serializers.Serializer):
    party_type = model_field(Party, "party_type", help_text="A party type's id")
    center = model_field(Party, "center", help_text="The team (office or center) whose marketers follow the party")
    marketer = model_field(Party, "marketer", required=False, allow_null=True)
    rating = model_field(Party, "rating", required=False)
    score = model_field(Party, "score", required=False, allow_null=True, max_value=100)
    status = model_field(Party, "status", required=False)
    activity = model_field(Party, "activity", required=False, allow_blank=True)
    source = model_field(Party, "source", required=False, allow_null=True)
    region = model_field(Party, "region", required=False, allow_null=True, help_text="A city's or district's id")
    next_step = model_field(Party, "next_step", required=False, allow_blank=True)
    next_step_date = DateField(required=False, allow_null=True)

    def validate_region(self, value):
        if value is not None and value.kind not in ("city", "district"):
            raise serializers.ValidationError(Party._meta.get_field("region").error_messages["invalid_choice"]
                                              % {"value": value.pk})
        return value


class LeadInSerializer(PartyFieldsSerializer):
    kind = model_field(Customer, "kind", required=False, default=Customer.Kind.PERSON)
    first_name = model_field(Customer, "first_name", required=False, allow_blank=True)
    last_name = model_field(Customer, "last_name", required=False, allow_blank=True)
    company_name = model_field(Customer, "company_name", required=False, allow_blank=True)
    national_code = model_field(Customer, "national_code", required=False, allow_blank=True)
    legal_national_id = model_field(Customer, "legal_national_id", required=False, allow_blank=True)
    economic_number = model_field(Customer, "economic_number", required=False, allow_blank=True)
    mobile = model_field(Customer, "mobile", required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="A landline")
    email = model_field(Customer, "email", required=False, allow_blank=True)
    notes = model_field(Customer, "notes", required=False, allow_blank=True)


class PartyPatchSerializer(PartyFieldsSerializer):
    party_type = model_field(Party, "party_type", required=False)
    center = model_field(Party, "center", required=False)


class PartyStepSerializer(serializers.Serializer):
    code = serializers.CharField(source="transition.code")
    name = serializers.CharField(source="transition.name")
    target = serializers.CharField(source="transition.target.code")
    target_name = serializers.CharField(source="transition.target.name")
    open = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="customer.display_name")
    kind = serializers.CharField(source="customer.kind")
    is_lead = serializers.BooleanField(source="customer.is_lead")
    mobile = serializers.CharField(source="customer.mobile")
    national_code = serializers.CharField(source="customer.national_code")
    legal_national_id = serializers.CharField(source="customer.legal_national_id")
    email = serializers.CharField(source="customer.email")
    party_type = serializers.CharField(source="party_type.code")
    party_type_name = serializers.CharField(source="party_type.name")
    state = serializers.CharField(source="state.code")
    state_name = serializers.CharField(source="state.name")
    version = serializers.IntegerField()
    state_entered_at = serializers.DateTimeField()
    days_in_stage = serializers.IntegerField()
    rating = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    activity = serializers.CharField()
    source = serializers.SerializerMethodField()
    region = serializers.IntegerField(source="region_id", allow_null=True)
    center = serializers.IntegerField(source="center_id")
    marketer = serializers.IntegerField(source="marketer_id", allow_null=True)
    next_step = serializers.CharField()
    next_step_date = serializers.DateField(allow_null=True)
    last_contact_at = serializers.DateTimeField(allow_null=True)
    credit_status = serializers.CharField(source="customer.credit_status")
    credit_limit = serializers.IntegerField(source="customer.credit_limit", allow_null=True)
    credit_assessed_on = serializers.DateField(source="customer.credit_assessed_on", allow_null=True)

    def get_source(self, party) -> str | None:
        return party.source.code if party.source_id else None


class LeadDetailSerializer(LeadSerializer):
    """One party, with the steps out of its stage (open or not, and why) and the suggested one."""

    steps = serializers.SerializerMethodField()
    suggested_step = serializers.SerializerMethodField()
    suggestion_reason = serializers.SerializerMethodField()

    def _suggestion(self, party):
        if not hasattr(party, "_suggestion"):
            party._suggestion = next_step_suggest(party, self.context["request"].user)
        return party._suggestion

    @extend_schema_field(PartyStepSerializer(many=True))
    def get_steps(self, party) -> list[dict]:
        return PartyStepSerializer(self._suggestion(party).steps, many=True).data

    def get_suggested_step(self, party) -> str | None:
        suggested = self._suggestion(party).suggested
        return suggested.transition.code if suggested is not None else None

    def get_suggestion_reason(self, party) -> str:
        return self._suggestion(party).reason


class PartyMoveSerializer(serializers.Serializer):
    step = serializers.SlugField(help_text="The step's code, e.g. analyse, send_proforma, lose")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="The version you saw; a stale one is refused")


class PartyMergeSerializer(serializers.Serializer):
    duplicate = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The duplicate lead's or customer's id; it is merged into this one")


class ReturnedChequeInSerializer(serializers.Serializer):
    sayad_number = serializers.CharField(max_length=40, help_text="16 digits")
    bank = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    amount = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    returned_on = DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReturnedChequeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnedCheque
        fields = ["sayad_number", "bank", "amount", "returned_on", "reason"]


class CreditAssessmentInSerializer(serializers.Serializer):
    party = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The party's (lead's or customer's) id")
    status = model_field(CreditAssessment, "status")
    limit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     help_text="Rials; only for credit up to a limit")
    declared_turnover = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    years_in_business = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                                 max_value=200)
    references = serializers.CharField(required=False, allow_blank=True, default="")
    verdict = serializers.CharField()
    assessed_on = DateField(required=False, allow_null=True, default=None)
    returned_cheques = ReturnedChequeInSerializer(many=True, required=False, default=list)

    def validate_returned_cheques(self, value):
        from django.utils.translation import gettext as _

        if len(value) > 20:
            raise serializers.ValidationError(_("At most 20 returned cheques in one assessment."))
        return value


class CreditAssessmentSerializer(serializers.ModelSerializer):
    returned_cheques = ReturnedChequeSerializer(many=True, read_only=True)

    class Meta:
        model = CreditAssessment
        fields = ["id", "party", "assessed_on", "status", "limit", "declared_turnover", "years_in_business",
                  "references", "verdict", "assessed_by", "created_at", "returned_cheques"]


_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Name, mobile, national code… (any digits, ی/ي)"),
    OpenApiParameter("kind", str, enum=["lead", "customer"]),
    OpenApiParameter("party_type", str, description="A type's id or code"),
    OpenApiParameter("state", str, description="A stage's id or code"),
    OpenApiParameter("rating", str, enum=list(Party.Rating.values)),
    OpenApiParameter("status", str, enum=list(Party.Status.values)),
    OpenApiParameter("marketer", int),
    OpenApiParameter("source", str, description="A source's id or code"),
    OpenApiParameter("due", bool, description="The next step's date is today or earlier"),
    OpenApiParameter("stale_days", int, description="No contact for this many days (or never)"),
]


def _list_filters(params) -> dict:
    values = {}
    if params.get("kind") in ("lead", "customer"):
        values["kind"] = params["kind"]
    for name in ("party_type", "state", "source", "marketer"):
        value = to_ascii_digits(params.get(name, "")).strip()
        if value and (name != "marketer" or value.isdigit()):
            values[name] = int(value) if value.isdigit() and len(value) < 18 else value
    for name, choices in (("rating", Party.Rating.values), ("status", Party.Status.values)):
        if params.get(name) in choices:
            values[name] = params[name]
    if params.get("due") in ("1", "true", "True", "yes"):
        values["due"] = True
    stale = to_ascii_digits(params.get("stale_days", "")).strip()
    if stale.isdigit() and int(stale) < 100000:
        values["stale_days"] = int(stale)
    return values


def _party_or_404(request, pk) -> Party:
    if not 0 < int(pk) < 2**63:  # beyond any id: SQLite cannot even compare it
        raise Http404
    return get_object_or_404(party_list(user=request.user), pk=pk)


class LeadListApi(APIView):
    """Leads and customers in the CRM the caller may see; and a new lead."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="leads_list", parameters=[*_LIST_PARAMETERS, page_parameter()],
                   responses=paged_schema("LeadPage", LeadSerializer),
                   summary="Leads and customers in the CRM (scoped to your teams), searched and filtered, paged")
    def get(self, request):
        require_perms(request, "crm.view_party")
        parties = party_list(user=request.user, query=request.query_params.get("q", ""),
                             **_list_filters(request.query_params)).order_by("-state_entered_at", "pk")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(parties, request, view=self)
        return paginator.get_paginated_response(LeadSerializer(page, many=True).data)

    @extend_schema(request=LeadInSerializer, responses={201: LeadDetailSerializer},
                   summary="Register a lead: 400 with Persian field errors, e.g. a national code a customer holds")
    def post(self, request):
        require_perms(request, "crm.add_party", "customers.add_customer")
        incoming = LeadInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = {name: value for name, value in incoming.validated_data.items() if value not in (None, "")}
        party = services.lead_create(acting_user=request.user, **values)
        party = _party_or_404(request, party.pk)
        return Response(LeadDetailSerializer(party, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class LeadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=LeadDetailSerializer, summary="One lead or customer in the CRM, with its open steps")
    def get(self, request, pk):
        require_perms(request, "crm.view_party")
        return Response(LeadDetailSerializer(_party_or_404(request, pk), context={"request": request}).data)

    @extend_schema(request=PartyPatchSerializer, responses=LeadDetailSerializer,
                   summary="Change what marketing knows of the party (type, team, marketer, rating, next step…)")
    def patch(self, request, pk):
        require_perms(request, "crm.change_party")
        party = _party_or_404(request, pk)
        incoming = PartyPatchSerializer(data=request.data, partial=True, context={"request": request})
        incoming.is_valid(raise_exception=True)
        services.party_update(party=party, acting_user=request.user, **incoming.validated_data)
        return Response(LeadDetailSerializer(_party_or_404(request, pk), context={"request": request}).data)


class PartyMoveApi(APIView):
    """Take a step out of the party's stage; a step the workflow refuses is a 400 with the Persian reason."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PartyMoveSerializer, responses=LeadDetailSerializer, summary="Move the party's stage")
    def post(self, request, pk):
        require_perms(request, "crm.move_party")
        party = _party_or_404(request, pk)
        incoming = PartyMoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        services.party_move(party=party, code=values["step"], acting_user=request.user, comment=values["comment"],
                            version=values["version"])
        return Response(LeadDetailSerializer(_party_or_404(request, pk), context={"request": request}).data)


class PartyConvertApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=LeadDetailSerializer,
                   summary="Make a lead a customer; its contacts, notes and stage stay")
    def post(self, request, pk):
        require_perms(request, "crm.change_party")
        party = _party_or_404(request, pk)
        services.lead_convert(party=party, acting_user=request.user)
        return Response(LeadDetailSerializer(_party_or_404(request, pk), context={"request": request}).data)


class PartyMergeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PartyMergeSerializer, responses=LeadDetailSerializer,
                   summary="Merge a duplicate lead or customer into this party (a manager's right)")
    def post(self, request, pk):
        require_perms(request, "customers.delete_customer")
        party = _party_or_404(request, pk)
        incoming = PartyMergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        duplicate = Customer.objects.filter(pk=incoming.validated_data["duplicate"], merged_into__isnull=True).first()
        duplicate_party = Party.objects.filter(pk=duplicate.pk).first() if duplicate is not None else None
        if duplicate is None or (duplicate_party is not None
                                 and not scope_queryset(Party.objects.filter(pk=duplicate.pk), request.user).exists()):
            from django.utils.translation import gettext as _

            raise serializers.ValidationError({"duplicate": [_("No such lead or customer.")]})
        services.party_merge(keep=party.customer, duplicate=duplicate, acting_user=request.user)
        return Response(LeadDetailSerializer(_party_or_404(request, pk), context={"request": request}).data)


class CreditAssessmentListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("party", OpenApiTypes.INT), page_parameter()],
                   responses=paged_schema("CreditAssessmentPage", CreditAssessmentSerializer),
                   summary="Credit assessments of the parties you may see, newest first")
    def get(self, request):
        require_perms(request, "crm.view_creditassessment")
        assessments = scope_queryset(CreditAssessment.objects.prefetch_related("returned_cheques"), request.user)
        party = to_ascii_digits(request.query_params.get("party", "")).strip()
        if party.isdigit() and len(party) < 18:
            assessments = assessments.filter(party_id=int(party))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(assessments.order_by("-assessed_on", "-pk"), request, view=self)
        return paginator.get_paginated_response(CreditAssessmentSerializer(page, many=True).data)

    @extend_schema(request=CreditAssessmentInSerializer, responses={201: CreditAssessmentSerializer},
                   summary="Record a credit assessment with its returned cheques; it sets the customer's credit")
    def post(self, request):
        require_perms(request, "crm.add_creditassessment")
        incoming = CreditAssessmentInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        party = party_list(user=request.user).filter(pk=values.pop("party")).first()
        if party is None:
            from django.utils.translation import gettext as _

            raise serializers.ValidationError({"party": [_("No such lead or customer in your teams' CRM.")]})
        assessment = services.credit_assess(party=party, acting_user=request.user, **values)
        assessment = CreditAssessment.objects.prefetch_related("returned_cheques").get(pk=assessment.pk)
        return Response(CreditAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
