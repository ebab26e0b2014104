"""Writes of the customer's account pages (issue 22), each through the service of the app that owns the data.

The customer is no staff user: ``acting_user`` is None and every change carries a reason that says it came
from the portal, so that staff read it in the record's history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.customers.services import (customer_details_update, customer_national_code_set,
                                           national_code_conflict)
from aftersales.messaging.models import OptOut
from aftersales.messaging.services import opt_out_add, opt_out_remove


def reason(what: str) -> str:
    """A change's reason in the record's history: what was done, and that the customer did it on the portal."""
    return _("%(what)s, by the customer on the portal") % {"what": what}


@transaction.atomic
def details_update(*, customer, first_name: str = "", last_name: str = "", email: str = "",
                   national_code: str = ""):
    """Change the customer's name and e-mail and record their national code if they have none; all or nothing.

    Refuses (ValidationError) an empty last name, an invalid e-mail, and a national code that is invalid,
    another customer's or different from the one on record (which only staff change).
    """
    problem = national_code_conflict(customer=customer, national_code=national_code)
    if problem:
        raise ValidationError({"national_code": problem})
    customer = customer_details_update(customer=customer, first_name=first_name, last_name=last_name, email=email,
                                       acting_user=None, reason=reason(_("name or e-mail changed")))
    if national_code.strip() and not customer.national_code:
        customer = customer_national_code_set(customer=customer, national_code=national_code, acting_user=None,
                                              reason=reason(_("national code recorded")))
    return customer


def marketing_opt_out_set(*, mobile: str, opted_out: bool) -> bool:
    """Stop (or allow again) advertising SMS to the signed-in mobile, the «لغو» rule; service messages still go.

    Only the mobile that signed in is touched: its owner proved it with a code. Returns the new state.
    """
    if opted_out:
        opt_out_add(address=mobile, source=OptOut.Source.PORTAL, reason=reason(_("advertising SMS stopped")))
    else:
        opt_out_remove(address=mobile, reason=reason(_("advertising SMS allowed again")))
    return opted_out
