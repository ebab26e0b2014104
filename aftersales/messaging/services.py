"""Writes on messaging: queueing messages in the caller's transaction, events, opt-outs, inbound messages.

Implements the outbox of F16/F17 and the sending side of F55.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core.inserts import insert_unless_exists
from aftersales.core.limits import ProcessCache
from aftersales.core.persian import digits_only, normalize_text, to_ascii_digits
from aftersales.core.validators import normalize_landline, normalize_mobile

from .events import events
from .models import Channel, EventRule, InboundMessage, Kind, Message, MessageTemplate, OptOut
from .signals import inbound_received
from .templating import HOLD, MASK, fill, names_in, unredact, variables

logger = logging.getLogger("aftersales.messaging")

_MOBILE = re.compile(r"^09\d{9}$")
_LANDLINE = re.compile(r"^0[1-8]\d{9}$")


def recipient_clean(channel: str, to: str) -> str:
    """The recipient in its canonical form; ValidationError (Persian) if the channel cannot reach it."""
    to = (to or "").strip()
    if channel == Channel.SMS:
        mobile = normalize_mobile(to)
        if _MOBILE.match(mobile):
            return mobile
        if _LANDLINE.match(normalize_landline(to)):
            raise ValidationError({"to": _("%(number)s is a landline number; it cannot receive SMS.") % {"number": to}})
        raise ValidationError({"to": _("%(number)s is not a valid mobile number.") % {"number": to}})
    if channel == Channel.FAX:
        number = digits_only(to)
        if not re.match(r"^0\d{10}$", number):
            raise ValidationError({"to": _("%(number)s is not a valid fax number.") % {"number": to}})
        return number
    address = to_ascii_digits(to).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"to": _("%(address)s is not a valid e-mail address.") % {"address": to}}) from None
    return address


def is_opted_out(address: str) -> bool:
    return OptOut.objects.filter(address=address).exists()


def outbox_wake() -> None:
    """Wake the sender (after commit): published by the process's wake-up thread (``waker``), off the
    request's path; if the broker is away the periodic sweep sends the messages."""
    from .waker import wake_soon

    wake_soon()


def message_queue(*, channel: str, to: str, body: str, subject: str = "", kind: str = Kind.SERVICE,
                  template: MessageTemplate | None = None, gateway_pattern: str = "", pattern_params: dict | None = None,
                  attachments: list[str] | None = None, html_body: str = "", event: str = "",
                  idempotency_key: str | None = None, customer_id: int | None = None, ref: str = "", center=None,
                  send_after=None, held_reason: str = "", acting_user=None) -> Message | None:
    """Write a message to the outbox in the caller's transaction; the worker sends it after commit.

    Checks come before the one write, so a refused recipient leaves the caller's transaction usable.

    With an ``idempotency_key`` already used, returns that message and writes nothing (a double
    submit or a re-announced event sends once). A marketing message to an opted-out address is not
    written (returns None). Refuses (ValidationError) a recipient the channel cannot reach. With a
    ``held_reason`` the message is written held: nothing sends it until a person releases it.
    """
    to = recipient_clean(channel, to)
    if kind == Kind.MARKETING and is_opted_out(to):
        return None
    message = Message(
        channel=channel, kind=kind, to=to, subject=subject, body=body, html_body=html_body, template=template,
        gateway_pattern=gateway_pattern, pattern_params=pattern_params or {}, attachments=attachments or [],
        event=event, idempotency_key=idempotency_key or None, customer_id=customer_id, ref=ref, center=center,
        next_attempt_at=send_after or timezone.now(), created_by=acting_user,
        state=Message.State.HELD if held_reason else Message.State.QUEUED, held_reason=held_reason[:300],
    )
    if not idempotency_key:
        message.save()
    elif not insert_unless_exists(message, unique_field="idempotency_key"):
        # The key's unique index answers "written before?" in the insert itself (no read first, no
        # savepoint): a re-announced event or a concurrent request gets the message already written.
        return Message.objects.get(idempotency_key=idempotency_key)
    message.written_now = True
    transaction.on_commit(outbox_wake)
    return message


def template_fill(template: MessageTemplate, context: dict) -> tuple[str, str, dict, list[str]]:
    """The subject, text and gateway-pattern parameters of a template for a context, and what is missing.

    A missing value becomes the template's fallback for it, else the variable's own; the variables
    with neither are returned last, their places kept as ``{name}`` for the person who fills them in.
    """
    fallbacks = template.fallbacks if isinstance(template.fallbacks, dict) else {}
    subject = fill(template.subject, context, fallbacks)
    body = fill(template.body, context, fallbacks)
    params = {name: body.values.get(name, "") for name in names_in(template.body)}
    missing = body.missing + [name for name in subject.missing if name not in body.missing]
    return subject.text, body.text, params, missing


def template_render(template: MessageTemplate, context: dict) -> tuple[str, str, dict]:
    """The subject, text and gateway-pattern parameters of a template for a context (nothing held)."""
    subject, body, params, missing = template_fill(template, context)
    if missing:
        fallbacks = {name: "" for name in missing}
        subject, body, params, _missing = template_fill(
            MessageTemplate(subject=template.subject, body=template.body,
                            fallbacks={**(template.fallbacks or {}), **fallbacks}), context)
    return subject, body, params


def held_reason_for(missing: list[str]) -> str:
    labels = variables()
    return _("No value for: %(names)s. Fill it in and send the message.") % {
        "names": "، ".join(str(labels.get(name, name)) for name in missing)}


def message_from_template(*, template: MessageTemplate, to: str, context: dict, **options) -> Message | None:
    """Queue a template's message; one missing a value the template will not do without is held."""
    subject, body, params, missing = template_fill(template, context)
    return message_queue(channel=template.channel, kind=template.kind, to=to, subject=subject, body=body,
                         template=template, gateway_pattern=template.gateway_pattern, pattern_params=params,
                         held_reason=held_reason_for(missing) if missing else "", **options)


def event_announce(event: str, *, context: dict, recipients: dict[str, dict[str, str]], key: str,
                   customer_id: int | None = None, ref: str = "", center=None, acting_user=None) -> list[Message]:
    """Announce a business event inside its transaction; each active rule for it queues its message.

    ``recipients`` maps a recipient name of the event (``customer``…) to its addresses per channel
    (``{"sms": "0912…", "email": "…"}``); ``key`` identifies this occurrence so that announcing it
    twice sends once. Returns the messages written now. A recipient without an address on the rule's channel is skipped; one the channel
    cannot reach is logged and skipped, never failing the business event.
    """
    if event not in events():
        raise ValueError(f"unknown event {event!r}")
    queued = []
    for rule in rules_for(event):
        address = (recipients.get(rule.recipient) or {}).get(rule.template.channel)
        if not address:
            continue
        send_after = timezone.now() + timezone.timedelta(minutes=rule.delay_minutes) if rule.delay_minutes else None
        try:
            message = message_from_template(
                template=rule.template, to=address, context=context, event=event,
                idempotency_key=f"{event}:{key}:{rule.pk}", customer_id=customer_id, ref=ref, center=center,
                send_after=send_after, acting_user=acting_user,
            )
        except ValidationError as error:
            logger.info("event %s: %s not messaged: %s", event, rule.recipient, error.messages)
            continue
        if message is not None and getattr(message, "written_now", False):  # not announced before
            queued.append(message)
    return queued


# Rules are read on every business event and edited rarely.
_rules = ProcessCache(seconds=60)
rules_changed = _rules.clear


def rules_for(event: str) -> list[EventRule]:
    return _rules.get(event, lambda: list(
        EventRule.objects.filter(event=event, is_active=True, template__is_active=True).select_related("template")))


@transaction.atomic
def opt_out_add(*, address: str, source: str = OptOut.Source.STAFF, reason: str = "") -> OptOut:
    """Stop marketing messages to ``address`` (service messages still go); an address opted out stays as it is."""
    opt_out, created = OptOut.objects.get_or_create(address=address, defaults={"source": source})
    if created and reason:
        update_change_reason(opt_out, reason)
    return opt_out


@transaction.atomic
def opt_out_remove(*, address: str, reason: str = "") -> bool:
    """Take back the opt-out of ``address``: marketing messages reach it again. False if it had none.

    The removal stays in the opt-out's history, with ``reason``.
    """
    opt_out = OptOut.objects.select_for_update().filter(address=address).first()
    if opt_out is None:
        return False
    if reason:
        opt_out._change_reason = reason
    opt_out.delete()
    return True


_OPT_OUT_REPLY = re.compile(r"^(لغو|لغو\s*\d{1,3}|stop|cancel|off)$", re.IGNORECASE)


def is_opt_out_reply(text: str) -> bool:
    """The Iranian convention: a reply of «لغو» (or «لغو11», the line's code) stops marketing SMS."""
    return bool(_OPT_OUT_REPLY.match(to_ascii_digits(normalize_text(text)).strip()))


@transaction.atomic
def inbound_record(*, channel: str, sender: str, body: str, line: str = "", provider_id: str = "", subject: str = "",
                   customer_id: int | None = None) -> InboundMessage:
    """Keep a received message (also from unknown numbers); a «لغو» reply opts its sender out.

    Anything else is announced with ``inbound_received`` in the same transaction. Receiving the same
    gateway id again changes nothing.
    """
    if channel == Channel.SMS:
        sender = normalize_mobile(sender) or sender
    if provider_id:
        existing = InboundMessage.objects.filter(channel=channel, provider_id=provider_id).first()
        if existing is not None:
            return existing
    opt_out = channel == Channel.SMS and is_opt_out_reply(body)
    inbound = InboundMessage.objects.create(channel=channel, sender=sender, body=body, line=line, subject=subject[:200],
                                            provider_id=provider_id[:200], customer_id=customer_id, is_opt_out=opt_out)
    if opt_out:
        opt_out_add(address=sender, source=OptOut.Source.SMS_REPLY)
    else:
        inbound_received.send(sender=InboundMessage, inbound=inbound)
    return inbound


@transaction.atomic
def message_held_edit(*, message: Message, text: str, values: dict[str, str] | None = None,
                      acting_user=None) -> Message:
    """Take a person's edit of a held message: its text (as shown, secrets masked) and missing values.

    ``values`` fill the ``{variable}`` places still in the text and the gateway pattern's parameters
    of the same name. Refuses (ValidationError) a message that is not held and an edit that drops or
    adds a masked part.
    """
    if message.state != Message.State.HELD:
        raise ValidationError(_("Only a held message can be edited."))
    try:
        body = unredact(text, message.body, message.pattern_params)
    except ValueError:
        raise ValidationError({"text": _("Keep every %(mask)s as it is: it stands for a code or link you cannot see.")
                               % {"mask": MASK}}) from None
    values = {name: value.strip() for name, value in (values or {}).items() if value and value.strip()}
    if values:
        body = fill(body, values, {name: HOLD for name in names_in(body)}).text
        message.pattern_params = {**message.pattern_params,
                                  **{name: value for name, value in values.items() if name in message.pattern_params}}
    message.body = body
    message.save(update_fields=["body", "pattern_params"])
    return message


@transaction.atomic
def message_release(*, messages, acting_user=None) -> tuple[int, int]:
    """Send held messages whose places a person filled in; returns (released, still held).

    A held message still holding a ``{variable}`` place, or a gateway-pattern message with a
    parameter still empty, stays held.
    """
    released = kept = 0
    for message in messages.filter(state=Message.State.HELD).select_for_update():
        if names_in(message.body) or (message.gateway_pattern and not all(message.pattern_params.values())):
            kept += 1
            continue
        message.state, message.held_reason, message.next_attempt_at = Message.State.QUEUED, "", timezone.now()
        message.save(update_fields=["state", "held_reason", "next_attempt_at"])
        released += 1
    if released:
        transaction.on_commit(outbox_wake)
    return released, kept


@transaction.atomic
def message_requeue(*, messages, acting_user=None) -> int:
    """Queue failed or uncertain messages again (a person checked the gateway's panel)."""
    count = messages.filter(state__in=[Message.State.FAILED, Message.State.UNCERTAIN]).update(
        state=Message.State.QUEUED, next_attempt_at=timezone.now(), attempts=0, error=""
    )
    if count:
        transaction.on_commit(outbox_wake)
    return count
