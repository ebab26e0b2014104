"""Master data as declared resources, like Frappe's doctypes: one declaration gives the staff UI
(list with Persian search, filters and paging; detail with the audit trail; create and edit forms;
Excel export) and a REST endpoint in the OpenAPI schema.

Apps declare their resources in ``desk.py`` and the desk imports it when the app is ready.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass
class Resource:
    model: type[models.Model]
    slug: str
    list_fields: list[str]
    form_fields: list[str]
    filter_fields: list[str] = field(default_factory=list)
    detail_fields: list[str] | None = None
    export_fields: list[str] | None = None
    select_related: list[str] = field(default_factory=list)
    #: Related rows the Excel export reads for each record (an importable list's template columns,
    #: e.g. a customer's phones), fetched in one query per chunk instead of one per record.
    export_prefetch: list[str] = field(default_factory=list)
    ordering: list[str] | None = None
    form_class: type | None = None
    #: Related rows shown on the detail page: (accessor, [fields]).
    children: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Replaces the search-text match, e.g. an exact serial lookup on a table of millions of rows.
    search: Callable | None = None
    #: (template, context function(request, obj)) panels rendered under the detail page's fields;
    #: apps higher up add theirs (warranty adds its panel to the unit's page).
    detail_panels: list[tuple[str, Callable]] = field(default_factory=list)
    #: Rows hidden from every list (e.g. merged duplicates); a Q object.
    hidden: object = None
    #: Who may list which rows, beyond the center scoping: ``visible(records, user, query)`` returns the
    #: rows a list (page, export, API list) shows — final, no further search — or None for the usual
    #: search. Customers use it: the national list is for roles that span every center.
    visible: Callable | None = None
    #: Listed in the top menu; work records (complaints) have their own entry.
    in_master_data_menu: bool = True
    #: The top menu's group it is listed under (``organization.menu``), and its place there.
    menu_group: str = "master-data"
    menu_order: int | None = None
    #: Writes a new record through its own service instead of a plain save (a warranty card takes its
    #: number from the numbering service): ``create(instance=<unsaved, form fields set>, acting_user=…)``
    #: returns the saved record; pages and API call it.
    create: Callable | None = None
    #: False when records change only through their own services: no edit page, no PUT or PATCH.
    editable: bool = True

    @property
    def opts(self):
        return self.model._meta

    def permission(self, action: str) -> str:
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    @property
    def all_detail_fields(self) -> list[str]:
        return self.detail_fields or self.list_fields

    @property
    def all_export_fields(self) -> list[str]:
        return self.export_fields or self.all_detail_fields


_RESOURCES: dict[str, Resource] = {}
_EXPORT_LAYOUTS: dict[str, Callable] = {}


def register(resource: Resource) -> Resource:
    if resource.slug in _RESOURCES:
        raise ValueError(f"desk resource {resource.slug!r} registered twice")
    _RESOURCES[resource.slug] = resource
    return resource


def resources() -> list[Resource]:
    return list(_RESOURCES.values())


def get(slug: str) -> Resource:
    return _RESOURCES[slug]


def export_layout(slug: str, columns: Callable | None = None) -> list[tuple[str, str | Callable]] | None:
    """Set or get the columns of a list's Excel export as [(header, field path or function of the record)].

    An importer that reads a list's export back (``imports``) sets its template's headers and codes
    here, so that the file a user exports can be imported again unchanged.
    """
    if columns is not None:
        _EXPORT_LAYOUTS[slug] = columns
        return None
    layout = _EXPORT_LAYOUTS.get(slug)
    return layout() if layout else None
