from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "aftersales.organization"
    label = "organization"
    verbose_name = _("Organization and access")

    def ready(self):
        from aftersales.core import rowscope

        from .roles import sync_roles_after_migrate
        from .scoping import check_center, scope_queryset

        rowscope.install(scope_queryset, check_center)

        from .admin import restrict_third_party_admins

        restrict_third_party_admins()

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="organization_sync_roles")
