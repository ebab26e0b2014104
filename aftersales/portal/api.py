"""The customer portal's REST API (issue 22): the customer's own app calls the same services as the pages.

Signed in the way the pages are (a code texted to the mobile, ``services.sign_in_start``/``sign_in_confirm``),
the client gets a key (``PortalToken``) to send as ``Authorization: Portal <key>``. Every read goes through the
pages' selectors, scoped to the account's customers: another customer's id is a 404, as on the pages. Every
write goes through the pages' service, so the same rules and the same Persian messages, as 400 with field
errors. The account's own pages (purchases, complaints, messages, details) are in ``api_account``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core import jalali
from aftersales.core.api import DateField, JalaliDateTimeField, page_parameter, paged_schema
from aftersales.core.limits import client_address, too_many
from aftersales.core.persian import normalize_identifier

from . import selectors, services
from .authentication import HasPortalAccount, HasPortalKey, PortalTokenAuthentication
from .models import SignInRequest

MAX_ID = 2**63 - 1
TAGS = ["portal"]
_DETAIL = inline_serializer("PortalDetail", {"detail": serializers.CharField()})


@extend_schema_field({"type": "string", "example": "1405/09/12", "nullable": True})
class JalaliDateField(serializers.ReadOnlyField):
    """A display-only Jalali rendering of a date attribute, next to its ISO field."""

    def to_representation(self, value):
        return jalali.format_date(value, latin_digits=True) or None


def jalali_date(value) -> str | None:
    return jalali.format_date(value, latin_digits=True) or None


def jalali_datetime(value) -> str | None:
    return jalali.format_datetime(value, latin_digits=True) or None


def checked_id(pk) -> int:
    """A path id a database can look up; a larger one names nothing (404), never a database error."""
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    return int(pk)


class TooManyRequests(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many requests from your connection; try again in a minute.")
    default_code = "throttled"


class PortalApi(APIView):
    """A portal operation: a customer's portal key, never a staff token or session."""

    authentication_classes = [PortalTokenAuthentication]
    permission_classes = [HasPortalAccount]

    @property
    def account(self):
        return self.request.auth.account

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # a customer's own data: never kept by a proxy
        return response


class Paged(PageNumberPagination):
    page_size = 50  # as page_parameter() documents


def paged(view, rows, serializer):
    paginator = Paged()
    page = paginator.paginate_queryset(rows, view.request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context={"request": view.request}).data)


# --- Sign-in -------------------------------------------------------------------------------------------------

class PortalSignInSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, help_text="The customer's mobile, 09xxxxxxxxx (any digits).")


class PortalSignInConfirmSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=20, help_text="The mobile the code was texted to.")
    code = serializers.CharField(max_length=10, help_text="The 5-digit code texted to the mobile.")


class PortalTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as the header `Authorization: Portal <token>`. "
                                                         "Shown once: only its hash is kept.")
    expires_at = serializers.DateTimeField(help_text="When the key stops working; sign in again then.")
    expires_at_jalali = serializers.CharField()
    mobile = serializers.CharField()
    has_account = serializers.BooleanField(
        help_text="Whether the mobile has customers on record; if not, POST /api/portal/register/.")


def _limited(request, target: str) -> bool:
    """The pages' limit on sign-in attempts, counted in the same scope: the API is no way around it."""
    return too_many(request, "portal:sign-in", settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE,
                    target=normalize_identifier(target))


class SignInApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="portal_sign_in", request=PortalSignInSerializer, tags=TAGS, auth=[],
                   responses={202: _DETAIL, 400: OpenApiResponse(description="An invalid mobile, or "
                                                                                          "too many codes asked."),
                              429: _DETAIL},
                   summary="Text a sign-in code to a mobile; the same answer whether or not it is on record")
    def post(self, request):
        incoming = PortalSignInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        mobile = incoming.validated_data["mobile"]
        if _limited(request, mobile):
            raise TooManyRequests
        services.sign_in_start(mobile=mobile, address=client_address(request))
        return Response({"detail": _("We texted a code to this mobile. Send it with the mobile to sign in.")},
                        status=status.HTTP_202_ACCEPTED)


class SignInConfirmApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="portal_sign_in_confirm", request=PortalSignInConfirmSerializer, tags=TAGS, auth=[],
                   responses={201: PortalTokenSerializer, 429: _DETAIL},
                   summary="Exchange the texted code for a portal key (wrong, expired and used codes are a 400)")
    def post(self, request):
        from aftersales.core.validators import normalize_mobile

        incoming = PortalSignInConfirmSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        mobile, code = normalize_mobile(incoming.validated_data["mobile"]), incoming.validated_data["code"]
        if _limited(request, mobile):
            raise TooManyRequests
        started = (SignInRequest.objects.filter(mobile=mobile, confirmed_at__isnull=True)
                   .order_by("-created_at", "-pk").first())
        if started is None:
            raise ValidationError({"code": _("This code is not valid any more; ask for a new one.")})
        mobile = services.sign_in_confirm(token=started.token, code=code)
        key, token = services.portal_token_issue(mobile=mobile)
        return Response({"token": key, "expires_at": token.expires_at,
                         "expires_at_jalali": jalali_datetime(token.expires_at), "mobile": mobile,
                         "has_account": services.customers_for_mobile(mobile).exists()},
                        status=status.HTTP_201_CREATED)


class SignOutApi(PortalApi):
    permission_classes = [HasPortalKey]

    @extend_schema(operation_id="portal_sign_out", request=None, tags=TAGS,
                   responses={204: OpenApiResponse(description="The key was revoked.")},
                   summary="Revoke the portal key this request was sent with")
    def post(self, request):
        services.portal_token_revoke(token=request.auth.token)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- My units ------------------------------------------------------------------------------------------------

class PortalCoverageSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="active, expired, not_activated, voided, no_policy, …")
    state_label = serializers.CharField(help_text="The state in the customer's words.")
    start = serializers.DateField(allow_null=True)
    start_jalali = JalaliDateField(source="start")
    end = serializers.DateField(allow_null=True)
    end_jalali = JalaliDateField(source="end")
    void_reason = serializers.CharField()
    covers_parts = serializers.BooleanField()
    covers_labour = serializers.BooleanField()

    def to_representation(self, coverage):
        data = super().to_representation(coverage)
        data["state_label"] = str(coverage.state_label())
        data["void_reason"] = str(coverage.void_reason or "")
        return data


class PortalComponentCoverageSerializer(PortalCoverageSerializer):
    component_name = serializers.CharField()
    serial = serializers.CharField()


class PortalUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.pk")
    serial = serializers.CharField(source="unit.serial")
    brand = serializers.CharField(source="unit.brand.name")
    product_model = serializers.CharField(source="unit.product_model.name")
    warranty = PortalCoverageSerializer(source="status.product")


class PortalVisitSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    due_on = serializers.DateField()
    due_on_jalali = JalaliDateField(source="due_on")
    done_on = serializers.DateField(allow_null=True)
    done_on_jalali = JalaliDateField(source="done_on")
    is_free = serializers.BooleanField()
    price = serializers.IntegerField(help_text="Rials; 0 for a free visit.")


class PortalHistorySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The repair: GET /api/portal/repairs/{id}/")
    number = serializers.CharField()
    received_at = serializers.DateTimeField()
    received_at_jalali = JalaliDateTimeField(source="received_at")
    state = serializers.CharField(source="state.label_for_customer", help_text="In the customer's words.")
    description = serializers.CharField(help_text="What the customer told the center.")
    work = serializers.SerializerMethodField(help_text="The services done.")
    parts_replaced = serializers.SerializerMethodField()
    center = serializers.CharField(source="center.name")
    is_warranty = serializers.BooleanField()
    invoiced_amount = serializers.IntegerField(allow_null=True, help_text="Rials.")

    def get_work(self, order) -> list[str]:
        return [str(operation.service_item.title) for operation in order.operations.all()]

    def get_parts_replaced(self, order) -> list[str]:
        return [str(line.spare_part.name) for line in order.fitted_parts]


class PortalUnitDetailSerializer(PortalUnitSerializer):
    components = PortalComponentCoverageSerializer(source="status.components", many=True)
    card_number = serializers.CharField(allow_null=True, help_text="The warranty card, if any.")
    free_services_left = serializers.IntegerField()
    next_service_due_on = serializers.DateField(allow_null=True)
    next_service_due_on_jalali = JalaliDateField(source="next_service_due_on")
    periodic_services = PortalVisitSerializer(many=True)
    repairs = PortalHistorySerializer(many=True, help_text="The unit's repair history, newest first.")


class UnitListApi(PortalApi):
    @extend_schema(operation_id="portal_units", tags=TAGS, responses=PortalUnitSerializer(many=True),
                   summary="Every unit the customer owns, with its warranty state and end date, newest first")
    def get(self, request):
        return Response(PortalUnitSerializer(selectors.units(self.account), many=True).data)


class UnitApi(PortalApi):
    @extend_schema(operation_id="portal_unit", tags=TAGS, responses=PortalUnitDetailSerializer,
                   summary="One unit: warranty and its components', card, periodic services, repair history")
    def get(self, request, pk):
        from aftersales.warranty.selectors import unit_entitlements
        from aftersales.warranty.status import unit_warranty_status

        unit = selectors.unit(self.account, checked_id(pk))
        today = timezone.localdate()
        warranty = unit_warranty_status(unit, today)
        visits = selectors.unit_visits(unit)
        entitlements = unit_entitlements(unit, warranty, visits)
        card = selectors.unit_card(unit)
        upcoming = selectors.next_visit(visits, today)
        row = {"unit": unit, "status": warranty, "card_number": card.number if card else None,
               "free_services_left": entitlements.free_services_left,
               "next_service_due_on": upcoming.due_on if upcoming else None, "periodic_services": visits,
               "repairs": selectors.orders_with_work(self.account, unit_=unit)}
        return Response(PortalUnitDetailSerializer(row).data)


# --- My repairs ----------------------------------------------------------------------------------------------

class PortalRepairSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    tracking_code = serializers.CharField()
    product = serializers.SerializerMethodField()
    serial = serializers.CharField()
    state_code = serializers.CharField(source="state.code")
    state = serializers.CharField(source="state.label_for_customer", help_text="In the customer's words.")
    is_open = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField()
    received_at_jalali = JalaliDateTimeField(source="received_at")
    promised_on = serializers.DateField(allow_null=True)
    promised_on_jalali = JalaliDateField(source="promised_on")
    estimate_status = serializers.CharField(help_text="pending: an estimate waits for the answer.")

    def get_product(self, order) -> str:
        return str(order.product_model or "")

    def get_is_open(self, order) -> bool:
        return not order.state.is_final


class PortalEstimateLineSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField()
    amount = serializers.IntegerField()


class PortalEstimateSerializer(serializers.Serializer):
    status = serializers.CharField()
    total = serializers.IntegerField(allow_null=True, help_text="Rials, VAT included.")
    subtotal = serializers.IntegerField(allow_null=True)
    vat = serializers.IntegerField(allow_null=True)
    lines = PortalEstimateLineSerializer(many=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_at_jalali = JalaliDateTimeField(source="answered_at")


class PortalPaymentSerializer(serializers.Serializer):
    paid_at = serializers.DateTimeField()
    paid_at_jalali = JalaliDateTimeField(source="paid_at")
    method = serializers.CharField(source="get_method_display")
    amount = serializers.IntegerField()


class PortalInvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    issued_at_jalali = JalaliDateTimeField(source="issued_at")
    total = serializers.IntegerField(help_text="Rials.")
    paid = serializers.IntegerField()
    owed = serializers.IntegerField()
    payments = PortalPaymentSerializer(many=True, source="payments.all")
    pdf_url = serializers.SerializerMethodField(help_text="The invoice as PDF, on the portal's pages.")

    def get_pdf_url(self, invoice) -> str:
        from django.urls import reverse

        return reverse("portal:invoice-pdf", args=[invoice.pk])


class PortalStepSerializer(serializers.Serializer):
    state = serializers.CharField(source="target.label_for_customer")
    at = serializers.DateTimeField()
    at_jalali = JalaliDateTimeField(source="at")


class PortalCenterSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class PortalRepairDetailSerializer(PortalRepairSerializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    appointment_at = serializers.DateTimeField(allow_null=True)
    appointment_at_jalali = JalaliDateTimeField(source="appointment_at")
    estimate = PortalEstimateSerializer(source="portal_estimate")
    invoices = PortalInvoiceSerializer(many=True, source="portal_invoices")
    owed = serializers.IntegerField(source="portal_owed", help_text="Rials still to pay.")
    steps = PortalStepSerializer(many=True, source="portal_steps")
    center = PortalCenterSerializer(source="portal_center")
    survey_url = serializers.CharField(source="portal_survey_url", allow_null=True,
                                       help_text="The survey of a finished repair, while unanswered.")


def repair_data(account, order) -> dict:
    """The repair as the portal's repair page shows it."""
    from django.urls import reverse

    from aftersales.repairs import estimates
    from aftersales.repairs.selectors import order_timeline

    figures = estimates.estimate_figures(order)
    invoices = selectors.order_invoices(account, order)
    survey = selectors.survey_for(selectors.surveys_waiting(account), order)
    order.portal_estimate = {"status": order.estimate_status, "total": figures.total, "subtotal": figures.subtotal,
                             "vat": figures.vat, "lines": figures.lines, "answered_at": order.estimate_answered_at}
    order.portal_invoices = invoices
    order.portal_owed = sum(invoice.owed for invoice in invoices)
    order.portal_steps = [entry for entry in order_timeline(order) if entry.source_id != entry.target_id]
    center = order.center
    order.portal_center = {"name": center.name, "phone": normalize_identifier(center.phone or ""),
                           "address": "، ".join(part for part in (center.province, center.city, center.address) if part)}
    order.portal_survey_url = reverse("survey", args=[survey.token]) if survey else None
    return PortalRepairDetailSerializer(order).data


OPEN, FINISHED = "open", "finished"


class RepairListApi(PortalApi):
    @extend_schema(operation_id="portal_repairs", tags=TAGS, responses=paged_schema("PortalRepairPage", PortalRepairSerializer),
                   parameters=[page_parameter(),
                               OpenApiParameter("status", str, enum=[OPEN, FINISHED],
                                                description="open: not handed back yet; finished: done")],
                   summary="The customer's repairs, newest first, 50 a page")
    def get(self, request):
        rows = selectors.orders(self.account)
        wanted = request.query_params.get("status")
        if wanted == OPEN:
            rows = rows.filter(state__is_final=False)
        elif wanted == FINISHED:
            rows = rows.filter(state__is_final=True)
        elif wanted:
            raise ValidationError({"status": _("Choose open or finished.")})
        return paged(self, rows, PortalRepairSerializer)


class RepairApi(PortalApi):
    @extend_schema(operation_id="portal_repair", tags=TAGS, responses=PortalRepairDetailSerializer,
                   summary="One repair: its state in plain words, promised date, estimate, invoices with what is "
                           "paid and owed, steps")
    def get(self, request, pk):
        return Response(repair_data(self.account, selectors.order(self.account, checked_id(pk))))


class PortalEstimateAnswerSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves the estimate, false refuses it.")


class EstimateAnswerApi(PortalApi):
    @extend_schema(operation_id="portal_repair_estimate", tags=TAGS, request=PortalEstimateAnswerSerializer,
                   responses=PortalRepairDetailSerializer,
                   summary="Approve or refuse the estimate waiting for an answer (none waiting: a 400)")
    def post(self, request, pk):
        from aftersales.repairs.services import estimate_answer

        order = selectors.order(self.account, checked_id(pk))
        incoming = PortalEstimateAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        estimate_answer(order=order, approve=incoming.validated_data["approve"], channel="portal")
        return Response(repair_data(self.account, selectors.order(self.account, order.pk)))


# --- Requests for service ------------------------------------------------------------------------------------

class PortalServiceRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="pending, confirmed, declined or cancelled")
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    product = serializers.SerializerMethodField()
    serial = serializers.CharField()
    description = serializers.CharField()
    region = serializers.IntegerField(source="region_id")
    preferred_on = serializers.DateField(allow_null=True)
    preferred_on_jalali = JalaliDateField(source="preferred_on")
    window = serializers.CharField()
    center = serializers.CharField(source="center.name")
    repair = serializers.IntegerField(source="order_id", allow_null=True,
                                      help_text="The repair it became, once the center confirmed it.")
    tracking_code = serializers.SerializerMethodField()
    decline_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_at_jalali = JalaliDateTimeField(source="created_at")

    def get_product(self, row) -> str:
        return str(row.product or "")

    def get_tracking_code(self, row) -> str | None:
        return row.order.tracking_code if row.order_id else None


def _regions():
    from aftersales.regions.models import Region

    return Region.objects.filter(is_active=True)


def _product_models():
    from aftersales.catalog.models import ProductModel

    return ProductModel.objects.filter(is_active=True)


def _kinds():
    from aftersales.repairs.models import ServiceRequest

    return ServiceRequest.KINDS


def _windows():
    from aftersales.repairs.models import ServiceRequest

    return ServiceRequest.Window.choices


class PortalServiceRequestInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                    help_text="One of the customer's units (GET /api/portal/units/); "
                                                           "else product_model or serial.")
    product_model = serializers.PrimaryKeyRelatedField(queryset=_product_models(), required=False, allow_null=True,
                                                       default=None,
                                                       help_text="For a product not registered yet.")
    serial = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=_kinds(), help_text="A repair at the center or a home visit.")
    description = serializers.CharField(max_length=2000, help_text="What is wrong.")
    region = serializers.PrimaryKeyRelatedField(queryset=_regions(), help_text="A city or district.")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                    help_text="Required for a home visit.")
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                        help_text="Required for a home visit.")
    preferred_on = DateField(required=False, allow_null=True, default=None,
                             help_text="ISO 2026-12-06 or Jalali 1405/09/15; within 60 days.")
    window = serializers.ChoiceField(choices=_windows(), required=False, default="any",
                                     help_text="The preferred time of day.")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   help_text="Optional photos (multipart).")
    submission_key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                           help_text="The same key again (a retry) returns the same "
                                                                  "request.")


class ServiceRequestListApi(PortalApi):
    @extend_schema(operation_id="portal_service_requests", tags=TAGS, parameters=[page_parameter()],
                   responses=paged_schema("PortalServiceRequestPage", PortalServiceRequestSerializer),
                   summary="The customer's requests for service, newest first, with the repair each became")
    def get(self, request):
        return paged(self, selectors.service_requests(self.account), PortalServiceRequestSerializer)

    @extend_schema(operation_id="portal_service_request_create", tags=TAGS,
                   request={"application/json": PortalServiceRequestInputSerializer,
                            "multipart/form-data": PortalServiceRequestInputSerializer},
                   responses={201: PortalServiceRequestSerializer},
                   summary="Ask for a repair at the center or a home visit; it goes to the center serving the region")
    def post(self, request):
        from aftersales.catalog.models import ProductUnit
        from aftersales.repairs.requests import service_request_submit

        incoming = PortalServiceRequestInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        unit = None
        if values["unit"] is not None:
            unit = (ProductUnit.objects.filter(pk=values["unit"], owner_id__in=self.account.ids)
                    .select_related("product_model").first())
            if unit is None:
                raise ValidationError({"unit": _("This unit is not registered to you. Register your purchase first, "
                                                 "or give the product model and serial instead.")})
        owner = unit.owner if unit is not None else self.account.customer
        photos = request.FILES.getlist("photos")
        sent = service_request_submit(
            customer=owner, kind=values["kind"], description=values["description"], region=values["region"],
            address=values["address"], postal_code=values["postal_code"], unit=unit,
            product_model=None if unit else values["product_model"], serial="" if unit else values["serial"],
            preferred_on=values["preferred_on"], window=values["window"], photos=photos,
            submission_key=values["submission_key"] or None)
        found = selectors.service_requests(self.account).get(pk=sent.pk)
        return Response(PortalServiceRequestSerializer(found).data, status=status.HTTP_201_CREATED)


class ServiceRequestCancelApi(PortalApi):
    @extend_schema(operation_id="portal_service_request_cancel", tags=TAGS, request=None,
                   responses=PortalServiceRequestSerializer,
                   summary="Withdraw a pending request (one the center already decided on is a 400)")
    def post(self, request, pk):
        from aftersales.repairs.requests import service_request_cancel

        found = selectors.service_request(self.account, checked_id(pk))
        service_request_cancel(request=found, customer=found.customer)
        return Response(PortalServiceRequestSerializer(selectors.service_requests(self.account).get(pk=found.pk)).data)
