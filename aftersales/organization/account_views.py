"""The user's own account pages: two-factor authentication (enrol, the code at login) and the password."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from aftersales.core.forms import StyledFormMixin

from . import twofactor


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse_lazy("organization:dashboard")


@never_cache
@login_required
def twofactor_verify(request):
    """The second step of a login: the code of the user's authenticator app."""
    if not twofactor.has_device(request.user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.code_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _("The code is not right. Enter the code your app shows now."))
    return render(request, "organization/twofactor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def twofactor_enrol(request):
    """Turn two-factor authentication on (scan, then confirm with one code) or, when allowed, off."""
    user = request.user
    required = twofactor.is_required(user)
    if twofactor.has_device(user):
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if twofactor.device_remove(request=request, code=form.cleaned_data["code"]):
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:twofactor-enrol")
            form.add_error("code", _("The code is not right. Enter the code your app shows now."))
        return render(request, "organization/twofactor_enabled.html", {"form": form, "required": required})
    device = twofactor.device_for_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.device_confirm(request=request, code=form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on. Each login will ask for a code from your app."))
            return redirect(_next_url(request))
        form.add_error("code", _("The code is not right. Enter the code your app shows now."))
    context = {
        "form": form,
        "required": required,
        "secret": twofactor.secret_for_display(device),
        "next": _next_url(request),
    }
    return render(request, "organization/twofactor_enrol.html", context)


@never_cache
@login_required
def twofactor_qr(request):
    """The QR code of the device being enrolled, as SVG (an image, so the page needs no inline data)."""
    if twofactor.has_device(request.user):
        raise Http404
    device = twofactor.device_for_enrolment(request.user)
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(device.config_url, error="m").save(response, kind="svg", scale=5, border=2)
    return response


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here; the validators refuse common and short ones."""

    form_class = StyledPasswordChangeForm
    template_name = "organization/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "organization/password_change_done.html"
