"""Importing delivery documents of the warehouse system from Excel/CSV (F05, F30).

One row per delivery line; the rows of one delivery number (at one center) make one document, so
its date and customer must agree on every row. A delivery already received is reported in the
preview and not imported again.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import ServiceItem
from aftersales.core.persian import isolate, normalize_identifier
from aftersales.core.validators import normalize_mobile, validate_mobile
from aftersales.imports.cells import code, text, whole_number
from aftersales.imports.cells import date as parse_date
from aftersales.imports.registry import Column, Importer, register
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from .deliveries import date_error, delivery_number_clean, delivery_receive, price_error, quantity_error
from .models import DeliveryDocument


class DeliveryRefused(Exception):
    """A delivery of the file cannot be written; the import rolls back and shows this message."""


class DeliveryImporter(Importer):
    kind = "deliveries"
    label = gettext_lazy("Delivery documents")
    permission = "billing.add_deliverydocument"
    columns = [
        Column("number", gettext_lazy("delivery number"), required=True, example="DL-140509-001"),
        Column("delivered_on", gettext_lazy("delivered on"), required=True, example="1405/09/07"),
        Column("center", gettext_lazy("service center code"), required=True, example="TEH01"),
        Column("customer_mobile", gettext_lazy("customer mobile"), required=True, example="09121234567"),
        Column("customer_name", gettext_lazy("customer name"), example="سارا احمدی"),
        Column("service", gettext_lazy("service code"), required=True, example="INSTALL"),
        Column("quantity", gettext_lazy("quantity"), required=True, example="1"),
        Column("unit_price", gettext_lazy("unit price (rials)"), example="2500000"),
        Column("serial", gettext_lazy("serial"), example="SN-140500001"),
    ]

    def prepare(self):
        self.centers = {normalize_identifier(center_code): pk
                        for pk, center_code in ServiceCenter.objects.filter(is_active=True).values_list("pk", "code")}
        self.services = {item_code: price for item_code, price in
                         ServiceItem.objects.filter(is_active=True).values_list("code", "labour_price")}
        self.documents = {}  # (center, number) → (date, mobile) of its first row: later rows must agree

    def clean_row(self, values):
        errors = []
        number = delivery_number_clean(values.get("number"))
        if not number:
            errors.append(("number", _("The delivery number is missing.")))
        delivered_on = parse_date(values.get("delivered_on"), errors, "delivered_on")
        if values.get("delivered_on") in (None, "") or delivered_on is not None:
            problem = date_error(delivered_on)
            if problem:
                errors.append(("delivered_on", problem))
        center = self.centers.get(code(values.get("center")))
        if center is None:
            errors.append(("center", _("Unknown service center code: %(code)s.") % {"code": isolate(text(values.get("center")) or "—")}))
        mobile = normalize_mobile(text(values.get("customer_mobile")))
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            errors.append(("customer_mobile", error.messages[0]))
        service = code(values.get("service"))
        if not service:
            errors.append(("service", _("The service code is missing.")))
        elif service not in self.services:
            errors.append(("service", _("Unknown service code: %(code)s.") % {"code": isolate(text(values.get("service")))}))
        quantity = whole_number(values.get("quantity")) if values.get("quantity") not in (None, "") else None
        problem = quantity_error(quantity)
        if problem:
            errors.append(("quantity", problem))
        unit_price = None
        if values.get("unit_price") not in (None, ""):
            unit_price = whole_number(values.get("unit_price"))
            problem = price_error(unit_price)
            if problem:
                errors.append(("unit_price", problem))
        serial = code(values.get("serial"))
        if len(serial) > 40:
            errors.append(("serial", _("The serial is longer than 40 characters.")))
        if errors:
            return None, errors
        header = self.documents.setdefault((center, number), (delivered_on, mobile))
        if header[0] != delivered_on:
            errors.append(("delivered_on", _("Delivery %(number)s has another date on an earlier row.") % {"number": isolate(number)}))
        if header[1] != mobile:
            errors.append(("customer_mobile", _("Delivery %(number)s has another customer on an earlier row.") % {"number": isolate(number)}))
        if errors:
            return None, errors
        return {"center_id": center, "number": number, "delivered_on": delivered_on, "customer_mobile": mobile,
                "customer_name": text(values.get("customer_name")), "service": service, "quantity": quantity,
                "unit_price": unit_price, "serial": serial}, []

    def key(self, row):
        # A service repeated without a serial within one delivery is a repeated row: use the quantity.
        return (row["center_id"], row["number"], row["service"], row["serial"])

    def existing_keys(self, keys):
        numbers = {key[1] for key in keys}
        stored = set(DeliveryDocument.objects.filter(number__in=numbers).values_list("center_id", "number"))
        return {key for key in keys if (key[0], key[1]) in stored}

    def commit(self, rows, *, acting_user, progress):
        documents: dict[tuple, dict] = {}
        for row in rows:
            document = documents.setdefault((row["center_id"], row["number"]), {
                "delivered_on": row["delivered_on"], "customer_mobile": row["customer_mobile"],
                "customer_name": row["customer_name"], "lines": []})
            document["customer_name"] = document["customer_name"] or row["customer_name"]
            document["lines"].append({"service": row["service"], "quantity": row["quantity"],
                                      "unit_price": row["unit_price"], "serial": row["serial"]})
        centers = scope_queryset(ServiceCenter.objects.all(), acting_user).in_bulk({key[0] for key in documents})
        lines = 0
        for count, ((center_id, number), document) in enumerate(documents.items(), start=1):
            center = centers.get(center_id)
            if center is None:
                raise DeliveryRefused(_("You do not work at the service center of delivery %(number)s.")
                                      % {"number": isolate(number)})
            try:
                delivery_receive(center=center, number=number, acting_user=acting_user, **document)
            except ValidationError as error:  # the whole file rolls back; say which delivery and why
                raise DeliveryRefused(_("Delivery %(number)s: %(problems)s") % {
                    "number": isolate(number), "problems": " ".join(error.messages)}) from None
            lines += len(document["lines"])
            if count % 100 == 0:
                progress(lines)
        progress(lines)
        return {"created": len(documents), "lines": lines}


register(DeliveryImporter())
