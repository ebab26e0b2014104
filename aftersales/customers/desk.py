from django.db.models import Q

from aftersales.desk.registry import Resource, register

from .models import Customer, CustomerGroup
from .selectors import customer_duplicates


def _duplicates(request, customer):
    return {
        "customer": customer,
        "duplicates": list(customer_duplicates(customer)[:20]),
        "can_merge": request.user.has_perm("customers.delete_customer"),
    }


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
    children=[("phones", ["number", "kind", "label"]), ("addresses", ["region", "address", "postal_code"]),
              ("contacts", ["name", "position", "mobile"])],
    detail_extra=("customers/partials/duplicates.html", _duplicates),
))
register(Resource(
    model=CustomerGroup, slug="customer-groups", list_fields=["name", "code"], form_fields=["code", "name"],
))
