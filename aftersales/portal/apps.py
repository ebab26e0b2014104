from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The customer's portal (issue 22): signed in by a texted code, everything the customer owns in one place."""

    name = "aftersales.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self):
        from aftersales.core.demo import register_seeder
        from aftersales.core.views import register_not_found
        from aftersales.messaging.events import register_event

        from .demo import seed_portal

        register_event("portal_sign_in_code", _("portal sign-in code requested"), variables=("code",))
        register_seeder("portal", seed_portal, order=59)  # after the repairs', billing's and warranty's demo data
        register_not_found("portal:home", "aftersales.portal.views.not_found")
