"""The desk's resources in the top menu, each under the group its declaration names."""

from django.urls import reverse
from django.utils.text import capfirst

from aftersales.organization.menu import Item, register_provider

from . import registry


def resource_items(user):
    for order, resource in enumerate(registry.resources()):
        if resource.menu_group and resource.in_master_data_menu and user.has_perm(resource.permission("view")):
            yield Item(resource.menu_group, capfirst(resource.opts.verbose_name_plural),
                       reverse("desk:list", args=[resource.slug]), order=resource.menu_order or 100 + order)


register_provider(resource_items)
