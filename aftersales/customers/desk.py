from django.db.models import Q

from aftersales.desk.registry import Resource, register

from .models import Customer, CustomerGroup
from .selectors import customer_duplicates


def _extra(request, customer):
    from .forms import AddressForm, PhoneForm

    can_change = request.user.has_perm("customers.change_customer")
    return {
        "customer": customer,
        "duplicates": list(customer_duplicates(customer)[:20]),
        "can_merge": request.user.has_perm("customers.delete_customer"),
        "phone_form": PhoneForm(prefix="phone") if can_change else None,
        "address_form": AddressForm(prefix="address") if can_change else None,
    }


def customer_search(customers, query):
    """Name, mobile, national code (any digits, ی/ي) — or the serial of a unit the customer owns."""
    from aftersales.core.persian import normalize_identifier
    from aftersales.core.search import search_filter

    by_text = search_filter(customers, query)
    key = normalize_identifier(query)
    if not key:
        return by_text
    owners = customers.filter(units__serial=key).values("pk")
    return customers.filter(pk__in=by_text.values("pk")) | customers.filter(pk__in=owners)


register(Resource(
    model=Customer, slug="customers",
    list_fields=["display_name", "kind", "mobile", "national_code", "legal_national_id", "created_at"],
    form_fields=["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                 "economic_number", "registration_number", "birth_date", "mobile", "email", "groups", "notes"],
    detail_fields=["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                   "economic_number", "registration_number", "birth_date", "mobile", "email", "groups", "notes",
                   "created_at"],
    filter_fields=["kind", "groups"],
    hidden=Q(merged_into__isnull=False),
    search=customer_search,
    children=[("units", ["serial", "product_model", "status", "sale_date"]), ("phones", ["number", "kind", "label"]), ("addresses", ["region", "address", "postal_code"]),
              ("contacts", ["name", "position", "mobile"])],
    detail_panels=[("customers/partials/customer_extra.html", _extra)],
))
register(Resource(
    model=CustomerGroup, slug="customer-groups", list_fields=["name", "code"], form_fields=["code", "name"],
))
