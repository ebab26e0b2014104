import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aftersales.core.limits import too_many
from aftersales.core.validators import normalize_mobile
from aftersales.organization.scoping import scope_queryset
from aftersales.repairs.models import RepairOrder

from . import services
from .forms import AnswerForm, AssignForm, ComplaintForm, LinkOrderForm, ResultsFilterForm, SurveyForm
from .models import Complaint, Survey
from .selectors import survey_results


def _too_many(request, scope: str, target: str) -> bool:
    return too_many(request, f"feedback:{scope}", settings.FEEDBACK_PUBLIC_PER_MINUTE, target=target)


def _too_big(request) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.FEEDBACK_MAX_REQUEST_BYTES


@never_cache
def complaint_form(request):
    """The public form for complaints and suggestions (F53): CSRF-protected, rate-limited, size-limited."""
    if request.method == "POST" and _too_big(request):
        return HttpResponse(_("Your message is too large."), status=413)
    form = ComplaintForm(request.POST or None, initial={"submission": secrets.token_urlsafe(16)})
    status = 200
    if request.method == "POST":
        if _too_many(request, "complaint", target=normalize_mobile(request.POST.get("mobile", ""))):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:  # a double click or a refresh sends the same submission: the service records it once
                complaint = services.complaint_receive(
                    channel=Complaint.Channel.WEB, kind=data["kind"], category=data["category"], name=data["name"],
                    mobile=data["mobile"], email=data["email"], serial=data["serial"], text=data["text"],
                    tracking_code=data["tracking_code"], submission_key=data["submission"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
                return render(request, "feedback/complaint_form.html", {"form": form}, status=400)
            request.session["feedback_number"] = complaint.number
            return redirect("feedback-thanks")
        else:
            status = 400
    return render(request, "feedback/complaint_form.html", {"form": form}, status=status)


@never_cache
def complaint_thanks(request):
    number = request.session.get("feedback_number")
    if not number:
        return redirect("feedback-form")
    return render(request, "feedback/complaint_thanks.html", {"number": number})


@never_cache
def survey(request, token):
    """The satisfaction survey on a phone: one answer per link (F60)."""
    survey = Survey.objects.filter(token=token).select_related("center", "product_model").first()
    if survey is None:
        raise Http404
    if survey.answered_at is not None:
        return render(request, "feedback/survey_done.html", {"survey": survey, "already": True})
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many(request, "survey", target=token):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            try:
                services.survey_answer(token=token, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return render(request, "feedback/survey_done.html", {"survey": survey})
        else:
            status = 400
    return render(request, "feedback/survey.html", {"form": form, "survey": survey}, status=status)


def complaint_panel(request, complaint) -> dict:
    """The answer, assignment and repair-order forms on a complaint's page."""
    can_change = request.user.has_perm("feedback.change_complaint")
    return {"complaint": complaint, "answer_form": AnswerForm(), "assign_form": AssignForm(initial={"assignee": complaint.assignee}),
            "can_answer": can_change, "link_form": LinkOrderForm(complaint=complaint) if can_change else None,
            "order_visible": complaint.repair_order_id is not None and scope_queryset(
                RepairOrder.objects.filter(pk=complaint.repair_order_id), request.user).exists()}


def _scoped_complaint(request, pk) -> Complaint:
    return get_object_or_404(scope_queryset(Complaint.objects.all(), request.user), pk=pk)


@login_required
@permission_required("feedback.change_complaint", raise_exception=True)
@require_POST
def complaint_answer(request, pk):
    complaint = _scoped_complaint(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("answer", [])))
    else:
        try:
            services.complaint_answer(complaint=complaint, answer=form.cleaned_data["answer"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The answer was recorded and sent."))
    return redirect("desk:detail", slug="complaints", pk=complaint.pk)


@login_required
@permission_required("feedback.change_complaint", raise_exception=True)
@require_POST
def complaint_assign(request, pk):
    complaint = _scoped_complaint(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        services.complaint_assign(complaint=complaint, assignee=form.cleaned_data["assignee"], acting_user=request.user)
        messages.success(request, _("The complaint was assigned."))
    else:
        messages.error(request, _("Choose an assignee."))
    return redirect("desk:detail", slug="complaints", pk=complaint.pk)


@login_required
@permission_required("feedback.change_complaint", raise_exception=True)
@require_POST
def complaint_link_order(request, pk):
    """Link the complaint to one of its customer's repair orders at the caller's centers (or unlink it)."""
    complaint = _scoped_complaint(request, pk)
    form = LinkOrderForm(request.POST, complaint=complaint)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("repair_order", [])))
    else:
        try:
            services.complaint_link_order(complaint=complaint, repair_order=form.cleaned_data["repair_order"],
                                          acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The complaint's repair order was saved."))
    return redirect("desk:detail", slug="complaints", pk=complaint.pk)


def order_complaints_panel(request, order) -> dict | None:
    """The complaints about a repair order, on the order's page (registered into repairs' order panels)."""
    if not request.user.has_perm("feedback.view_complaint"):
        return None
    complaints = scope_queryset(Complaint.objects.filter(repair_order=order), request.user).order_by("-created_at")
    return {"order_complaints": list(complaints[:50])}


@login_required
@permission_required("feedback.view_survey", raise_exception=True)
def results(request):
    """Satisfaction by center, technician or product over a Jalali date range (F60)."""
    form = ResultsFilterForm(request.GET or None)
    by, start, end = "center", None, None
    if form.is_valid():
        by = form.cleaned_data["by"] or "center"
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = survey_results(user=request.user, by=by, start=start, end=end)
    return render(request, "feedback/results.html", {"form": form, "rows": rows, "by": by})
