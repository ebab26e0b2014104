"""Importing customers from Excel/CSV (F05, F06)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.persian import isolate, search_key
from aftersales.core.validators import NORMALIZERS, VALIDATORS
from aftersales.imports.cells import date as parse_date
from aftersales.imports.cells import text as _text
from aftersales.imports.registry import Column, Importer, register

from .models import Customer, CustomerAddress, CustomerPhone

_LEGAL_WORDS = {"legal", "حقوقی", "شرکت"}


# The list's export reads these from the customer's phones and addresses (prefetched, see desk.py):
# the first landline, and the default address (else the first) with its city or district's name.
def identifiers_check(row: dict, fields, errors: list) -> None:
    """Normalise ``row``'s identifiers (and its landline ``phone``) in place; each invalid one adds (field, message)."""
    for field, kind in [*((field, field) for field in fields), ("phone", "landline")]:
        if row.get(field):
            row[field] = NORMALIZERS[kind](row[field])
            try:
                VALIDATORS[kind](row[field])
            except ValidationError as error:
                errors.append((field, error.messages[0]))


def _landline(customer: Customer) -> str:
    return next((phone.number for phone in customer.phones.all() if phone.kind == CustomerPhone.Kind.LANDLINE), "")


def _address(customer: Customer, part: str):
    addresses = sorted(customer.addresses.all(), key=lambda address: (not address.is_default, address.pk))
    return getattr(addresses[0], part) if addresses else ""


def _city(customer: Customer) -> str:
    region = _address(customer, "region")
    return region.name if region else ""


class CustomerImporter(Importer):
    kind = "customers"
    label = gettext_lazy("Customers")
    permission = "customers.add_customer"
    exports = "customers"  # the list exports this template's columns, so its file imports back
    columns = [
        Column("mobile", gettext_lazy("mobile"), example="09121234567"),
        Column("kind", gettext_lazy("kind"), example="حقیقی"),
        Column("first_name", gettext_lazy("first name"), example="مریم"),
        Column("last_name", gettext_lazy("last name"), example="احمدی"),
        Column("company_name", gettext_lazy("company name"), example=""),
        Column("national_code", gettext_lazy("national code"), example="0499370899"),
        Column("legal_national_id", gettext_lazy("national ID"), example=""),
        Column("economic_number", gettext_lazy("economic number"), example=""),
        Column("phone", gettext_lazy("phone"), example="02188776655", export=_landline),
        Column("birth_date", gettext_lazy("birth date"), example="1370/05/20"),
        Column("city", gettext_lazy("city or district"), example="تهران", export=_city),
        Column("address", gettext_lazy("address"), example="", export=lambda customer: _address(customer, "address")),
        Column("postal_code", gettext_lazy("postal code"), example="",
               export=lambda customer: _address(customer, "postal_code")),
    ]

    def prepare(self):
        from aftersales.regions.models import Region

        # The kind as the template writes it, and as the list's export does (the label, in any language).
        self.legal_words = {*_LEGAL_WORDS, search_key(str(Customer.Kind.LEGAL.label))}
        self.regions = {}
        for pk, name, code in Region.objects.filter(kind__in=["city", "district"]).values_list("pk", "name", "code"):
            self.regions.setdefault(search_key(name), pk)
            self.regions[code] = pk

    def clean_row(self, values):
        errors = []
        row = {name: _text(values.get(name)) for name in (c.key for c in self.columns)}
        row["kind"] = Customer.Kind.LEGAL if search_key(row["kind"]) in self.legal_words else Customer.Kind.PERSON
        identifiers_check(row, ("mobile", "national_code", "legal_national_id", "economic_number", "postal_code"),
                          errors)
        row["birth_date"] = parse_date(values.get("birth_date"), errors, "birth_date")
        if row["kind"] == Customer.Kind.PERSON and not row["last_name"]:
            errors.append(("last_name", _("Enter the last name.")))
        if row["kind"] == Customer.Kind.LEGAL and not row["company_name"]:
            errors.append(("company_name", _("Enter the company's name.")))
        if not (row["mobile"] or row["national_code"] or row["legal_national_id"]):
            errors.append(("mobile", _("Give at least a mobile, a national code or a national ID.")))
        row["region_id"] = None
        if row["city"]:
            row["region_id"] = self.regions.get(search_key(row["city"])) or self.regions.get(row["city"])
            if row["region_id"] is None:
                errors.append(("city", _("Unknown city or district: %(name)s.") % {"name": isolate(row["city"])}))
        elif row["address"]:
            errors.append(("city", _("An address needs its city or district.")))
        return (None, errors) if errors else (row, [])

    def key(self, row):
        return row["national_code"] or row["legal_national_id"] or row["mobile"]

    def existing_keys(self, keys):
        live = Customer.objects.filter(merged_into__isnull=True)
        found = set(live.filter(national_code__in=keys).values_list("national_code", flat=True))
        found |= set(live.filter(legal_national_id__in=keys).values_list("legal_national_id", flat=True))
        found |= set(live.filter(mobile__in=keys).values_list("mobile", flat=True))
        return found

    def commit(self, rows, *, acting_user, progress):
        import datetime

        count = 0
        for row in rows:
            customer = Customer(
                kind=row["kind"], first_name=row["first_name"], last_name=row["last_name"],
                company_name=row["company_name"], national_code=row["national_code"],
                legal_national_id=row["legal_national_id"], economic_number=row["economic_number"],
                mobile=row["mobile"], birth_date=row["birth_date"] and datetime.date.fromisoformat(row["birth_date"]),
            )
            customer._history_user = acting_user
            customer.save()
            phones = [CustomerPhone(customer=customer, kind="mobile", number=row["mobile"])] if row["mobile"] else []
            if row["phone"]:
                phones.append(CustomerPhone(customer=customer, kind="landline", number=row["phone"]))
            CustomerPhone.objects.bulk_create(phones)
            if row["region_id"]:
                CustomerAddress.objects.create(customer=customer, region_id=row["region_id"], address=row["address"],
                                               postal_code=row["postal_code"])
            count += 1
            if count % 1000 == 0:
                progress(count)
        return {"created": count}


register(CustomerImporter())
