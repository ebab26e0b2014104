"""A REST endpoint per resource, in the OpenAPI schema: list (``?q=`` search, filters), detail,
create and update, with the same permissions and row scoping as the pages."""

from django.db import transaction
from rest_framework import mixins, viewsets
from rest_framework.routers import DefaultRouter

from aftersales.core import rowscope
from aftersales.core.api import ModelPermissions, ModelSerializer

from . import registry, selectors


def _serializer_class(resource):
    # The fields the detail page shows are read back too (a warranty card's number and status).
    concrete = {field.name for field in resource.opts.concrete_fields}
    shown = [name for name in resource.all_detail_fields if name in concrete and name not in resource.form_fields]
    meta = type("Meta", (), {"model": resource.model, "fields": ["id", *resource.form_fields, *shown],
                             "read_only_fields": shown})
    return type(f"{resource.model.__name__}Serializer", (ModelSerializer,), {"Meta": meta})


class _ResourceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    resource: registry.Resource
    permission_classes = [ModelPermissions]

    def get_queryset(self):
        return selectors.record_list(
            resource=self.resource, user=self.request.user, query=self.request.query_params.get("q", ""),
            listing=self.action == "list",
        )

    # The audit row names the caller through simple-history's request middleware.
    # A record that names (or moves to) another center is refused and its write rolled back.
    @transaction.atomic
    def perform_create(self, serializer):
        if self.resource.create is not None:  # the record's own service writes it (a card's number)
            concrete = {field.name for field in self.resource.opts.concrete_fields}
            values = {name: value for name, value in serializer.validated_data.items() if name in concrete}
            serializer.instance = self.resource.create(
                instance=self.resource.model(**values), acting_user=self.request.user
            )
            rowscope.check_write(serializer.instance, self.request.user)
            return
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
            # Records that change only through their own services take no PUT or PATCH.
            "http_method_names": _ResourceViewSet.http_method_names if resource.editable
            else ["get", "post", "head", "options"],
            "__doc__": f"{resource.opts.verbose_name_plural}: search with ?q=, filter by "
            + (", ".join(resource.filter_fields) or "nothing"),
        },
    )


def router() -> DefaultRouter:
    routes = DefaultRouter()
    for resource in registry.resources():
        routes.register(resource.slug, viewset_for(resource), basename=f"desk-{resource.slug}")
    return routes
