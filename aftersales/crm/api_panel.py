"""The caller lookup and the contact-time panel over REST (F50): what a telephone system or a softphone asks."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import ModelPermissions
from aftersales.customers.models import Customer

from .panel import Panel, PhoneInvalid, caller_lookup, party_panel


class _CustomerApi(APIView):
    permission_classes = [ModelPermissions]
    queryset = Customer.objects.none()  # for ModelPermissions: reading needs customers.view_customer


class PanelStageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    days_in_stage = serializers.IntegerField(required=False)


class PartyFoundSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The customer's id (a lead is a customer marked as one)")
    name = serializers.CharField()
    is_lead = serializers.BooleanField()
    stage = PanelStageSerializer(allow_null=True, help_text="Null when not in the CRM or another team's party")
    credit_status = serializers.CharField(help_text="cash_only, limited, open, or empty when not assessed")
    credit_status_display = serializers.CharField()
    credit_limit = serializers.IntegerField(allow_null=True, help_text="Rials, for credit up to a limit")
    mobile = serializers.CharField()
    panel = serializers.CharField(help_text="The panel page's path")


def _stage(party, days: bool = False):
    if party is None:
        return None
    stage = {"code": party.state.code, "name": party.state.name}
    if days:
        stage["days_in_stage"] = party.days_in_stage
    return stage


def _found(customer: Customer, party) -> dict:
    """A customer as the lookup lists them; ``party`` only when the user may see it."""
    from django.urls import reverse

    return {"id": customer.pk, "name": customer.display_name, "is_lead": customer.is_lead, "stage": _stage(party),
            "credit_status": customer.credit_status, "credit_status_display": customer.get_credit_status_display(),
            "credit_limit": customer.credit_limit, "mobile": customer.mobile,
            "panel": reverse("crm:panel", args=[customer.pk])}


class CallerLookupApi(_CustomerApi):
    """The parties a phone number belongs to."""

    @extend_schema(
        parameters=[OpenApiParameter("phone", str, required=True,
                                     description="Any Iranian form: 09121234567, +98 912 123 4567, 0098…, Persian "
                                                 "digits, a landline with or without its area code")],
        responses=PartyFoundSerializer(many=True),
        summary="Who is calling: the customers and leads with this mobile or phone",
    )
    def get(self, request):
        phone = request.query_params.get("phone", "")
        try:
            found = caller_lookup(phone, user=request.user)
        except PhoneInvalid as error:
            raise serializers.ValidationError({"phone": [str(error)]}) from None
        return Response([_found(customer, customer.party if customer.party_visible else None) for customer in found])


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    notes = serializers.CharField()
    outcome = serializers.CharField()
    logged_by = serializers.CharField()
    next_step = serializers.CharField()
    next_step_date = serializers.DateField(allow_null=True)
    answers = serializers.ListField(child=serializers.DictField(), required=False,
                                    help_text="[{question, answer}] for the last visit and call")


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    count = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    done = serializers.IntegerField()
    booked = serializers.IntegerField()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    marketer = serializers.CharField()


class RepairSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    center = serializers.CharField()
    state = serializers.CharField()
    state_code = serializers.CharField()
    received_at = serializers.DateTimeField()


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    serial = serializers.CharField()
    product_model = serializers.CharField()
    warranty = serializers.CharField(help_text="active, expired, not_activated, voided, no_policy…")
    warranty_display = serializers.CharField()
    warranty_end = serializers.DateField(allow_null=True)


class PanelComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    subject = serializers.CharField()
    created_at = serializers.DateTimeField()


class InvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    total = serializers.IntegerField()


class NextStepSerializer(serializers.Serializer):
    next_step = serializers.CharField()
    next_step_date = serializers.DateField(allow_null=True)
    suggested = serializers.CharField(allow_null=True, help_text="The suggested step's code")
    suggested_name = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class PanelSerializer(serializers.Serializer):
    customer = PartyFoundSerializer()
    phones = serializers.ListField(child=serializers.CharField())
    in_crm = serializers.BooleanField(help_text="The customer has a party (what marketing knows of them)")
    party_hidden = serializers.BooleanField(help_text="Another team's party: stage, plan and next step not shown")
    stage = PanelStageSerializer(allow_null=True)
    party_type = serializers.CharField(allow_null=True)
    rating = serializers.CharField(allow_null=True)
    marketer = serializers.CharField(allow_null=True)
    next_step = NextStepSerializer(allow_null=True)
    plans = PlanSerializer(many=True)
    appointments = AppointmentSerializer(many=True)
    last_visit = ContactSerializer(allow_null=True)
    last_call = ContactSerializer(allow_null=True)
    contacts = ContactSerializer(many=True)
    open_repairs = RepairSerializer(many=True)
    open_repairs_more = serializers.BooleanField()
    units = UnitSerializer(many=True)
    units_more = serializers.BooleanField()
    open_complaints = PanelComplaintSerializer(many=True)
    last_service_invoice = InvoiceSerializer(allow_null=True)
    debt = serializers.IntegerField(allow_null=True, help_text="Rials still owed on the service invoices")
    sales_documents = serializers.DictField(help_text="{installed, connected, proforma, invoice, debt}: the last "
                                                      "proforma and sales invoice ({id, number, issued_on, total}) "
                                                      "and the sales debt ({owed, overdue, invoices, instalments})")


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _contact(contact, answers: bool = False):
    if contact is None:
        return None
    data = {"id": contact.pk, "kind": contact.kind, "kind_display": contact.get_kind_display(),
            "occurred_at": contact.occurred_at, "notes": contact.notes, "outcome": contact.outcome,
            "logged_by": _person(contact.logged_by), "next_step": contact.next_step,
            "next_step_date": contact.next_step_date}
    if answers:
        data["answers"] = [{"question": answer.question_text, "answer": answer.answer}
                           for answer in getattr(contact, "panel_answers", [])]
    return data


def _sales_document(document):
    if document is None:
        return None
    return {"id": document.pk, "number": document.number, "issued_on": document.issued_on, "total": document.total}


def panel_data(panel: Panel) -> dict:
    """The panel as plain data (the API's answer)."""
    customer, party, step = panel.customer, panel.party, panel.next_step
    suggested = getattr(step, "suggested", None)
    return {
        "customer": _found(customer, party),
        "phones": panel.phones,
        "in_crm": party is not None or panel.party_hidden,
        "party_hidden": panel.party_hidden,
        "stage": _stage(party, days=True),
        "party_type": str(party.party_type) if party else None,
        "rating": party.rating if party else None,
        "marketer": _person(party.marketer) if party and party.marketer else None,
        "next_step": None if party is None else {
            "next_step": party.next_step, "next_step_date": party.next_step_date,
            "suggested": suggested.transition.code if suggested else None,
            "suggested_name": suggested.transition.name if suggested else None,
            "reason": getattr(step, "reason", "") or ""},
        "plans": [{"id": row.plan.pk, "kind": row.plan.kind, "count": row.plan.count, "start_date": row.plan.start_date,
                   "end_date": row.plan.end_date, "done": row.done, "booked": row.booked} for row in panel.plans],
        "appointments": [{"id": item.pk, "kind": item.kind, "at": item.at, "marketer": _person(item.marketer)}
                         for item in panel.appointments],
        "last_visit": _contact(panel.last_visit, answers=True),
        "last_call": _contact(panel.last_call, answers=True),
        "contacts": [_contact(contact) for contact in panel.contacts],
        "open_repairs": [{"id": order.pk, "number": order.number, "center": str(order.center),
                          "state": order.state.name, "state_code": order.state.code,
                          "received_at": order.received_at} for order in panel.repairs],
        "open_repairs_more": panel.repairs_more,
        "units": [{"id": row.unit.pk, "serial": row.unit.serial, "product_model": str(row.unit.product_model),
                   "warranty": row.state, "warranty_display": row.label, "warranty_end": row.end}
                  for row in panel.units],
        "units_more": panel.units_more,
        "open_complaints": [{"id": item.pk, "number": item.number, "kind": item.kind, "status": item.status,
                             "subject": item.subject or item.text[:200], "created_at": item.created_at}
                            for item in panel.complaints],
        "last_service_invoice": None if panel.last_invoice is None else {
            "id": panel.last_invoice.pk, "number": panel.last_invoice.number,
            "issued_at": panel.last_invoice.issued_at, "total": panel.last_invoice.total},
        "debt": panel.debt,
        "sales_documents": {"installed": panel.sales.installed, "connected": panel.sales.connected,
                            "proforma": _sales_document(panel.sales.proforma),
                            "invoice": _sales_document(panel.sales.invoice), "debt": panel.sales.debt},
    }


class PartyPanelApi(_CustomerApi):
    """The contact-time panel of one customer or lead."""

    @extend_schema(responses=PanelSerializer, summary="The party's whole story at contact time (404: another "
                                                      "team's lead)")
    def get(self, request, customer_pk: int):
        customer = Customer.objects.filter(pk=customer_pk, merged_into__isnull=True).first()
        if customer is None:
            raise Http404
        try:
            panel = party_panel(customer, user=request.user)
        except Customer.DoesNotExist:
            raise Http404 from None
        return Response(PanelSerializer(panel_data(panel)).data)
