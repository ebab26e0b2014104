from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_trail
from aftersales.core.exports import xlsx_response

from . import selectors, services
from .dashboard import panels_for, user_roles
from .forms import CenterForm, ProfileForm
from .models import ServiceCenter
from .roles import role_label


@login_required
def dashboard(request):
    shown = panels_for(request.user)
    panels = [render_to_string(template, context, request=request) for template, context in shown]
    context = {
        "role_labels": [role_label(code) for code in sorted(user_roles(request.user))],
        "panels": panels,
        # A panel with a chart sets ``needs_charts``: the page then loads Chart.js and the chart script.
        "needs_charts": any(panel_context.get("needs_charts") for _template, panel_context in shown),
    }
    return render(request, "organization/dashboard.html", context)


def _get_center_or_404(request, pk):
    try:
        return selectors.center_get(user=request.user, pk=pk)
    except ServiceCenter.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("organization.view_servicecenter", raise_exception=True)
def center_list(request):
    query = request.GET.get("q", "")
    province = request.GET.get("province", "")
    centers = selectors.center_list(user=request.user, query=query, province=province)
    page = Paginator(centers, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "province": province,
        "provinces": selectors.center_provinces(user=request.user),
    }
    template = "organization/partials/center_table.html" if request.htmx else "organization/center_list.html"
    return render(request, template, context)


@login_required
@permission_required("organization.view_servicecenter", raise_exception=True)
def center_export(request):
    centers = selectors.center_list(
        user=request.user, query=request.GET.get("q", ""), province=request.GET.get("province", "")
    )
    fields = ["code", "name", "province", "city", "address", "postal_code", "phone", "is_active", "created_at"]
    headers = [ServiceCenter._meta.get_field(name).verbose_name for name in fields]
    rows = ([getattr(center, name) for name in fields] for center in centers.iterator())
    return xlsx_response(filename="centers.xlsx", title=_("Service centers"), headers=headers, rows=rows)


@login_required
@permission_required("organization.view_servicecenter", raise_exception=True)
def center_detail(request, pk):
    center = _get_center_or_404(request, pk)
    context = {
        "center": center,
        "staff": center.staff.prefetch_related("groups__role_profile").order_by("last_name"),
        "entries": audit_trail(center),
        "can_edit": request.user.has_perm("organization.change_servicecenter"),
    }
    return render(request, "organization/center_detail.html", context)


@login_required
@permission_required("organization.change_servicecenter", raise_exception=True)
def center_edit(request, pk):
    center = _get_center_or_404(request, pk)
    form = CenterForm(request.POST or None, instance=center)
    if request.method == "POST" and form.is_valid():
        services.center_update(
            center=center, acting_user=request.user, data=form.cleaned_data, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The center's details were saved."))
        return redirect("organization:center-detail", pk=center.pk)
    return render(request, "organization/center_form.html", {"center": center, "form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("organization:profile")
    return render(request, "organization/profile.html", {"form": form})
