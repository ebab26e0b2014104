"""Reads on marketing: the communication log of one customer, everything in one timeline."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from aftersales.messaging.models import InboundMessage, Message
from aftersales.organization.scoping import scope_queryset, spans_all_centers

from .models import Contact


@dataclass
class Exchange:
    at: datetime.datetime
    kind: str       # sms-out, email-out, fax-out, sms-in, email-in, call_in, call_out, visit, note, complaint, survey
    title: str
    text: str
    state: str = ""
    by: str = ""


def customer_timeline(customer, *, user, limit: int = 50) -> list[Exchange]:
    """Every exchange with a customer that ``user`` may see, newest first: messages sent and received,
    logged contacts, complaints and survey answers (F50's customer view builds on it).

    A customer is served by every center, but a center-bound user sees only what concerns their
    centers: its messages, complaints and surveys, and the contacts their colleagues logged; messages
    received from the customer (not tied to a center) only for roles that span every center. A
    message's tracking code, link or activation code is masked for everyone.
    """
    addresses = [address for address in (customer.mobile, (customer.email or "").lower()) if address]
    entries: list[Exchange] = []
    everywhere = spans_all_centers(user)
    sent = scope_queryset(Message.objects.filter(Q(customer_id=customer.pk) | Q(to__in=addresses)), user)
    for message in sent.order_by("-created_at")[:limit]:
        entries.append(Exchange(message.created_at, f"{message.channel}-out", message.get_channel_display(),
                                message.safe_body, message.get_state_display()))
    if everywhere:
        for inbound in InboundMessage.objects.filter(Q(customer_id=customer.pk) | Q(sender__in=addresses))[:limit]:
            entries.append(Exchange(inbound.received_at, f"{inbound.channel}-in", inbound.get_channel_display(),
                                    inbound.body))
    contacts = scope_queryset(Contact.objects.filter(customer=customer).select_related("logged_by"), user)
    for contact in contacts[:limit]:
        entries.append(Exchange(contact.occurred_at, contact.kind, contact.get_kind_display(), contact.notes,
                                by=str(contact.logged_by or "")))
    if apps.is_installed("aftersales.feedback"):
        Complaint = apps.get_model("feedback", "Complaint")
        for complaint in scope_queryset(Complaint.objects.filter(customer=customer), user)[:limit]:
            entries.append(Exchange(complaint.created_at, "complaint",
                                    f"{complaint.get_kind_display()} {complaint.number}", complaint.text,
                                    complaint.get_status_display()))
        Survey = apps.get_model("feedback", "Survey")
        surveys = scope_queryset(Survey.objects.filter(customer=customer, answered_at__isnull=False), user)
        for survey in surveys[:limit]:
            entries.append(Exchange(survey.answered_at, "survey", _("satisfaction survey"),
                                    survey.comment, f"{survey.score}/5"))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
