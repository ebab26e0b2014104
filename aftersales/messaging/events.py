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
