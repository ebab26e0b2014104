from django.db.models import Q

from aftersales.core.persian import digits_only, normalize_text
from aftersales.core.validators import normalize_mobile
from aftersales.desk.registry import Resource, register

from .models import Complaint


def complaint_search(complaints, query: str):
    """By tracking number, mobile, e-mail, serial or name, as the caller reads them out."""
    text = normalize_text(query)
    number = digits_only(query)
    found = Q(name__icontains=text) | Q(email__iexact=text) | Q(serial__iexact=text)
    if number:
        found |= Q(number__endswith=number[-6:].zfill(6)) | Q(mobile=normalize_mobile(query))
    return complaints.filter(found)

register(Resource(
    model=Complaint, slug="complaints",
    list_fields=["number", "kind", "category", "channel", "status", "name", "mobile", "created_at"],
    form_fields=["kind", "category", "name", "mobile", "email", "serial", "center", "text"],
    detail_fields=["number", "kind", "category", "channel", "status", "customer", "name", "mobile", "email", "serial",
                   "unit", "center", "subject", "text", "assignee", "answer", "answered_at", "answered_by", "created_at"],
    filter_fields=["status", "kind", "category", "channel", "center"],
    select_related=["center", "customer"], in_master_data_menu=False, search=complaint_search,
))
