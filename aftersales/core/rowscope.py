"""The row-scoping rule as seen from below: ``core`` knows that some rows belong to a service center, and
``organization`` (which knows users, centers and roles) installs the rule at start-up.

Models name the path to their center in ``scope_center_field``; the admin base classes and the API's
base pieces call ``scoped`` so that a new admin page or form field cannot forget the rule.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

_rule: Callable[[QuerySet, object], QuerySet] | None = None
#: The request being served (set by ``RowScopeMiddleware``); forms read its user when they are built.
current_request: ContextVar = ContextVar("aftersales_current_request", default=None)


_center_check: Callable[[object, object], None] | None = None


def install(rule: Callable[[QuerySet, object], QuerySet], center_check: Callable[[object, object], None]) -> None:
    global _rule, _center_check
    _rule, _center_check = rule, center_check


def check_write(instance, user) -> None:
    """Refuse (PermissionDenied) writing ``instance`` when it belongs, or would move, to a center that is not
    one of ``user``'s. The desk's pages and API call it for every save, inside the write's transaction."""
    path = getattr(type(instance), "scope_center_field", None)
    if path is None or user is None or _center_check is None:
        return
    if path == "pk":
        target = instance.pk
    else:
        target = instance
        for name in path.split("__"):
            field = type(target)._meta.get_field(name)
            if field.many_to_many or field.one_to_many:
                return  # staff in several centers: their memberships are checked where they are edited
            if field.is_relation and name == path.split("__")[-1]:
                target = getattr(target, field.attname)
                break
            target = getattr(target, name)
            if target is None:
                return
    if target is not None:
        _center_check(user, target)


def is_scoped(model) -> bool:
    return getattr(model, "scope_center_field", None) is not None


def scoped(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see; unchanged for models that belong to no center."""
    if not is_scoped(queryset.model):
        return queryset
    if _rule is None:
        raise ImproperlyConfigured("no row-scoping rule installed (aftersales.organization must be installed)")
    return _rule(queryset, user)


def scope_choices(fields, user, *, except_fields=()) -> None:
    """Limit every choice of records among ``fields`` (a form's or serializer's) to what ``user`` may see,
    so that posting the id of another center's record (a center, warehouse, team, colleague) is refused
    as an invalid choice. ``except_fields`` name choices meant to cross centers (referral to a center)."""
    for name, field in fields.items():
        if name in except_fields:
            continue
        target = getattr(field, "child_relation", field)  # DRF's many=True wraps the related field
        queryset = getattr(target, "queryset", None)
        if queryset is not None and is_scoped(queryset.model):
            target.queryset = scoped(queryset, user)


def request_user():
    """The user of the request being served, or None outside a request (commands, the worker, tests)."""
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None
