from django.utils.translation import gettext_lazy as _

from aftersales.organization.menu import ADMINISTRATION, Item, register_item

from . import registry


def _may_import(user) -> bool:
    """The user may run at least one importer."""
    return any(not imp.permission or user.has_perm(imp.permission) for imp in registry.importers())


register_item(Item(ADMINISTRATION, _("Excel import"), "imports:home", visible=_may_import, order=10))
