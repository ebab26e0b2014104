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
