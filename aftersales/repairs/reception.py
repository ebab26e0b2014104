"""What apps above repairs show beside the warranty at reception (F25): sales shows the unit's active
service contract. Repairs imports none of them: an app registers ``(template, context(request, unit))``
in its ``AppConfig.ready``; a context function returning None shows nothing for that unit.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

_COVERAGE_PANELS: list[tuple[str, Callable]] = []


def register_coverage_panel(template: str, context: Callable) -> None:
    if (template, context) not in _COVERAGE_PANELS:
        _COVERAGE_PANELS.append((template, context))


def coverage_panels(request, unit) -> list[str]:
    """The registered panels of the unit being received, rendered for ``request``."""
    rendered = []
    for template, context in _COVERAGE_PANELS:
        values = context(request, unit)
        if values is not None:
            rendered.append(render_to_string(template, {"unit": unit, **values}, request=request))
    return rendered
