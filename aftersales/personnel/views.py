"""The staff page's skills panel: a staff member's skills listed, given and taken away (F07)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.organization.scoping import scope_queryset

from . import services
from .forms import StaffSkillForm
from .models import Skill, StaffProfile


def _may_edit(user) -> bool:
    return user.has_perm("personnel.change_staffprofile") and user.has_perm("personnel.add_staffskill")


def staff_skills_panel(request, profile) -> dict:
    """The skills panel under a staff member's page; the form for those who may change the profile."""
    return {"profile": profile, "staff_skills": profile.skills.select_related("skill").order_by("skill__name"),
            "skill_form": StaffSkillForm() if _may_edit(request.user) else None}


def _profile(request, pk) -> StaffProfile:
    if not _may_edit(request.user):
        raise PermissionDenied
    return get_object_or_404(scope_queryset(StaffProfile.objects.all(), request.user), pk=pk)


def _back(profile):
    return redirect("desk:detail", slug="staff", pk=profile.pk)


@login_required
@require_POST
def skill_set(request, pk):
    profile = _profile(request, pk)
    form = StaffSkillForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return _back(profile)
    try:
        services.staff_skill_set(profile=profile, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The skill was saved."))
    return _back(profile)


@login_required
@require_POST
def skill_remove(request, pk, skill_pk):
    profile = _profile(request, pk)
    services.staff_skill_remove(profile=profile, skill=get_object_or_404(Skill, pk=skill_pk), acting_user=request.user)
    messages.success(request, _("The skill was removed."))
    return _back(profile)
