"""Panels that apps above repairs add to a repair order's page (feedback lists the order's complaints).

Repairs imports none of them: an app registers ``(template, context(request, order))`` in its
``AppConfig.ready``; a context function returning None hides its panel for that request.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

_ORDER_PANELS: list[tuple[str, Callable]] = []


def register_order_panel(template: str, context: Callable) -> None:
    if (template, context) not in _ORDER_PANELS:
        _ORDER_PANELS.append((template, context))


def order_panels(request, order) -> list[str]:
    """The registered panels of ``order``'s page, rendered for ``request``."""
    rendered = []
    for template, context in _ORDER_PANELS:
        values = context(request, order)
        if values is not None:
            rendered.append(render_to_string(template, {"order": order, **values}, request=request))
    return rendered


_HISTORY_FACTS: list[Callable] = []


def register_history_facts(facts: Callable) -> None:
    """``facts(request, orders)`` → ``{order_pk: [(label, text), …]}``: what an app above repairs knows
    of each order of a unit's or customer's history (billing its invoices, feedback the survey
    answer). Called once per history with every order, so it reads them in one query."""
    if facts not in _HISTORY_FACTS:
        _HISTORY_FACTS.append(facts)


def history_facts(request, orders) -> dict:
    gathered: dict = {}
    for facts in _HISTORY_FACTS:
        for pk, lines in (facts(request, orders) or {}).items():
            gathered.setdefault(pk, []).extend(lines)
    return gathered
