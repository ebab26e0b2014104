"""The dashboard is a list of panels; each role sees the panels registered for it.

Other apps add theirs in ``AppConfig.ready`` (a technician's worklist, a warehouse keeper's
low-stock list…) with ``register_panel``; nothing here needs to know about them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count

from .models import ServiceCenter, User
from .roles import Role, role_label
from .scoping import scope_queryset, spans_all_centers


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[User], dict | None]
    roles: frozenset[str] | None = None  # None: every user
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.name] = panel


def user_roles(user) -> set[str]:
    roles = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    return roles


def panels_for(user) -> list[tuple[str, dict]]:
    """The panels ``user`` sees, in order, each with its context; a panel returning None is hidden."""
    roles = user_roles(user)
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        if panel.roles is not None and not roles & panel.roles:
            continue
        context = panel.context(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def _profile_gaps(user) -> dict | None:
    missing = [label for field, label in (("mobile", User._meta.get_field("mobile").verbose_name),
                                          ("national_code", User._meta.get_field("national_code").verbose_name))
               if not getattr(user, field)]
    return {"missing": missing} if missing else None


def _my_centers(user) -> dict | None:
    centers = list(user.centers.select_related("manager").order_by("code"))
    return {"centers": centers} if centers else None


def _network(user) -> dict:
    centers = scope_queryset(ServiceCenter.objects.all(), user)
    staff = User.objects.filter(is_active=True, groups__isnull=False)
    if not spans_all_centers(user):
        staff = staff.filter(centers__in=centers)
    by_role = staff.values("groups__name").annotate(count=Count("pk", distinct=True)).order_by("groups__name")
    by_province = centers.values("province").annotate(count=Count("pk")).order_by("-count", "province")[:8]
    return {
        "center_count": centers.count(),
        "active_center_count": centers.filter(is_active=True).count(),
        "staff_by_role": [(role_label(row["groups__name"]), row["count"]) for row in by_role],
        "by_province": list(by_province),
    }


def _center_team(user) -> dict | None:
    centers = user.centers.all()
    if not centers:
        return None
    team = (
        User.objects.filter(centers__in=centers, is_active=True)
        .exclude(pk=user.pk)
        .prefetch_related("groups")
        .distinct()
        .order_by("last_name", "first_name")
    )
    return {"team": [(member, [role_label(g.name) for g in member.groups.all()]) for member in team[:50]]}


_MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER, Role.MARKETING_MANAGER})
_CENTER_ROLES = frozenset({Role.CENTER_MANAGER, Role.RECEPTIONIST, Role.TECHNICIAN, Role.WAREHOUSE_KEEPER,
                           Role.ACCOUNTANT, Role.VISITOR})

register_panel(Panel("profile_gaps", "organization/panels/profile_gaps.html", _profile_gaps, order=10))
register_panel(Panel("network", "organization/panels/network.html", _network, roles=_MANAGERS, order=20))
register_panel(Panel("my_centers", "organization/panels/my_centers.html", _my_centers, order=30))
register_panel(Panel("center_team", "organization/panels/center_team.html", _center_team, roles=_CENTER_ROLES, order=40))
