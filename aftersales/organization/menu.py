"""The staff top menu: a few drop-downs by subject, filled by the apps.

Each app declares its entries in its own ``menu.py`` (found like the admin's ``admin.py``) with
``register_item``; an entry names the group it belongs to, so the menu stays one line wide on an
office screen (1366 or 1280 px) however many apps are installed. Entries computed per user (the
desk's resources) come from ``register_provider``. Nothing here needs to know the apps.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _, pgettext_lazy


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    order: int


@dataclass(frozen=True)
class Item:
    group: str
    label: str
    #: A URL name (reversed when the menu is built) or a path.
    url: str
    #: Permissions the user needs, all of them ("app.codename").
    permissions: tuple[str, ...] = ()
    #: A further test on the user (e.g. "may run at least one importer").
    visible: Callable | None = None
    order: int = 100
    #: URL arguments, for a URL name that takes some.
    args: tuple = ()

    def href(self) -> str:
        return self.url if self.url.startswith("/") else reverse(self.url, args=self.args)

    def shown_to(self, user) -> bool:
        if self.permissions and not user.has_perms(self.permissions):
            return False
        return self.visible is None or bool(self.visible(user))


WORKSHOP, WARRANTY, WAREHOUSE_BILLING, CUSTOMERS, MASTER_DATA, ADMINISTRATION = (
    "workshop", "warranty", "warehouse-billing", "customers", "master-data", "administration")

_GROUPS: dict[str, Group] = {}
_ITEMS: list[Item] = []
_PROVIDERS: list[Callable[[object], Iterable[Item]]] = []
_discovered = False


def register_group(group: Group) -> None:
    _GROUPS[group.key] = group


def register_item(item: Item) -> Item:
    if item.group not in _GROUPS:
        raise ValueError(f"menu group {item.group!r} is not registered")
    _ITEMS.append(item)
    return item


def register_provider(provider: Callable[[object], Iterable[Item]]) -> None:
    """Add ``provider(user)``, which yields the entries of one user (only those the user may open)."""
    _PROVIDERS.append(provider)


for _group in (
    Group(WORKSHOP, _("Workshop"), 10),
    Group(WARRANTY, _("Warranty"), 20),
    Group(WAREHOUSE_BILLING, _("Warehouse & billing"), 30),
    Group(CUSTOMERS, pgettext_lazy("menu group", "Customers"), 40),  # campaigns too; short for one line
    Group(MASTER_DATA, _("Master data"), 50),
    Group(ADMINISTRATION, _("Reports & admin"), 60),
):
    register_group(_group)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("menu")


def menu_for(user) -> list[tuple[Group, list[tuple[str, str]]]]:
    """The groups ``user`` sees, in order, each with its (label, href) entries; empty groups are left out."""
    if user is None or not user.is_authenticated:
        return []
    _discover()
    items = [item for item in _ITEMS if item.shown_to(user)]
    for provider in _PROVIDERS:
        items.extend(provider(user))
    menu = []
    for group in sorted(_GROUPS.values(), key=lambda g: g.order):
        entries = sorted((item for item in items if item.group == group.key), key=lambda i: i.order)
        if entries:
            menu.append((group, [(str(item.label), item.href()) for item in entries]))
    return menu


def _is_staff(user) -> bool:
    return user.is_staff


register_item(Item(MASTER_DATA, _("Service centers"), "organization:center-list",
                   permissions=("organization.view_servicecenter",), order=1))
register_item(Item(ADMINISTRATION, _("Desk (master data)"), "admin:index", visible=_is_staff, order=80))
register_item(Item(ADMINISTRATION, _("API"), "api-docs", order=90))
