"""The roles of the product: Django groups with permissions, plus whether they see every center.

``sync_roles`` creates missing roles and grants the default permissions after every migrate;
administrators may change both in the admin afterwards, and a later sync only adds what is missing.
Other apps add their permissions with ``grant_by_default`` in their ``AppConfig.ready``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    HEAD_OFFICE_MANAGER = "head_office_manager", _("Head-office manager")
    CENTER_MANAGER = "center_manager", _("Center manager")
    RECEPTIONIST = "receptionist", _("Receptionist")
    TECHNICIAN = "technician", _("Technician")
    WAREHOUSE_KEEPER = "warehouse_keeper", _("Warehouse keeper")
    ACCOUNTANT = "accountant", _("Accountant")
    CALL_CENTER_AGENT = "call_center_agent", _("Call-center agent")
    MARKETING_MANAGER = "marketing_manager", _("Marketing manager")
    VISITOR = "visitor", _("Visitor (field marketer)")


# Head-office roles work across the whole network; everyone else works inside their own centers.
SPANS_ALL_CENTERS = {Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER, Role.CALL_CENTER_AGENT}

_VIEW_ORGANIZATION = ["organization.view_servicecenter", "organization.view_user"]
DEFAULT_PERMISSIONS: dict[str, set[str]] = {
    Role.SYSTEM_ADMIN: {"*"},
    Role.HEAD_OFFICE_MANAGER: {*_VIEW_ORGANIZATION, "organization.change_servicecenter", "organization.add_servicecenter"},
    Role.CENTER_MANAGER: {*_VIEW_ORGANIZATION, "organization.change_servicecenter"},
    Role.RECEPTIONIST: {"organization.view_servicecenter"},
    Role.TECHNICIAN: {"organization.view_servicecenter"},
    Role.WAREHOUSE_KEEPER: {"organization.view_servicecenter"},
    Role.ACCOUNTANT: {*_VIEW_ORGANIZATION},
    Role.CALL_CENTER_AGENT: {"organization.view_servicecenter"},
    Role.MARKETING_MANAGER: {*_VIEW_ORGANIZATION},
    Role.VISITOR: {"organization.view_servicecenter"},
}


def grant_by_default(role: str, *permissions: str) -> None:
    """Add permissions (``app_label.codename``) that ``sync_roles`` grants to a role."""
    DEFAULT_PERMISSIONS.setdefault(role, set()).update(permissions)


def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code


def _permissions(names: set[str]):
    if "*" in names:
        return Permission.objects.all()
    query = models.Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= models.Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


@transaction.atomic
def sync_roles() -> None:
    """Create the roles that are missing and give each its default permissions."""
    from .models import RoleProfile

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        RoleProfile.objects.get_or_create(
            group=group, defaults={"code": role.value, "spans_all_centers": role in SPANS_ALL_CENTERS}
        )
        group.permissions.add(*_permissions(DEFAULT_PERMISSIONS.get(role, set())))


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    # post_migrate is sent once per app; run after the last one, when every permission exists.
    from django.apps import apps

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        sync_roles()
