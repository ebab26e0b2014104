"""The marketer's phone page (F47, F56): today's stops in order, call, navigate, check in, the visit's outcome,
next stop. ``today.js`` sends each action to the API with its own key and queues it while offline; without
JavaScript the same forms post here.
"""

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aftersales.core.filters import id_or_none
from aftersales.core.persian import normalize_text
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import center_ids, spans_all_centers

from . import services_visits
from .api_visits import stop_card, workable_stop
from .selectors_visits import day_stops


def _marketer(request):
    """The marketer whose day is shown: the caller, or (for a manager) ``?marketer=`` of their centers."""
    raw = request.GET.get("marketer")
    if not raw:
        if not request.user.has_perm("field.add_checkin"):
            raise PermissionDenied
        return request.user, False
    if not request.user.has_perm("field.view_checkin"):
        raise PermissionDenied
    pk = id_or_none(raw, get_user_model())
    users = get_user_model().objects.filter(pk=pk, is_active=True) if pk else get_user_model().objects.none()
    if not spans_all_centers(request.user):
        users = users.filter(centers__in=center_ids(request.user)).distinct()
    marketer = users.first()
    if marketer is None:
        raise Http404
    return marketer, marketer.pk != request.user.pk


def _post(request) -> None:
    """The forms' plain POST (no JavaScript): check in without a position, record an outcome, or skip."""
    stop = workable_stop(request.user, request.POST.get("stop"))
    action, key = request.POST.get("action"), request.POST.get("submission_key") or None
    if action == "check_in":
        services_visits.check_in_record(stop=stop, acting_user=request.user, at=timezone.now(), submission_key=key)
    elif action == "outcome":
        if not request.user.has_perm("marketing.add_contact"):
            raise PermissionDenied
        answers = [(question, normalize_text(request.POST.get(f"q_{question['id']}", "")))
                   for question in stop_card(stop)["script_questions"]]
        from aftersales.crm.models import ScriptQuestion

        found = {row.pk: row for row in ScriptQuestion.objects.filter(pk__in=[q["id"] for q, _a in answers])}
        outcome = request.POST.get("outcome", "")
        services_visits.visit_outcome_record(
            stop=stop, acting_user=request.user, outcome=outcome if outcome in Contact.Outcome.values else "",
            notes=normalize_text(request.POST.get("notes", ""))[:4000],
            answers=[(found[q["id"]], a) for q, a in answers if a and q["id"] in found],
            next_step=normalize_text(request.POST.get("next_step", ""))[:200], submission_key=key)
    elif action == "skip":
        services_visits.stop_skip(stop=stop, acting_user=request.user,
                                  reason=normalize_text(request.POST.get("reason", "")))
    else:
        raise Http404


@login_required
@never_cache
def today(request):
    """Today's stops of the caller's tours sent to them, in the planned order; a manager may look at a marketer's
    day read-only (``?marketer=``)."""
    if request.method == "POST":
        if not request.user.has_perm("field.add_checkin"):
            raise PermissionDenied
        try:
            _post(request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
        return redirect("field:today")
    marketer, read_only = _marketer(request)
    day = timezone.localdate()
    stops = [stop_card(stop) for stop in day_stops(marketer=marketer, day=day)]
    for stop in stops:
        stop["check_in_key"] = secrets.token_urlsafe(16)
        stop["outcome_key"] = secrets.token_urlsafe(16)
    done = sum(1 for stop in stops if stop["status"] != "planned")
    return render(request, "field/today.html", {
        "stops": stops, "day": day, "marketer": marketer, "read_only": read_only, "done": done,
        "outcomes": Contact.Outcome.choices})
