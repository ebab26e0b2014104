from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aftersales.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import expressions  # noqa: F401  (registers SQLite's percentile aggregate)
        from .authentication import token_deleted
        from .history import history_descriptor_cache

        history_descriptor_cache()

        post_delete.connect(token_deleted, sender="authtoken.Token", dispatch_uid="core_token_deleted")
