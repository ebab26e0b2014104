"""Writes of the reports app: saved filters, e-mail subscriptions, sending a report now or on schedule.

A report mailed goes through messaging's outbox (the worker sends it over SMTP, with retries), with
its PDF and Excel attached and a right-to-left Persian body holding the main table. It is always
built as the person it is for, so a subscription never mails numbers of centers its owner may not see.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import jalali

from . import render, selectors
from .filters import PARAMS, FilterError
from .models import SavedFilter, Subscription
from .periods import Preset, month_start

#: When a subscription's filters name no dates, the period it covers.
DEFAULT_PERIOD = {Subscription.Frequency.DAILY: Preset.YESTERDAY, Subscription.Frequency.WEEKLY: Preset.LAST_WEEK,
                  Subscription.Frequency.MONTHLY: Preset.LAST_MONTH}


def clean_params(params) -> dict[str, str]:
    """Only the filters, as text (a QueryDict or dict)."""
    return {name: str(params.get(name)).strip() for name in PARAMS if str(params.get(name) or "").strip()}


def _check(report_slug: str, params: dict, user):
    """The report if ``user`` may open it with these filters; ValidationError (per field) otherwise."""
    try:
        report = selectors.report_get(report_slug, user)
    except selectors.UnknownReport:
        raise PermissionDenied from None
    try:
        selectors.report_filters(report, params, user)
    except FilterError as error:
        raise ValidationError(error.errors) from None
    return report


@transaction.atomic
def saved_filter_save(*, report: str, name: str, params, is_shared: bool = False, acting_user) -> SavedFilter:
    """Keep the filters under a name (the same name again replaces them). Implements issue 15's saved filters."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the filter a name.")})
    params = clean_params(params)
    _check(report, params, acting_user)
    saved, _created = SavedFilter.objects.update_or_create(
        owner=acting_user, report=report, name=name[:120], defaults={"params": params, "is_shared": bool(is_shared)})
    return saved


def saved_filters_for(report: str, user):
    from django.db.models import Q

    return SavedFilter.objects.filter(Q(owner=user) | Q(is_shared=True), report=report).select_related("owner")


@transaction.atomic
def saved_filter_delete(*, saved: SavedFilter, acting_user) -> None:
    if saved.owner_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    saved.delete()


@transaction.atomic
def subscription_create(*, report: str, email: str, frequency: str, params=None, saved_filter=None,
                        acting_user) -> Subscription:
    """Mail ``report`` to ``email`` daily, weekly or monthly (F23), with its PDF and Excel attached."""
    from django.core.validators import validate_email

    if frequency not in Subscription.Frequency.values:
        raise ValidationError({"frequency": _("Choose daily, weekly or monthly.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if saved_filter is not None:
        if saved_filter.report != report or not (saved_filter.is_shared or saved_filter.owner_id == acting_user.pk):
            raise ValidationError({"saved_filter": _("No such saved filter.")})
        params = saved_filter.params
    params = clean_params(params or {})
    _check(report, params, acting_user)
    return Subscription.objects.create(report=report, params=params, saved_filter=saved_filter, user=acting_user,
                                       email=email, frequency=frequency)


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, acting_user) -> None:
    if subscription.user_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    subscription.is_active = False
    subscription.save(update_fields=["is_active"])


def _store(name: str, content: bytes) -> str:
    """Save an attachment under the media folder; returns its path relative to it."""
    relative = Path("reports") / timezone.now().strftime("%Y%m") / secrets.token_hex(8) / name
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return str(relative)


@transaction.atomic
def report_send(*, report: str, params, email: str, acting_user, key: str = ""):
    """Build the report as ``acting_user`` and queue it to ``email`` with its PDF and Excel attached."""
    from django.core.validators import validate_email

    from aftersales.messaging.models import Channel
    from aftersales.messaging.services import message_queue

    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    params = clean_params(params)
    found = _check(report, params, acting_user)
    filters, result = selectors.report_run(found, params, acting_user)
    attachments = [_store(render.filename(found, filters, "pdf"), render.as_pdf(found, filters, result)),
                   _store(render.filename(found, filters, "xlsx"), render.as_xlsx(found, filters, result))]
    context = render.context(found, filters, result)
    period = f"{jalali.format_date(filters.start)} – {jalali.format_date(filters.end)}"
    subject = _("Report: %(title)s, %(period)s") % {"title": found.title, "period": period}
    return message_queue(channel=Channel.EMAIL, to=email, subject=subject[:200],
                         body=render_to_string("reports/email.txt", context),
                         html_body=render_to_string("reports/email.html", context), attachments=attachments,
                         event="report", idempotency_key=key or None)


def is_due(subscription: Subscription, today: datetime.date) -> bool:
    if subscription.last_sent_on == today:
        return False
    if subscription.frequency == Subscription.Frequency.WEEKLY:
        return today.weekday() == 5  # Saturday, the first day of the Iranian week
    if subscription.frequency == Subscription.Frequency.MONTHLY:
        return month_start(today) == today
    return True


def subscriptions_send_due(today: datetime.date | None = None) -> int:
    """Send every active subscription due today (once a day at most); returns how many were queued.

    Each is built as its owner; an owner who may no longer open the report (or see a center named in
    its filters) is skipped and the subscription switched off rather than mailing anything wider.
    """
    today = today or timezone.localdate()
    sent = 0
    for subscription in Subscription.objects.filter(is_active=True).select_related("user").order_by("pk"):
        if not is_due(subscription, today):
            continue
        params = dict(subscription.params)
        if not any(params.get(name) for name in ("from", "to", "period")):
            params["period"] = DEFAULT_PERIOD[subscription.frequency]
        with transaction.atomic():
            locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_sent_on == today:
                continue
            try:
                report_send(report=locked.report, params=params, email=locked.email, acting_user=locked.user,
                            key=f"report-subscription-{locked.pk}-{today.isoformat()}")
            except (PermissionDenied, ValidationError):
                locked.is_active = False
                locked.save(update_fields=["is_active"])
                continue
            locked.last_sent_on = today
            locked.save(update_fields=["last_sent_on"])
            sent += 1
    return sent
