"""The customer's account over the portal's REST API (issue 22): register a purchase, complaints, the messages
sent to them, their details and addresses. The same selectors and services as ``views_account``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from aftersales.core.api import DateField, JalaliDateTimeField, page_parameter, paged_schema
from aftersales.core.limits import too_many
from aftersales.feedback.services import TEXT_LIMIT

from . import selectors, selectors_account, services_account
from .access import Account
from .services import customer_register, customers_for_mobile
from .api import MAX_ID, TAGS, PortalApi, PortalUnitSerializer, TooManyRequests, checked_id, paged
from .authentication import HasPortalKey


# --- Register a purchase -------------------------------------------------------------------------------------

class PortalPurchaseSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=40, help_text="On the label on the back or side of the product.")
    card_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                        help_text="The warranty card's number, if the customer has one.")
    purchase_date = DateField(help_text="ISO 2026-03-30 or Jalali 1405/01/10; not in the future.")
    invoice_photo = serializers.FileField(help_text="A photo of the purchase invoice (an image).")


class PurchaseApi(PortalApi):
    @extend_schema(operation_id="portal_purchase_register", tags=TAGS,
                   request={"multipart/form-data": PortalPurchaseSerializer}, responses={201: PortalUnitSerializer},
                   summary="Register a purchase: the unit's warranty is activated and the unit becomes the customer's")
    def post(self, request):
        from aftersales.warranty.services import purchase_register
        from aftersales.warranty.status import unit_warranty_status

        account = self.account
        if too_many(request, "portal:unit-register", settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE, target=account.mobile):
            raise TooManyRequests
        incoming = PortalPurchaseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        card = purchase_register(customer=account.customer, own_customer_ids=account.ids, serial=data["serial"],
                                 card_number=data["card_number"], purchase_date=data["purchase_date"],
                                 invoice_photo=data["invoice_photo"])
        unit = selectors.unit(account, card.unit_id)
        row = {"unit": unit, "status": unit_warranty_status(unit, timezone.localdate())}
        return Response(PortalUnitSerializer(row).data, status=status.HTTP_201_CREATED)


# --- Complaints ----------------------------------------------------------------------------------------------

class PortalComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="The tracking number told to the customer.")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    repair = serializers.IntegerField(source="repair_order_id", allow_null=True)
    subject = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_at_jalali = JalaliDateTimeField(source="created_at")
    answer = serializers.CharField(help_text="The company's answer; empty until answered.")
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_at_jalali = JalaliDateTimeField(source="answered_at")


class PortalComplaintInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                    help_text="One of the customer's units it is about, if any.")
    repair = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                      help_text="One of the customer's repairs it is about, if any.")
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=TEXT_LIMIT)
    submission_key = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                           help_text="The same key again (a retry) records it once.")


class ComplaintListApi(PortalApi):
    @extend_schema(operation_id="portal_complaints", tags=TAGS, parameters=[page_parameter()],
                   responses=paged_schema("PortalComplaintPage", PortalComplaintSerializer),
                   summary="The customer's complaints and suggestions with their answers, newest first")
    def get(self, request):
        return paged(self, selectors_account.complaints(self.account), PortalComplaintSerializer)

    @extend_schema(operation_id="portal_complaint_create", tags=TAGS, request=PortalComplaintInputSerializer,
                   responses={201: PortalComplaintSerializer},
                   summary="File a complaint about one of the customer's units or repairs, or something else")
    def post(self, request):
        from aftersales.catalog.models import ProductUnit
        from aftersales.feedback.models import Complaint
        from aftersales.feedback.services import complaint_receive
        from aftersales.repairs.models import RepairOrder

        account = self.account
        incoming = PortalComplaintInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data["unit"] is not None and data["repair"] is not None:
            raise ValidationError({"repair": _("Choose a product or a repair, not both.")})
        unit = order = None
        if data["unit"] is not None:
            unit = ProductUnit.objects.filter(pk=data["unit"], owner_id__in=account.ids).first()
            if unit is None:
                raise ValidationError({"unit": _("Choose one of your products.")})
        if data["repair"] is not None:
            order = RepairOrder.objects.filter(pk=data["repair"], customer_id__in=account.ids).first()
            if order is None:
                raise ValidationError({"repair": _("Choose one of your repairs.")})
        customer = order.customer if order else unit.owner if unit else account.customer
        category = (Complaint.Category.SERVICE if order else Complaint.Category.PRODUCT if unit
                    else Complaint.Category.OTHER)
        key = data["submission_key"]
        complaint = complaint_receive(
            channel=Complaint.Channel.PORTAL, category=category, name=customer.known_name, mobile=account.mobile,
            serial=unit.serial if unit else "", subject=data["subject"], text=data["text"], customer=customer,
            unit=unit, repair_order=order, submission_key=f"portal:{customer.pk}:{key}" if key else None)
        return Response(PortalComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


# --- Messages ------------------------------------------------------------------------------------------------

class PortalMessageSerializer(serializers.Serializer):
    channel = serializers.CharField(source="message.channel", help_text="sms or email")
    subject = serializers.CharField(source="message.subject")
    text = serializers.CharField(help_text="What was sent; a code is never shown.")
    is_code = serializers.BooleanField(help_text="A sign-in or activation code, shown by what it was.")
    at = serializers.DateTimeField()
    at_jalali = JalaliDateTimeField(source="at")


class MessageListApi(PortalApi):
    @extend_schema(operation_id="portal_messages", tags=TAGS, parameters=[page_parameter()],
                   responses=paged_schema("PortalMessagePage", PortalMessageSerializer),
                   summary="The SMS and e-mails the company sent the customer, newest first (codes hidden)")
    def get(self, request):
        from .api import Paged

        paginator = Paged()
        page = paginator.paginate_queryset(selectors_account.messages(self.account), request, view=self)
        rows = [selectors_account.shown(message) for message in page]
        return paginator.get_paginated_response(PortalMessageSerializer(rows, many=True).data)


# --- My details ----------------------------------------------------------------------------------------------

class PortalAddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.IntegerField(source="region_id")
    region_name = serializers.CharField(source="region.__str__")
    address = serializers.CharField()
    postal_code = serializers.CharField()
    is_default = serializers.BooleanField()


class PortalMeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    name = serializers.CharField(help_text="The name to address the customer by.")
    mobile = serializers.CharField(help_text="The mobile signed in.")
    national_code = serializers.CharField(help_text="Recorded once; then only staff change it.")
    email = serializers.CharField()
    phones = serializers.ListField(child=serializers.CharField(), help_text="Read-only on the portal.")
    addresses = PortalAddressSerializer(many=True)
    marketing_opt_out = serializers.BooleanField(
        help_text="Advertising SMS to this mobile stopped (the «لغو» rule); service messages still go.")
    customers = serializers.IntegerField(help_text="How many customer records share this mobile.")


def me_data(account) -> dict:
    customer = account.customer
    return PortalMeSerializer({
        "id": customer.pk, "kind": customer.kind, "first_name": customer.first_name, "last_name": customer.last_name,
        "name": customer.known_name or customer.display_name, "mobile": account.mobile,
        "national_code": customer.national_code or "", "email": customer.email or "",
        "phones": selectors_account.phones(customer), "addresses": selectors_account.addresses(customer),
        "marketing_opt_out": selectors_account.is_opted_out(account.mobile), "customers": len(account.customers),
    }).data


class PortalMeUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    national_code = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                          help_text="Only when none is recorded; then only staff change it.")
    marketing_opt_out = serializers.BooleanField(required=False,
                                                 help_text="true stops advertising SMS, false allows them.")


class MeApi(PortalApi):
    @extend_schema(operation_id="portal_me", tags=TAGS, responses=PortalMeSerializer,
                   summary="The customer's details: name, national code, e-mail, phones, addresses, advertising SMS")
    def get(self, request):
        return Response(me_data(self.account))

    @extend_schema(operation_id="portal_me_update", tags=TAGS, request=PortalMeUpdateSerializer, responses=PortalMeSerializer,
                   summary="Change the name, e-mail, national code (once) and the advertising-SMS switch; fields "
                           "left out stay as they are")
    def patch(self, request):
        account = self.account
        customer = account.customer
        incoming = PortalMeUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        names = {"first_name", "last_name"} & set(data)
        if names and customer.kind != customer.Kind.PERSON:
            raise ValidationError({"last_name": _("A company's name is changed by our staff.")})
        with transaction.atomic():
            if {"first_name", "last_name", "email", "national_code"} & set(data):
                services_account.details_update(
                    customer=customer, first_name=data.get("first_name", customer.first_name),
                    last_name=data.get("last_name", customer.last_name), email=data.get("email", customer.email),
                    national_code=data.get("national_code", ""))
            if "marketing_opt_out" in data:
                services_account.marketing_opt_out_set(mobile=account.mobile, opted_out=data["marketing_opt_out"])
        return Response(me_data(Account(account.mobile, list(customers_for_mobile(account.mobile)))))


# --- Registration ------------------------------------------------------------------------------------------

class PortalRegisterSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, help_text="Required.")
    national_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                          help_text="10 digits (any digits); optional.")


class RegisterApi(PortalApi):
    permission_classes = [HasPortalKey]

    @extend_schema(operation_id="portal_register", request=PortalRegisterSerializer, tags=TAGS,
                   responses={201: PortalMeSerializer},
                   summary="Open the account of a signed-in mobile that has no customer on record")
    def post(self, request):
        incoming = PortalRegisterSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        mobile = request.auth.token.mobile
        customer = customer_register(mobile=mobile, **incoming.validated_data)
        return Response(me_data(Account(mobile, [customer])), status=status.HTTP_201_CREATED)


def _address_regions():
    from aftersales.regions.models import Region

    return Region.objects.filter(kind__in=(Region.Kind.CITY, Region.Kind.DISTRICT), is_active=True)


class PortalAddressInputSerializer(serializers.Serializer):
    region = serializers.PrimaryKeyRelatedField(queryset=_address_regions(), help_text="A city or district.")
    address = serializers.CharField(max_length=500)
    postal_code = serializers.CharField(max_length=20, help_text="10 digits (any digits).")


class AddressListApi(PortalApi):
    @extend_schema(operation_id="portal_address_add", tags=TAGS, request=PortalAddressInputSerializer,
                   responses={201: PortalAddressSerializer},
                   summary="Add an address with its postal code; it becomes the default one")
    def post(self, request):
        from aftersales.customers.services import customer_address_add

        incoming = PortalAddressInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        address = customer_address_add(customer=self.account.customer, acting_user=None,
                                       reason=services_account.reason(_("address added")), **incoming.validated_data)
        return Response(PortalAddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressApi(PortalApi):
    @extend_schema(operation_id="portal_address_remove", tags=TAGS,
                   responses={204: OpenApiResponse(description="The address was removed.")},
                   summary="Remove one of the customer's addresses")
    def delete(self, request, pk):
        from aftersales.customers.services import customer_address_remove

        account = self.account
        address = selectors_account.address(account, checked_id(pk))
        customer_address_remove(customer=account.customer, address=address, acting_user=None,
                                reason=services_account.reason(_("address removed")))
        return Response(status=status.HTTP_204_NO_CONTENT)
