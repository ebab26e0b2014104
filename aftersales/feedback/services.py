"""Writes on the customer's voice: complaints from every channel, answers, surveys. Implements F53 and F60."""

import datetime
import re
import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse
from aftersales.core.numbering import document_number_assign, provisional_number
from aftersales.core.persian import normalize_identifier, normalize_text, to_ascii_digits
from aftersales.core.validators import normalize_mobile, validate_mobile
from aftersales.messaging.models import Channel as MessageChannel
from aftersales.messaging.services import event_announce, message_queue

from .models import Complaint, Survey

TEXT_LIMIT = 4000
SURVEY_DAYS = 14


def _customer_for(*, mobile: str = "", email: str = ""):
    """The customer on record with this mobile (their main one, else one of their other mobiles) or e-mail."""
    Customer = apps.get_model("customers", "Customer")
    live = Customer.objects.filter(merged_into__isnull=True).order_by("pk")
    if mobile:
        return (live.filter(mobile=mobile).first()
                or live.filter(phones__kind="mobile", phones__number=mobile).first())
    if email:
        return live.filter(email__iexact=email).first()
    return None


@claimed_once(Complaint)
@transaction.atomic
def complaint_receive(*, channel: str, text: str, kind: str = Complaint.Kind.COMPLAINT,
                      category: str = Complaint.Category.OTHER, name: str = "", mobile: str = "", email: str = "",
                      serial: str = "", subject: str = "", center=None, inbound=None, acting_user=None,
                      submission_key: str | None = None, repair_order=None, tracking_code: str = "",
                      customer=None, unit=None) -> Complaint:
    """Record a complaint or suggestion and link it to the customer (by mobile or e-mail) and the unit.

    A complaint about a repair order (chosen by staff, or named by its tracking code on the public
    form) is linked to it, and so to its customer, center and unit; staff may name only an order of
    their centers, and an unknown tracking code is refused. A caller who knows the customer (the
    portal, whose customer proved their mobile) passes ``customer``: the complaint is theirs, and the
    ``repair_order`` or ``unit`` it names must be that customer's (else refused). Refuses (ValidationError) an empty or
    over-long text, an invalid mobile or e-mail, and a web or
    phone complaint with no way to answer it (neither mobile nor e-mail). The same ``submission_key``
    again (a double click, a refresh, two at once) returns the complaint already recorded; with
    another text it is refused.
    """
    text = (text or "").strip()
    submission_key = caller_key(user=acting_user, key=submission_key)
    if submission_key:
        existing = Complaint.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.text != text:
                refuse_reuse()
            return existing
    errors = {}
    if not text:
        errors["text"] = _("Write your complaint or suggestion.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("The text is too long (at most %(limit)s characters).") % {"limit": TEXT_LIMIT}
    if mobile:
        mobile = normalize_mobile(mobile)
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            errors["mobile"] = error.messages
    if email:
        email = to_ascii_digits(email.strip()).lower()
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if channel in (Complaint.Channel.WEB, Complaint.Channel.PHONE) and not (mobile or email) and "mobile" not in errors:
        errors["mobile"] = _("Give a mobile number or an e-mail address so that we can answer you.")
    order = None
    if tracking_code and tracking_code.strip():
        from aftersales.repairs.services import tracking_code_clean

        order = _orders().filter(tracking_code=tracking_code_clean(tracking_code)).first()
        if order is None:
            errors["tracking_code"] = _("No repair order has this tracking code; copy it from your receipt or SMS.")
    if repair_order is not None and customer is not None and acting_user is None:
        order = _orders().filter(pk=repair_order.pk, customer=customer).first()
        if order is None:
            errors["repair_order"] = _("This repair order is another customer's.")
    elif repair_order is not None:
        order = _order_of_caller(repair_order, acting_user)
        if order is None:
            errors["repair_order"] = _("This repair order is not at one of your service centers.")
    if unit is not None and customer is not None and unit.owner_id != customer.pk:
        errors["unit"] = _("This product is not registered to you.")
    if errors:
        raise ValidationError(errors)
    if unit is None and serial:
        unit = apps.get_model("catalog", "ProductUnit").objects.filter(serial_key=normalize_identifier(serial)).first()
    customer = customer or _customer_for(mobile=mobile, email=email) or (unit.owner if unit is not None else None)
    if order is not None:  # the complaint is about this order: its customer's, at its center, on its unit
        customer, center = order.customer, center or order.center
        unit = unit or order.unit
    complaint = Complaint(
        number=provisional_number(), channel=channel, kind=kind,
        category=category, name=normalize_text(name)[:120], mobile=mobile, email=email, serial=serial.strip()[:40],
        unit=unit, center=center, subject=subject[:200], text=text, inbound=inbound, submission_key=submission_key,
        customer=customer, repair_order=order,
    )
    complaint._history_user = acting_user
    complaint.save()
    # Last, the number: every complaint of the network comes from one series, whose lock lasts only
    # from here to the commit; numbers run in commit order with no gap (issue 21).
    document_number_assign(complaint, scope=Complaint.number_scope, document_type="complaint")
    return complaint


def _orders():
    return apps.get_model("repairs", "RepairOrder").objects.select_related("customer", "center", "unit")


def _order_of_caller(repair_order, acting_user):
    """``repair_order`` as ``acting_user`` may see it (one of their centers'), else None."""
    from aftersales.organization.scoping import scope_queryset

    if acting_user is None:
        return None
    return scope_queryset(_orders(), acting_user).filter(pk=repair_order.pk).first()


@transaction.atomic
def complaint_link_order(*, complaint: Complaint, repair_order, acting_user) -> Complaint:
    """Link a complaint to the repair order it is about, or unlink it (``repair_order=None``).

    The order must be at one of the caller's centers and be the complaint's customer's (a complaint
    with no customer yet takes the order's). Refuses with a ValidationError on ``repair_order``,
    nothing written. Issue 13.
    """
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if repair_order is not None:
        order = _order_of_caller(repair_order, acting_user)
        if order is None:
            raise ValidationError({"repair_order": _("This repair order is not at one of your service centers.")})
        if complaint.customer_id and order.customer_id != complaint.customer_id:
            raise ValidationError({"repair_order": _("This repair order is another customer's.")})
        complaint.customer = complaint.customer or order.customer
        complaint.center = complaint.center or order.center
        complaint.unit = complaint.unit or order.unit
        repair_order = order
    complaint.repair_order = repair_order
    complaint._history_user = acting_user
    complaint.save()
    return complaint


def complaint_from_inbound(sender, inbound, **kwargs) -> Complaint | None:
    """Every received SMS or e-mail (but «لغو») becomes a complaint or suggestion to be handled.

    A sender that is no mobile number (a short code) or no valid address is kept on the inbound
    message only; the complaint is still recorded, without a way to answer it automatically.
    """
    if not inbound.body.strip():
        return None
    if inbound.channel == MessageChannel.SMS:
        mobile = inbound.sender if re.fullmatch(r"09\d{9}", inbound.sender) else ""
        return complaint_receive(channel=Complaint.Channel.SMS, text=inbound.body[:TEXT_LIMIT], mobile=mobile,
                                 inbound=inbound)
    try:
        validate_email(inbound.sender)
        email = inbound.sender
    except ValidationError:
        email = ""
    return complaint_receive(channel=Complaint.Channel.EMAIL, text=inbound.body[:TEXT_LIMIT], subject=inbound.subject,
                             email=email, inbound=inbound)


@transaction.atomic
def complaint_assign(*, complaint: Complaint, assignee, acting_user) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.assignee = assignee
    if complaint.status == Complaint.Status.NEW:
        complaint.status = Complaint.Status.IN_PROGRESS
    complaint._history_user = acting_user
    complaint.save()
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, answer: str, acting_user):
    """Answer a complaint and send the answer back on the channel it came by.

    SMS and web complaints with a mobile are answered by SMS, e-mail ones (and web ones with only an
    e-mail) by e-mail; a phone complaint's answer is kept, as it was given on the phone. Refuses an
    empty answer and a complaint already answered (its answer is in the history).
    """
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if complaint.status in (Complaint.Status.ANSWERED, Complaint.Status.CLOSED):
        raise ValidationError(_("This complaint was already answered."))
    complaint.answer, complaint.answered_at, complaint.answered_by = answer, timezone.now(), acting_user
    complaint.status = Complaint.Status.ANSWERED
    complaint._history_user = acting_user
    complaint.save()
    common = {"kind": "service", "customer_id": complaint.customer_id, "ref": f"feedback.complaint:{complaint.pk}",
              "idempotency_key": f"complaint-answer:{complaint.pk}", "acting_user": acting_user, "center": complaint.center}
    heading = _("Answer to your message no. %(number)s") % {"number": complaint.number}
    if complaint.channel != Complaint.Channel.EMAIL and complaint.channel != Complaint.Channel.PHONE and complaint.mobile:
        return message_queue(channel=MessageChannel.SMS, to=complaint.mobile, body=f"{heading}:\n{answer}", **common)
    if complaint.channel != Complaint.Channel.PHONE and complaint.email:
        subject = complaint.subject and f"Re: {complaint.subject}" or heading
        return message_queue(channel=MessageChannel.EMAIL, to=complaint.email, subject=subject, body=answer, **common)
    return None


@transaction.atomic
def survey_invite(*, mobile: str, customer=None, center=None, technician=None, product_model=None, ref: str = "",
                  customer_name: str = "") -> Survey:
    """Text the customer a short link to a satisfaction survey about a service (F60), once per ``ref``.

    Called at hand-back (the repairs workshop's event); a second call for the same ``ref`` returns
    the survey already sent.
    """
    if ref:
        existing = Survey.objects.filter(ref=ref).first()
        if existing is not None:
            return existing
    survey = Survey.objects.create(
        token=secrets.token_urlsafe(12), mobile=normalize_mobile(mobile), customer=customer, center=center,
        technician=technician, product_model=product_model, ref=ref,
        expires_at=timezone.now() + datetime.timedelta(days=SURVEY_DAYS),
    )
    link = settings.SITE_URL + reverse("survey", args=[survey.token])
    event_announce("survey_invitation", key=survey.token, customer_id=customer.pk if customer else None,
                   ref=f"feedback.survey:{survey.pk}", center=center,
                   context={"customer_name": customer_name or (customer.known_name if customer else ""), "link": link,
                            "center_name": str(center) if center else "",
                            "product": str(product_model) if product_model else ""},
                   recipients={"customer": {"sms": survey.mobile}})
    return survey


@transaction.atomic
def survey_answer(*, token: str, score: int, recommend: int | None, comment: str = "") -> Survey:
    """Keep the customer's answer: one per link, before it expires."""
    survey = Survey.objects.select_for_update().filter(token=token).first()
    if survey is None:
        raise ValidationError(_("This survey link is not valid."))
    if survey.answered_at is not None:
        raise ValidationError(_("This survey was already answered. Thank you!"))
    if survey.expires_at < timezone.now():
        raise ValidationError(_("This survey has closed."))
    survey.score, survey.recommend = score, recommend
    survey.comment, survey.answered_at = (comment or "").strip()[:TEXT_LIMIT], timezone.now()
    survey.full_clean()
    survey.save()
    return survey


def survey_after_service(subject, transition, params, acting_user) -> None:
    """Workflow action ``survey``: invite the subject's customer to rate the service (F60).

    Works on any subject with ``customer``, ``center``, ``assignee`` and ``product_model`` (a repair order).
    """
    customer = getattr(subject, "customer", None)
    if customer is None or not customer.mobile:
        return
    meta = type(subject)._meta
    survey_invite(mobile=customer.mobile, customer=customer, center=getattr(subject, "center", None),
                  technician=getattr(subject, "assignee", None), product_model=getattr(subject, "product_model", None),
                  ref=f"{meta.app_label}.{meta.model_name}:{subject.pk}")
