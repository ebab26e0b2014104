"""A REST endpoint per resource, in the OpenAPI schema: list (``?q=`` search, filters), detail,
create and update, with the same permissions and row scoping as the pages."""

from django.db import transaction
from rest_framework import mixins, viewsets
from rest_framework.routers import DefaultRouter

from aftersales.core import rowscope
from aftersales.core.api import ModelPermissions, ModelSerializer

from . import registry, selectors


def _serializer_class(resource):
    meta = type("Meta", (), {"model": resource.model, "fields": ["id", *resource.form_fields]})
    return type(f"{resource.model.__name__}Serializer", (ModelSerializer,), {"Meta": meta})


class _ResourceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    resource: registry.Resource
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        return selectors.record_list(
            resource=self.resource, user=self.request.user, query=self.request.query_params.get("q", "")
        )

    # The audit row names the caller through simple-history's request middleware.
    # A record that names (or moves to) another center is refused and its write rolled back.
    @transaction.atomic
    def perform_create(self, serializer):
        rowscope.check_write(serializer.save(), self.request.user)

    @transaction.atomic
    def perform_update(self, serializer):
        rowscope.check_write(serializer.save(), self.request.user)


def viewset_for(resource):
    return type(
        f"{resource.model.__name__}ViewSet",
        (_ResourceViewSet,),
        {
            "resource": resource,
            "serializer_class": _serializer_class(resource),
            "queryset": resource.model._default_manager.all(),
            "filterset_fields": resource.filter_fields,
            "__doc__": f"{resource.opts.verbose_name_plural}: search with ?q=, filter by "
            + (", ".join(resource.filter_fields) or "nothing"),
        },
    )


def router() -> DefaultRouter:
    routes = DefaultRouter()
    for resource in registry.resources():
        routes.register(resource.slug, viewset_for(resource), basename=f"desk-{resource.slug}")
    return routes
