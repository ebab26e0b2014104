"""The worker's side of the outbox: claim due messages, send them, record the outcome, recover crashes.

Exactly once: a message is claimed (``sending`` with a lease) in its own committed write before the
gateway is called, and its outcome is written right after. A worker killed between the two leaves
a ``sending`` message whose lease runs out; the next sweep asks the gateway about it by its local id
(``lookup``) and records it as sent if the gateway has it, or sends it again if not. A backend that
cannot be asked marks it ``uncertain`` for a person to check, rather than risk a second copy.
"""

import datetime
import logging
import random
import threading
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .backends import GatewayError, backend_for
from .models import Channel, InboundMessage, Kind, Message
from .services import inbound_record

logger = logging.getLogger("aftersales.messaging")

State = Message.State


def _parse_time(text: str) -> datetime.time:
    hours, minutes = text.split(":")
    return datetime.time(int(hours), int(minutes))


def in_quiet_hours(now: datetime.datetime | None = None) -> bool:
    """Whether marketing messages wait now (``MESSAGING_QUIET_HOURS``, local time, may span midnight)."""
    if not settings.MESSAGING_QUIET_HOURS:
        return False
    start, end = (_parse_time(part) for part in settings.MESSAGING_QUIET_HOURS)
    local = timezone.localtime(now or timezone.now()).time()
    return start <= local < end if start <= end else local >= start or local < end


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off: 30 s, 1 min, 2 min … capped at an hour."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


class _Throttle:
    """At most ``rate`` sends a second per channel from this process (the gateway's limit)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        rate = settings.MESSAGING_RATE_LIMITS.get(channel) or 0
        if rate <= 0:
            return
        with self.lock:
            gap = 1 / rate - (time.monotonic() - self.last.get(channel, 0))
            if gap > 0:
                time.sleep(gap)
            self.last[channel] = time.monotonic()


_throttle = _Throttle()


def _candidates(now, quiet: bool, limit: int = 50) -> list[Message]:
    due = Message.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
    if quiet:
        due = due.filter(kind=Kind.SERVICE)
    found = list(due.order_by("next_attempt_at", "id")[:limit])
    if len(found) == limit:
        random.shuffle(found)  # a backlog: workers reading the same head of the queue claim different messages
    return found


def _claim(message: Message | int) -> Message | None:
    """Take a queued message for sending (a committed write of its own); None if another worker has it."""
    if isinstance(message, int):
        message = Message.objects.get(pk=message)
    lease = timezone.now() + datetime.timedelta(seconds=settings.MESSAGING_LEASE_SECONDS)
    claimed = Message.objects.filter(pk=message.pk, state=State.QUEUED, attempts=message.attempts).update(
        state=State.SENDING, lease_until=lease, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    message.state, message.lease_until, message.attempts = State.SENDING, lease, message.attempts + 1
    return message


def _record_sent(message: Message, backend, result) -> None:
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.SENT, provider_id=result.provider_id or "", cost=result.cost, sent_at=timezone.now(),
        lease_until=None, error="", backend=backend.name,
    )


def _record_failure(message: Message, backend, error: GatewayError) -> None:
    final = error.permanent or message.attempts >= settings.MESSAGING_MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.FAILED if final else State.QUEUED, error=error.reason[:1000], lease_until=None,
        backend=backend.name, next_attempt_at=timezone.now() + retry_delay(message.attempts),
    )


def deliver(message: Message) -> bool:
    """Send one claimed message; True when the gateway took it."""
    backend = backend_for(message.channel)
    _throttle.wait(message.channel)
    try:
        result = backend.send(message)
    except GatewayError as error:
        logger.info("message %s not sent: %s", message.pk, error.reason)
        _record_failure(message, backend, error)
        return False
    except Exception:
        # Unknown whether the gateway took it (an answer we could not read, say): the message stays
        # ``sending`` and the crash recovery asks the gateway once its lease runs out.
        logger.exception("message %s: the send failed unexpectedly", message.pk)
        return False
    _record_sent(message, backend, result)
    return True


def recover_expired(now=None) -> int:
    """Settle messages whose sender died mid-send (their lease ran out)."""
    now = now or timezone.now()
    settled = 0
    for message in Message.objects.filter(state=State.SENDING, lease_until__lt=now).order_by("pk")[:1000]:
        backend = backend_for(message.channel)
        still = Message.objects.filter(pk=message.pk, state=State.SENDING, lease_until=message.lease_until)
        try:
            found = backend.lookup(message)
        except NotImplementedError:
            still.update(state=State.UNCERTAIN, lease_until=None, backend=backend.name,
                         error=_("The sender stopped mid-send and this gateway cannot be asked whether it took the "
                                 "message; check its panel, then send again if it is not there."))
            settled += 1
            continue
        except GatewayError as error:
            logger.info("message %s: gateway not asked yet: %s", message.pk, error.reason)
            continue
        if found is not None:
            still.update(state=State.SENT, provider_id=found.provider_id, sent_at=now, lease_until=None,
                         backend=backend.name, error="")
        else:
            still.update(state=State.QUEUED, lease_until=None, next_attempt_at=now)
        settled += 1
    return settled


def dispatch_due(*, limit: int = 100_000, deadline: float | None = None) -> int:
    """Send what is due, one claim at a time (several workers share the work); returns how many went."""
    recover_expired()
    quiet = in_quiet_hours()
    sent = handled = 0
    while handled < limit and (deadline is None or time.monotonic() < deadline):
        batch = _candidates(timezone.now(), quiet)
        if not batch:
            break
        for candidate in batch:
            message = _claim(candidate)
            if message is None:
                continue  # another worker took it
            handled += 1
            sent += deliver(message)
    return sent


def poll_statuses(*, days: int = 2) -> int:
    """Take delivery reports from the SMS gateway for messages sent in the last ``days``."""
    since = timezone.now() - datetime.timedelta(days=days)
    pending = Message.objects.filter(channel=Channel.SMS, state=State.SENT, sent_at__gte=since).exclude(provider_id="")
    backend = backend_for(Channel.SMS)
    updated = 0
    ids = list(pending.values_list("provider_id", flat=True)[:5000])
    for start in range(0, len(ids), 100):
        try:
            found = backend.statuses(ids[start:start + 100])
        except GatewayError as error:
            logger.info("delivery reports not taken: %s", error.reason)
            break
        for provider_id, status in found.items():
            if status == "delivered":
                updated += pending.filter(provider_id=provider_id).update(state=State.DELIVERED, delivered_at=timezone.now())
            elif status == "failed":
                updated += pending.filter(provider_id=provider_id).update(state=State.FAILED,
                                                                          error=_("The gateway reports it was not delivered."))
    return updated


def poll_inbox() -> int:
    """Keep the SMS the gateway received since the last poll."""
    try:
        received = backend_for(Channel.SMS).inbox()
    except GatewayError as error:
        logger.info("inbox not read: %s", error.reason)
        return 0
    before = InboundMessage.objects.count()
    for item in received:
        inbound_record(channel=Channel.SMS, sender=item.sender, body=item.body, line=item.line,
                       provider_id=item.provider_id)
    return InboundMessage.objects.count() - before
