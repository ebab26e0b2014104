"""Logging a visit or a call on a phone, in seconds (F56), with a script's questions answered (F54)."""

import re
import secrets

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from aftersales.core.filters import id_or_none
from aftersales.core.persian import digits_only
from aftersales.core.validators import normalize_mobile
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import scope_queryset

from . import services
from .forms_contacts import ADHOC_MAX, ContactLogForm, script_groups, scripts_for
from .models import Appointment, AppointmentPlan, Party, Script
from .selectors import next_step_suggest, party_list

#: Parties a search shows on a phone.
SEARCH_LIMIT = 15


def party_search(user, query: str):
    """The user's parties (their team's, unless their role spans every center) found by name, mobile (any
    form: 0912…, +98912…, Persian digits) or national code."""
    query = (query or "").replace("\x00", "").strip()
    if not query:
        return Party.objects.none()
    if re.fullmatch(r"\+?\d+", digits_only(query)):  # a number: a mobile in any form is found as 09…
        query = normalize_mobile(query)
    return party_list(user=user, query=query).order_by("customer__last_name", "customer__company_name", "pk")


def _party(request, pk) -> Party:
    """A party the user may see, or 404 (another team's party is not found, not forbidden)."""
    pk = id_or_none(pk, Party)
    if pk is None:
        raise Http404
    return get_object_or_404(party_list(user=request.user), pk=pk)


def _chosen(request):
    """The party (and appointment) the page was opened for: ?party=, ?customer= or ?appointment=."""
    source = request.POST if request.method == "POST" else request.GET
    appointment = None
    if source.get("appointment") and request.method == "GET":
        pk = id_or_none(source["appointment"], Appointment)
        if pk is None:
            raise Http404
        appointment = get_object_or_404(scope_queryset(Appointment.objects.all(), request.user), pk=pk)
        return _party(request, appointment.party_id), appointment
    pk = source.get("party") or source.get("customer")
    return (_party(request, pk) if pk else None), None


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
@never_cache
def contact_log(request):
    """The page: find the party, then log what happened. A refused write leaves nothing; a double submit
    logs once."""
    party, appointment = _chosen(request)
    if party is None:
        query = request.GET.get("q", "")
        return render(request, "crm/contact_log.html", {
            "query": query, "parties": party_search(request.user, query)[:SEARCH_LIMIT],
            "due": party_list(user=request.user, due=True).filter(marketer=request.user)
            .order_by("next_step_date")[:SEARCH_LIMIT]})
    can_move = request.user.has_perm("crm.move_party")
    suggestion = next_step_suggest(party, request.user)
    form_kwargs = {"party": party, "user": request.user, "can_move": can_move, "steps": suggestion.open_steps}
    status = 200
    if request.method == "POST":
        form = ContactLogForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contact = services.contact_record_once(
                    customer=party.customer, acting_user=request.user, submission_key=data["submission"],
                    kind=data["kind"], notes=data["notes"], outcome=data["outcome"] or "",
                    answers=data["answers"], next_step=data["next_step"], next_step_date=data["next_step_date"],
                    move=data.get("move") or "", comment=data.get("comment") or "", appointment=data["appointment"])
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("crm:contact-done", pk=contact.pk)
        status = 400
    else:
        initial = {"submission": secrets.token_urlsafe(16), "appointment": appointment}
        if appointment is not None:
            initial["kind"] = (Contact.Kind.VISIT if appointment.kind == AppointmentPlan.Kind.VISIT
                               else Contact.Kind.CALL_OUT)
        form = ContactLogForm(initial=initial, **form_kwargs)
    return render(request, "crm/contact_log.html", {
        "party": party, "form": form, "suggestion": suggestion, "adhoc_max": ADHOC_MAX}, status=status)


def _form_errors(form, error: ValidationError) -> None:
    """The service's errors next to the fields they are about; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
def contact_party_search(request):
    """The search's results (htmx), as the party is typed."""
    query = request.GET.get("q", "")
    return render(request, "crm/partials/contact_parties.html",
                  {"query": query, "parties": party_search(request.user, query)[:SEARCH_LIMIT]})


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
def contact_scripts(request):
    """The script drop-down (htmx), narrowed by a search of titles, topics and questions."""
    party = _party(request, request.GET.get("party"))
    scripts = scripts_for(party, request.GET.get("script_q", "").replace("\x00", ""))
    return render(request, "crm/partials/contact_script_select.html", {"groups": script_groups(scripts)})


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
def contact_questions(request):
    """The chosen script's questions as fields (htmx)."""
    party = _party(request, request.GET.get("party"))
    script_id = id_or_none(request.GET.get("script"), Script) or 0
    form = ContactLogForm(initial={"script": script_id}, party=party, user=request.user, can_move=False, steps=[])
    return render(request, "crm/partials/contact_questions.html", {"form": form})


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
def contact_adhoc(request):
    """One more ad hoc question row (htmx)."""
    try:
        index = int(request.GET.get("index") or 0)
    except ValueError:
        index = 0
    if not 0 <= index < ADHOC_MAX:
        raise Http404
    return render(request, "crm/partials/contact_adhoc.html", {"index": index, "next": index + 1,
                                                                "adhoc_max": ADHOC_MAX})


@login_required
@permission_required("marketing.add_contact", raise_exception=True)
def contact_done(request, pk):
    """The confirmation: log another, open the party, book the next appointment."""
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk, logged_by=request.user)
    party = Party.objects.filter(pk=contact.customer_id).select_related("state").first()
    return render(request, "crm/contact_done.html", {"contact": contact, "party": party,
                                                     "answers": contact.answers.all()})

