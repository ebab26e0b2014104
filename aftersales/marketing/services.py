"""Writes on marketing: campaigns (group sends and occasions, F55) and the contact log."""

import datetime

import jdatetime
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.validators import normalize_mobile
from aftersales.messaging.models import Channel, Kind, Message, OptOut
from aftersales.messaging.services import outbox_wake, template_render
from aftersales.messaging.templating import sms_parts

from .models import Campaign, Contact

CHUNK = 2000


def _customers():
    return apps.get_model("customers", "Customer").objects.filter(merged_into__isnull=True)


def _birthdays(on: datetime.date):
    """Customers born on the Jalali month and day of ``on`` (a Gregorian birthday moves by a day between years)."""
    today = jdatetime.date.fromgregorian(date=on)
    near = [on + datetime.timedelta(days=shift) for shift in (-1, 0, 1)]
    days = Q(pk__in=[])
    for day in near:
        days |= Q(birth_date__month=day.month, birth_date__day=day.day)
    candidates = _customers().filter(days).only("pk", "birth_date")
    born = ((c.pk, jdatetime.date.fromgregorian(date=c.birth_date)) for c in candidates)
    return [pk for pk, day in born if (day.month, day.day) == (today.month, today.day)]


def campaign_audience(campaign: Campaign, *, on: datetime.date | None = None):
    """The customers a campaign goes to on a day (before opt-outs and missing addresses)."""
    on = on or timezone.localdate()
    customers = _customers()
    if campaign.audience == Campaign.Audience.GROUP:
        customers = customers.filter(groups=campaign.group)
    elif campaign.audience == Campaign.Audience.BIRTHDAY:
        customers = customers.filter(pk__in=_birthdays(on))
    elif campaign.audience == Campaign.Audience.WARRANTY_ENDING:
        from aftersales.warranty.selectors import units_expiring_on

        owners = {unit.owner_id for unit in units_expiring_on(on + datetime.timedelta(days=campaign.days_before))}
        customers = customers.filter(pk__in=owners - {None})
    if campaign.province_id:
        customers = customers.filter(Q(addresses__region__parent=campaign.province_id)
                                     | Q(addresses__region__parent__parent=campaign.province_id))
    if campaign.product_group_id:
        customers = customers.filter(Q(units__product_model__group=campaign.product_group_id)
                                     | Q(units__product_model__group__parent=campaign.product_group_id))
    return customers.distinct().order_by("pk")


def _address(customer, channel: str) -> str:
    if channel == Channel.SMS:
        mobile = normalize_mobile(customer.mobile or "")
        return mobile if len(mobile) == 11 and mobile.startswith("09") else ""
    if channel == Channel.EMAIL:
        return (customer.email or "").lower()
    landline = next((phone.number for phone in customer.phones.all() if phone.kind == "landline"), "")
    return landline


def campaign_preview(campaign: Campaign, *, on: datetime.date | None = None) -> dict:
    """Recipients, opt-outs, missing addresses, SMS parts and the estimated cost, before sending."""
    channel = campaign.channel
    total = reachable = opted_out = 0
    opt_outs = set(OptOut.objects.values_list("address", flat=True))
    longest = 0
    audience = campaign_audience(campaign, on=on).prefetch_related("phones")
    for customer in audience.iterator(chunk_size=CHUNK):
        total += 1
        address = _address(customer, channel)
        if not address:
            continue
        if address in opt_outs:
            opted_out += 1
            continue
        reachable += 1
        longest = max(longest, len(str(customer)))
    sample = {"customer_name": "ن" * max(longest, 1), "date": on or timezone.localdate(), "link": settings.SITE_URL}
    parts = sms_parts(template_render(campaign.message_template(), sample)[1]) if channel == Channel.SMS else 0
    return {"total": total, "reachable": reachable, "opted_out": opted_out, "no_address": total - reachable - opted_out,
            "parts": parts, "cost": reachable * parts * settings.SMS_PRICE_PER_PART if parts else 0}


@transaction.atomic
def campaign_create(*, acting_user, **fields) -> Campaign:
    """Write a draft campaign as ``acting_user``, with its audit row.

    Its message is a marketing template's or its own text (exactly one; a service template such as the
    reception's or the tracking code's is refused, as are places a campaign cannot fill). Raises
    ``ValidationError`` with field errors, nothing written. Implements F55 and issue 13's own text.
    """
    campaign = Campaign(created_by=acting_user, **fields)
    campaign.full_clean(exclude=["status", "recipients", "skipped", "last_run_on"])
    campaign._history_user = acting_user
    campaign.save()
    return campaign


@transaction.atomic
def campaign_launch(*, campaign: Campaign, acting_user) -> Campaign:
    """Schedule a draft campaign; it goes at its time (now, if the time has come). Refuses an incomplete one."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft campaign can be launched."))
    if campaign.audience == Campaign.Audience.GROUP and campaign.group_id is None:
        raise ValidationError({"group": _("Choose the customer group.")})
    campaign.clean()  # a service template chosen before issue 13, or text and template both, are refused
    if campaign.template_id and not campaign.template.is_active:
        raise ValidationError({"template": _("This template is switched off.")})
    campaign.status = Campaign.Status.SCHEDULED
    campaign._history_user = acting_user
    campaign.save()
    transaction.on_commit(_wake_campaigns)
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, acting_user) -> int:
    """Stop a campaign; its messages not yet sent are cancelled. Returns how many were cancelled."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.status = Campaign.Status.CANCELLED
    campaign._history_user = acting_user
    campaign.save()
    return Message.objects.filter(ref=campaign.ref, state=Message.State.QUEUED).update(state=Message.State.CANCELLED)


def _wake_campaigns() -> None:
    from .tasks import campaigns_due

    try:
        campaigns_due.delay()
    except Exception:  # the periodic run picks it up
        pass


def _due_today(campaign: Campaign, now: datetime.datetime) -> bool:
    local, start = timezone.localtime(now), timezone.localtime(campaign.send_at)
    if local < start or campaign.last_run_on == local.date():
        return False
    if campaign.repeat == Campaign.Repeat.ONCE:
        return campaign.last_run_on is None
    if local.time() < start.time():
        return False  # a repeating campaign goes at the time of day it was set for
    if campaign.repeat == Campaign.Repeat.YEARLY:
        today, first = jdatetime.date.fromgregorian(date=local.date()), jdatetime.date.fromgregorian(date=start.date())
        return (today.month, today.day) == (first.month, first.day)
    return True


def campaigns_run_due(*, now: datetime.datetime | None = None) -> int:
    """Run every scheduled campaign whose time has come today; returns the messages queued."""
    now = now or timezone.now()
    queued = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.SCHEDULED, send_at__lte=now).select_related("template"):
        if _due_today(campaign, now):
            queued += campaign_run(campaign=campaign, on=timezone.localtime(now).date())
    return queued


def campaign_run(*, campaign: Campaign, on: datetime.date) -> int:
    """Queue the campaign's messages for ``on``, chunk by chunk; running it again for the same day adds nothing.

    Each message's idempotency key is campaign + day + customer, so a run cut short (a worker killed)
    and started again fills in only what is missing. Opted-out addresses and customers without an
    address on the channel are counted as skipped.
    """
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
    template, channel = campaign.message_template(), campaign.channel
    run = "once" if campaign.repeat == Campaign.Repeat.ONCE else on.isoformat()
    queued = skipped = 0
    batch: list[Message] = []

    def flush():
        nonlocal queued
        keys = [message.idempotency_key for message in batch]
        done = set(Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
        fresh = [message for message in batch if message.idempotency_key not in done]
        with transaction.atomic():
            Message.objects.bulk_create(fresh, ignore_conflicts=True)  # a concurrent run's rows stay as they are
        queued += len(fresh)
        batch.clear()

    opt_outs = set(OptOut.objects.values_list("address", flat=True))
    for customer in campaign_audience(campaign, on=on).prefetch_related("phones").iterator(chunk_size=CHUNK):
        address = _address(customer, channel)
        if not address or address in opt_outs:
            skipped += 1
            continue
        subject, body, params = template_render(template, {"customer_name": customer.known_name, "mobile": customer.mobile,
                                                           "date": on, "link": settings.SITE_URL})
        batch.append(Message(channel=channel, kind=template.kind, to=address, subject=subject, body=body,
                             template=template if template.pk else None,
                             gateway_pattern=template.gateway_pattern, pattern_params=params,
                             idempotency_key=f"{campaign.ref}:{run}:{customer.pk}", customer_id=customer.pk,
                             ref=campaign.ref, created_by=campaign.created_by, event="campaign"))
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    finished = Campaign.Status.DONE if campaign.repeat == Campaign.Repeat.ONCE else Campaign.Status.SCHEDULED
    Campaign.objects.filter(pk=campaign.pk).update(
        status=finished, last_run_on=on, recipients=Message.objects.filter(ref=campaign.ref).count(), skipped=skipped,
    )
    outbox_wake()
    return queued


def campaign_progress(campaign: Campaign) -> dict:
    """How many of the campaign's messages are queued, sent, delivered, failed: shown while it sends."""
    from django.db.models import Count

    counts = dict(Message.objects.filter(ref=campaign.ref).values_list("state").annotate(n=Count("pk")))
    total = sum(counts.values())
    done = sum(counts.get(state, 0) for state in ("sent", "delivered", "failed", "cancelled", "uncertain"))
    labelled = [(Message.State(state).label, count) for state, count in sorted(counts.items())]
    return {"total": total, "counts": labelled, "done": done, "percent": round(100 * done / total) if total else 0}


@transaction.atomic
def contact_log(*, customer, kind: str, notes: str, acting_user, occurred_at=None, outcome: str = "",
                next_step: str = "", next_step_date=None) -> Contact:
    """Log a call, a visit or a note with a customer (the communication log), with its outcome and the
    next step agreed (the CRM's reminders read them)."""
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("Write what was said.")})
    if next_step_date and not (next_step or "").strip():
        raise ValidationError({"next_step": _("Say what the next step is.")})
    contact = Contact(customer=customer, kind=kind, notes=notes, occurred_at=occurred_at or timezone.now(),
                      logged_by=acting_user, outcome=outcome or "", next_step=(next_step or "").strip(),
                      next_step_date=next_step_date)
    contact.full_clean()
    contact._history_user = acting_user
    contact.save()
    return contact
