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
def customer_address_add(*, customer: Customer, region, address: str, postal_code: str = "", acting_user,
                         reason: str = "") -> CustomerAddress:
    """Add an address; it becomes the default one (the latest address a customer gives is the current one)."""
    customer.addresses.update(is_default=False)
    row = CustomerAddress(customer=customer, region=region, address=address, postal_code=postal_code, is_default=True)
    row.full_clean()
    row.save()
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, reason or _("address added"))
    return row


@transaction.atomic
def customer_address_remove(*, customer: Customer, address: CustomerAddress, acting_user, reason: str = "") -> None:
    """Remove one of the customer's addresses; if it was the default one, the latest of those left becomes it.

    Refuses (ValidationError) an address of another customer.
    """
    if address.customer_id != customer.pk:
        raise ValidationError({"address": _("This address is another customer's.")})
    was_default = address.is_default
    address.delete()
    if was_default:
        latest = customer.addresses.order_by("-pk").first()
        if latest is not None:
            latest.is_default = True
            latest.save(update_fields=["is_default"])
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, reason or _("address removed"))


@transaction.atomic
def customer_details_update(*, customer: Customer, first_name: str, last_name: str, email: str, acting_user,
                            reason: str = "") -> Customer:
    """Change a person's name and e-mail (a company's name is changed by staff only); nothing when they are
    as on record.

    Refuses (ValidationError) an empty last name and an invalid e-mail address.
    """
    from django.core.validators import validate_email

    from aftersales.core.persian import normalize_text, to_ascii_digits

    email = to_ascii_digits((email or "").strip()).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    values = {"email": email}
    if customer.kind == Customer.Kind.PERSON:
        values |= {"first_name": normalize_text(first_name or "").strip(),
                   "last_name": normalize_text(last_name or "").strip()}
        if not values["last_name"]:
            raise ValidationError({"last_name": _("Enter the last name.")})
    changed = [field for field, value in values.items() if getattr(customer, field) != value]
    if not changed:
        return customer
    for field in changed:
        setattr(customer, field, values[field])
    # Only what changed is checked: a record's older flaws are staff's to correct, not the customer's.
    customer.full_clean(exclude=[f.name for f in Customer._meta.fields if f.name not in changed],
                        validate_unique=False, validate_constraints=False)
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, reason or _("name or e-mail changed"))
    return customer


def national_code_conflict(*, customer: Customer | None, national_code: str) -> str | None:
    """Why ``national_code`` cannot be the national code of ``customer`` (None for a new one), or None.

    A customer keeps the national code on record: a different one is refused, not overwritten (the
    ID card is checked, or the record corrected on the customer's page). A code that another live
    customer holds is refused too (one person, one record).
    """
    from aftersales.core.validators import is_valid_national_code, normalize_national_code

    code = normalize_national_code(national_code or "")
    if not code:
        return None
    if not is_valid_national_code(code):
        return _("Enter a valid 10-digit national code; this one fails the check digit.")
    if customer is not None and customer.national_code and customer.national_code != code:
        return _("The customer with this mobile has a different national code on record; check the ID card, "
                 "or correct the customer's record first.")
    holders = Customer.objects.filter(national_code=code, merged_into__isnull=True)
    if customer is not None and customer.pk:
        holders = holders.exclude(pk=customer.pk)
    if holders.exists():
        return _("Another customer already has this national code; check the mobile and the ID card.")
    return None


@transaction.atomic
def customer_national_code_set(*, customer: Customer, national_code: str, acting_user, reason: str = "") -> Customer:
    """Record the national code of a customer who has none (the code shown on the ID card at reception).

    Refuses (ValidationError on ``national_code``) an invalid code, a code that differs from the one on
    record and a code another customer holds; the same code again changes nothing.
    """
    from aftersales.core.validators import normalize_national_code

    code = normalize_national_code(national_code or "")
    problem = national_code_conflict(customer=customer, national_code=code)
    if problem:
        raise ValidationError({"national_code": problem})
    if code and customer.national_code != code:
        customer.national_code = code
        customer._history_user = acting_user
        customer.save()
        update_change_reason(customer, reason or _("national code recorded at reception"))
    return customer
