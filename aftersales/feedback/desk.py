from django.db.models import Q

from aftersales.core.persian import digits_only, normalize_text
from aftersales.core.validators import normalize_mobile
from aftersales.desk.registry import Resource, register

from .forms import ComplaintDeskForm
from .models import Complaint


def complaint_search(complaints, query: str):
    """By tracking number, mobile, e-mail, serial or name, as the caller reads them out."""
    text = normalize_text(query)
    number = digits_only(query)
    found = Q(name__icontains=text) | Q(email__iexact=text) | Q(serial__iexact=text)
    if number:
        found |= Q(number__endswith=number[-6:].zfill(6)) | Q(mobile=normalize_mobile(query))
    return complaints.filter(found)

def _complaint_file(*, instance, acting_user):
    """A complaint filed on the desk (a phone call, a visit) goes through the same service as every other
    channel: linked to the customer by mobile or e-mail, and to the unit by serial."""
    from .services import complaint_receive

    return complaint_receive(channel=Complaint.Channel.PHONE, text=instance.text, kind=instance.kind,
                             category=instance.category, name=instance.name, mobile=instance.mobile,
                             email=instance.email, serial=instance.serial, center=instance.center,
                             repair_order=instance.repair_order, acting_user=acting_user)


register(Resource(
    model=Complaint, slug="complaints",
    list_fields=["number", "kind", "category", "channel", "status", "name", "mobile", "created_at"],
    form_fields=["kind", "category", "name", "mobile", "email", "serial", "center", "repair_order", "text"],
    detail_fields=["number", "kind", "category", "channel", "status", "customer", "name", "mobile", "email", "serial",
                   "unit", "center", "repair_order", "subject", "text", "assignee", "answer", "answered_at", "answered_by", "created_at"],
    filter_fields=["status", "kind", "category", "channel", "center"],
    select_related=["center", "customer", "repair_order"], in_master_data_menu=False, search=complaint_search,
    create=_complaint_file, form_class=ComplaintDeskForm,
))
