"""Proformas, sales invoices, credit notes, receipts and debts over REST (issue 17): the same selectors
and services as the pages. Reads are scoped to the caller's centers (another center's document is a 404);
a refused write is a 400 with Persian field errors; ``Idempotency-Key`` makes a retried create happen once.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.catalog.models import ProductModel
from aftersales.core.api import DateField, ScopedChoicesMixin, page_parameter, paged_schema, require_perms
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from . import selectors_documents as selectors
from . import services_documents, services_receipts
from .models import Cheque, Instalment, Receipt, SalesDocument

MAX_ID = 2**63 - 1
Kind = SalesDocument.Kind



def _document_or_404(request, pk, kind) -> SalesDocument:
    if not 0 < int(pk) < MAX_ID:
        raise Http404
    document = selectors.document_get(int(pk), user=request.user)
    if document is None or document.kind != kind:
        raise Http404
    return document


def _key(request, values) -> str | None:
    return request.headers.get("Idempotency-Key") or values.get("submission_key") or None


class LineInSerializer(serializers.Serializer):
    product_model = serializers.PrimaryKeyRelatedField(queryset=ProductModel.objects.all(), help_text="A product model's id")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    discount = serializers.IntegerField(min_value=0, max_value=100_000_000_000, default=0, help_text="Rials")
    unit_price = serializers.IntegerField(min_value=1, max_value=100_000_000_000, required=False, allow_null=True,
                                          default=None, help_text="Rials; taken only for a model the price list "
                                                                  "has no price for")


class DocumentInSerializer(ScopedChoicesMixin, serializers.Serializer):
    center = serializers.PrimaryKeyRelatedField(queryset=ServiceCenter.objects.all(), help_text="The selling office's id")
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.filter(merged_into__isnull=True))
    lines = LineInSerializer(many=True, allow_empty=False, max_length=30)
    discount = serializers.IntegerField(min_value=0, max_value=100_000_000_000, default=0, help_text="Rials, on the whole")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    submission_key = serializers.CharField(max_length=255, required=False, allow_blank=True, default="",
                                           help_text="Or the Idempotency-Key header")


class ProformaInSerializer(DocumentInSerializer):
    valid_until = DateField(help_text="Today or later (Jalali 1405/09/07 or ISO)")


class ReceivedLineSerializer(LineInSerializer):
    unit_price = serializers.IntegerField(min_value=0, max_value=100_000_000_000, help_text="Rials")


class InvoiceReceiveSerializer(ScopedChoicesMixin, serializers.Serializer):
    center = serializers.PrimaryKeyRelatedField(queryset=ServiceCenter.objects.all(), help_text="The selling office's id")
    number = serializers.CharField(max_length=40, help_text="ERPNext's number, kept as sent")
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.filter(merged_into__isnull=True))
    issued_on = DateField()
    lines = ReceivedLineSerializer(many=True, allow_empty=False, max_length=500)
    discount = serializers.IntegerField(min_value=0, max_value=100_000_000_000, default=0)
    vat = serializers.IntegerField(min_value=0, max_value=100_000_000_000)
    total = serializers.IntegerField(min_value=0, max_value=100_000_000_000,
                                     help_text="The lines less the discount plus VAT")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    product_model = serializers.IntegerField(source="product_model_id")
    product_group = serializers.IntegerField(source="product_group_id")
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField()
    discount = serializers.IntegerField()
    amount = serializers.IntegerField()
    credited_line = serializers.IntegerField(source="credited_line_id", allow_null=True)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    number = serializers.CharField()
    source = serializers.CharField()
    center = serializers.IntegerField(source="center_id")
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.display_name")
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    proforma = serializers.IntegerField(source="proforma_id", allow_null=True)
    credit_of = serializers.IntegerField(source="credit_of_id", allow_null=True)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    subtotal = serializers.IntegerField()
    discount = serializers.IntegerField()
    vat_percent = serializers.IntegerField()
    vat = serializers.IntegerField()
    total = serializers.IntegerField()
    owed = serializers.SerializerMethodField(help_text="Invoices: what is still owed (rials); else null")
    note = serializers.CharField()
    issued_at = serializers.DateTimeField()

    def get_owed(self, document) -> int | None:
        return getattr(document, "owed", None)


class DocumentDetailSerializer(DocumentSerializer):
    lines = LineSerializer(many=True, source="lines.all")


class CreditLineInSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The invoice line's id")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)


class CreditNoteInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    lines = CreditLineInSerializer(many=True, required=False, allow_null=True, default=None, max_length=500,
                                   help_text="Leave out to credit everything not credited yet")


class ReceiptInSerializer(ScopedChoicesMixin, serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(queryset=SalesDocument.objects.filter(kind=Kind.INVOICE),
                                                  required=False, allow_null=True, default=None,
                                                  help_text="The sales invoice's id (or an instalment)")
    instalment = serializers.PrimaryKeyRelatedField(queryset=Instalment.objects.all(), required=False,
                                                    allow_null=True, default=None)
    method = serializers.ChoiceField(choices=Receipt.Method.choices)
    amount = serializers.IntegerField(min_value=1, max_value=100_000_000_000, help_text="Rials")
    received_on = DateField(required=False, allow_null=True, default=None)
    cheque = serializers.PrimaryKeyRelatedField(queryset=Cheque.objects.all(), required=False, allow_null=True,
                                                default=None, help_text="For the method «cheque»")
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    submission_key = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Receipt
        fields = ["id", "center", "customer", "document", "instalment", "method", "amount", "cheque", "reference",
                  "received_on", "is_void", "voided_reason", "by", "created_at"]


class DebtSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer.pk")
    name = serializers.CharField(source="customer.display_name")
    invoices = serializers.IntegerField(help_text="Owed on sales invoices (rials)")
    instalments = serializers.IntegerField(help_text="Owed on contracts' instalments (rials)")
    owed = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Invoices older than SALES_PAYMENT_DAYS and instalments past due")


_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="A number, or the customer's name, mobile, national code"),
    OpenApiParameter("customer", int), OpenApiParameter("center", int),
    OpenApiParameter("start", str, description="Issued on or after (Jalali or ISO)"),
    OpenApiParameter("end", str, description="Issued on or before (Jalali or ISO)"),
]


def _filters(params) -> dict:
    from aftersales.core.filters import id_or_none
    from aftersales.core.jalali import parse_date

    values = {"query": params.get("q", "")}
    pk = id_or_none(params.get("customer"), Customer)
    if params.get("customer"):
        values["customer"] = Customer(pk=pk or 0)
    if params.get("center"):
        values["center"] = ServiceCenter(pk=id_or_none(params.get("center"), ServiceCenter) or 0)
    for name in ("start", "end"):
        try:
            values[name] = parse_date(params[name]) if params.get(name) else None
        except (TypeError, ValueError):
            raise serializers.ValidationError({name: [_("Enter a valid date (Jalali 1405/09/07 or ISO 2026-11-28).")]})
    return values


def _page(view, request, rows, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class ProformaListApi(APIView):
    """Proformas of the caller's centers; and a new proforma."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_proformas_list", parameters=[*_LIST_PARAMETERS, page_parameter()],
                   responses=paged_schema("SalesProformaPage", DocumentSerializer),
                   summary="Proformas (scoped to your centers), newest first, paged")
    def get(self, request):
        require_perms(request, "sales.view_salesdocument")
        rows = selectors.document_list(user=request.user, kind=Kind.PROFORMA, **_filters(request.query_params))
        return _page(self, request, rows, DocumentSerializer)

    @extend_schema(operation_id="sales_proformas_create", request=ProformaInSerializer,
                   responses={201: DocumentDetailSerializer},
                   summary="Issue a proforma priced from the price list; 400 with Persian field errors")
    def post(self, request):
        require_perms(request, "sales.add_salesdocument")
        incoming = ProformaInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        document = services_documents.proforma_issue(
            center=values["center"], customer=values["customer"], lines=[dict(line) for line in values["lines"]],
            valid_until=values["valid_until"], discount=values["discount"], note=values["note"],
            acting_user=request.user, submission_key=_key(request, values))
        document = _document_or_404(request, document.pk, Kind.PROFORMA)
        return Response(DocumentDetailSerializer(document).data, status=status.HTTP_201_CREATED)


class ProformaApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_proformas_retrieve", responses=DocumentDetailSerializer,
                   summary="One proforma with its lines")
    def get(self, request, pk):
        require_perms(request, "sales.view_salesdocument")
        return Response(DocumentDetailSerializer(_document_or_404(request, pk, Kind.PROFORMA)).data)


class ProformaInvoiceApi(APIView):
    """Turn a proforma into its sales invoice: 400 (``code`` "expired" or "invoiced") when it cannot be."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_proformas_invoice", request=None, responses={201: DocumentDetailSerializer},
                   summary="Turn the proforma into its sales invoice (same lines and prices, today's VAT)")
    def post(self, request, pk):
        require_perms(request, "sales.issue_salesdocument")
        proforma = _document_or_404(request, pk, Kind.PROFORMA)
        invoice = services_documents.proforma_to_invoice(proforma=proforma, acting_user=request.user,
                                                         submission_key=request.headers.get("Idempotency-Key"))
        invoice = _document_or_404(request, invoice.pk, Kind.INVOICE)
        return Response(DocumentDetailSerializer(invoice).data, status=status.HTTP_201_CREATED)


class InvoiceListApi(APIView):
    """Sales invoices of the caller's centers; and an invoice issued in ERPNext, kept once per number."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_invoices_list", parameters=[*_LIST_PARAMETERS, page_parameter()],
                   responses=paged_schema("SalesInvoicePage", DocumentSerializer),
                   summary="Sales invoices (scoped to your centers) with what each still owes, paged")
    def get(self, request):
        require_perms(request, "sales.view_salesdocument")
        rows = selectors.document_list(user=request.user, kind=Kind.INVOICE, **_filters(request.query_params))
        return _page(self, request, rows, DocumentSerializer)

    @extend_schema(operation_id="sales_invoices_receive", request=InvoiceReceiveSerializer,
                   responses={201: DocumentDetailSerializer, 200: DocumentDetailSerializer},
                   summary="Keep a sales invoice issued in ERPNext: 201 new; 200 the same number and content "
                           "again; 400 the same number with different content")
    def post(self, request):
        require_perms(request, "sales.issue_salesdocument")
        incoming = InvoiceReceiveSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        values["lines"] = [dict(line) for line in values["lines"]]
        document, created = services_documents.invoice_receive(acting_user=request.user, **values)
        document = _document_or_404(request, document.pk, Kind.INVOICE)
        return Response(DocumentDetailSerializer(document).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class InvoiceApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_invoices_retrieve", responses=DocumentDetailSerializer,
                   summary="One sales invoice with its lines and what it still owes")
    def get(self, request, pk):
        require_perms(request, "sales.view_salesdocument")
        return Response(DocumentDetailSerializer(_document_or_404(request, pk, Kind.INVOICE)).data)


class InvoiceCreditNotesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_invoices_credit_notes_list", responses=DocumentDetailSerializer(many=True),
                   summary="The credit notes of a sales invoice")
    def get(self, request, pk):
        require_perms(request, "sales.view_salesdocument")
        invoice = _document_or_404(request, pk, Kind.INVOICE)
        notes = invoice.credit_notes.prefetch_related("lines").select_related("customer").order_by("pk")
        return Response(DocumentDetailSerializer(notes, many=True).data)

    @extend_schema(operation_id="sales_invoices_credit_notes_create", request=CreditNoteInSerializer,
                   responses={201: DocumentDetailSerializer},
                   summary="Credit some or all of the invoice; never more than is left on a line")
    def post(self, request, pk):
        require_perms(request, "sales.credit_salesdocument")
        invoice = _document_or_404(request, pk, Kind.INVOICE)
        incoming = CreditNoteInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        lines = None if values["lines"] is None else [dict(line) for line in values["lines"]]
        note = services_documents.credit_note_issue(invoice=invoice, lines=lines, reason=values["reason"],
                                                    acting_user=request.user)
        note = _document_or_404(request, note.pk, Kind.CREDIT)
        return Response(DocumentDetailSerializer(note).data, status=status.HTTP_201_CREATED)


class ReceiptListApi(APIView):
    """Receipts of the caller's centers; and a new receipt against an invoice or an instalment."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_receipts_list", parameters=[
        OpenApiParameter("customer", int), OpenApiParameter("document", int), page_parameter()],
        responses=paged_schema("SalesReceiptPage", ReceiptSerializer),
        summary="Receipts (scoped to your centers), newest first, paged")
    def get(self, request):
        require_perms(request, "sales.view_receipt")
        from aftersales.core.filters import id_or_none

        rows = scope_queryset(Receipt.objects.all(), request.user).order_by("-received_on", "-pk")
        for name, model in (("customer", Customer), ("document", SalesDocument)):
            if request.query_params.get(name):
                rows = rows.filter(**{f"{name}_id": id_or_none(request.query_params[name], model) or 0})
        return _page(self, request, rows, ReceiptSerializer)

    @extend_schema(operation_id="sales_receipts_create", request=ReceiptInSerializer, responses={201: ReceiptSerializer},
                   summary="Record money received; 400 naming what is owed when the amount is more")
    def post(self, request):
        require_perms(request, "sales.add_receipt")
        incoming = ReceiptInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        receipt = services_receipts.receipt_record(
            center=None, customer=None, document=values["document"], instalment=values["instalment"],
            method=values["method"], amount=values["amount"], received_on=values["received_on"],
            cheque=values["cheque"], reference=values["reference"], acting_user=request.user,
            submission_key=_key(request, values))
        return Response(ReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class DebtListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="sales_debts_list", parameters=[
        OpenApiParameter("q", str), OpenApiParameter("center", int),
        OpenApiParameter("overdue", bool, description="Only parties with something overdue"),
        OpenApiParameter("sort", str, enum=["overdue", "owed", "name"]), page_parameter()],
        responses=paged_schema("SalesDebtPage", DebtSerializer),
        summary="What each party owes at your centers and what is overdue (receivables), paged")
    def get(self, request):
        require_perms(request, "sales.view_receipt")
        from aftersales.core.filters import id_or_none

        params = request.query_params
        center = ServiceCenter(pk=id_or_none(params.get("center"), ServiceCenter) or 0) if params.get("center") else None
        debts = selectors.receivables(user=request.user, query=params.get("q", ""), center=center,
                                      overdue_only=params.get("overdue") in ("1", "true", "True", "yes"),
                                      sort=params.get("sort") or "overdue")
        return _page(self, request, debts, DebtSerializer)

