"""Generic pages for every registered resource: list, export, detail, create, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from aftersales.core import rowscope
from aftersales.core.audit import audit_trail
from aftersales.core.exports import xlsx_response

from . import registry, selectors, services
from .display import display_value, export_value, field_label
from .forms import resource_form_class


def _resource(slug, user, action):
    try:
        resource = registry.get(slug)
    except KeyError:
        raise Http404 from None
    if not user.has_perm(resource.permission(action)):
        raise PermissionDenied
    return resource


def _filters(request, resource):
    choices = []
    for name in resource.filter_fields:
        field = resource.model._meta.get_field(name)
        if field.choices:
            options = [(str(value), label) for value, label in field.flatchoices]
        elif field.get_internal_type() == "BooleanField":
            options = [("true", _("Yes")), ("false", _("No"))]
        elif field.is_relation:
            related = rowscope.scoped(field.related_model._default_manager.all(), request.user)
            options = [(str(obj.pk), str(obj)) for obj in related[:200]]
        else:
            continue
        choices.append({"name": name, "label": field.verbose_name, "options": options, "value": request.GET.get(name, "")})
    return choices


def _filter_values(request, resource):
    values = {}
    for name in resource.filter_fields:
        value = request.GET.get(name, "")
        if value in ("true", "false"):
            value = value == "true"
        values[name] = value
    return values


@login_required
def record_list(request, slug):
    resource = _resource(slug, request.user, "view")
    query = request.GET.get("q", "")
    records = selectors.record_list(resource=resource, user=request.user, query=query, filters=_filter_values(request, resource))
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    rows = [(obj, [display_value(obj, name) for name in resource.list_fields]) for obj in page]
    context = {
        "resource": resource,
        "page": page,
        "rows": rows,
        "headers": [field_label(resource.model, name) for name in resource.list_fields],
        "query": query,
        "filters": _filters(request, resource),
        "querystring": request.GET.urlencode(),
        "can_add": request.user.has_perm(resource.permission("add")),
        # A list this user sees only through an exact search (the national customer and serial lists).
        "exact_search_only": resource.visible is not None
        and resource.visible(resource.model._default_manager.none(), request.user, "") is not None,
    }
    template = "desk/partials/table.html" if request.htmx else "desk/list.html"
    return render(request, template, context)


@login_required
def record_export(request, slug):
    resource = _resource(slug, request.user, "view")
    records = selectors.record_list(
        resource=resource, user=request.user, query=request.GET.get("q", ""), filters=_filter_values(request, resource)
    )
    fields = resource.all_export_fields
    headers = [field_label(resource.model, name) for name in fields]
    layout = registry.export_layout(resource.slug)
    if layout:
        # An importable list starts with its import template's columns (codes, not names), then the
        # rest of its fields, which the importer ignores: the file can be imported back as it is.
        extra = [(header, name) for header, name in zip(headers, fields, strict=True)
                 if name not in {path for _header, path in layout} and header not in {h for h, _path in layout}]
        headers = [header for header, _path in [*layout, *extra]]
        fields = [path for _header, path in [*layout, *extra]]
    if resource.export_prefetch:
        records = records.prefetch_related(*resource.export_prefetch)
    rows = ([export_value(obj, name) for name in fields] for obj in records.iterator(chunk_size=2000))
    return xlsx_response(
        filename=f"{resource.slug}.xlsx",
        title=str(resource.opts.verbose_name_plural),
        headers=headers,
        rows=rows,
    )


def _get(resource, user, pk):
    try:
        return selectors.record_get(resource=resource, user=user, pk=pk)
    except resource.model.DoesNotExist:
        raise Http404 from None


@login_required
def record_detail(request, slug, pk):
    resource = _resource(slug, request.user, "view")
    obj = _get(resource, request.user, pk)
    children = []
    for accessor, fields in resource.children:
        related = getattr(obj, accessor)
        model = related.model
        children.append({
            "title": model._meta.verbose_name_plural,
            "headers": [field_label(model, name) for name in fields],
            "rows": [[display_value(item, name) for name in fields] for item in related.all()[:200]],
        })
    context = {
        "resource": resource,
        "object": obj,
        "fields": [(field_label(resource.model, name), display_value(obj, name)) for name in resource.all_detail_fields],
        "children": children,
        "entries": audit_trail(obj) if hasattr(obj, "history") else [],
        "can_change": resource.editable and request.user.has_perm(resource.permission("change")),
    }
    context["extra"] = "".join(
        render_to_string(template, make_context(request, obj), request=request)
        for template, make_context in resource.detail_panels
    )
    return render(request, "desk/detail.html", context)


def _edit(request, resource, obj):
    form = resource_form_class(resource)(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None and resource.create is not None:
                saved = resource.create(instance=form.save(commit=False), acting_user=request.user)
            else:
                saved = services.record_save(
                    instance=form.save(commit=False), acting_user=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            form.save_m2m()
            messages.success(request, _("Saved."))
            return redirect("desk:detail", slug=resource.slug, pk=saved.pk)
    return render(request, "desk/form.html", {"resource": resource, "form": form, "object": obj})


@login_required
def record_create(request, slug):
    resource = _resource(slug, request.user, "add")
    return _edit(request, resource, None)


@login_required
def record_edit(request, slug, pk):
    resource = _resource(slug, request.user, "change")
    if not resource.editable:
        raise PermissionDenied
    return _edit(request, resource, _get(resource, request.user, pk))
