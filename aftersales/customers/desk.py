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
    """Name, mobile, national code (any digits, ی/ي) — or any number of a unit the customer owns (serial,
    invoice, warranty card…: the unit lookup, registered into ``EXACT_LOOKUPS`` by the apps that know it)."""
    from aftersales.core.persian import normalize_identifier
    from aftersales.core.search import search_filter

    by_text = search_filter(customers, query)
    key = normalize_identifier(query)
    if not key:
        return by_text
    found = Q(units__serial_key=key)
    for lookup in EXACT_LOOKUPS:
        found |= lookup(query)
    owners = customers.filter(found).values("pk")
    return customers.filter(pk__in=by_text.values("pk")) | customers.filter(pk__in=owners)


#: Exact lookups a center-bound user may find a customer by; apps higher up add theirs (warranty: a card).
EXACT_LOOKUPS = []


def customers_visible(customers, user, query):
    """What a customer list shows: everything to roles that span every center; to a center-bound
    user only the customers an exact identifier finds — mobile, national code or ID, the serial of a
    unit they own, or (from apps above) a warranty card — so that nobody browses or pages through the
    national customer list from one center. A customer is served by any center, so their page opens
    for anyone who may view customers; what it shows of orders and messages is the user's centers'.
    """
    from aftersales.core.persian import digits_only, normalize_identifier
    from aftersales.core.validators import normalize_mobile, normalize_national_code
    from aftersales.organization.scoping import spans_all_centers

    if spans_all_centers(user):
        return None
    digits, key = digits_only(query), normalize_identifier(query)
    if not key:
        return customers.none()
    found = Q(units__serial_key=key)
    if digits:
        found |= (Q(mobile=normalize_mobile(query)) | Q(national_code=normalize_national_code(digits))
                  | Q(legal_national_id=digits))
    for lookup in EXACT_LOOKUPS:
        found |= lookup(query)
    return customers.filter(pk__in=customers.filter(found).values("pk")[:20])


register(Resource(
    model=Customer, slug="customers",
    list_fields=["display_name", "kind", "mobile", "national_code", "legal_national_id", "created_at"],
    form_fields=["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                 "economic_number", "registration_number", "birth_date", "mobile", "email", "groups", "notes"],
    detail_fields=["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                   "economic_number", "registration_number", "birth_date", "mobile", "email", "groups", "notes",
                   "created_at"],
    filter_fields=["kind", "groups"],
    export_prefetch=["phones", "addresses__region", "groups"],
    hidden=Q(merged_into__isnull=False),
    search=customer_search,
    visible=customers_visible,
    children=[("units", ["serial", "product_model", "status", "sale_date"]), ("phones", ["number", "kind", "label"]), ("addresses", ["region", "address", "postal_code"]),
              ("contacts", ["name", "position", "mobile"])],
    detail_panels=[("customers/partials/customer_extra.html", _extra)], menu_group="customers", menu_order=10,
))
register(Resource(
    model=CustomerGroup, slug="customer-groups", list_fields=["name", "code"], form_fields=["code", "name"],
    menu_group="customers", menu_order=15,
))
