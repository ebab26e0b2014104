from aftersales.desk.registry import Resource, register

from .models import Complaint

register(Resource(
    model=Complaint, slug="complaints",
    list_fields=["number", "kind", "category", "channel", "status", "name", "mobile", "created_at"],
    form_fields=["kind", "category", "name", "mobile", "email", "serial", "center", "text"],
    detail_fields=["number", "kind", "category", "channel", "status", "customer", "name", "mobile", "email", "serial",
                   "unit", "center", "subject", "text", "assignee", "answer", "answered_at", "answered_by", "created_at"],
    filter_fields=["status", "kind", "category", "channel", "center"],
    select_related=["center", "customer"], in_master_data_menu=False,
))
