"""What a signed-in customer reads on the account pages (issue 22): complaints, the messages sent to them and
their details; each read scoped to the account's customers, as in ``selectors``."""

from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from aftersales.catalog.models import ProductUnit
from aftersales.customers.models import Customer, CustomerAddress, CustomerPhone
from aftersales.feedback.models import Complaint
from aftersales.messaging.models import Channel, Message, OptOut
from aftersales.messaging.templating import MASK

#: Messages never shown: not sent (held for a person, cancelled) or never delivered.
UNSENT = (Message.State.HELD, Message.State.CANCELLED, Message.State.FAILED)
#: Events whose text is a code: shown as what they were, never with the code.
CODE_EVENTS = {
    "portal_sign_in_code": lambda: _("A sign-in code for this portal (not shown here)."),
    "warranty_activation_code": lambda: _("A warranty activation code (not shown here)."),
}


def own_units(account):
    """The account's units for a choice (no warranty state: cheaper than ``selectors.units``)."""
    return list(ProductUnit.objects.filter(owner_id__in=account.ids).select_related("product_model").order_by("-pk"))


def complaints(account):
    """The account's complaints and suggestions, newest first, with what they are about."""
    return (Complaint.objects.filter(customer_id__in=account.ids)
            .select_related("unit__product_model", "repair_order__product_model")
            .order_by("-created_at", "-pk"))


def _addresses(account) -> tuple[set[str], set[str]]:
    """The mobiles and e-mail addresses on record for the account's customers."""
    mobiles = {customer.mobile for customer in account.customers if customer.mobile}
    mobiles |= set(CustomerPhone.objects.filter(customer_id__in=account.ids, kind=CustomerPhone.Kind.MOBILE)
                   .values_list("number", flat=True))
    emails = {customer.email.strip().lower() for customer in account.customers if customer.email}
    return mobiles, emails


def messages(account):
    """The SMS and e-mails the company sent to the account's addresses, newest first.

    A message about a customer is shown only when it is about one of the account's customers (or one merged
    into them): a mobile passed on to someone else, or an e-mail typed on a record, never shows another
    person's messages. A message about no customer (a sign-in or activation code) is shown only when it went to
    the mobile signed in, whose owner proved it with a code.
    """
    mobiles, emails = _addresses(account)
    ids = [*account.ids, *Customer.objects.filter(merged_into_id__in=account.ids).values_list("pk", flat=True)]
    mine = Q(to__in=sorted(mobiles | emails), customer_id__in=ids) | Q(to=account.mobile, customer_id__isnull=True)
    return (Message.objects.filter(mine, channel__in=(Channel.SMS, Channel.EMAIL)).exclude(state__in=UNSENT)
            .only("channel", "subject", "body", "event", "pattern_params", "created_at", "sent_at", "to")
            .order_by("-created_at", "-id"))


@dataclass
class ShownMessage:
    message: Message
    text: str
    is_code: bool

    @property
    def at(self):
        return self.message.sent_at or self.message.created_at


def shown(message: Message) -> ShownMessage:
    """A message as the customer sees it: a code message by what it was, any other with a code masked."""
    if message.event in CODE_EVENTS:
        return ShownMessage(message, str(CODE_EVENTS[message.event]()), True)
    text = message.body
    code = str((message.pattern_params or {}).get("code") or "")
    if code:
        text = text.replace(code, MASK)
    return ShownMessage(message, text, False)


def address(account, pk: int) -> CustomerAddress:
    """One address of the customer the portal edits; another customer's is a 404."""
    return get_object_or_404(CustomerAddress, pk=pk, customer_id=account.customer.pk)


def addresses(customer) -> list[CustomerAddress]:
    return list(customer.addresses.select_related("region__parent__parent").order_by("-is_default", "-pk"))


def phones(customer) -> list[str]:
    """The customer's phones on record, their own mobile first (read-only on the portal)."""
    numbers = [customer.mobile] if customer.mobile else []
    numbers += [number for number in customer.phones.order_by("pk").values_list("number", flat=True)
                if number not in numbers]
    return numbers


def is_opted_out(mobile: str) -> bool:
    return OptOut.objects.filter(address=mobile).exists()
