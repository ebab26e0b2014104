"""Events other apps announce; rules edited in the admin turn them into messages."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    code: str
    label: object
    recipients: tuple[str, ...] = ("customer",)
    variables: tuple[str, ...] = field(default_factory=tuple)


_EVENTS: dict[str, Event] = {}


def register_event(code: str, label, *, recipients=("customer",), variables=()) -> None:
    _EVENTS[code] = Event(code, label, tuple(recipients), tuple(variables))


def events() -> dict[str, Event]:
    return dict(_EVENTS)


def event_choices() -> list[tuple[str, object]]:
    return [(event.code, event.label) for event in _EVENTS.values()]


# The repair workshop's events, whose default rules ship with messaging (F16, F17); the repairs app
# will announce them. Other apps register their own events in AppConfig.ready().
register_event("reception_created", _("unit received for repair"),
               variables=("customer_name", "tracking_code", "product", "date", "link", "center_name"))
register_event("repair_ready", _("repair ready for hand-back"),
               variables=("customer_name", "tracking_code", "product", "amount", "link", "center_name"))
