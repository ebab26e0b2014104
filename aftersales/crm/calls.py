"""Calls ringing at an agent's extension, handed to their open page once (the pop-up of the caller's panel)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IncomingCall


@transaction.atomic
def calls_take(*, user, limit: int = 3) -> list[IncomingCall]:
    """The calls ringing at ``user``'s extension that no page of theirs has shown, newest first, marked shown.

    Only the last ``CRM_AMI_POPUP_MINUTES`` count: a page opened later does not pop up yesterday's calls.
    Locked while marked, so two open tabs do not both pop the same call up.
    """
    since = timezone.now() - datetime.timedelta(minutes=settings.CRM_AMI_POPUP_MINUTES)
    calls = list(IncomingCall.objects.select_for_update().filter(user=user, shown_at__isnull=True, rang_at__gte=since)
                 .order_by("-rang_at")[:limit])
    if calls:
        now = timezone.now()
        IncomingCall.objects.filter(pk__in=[call.pk for call in calls]).update(shown_at=now)
        for call in calls:
            call.shown_at = now
    return calls
