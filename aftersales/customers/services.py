from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from .models import Customer, CustomerAddress, CustomerPhone
from .signals import customer_merged


@transaction.atomic
def customer_merge(*, keep: Customer, duplicate: Customer, acting_user) -> Customer:
    """Fold a duplicate customer into ``keep``: phones, addresses, contacts and groups move over,
    empty fields of ``keep`` are filled from the duplicate, and the duplicate is kept (for the audit)
    but marked as merged so that it leaves every list. Implements F06.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A customer cannot be merged into itself."))
    keep, duplicate = (Customer.objects.select_for_update().get(pk=pk) for pk in (keep.pk, duplicate.pk))
    if duplicate.merged_into_id:
        raise ValidationError(_("This customer has already been merged."))
    if keep.kind != duplicate.kind:
        raise ValidationError(_("A natural person and a legal entity cannot be merged."))
    for field in ("first_name", "last_name", "company_name", "national_code", "legal_national_id", "economic_number",
                  "registration_number", "birth_date", "mobile", "email"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
            setattr(duplicate, field, "" if field != "birth_date" else None)
    known = set(keep.phones.values_list("number", flat=True))
    for phone in duplicate.phones.all():
        if phone.number in known:
            phone.delete()
        else:
            phone.customer = keep
            phone.save(update_fields=["customer"])
    duplicate.addresses.update(customer=keep)
    duplicate.contacts.update(customer=keep)
    keep.groups.add(*duplicate.groups.all())
    if keep.notes or duplicate.notes:
        keep.notes = "\n".join(part for part in (keep.notes, duplicate.notes) if part)
    # The duplicate first lets go of its unique identifiers, then the kept customer takes them.
    duplicate.merged_into = keep
    duplicate.national_code = duplicate.legal_national_id = ""
    duplicate._history_user = acting_user
    duplicate.save()
    update_change_reason(duplicate, _("merged into customer %(id)s") % {"id": keep.pk})
    keep._history_user = acting_user
    keep.save()
    update_change_reason(keep, _("customer %(id)s merged into this one") % {"id": duplicate.pk})
    customer_merged.send(sender=Customer, keep=keep, duplicate=duplicate)
    return keep


@transaction.atomic
def customer_phone_add(*, customer: Customer, number: str, kind: str = CustomerPhone.Kind.MOBILE, acting_user) -> CustomerPhone:
    """Add a phone; the customer's search text learns the new number."""
    from aftersales.core.validators import NORMALIZERS

    phone = CustomerPhone(customer=customer, kind=kind, number=NORMALIZERS[kind](number))
    phone.full_clean()
    phone.save()
    customer._history_user = acting_user
    customer.save()
    return phone


@transaction.atomic
def customer_address_add(*, customer: Customer, region, address: str, postal_code: str = "", acting_user) -> CustomerAddress:
    """Add an address; it becomes the default one (the latest address a customer gives is the current one)."""
    customer.addresses.update(is_default=False)
    row = CustomerAddress(customer=customer, region=region, address=address, postal_code=postal_code, is_default=True)
    row.full_clean()
    row.save()
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, _("address added"))
    return row
