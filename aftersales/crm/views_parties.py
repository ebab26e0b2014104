"""The parties' pages: the list, a new lead, a customer brought into the CRM, the party's page with its
stage, next step, duplicates and credit, its edit, stage moves, conversion, merging and credit assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.customers.models import Customer
from aftersales.organization.scoping import scope_queryset
from aftersales.workflow.engine import subject_log

from . import services
from .forms_parties import (ChequeFormSet, CreditForm, LeadForm, MoveForm, PartyEditForm, PartyForm, party_initial)
from .models import CreditAssessment, LeadSource, Party, PartyType, ReturnedCheque
from .selectors import next_step_suggest, party_duplicates, party_list

PAGE_SIZE = 25


def _party(request, pk) -> Party:
    """A party the user may see, or 404."""
    return get_object_or_404(scope_queryset(Party.objects.select_related(
        "customer", "state", "state__workflow", "party_type", "marketer", "source", "center", "region"),
        request.user), pk=pk, customer__merged_into__isnull=True)


def _form_errors(form, error: ValidationError) -> None:
    """A service's errors on the form's fields where it has them, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _list_filters(request) -> dict:
    """The list's filters from the query string; values that do not parse are left out."""
    values = {}
    kind = request.GET.get("kind", "")
    if kind in ("lead", "customer"):
        values["kind"] = kind
    for name in ("party_type", "state", "marketer", "source"):
        value = request.GET.get(name, "")
        if value.isdigit():
            values[name] = int(value)
    if request.GET.get("rating") in Party.Rating.values:
        values["rating"] = request.GET["rating"]
    if request.GET.get("status") in Party.Status.values:
        values["status"] = request.GET["status"]
    if request.GET.get("due"):
        values["due"] = True
    stale = request.GET.get("stale_days", "")
    from aftersales.core.persian import to_ascii_digits

    stale = to_ascii_digits(stale).strip()
    if stale.isdigit() and int(stale) < 100000:
        values["stale_days"] = int(stale)
    return values


def _filter_choices(request) -> list[dict]:
    """The list's drop-downs: (name, label, options, chosen)."""
    from django.contrib.auth import get_user_model

    from aftersales.workflow.models import State

    chosen = request.GET
    marketers = scope_queryset(get_user_model().objects.filter(is_active=True), request.user).order_by(
        "last_name", "first_name", "username")
    states = State.objects.filter(workflow__in=PartyType.objects.values("workflow"), is_active=True).select_related(
        "workflow").order_by("workflow__name", "order")
    many_workflows = len({state.workflow_id for state in states}) > 1
    filters = [
        ("kind", _("lead or customer"), [("lead", _("leads")), ("customer", _("customers"))]),
        ("party_type", _("type"), [(str(t.pk), t.name) for t in PartyType.objects.all()]),
        ("state", _("stage"), [(str(s.pk), f"{s.workflow.name}: {s.name}" if many_workflows else s.name)
                               for s in states]),
        ("rating", _("rating"), list(Party.Rating.choices)),
        ("status", _("status"), list(Party.Status.choices)),
        ("marketer", _("marketer"), [(str(u.pk), u.get_full_name() or u.username) for u in marketers]),
        ("source", _("source"), [(str(s.pk), s.name) for s in LeadSource.objects.all()]),
    ]
    return [{"name": name, "label": label, "options": options, "value": chosen.get(name, "")}
            for name, label, options in filters]


@login_required
@permission_required("crm.view_party", raise_exception=True)
def party_list_view(request):
    """Leads and customers in the CRM, searched and filtered, 25 to a page (phone-friendly cards on small screens)."""
    query = request.GET.get("q", "").strip()
    parties = party_list(user=request.user, query=query, **_list_filters(request)).order_by("-state_entered_at", "pk")
    if request.GET.get("export"):
        return _export(parties)
    page = Paginator(parties, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {"page": page, "parties": page.object_list, "query": query, "filters": _filter_choices(request),
               "due": bool(request.GET.get("due")), "stale_days": request.GET.get("stale_days", ""),
               "querystring": querystring.urlencode()}
    if request.htmx:
        return render(request, "crm/partials/party_table.html", context)
    return render(request, "crm/party_list.html", context)


def _export(parties):
    """The list as filtered, in Excel (Persian headers, Jalali dates); at most 20,000 rows."""
    from aftersales.core.exports import xlsx_response

    headers = [_("name"), _("lead or customer"), _("type"), _("stage"), _("days in the stage"), _("rating"),
               _("next step"), _("next step on"), _("marketer"), _("credit"), _("mobile")]
    rows = ([party.customer.display_name, _("lead") if party.customer.is_lead else _("customer"),
             party.party_type.name, party.state.name, party.days_in_stage, party.get_rating_display(),
             party.next_step, party.next_step_date,
             (party.marketer.get_full_name() or party.marketer.username) if party.marketer else "",
             party.customer.get_credit_status_display(), party.customer.mobile]
            for party in parties[:20000].iterator(chunk_size=500))
    return xlsx_response(filename="parties.xlsx", title=_("parties"), headers=headers, rows=rows)


@login_required
@permission_required("crm.add_party", raise_exception=True)
@permission_required("customers.add_customer", raise_exception=True)
def lead_create_view(request):
    # The caller page sends an unknown caller's number here: ``?mobile=`` or ``?phone=`` fill the form.
    initial = {name: request.GET[name] for name in ("mobile", "phone") if request.GET.get(name)}
    form = LeadForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        values.setdefault("kind", Customer.Kind.PERSON)
        try:
            party = services.lead_create(acting_user=request.user, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The lead was registered."))
            return redirect("crm:party-detail", pk=party.pk)
    return render(request, "crm/lead_form.html", {"form": form})


@login_required
@permission_required("crm.add_party", raise_exception=True)
def party_enter(request, customer_pk):
    """Bring a customer the user may open into the CRM, on the initial stage of its type's workflow."""
    from aftersales.desk import registry
    from aftersales.desk.selectors import record_get

    resource = registry.get("customers")
    try:
        customer = record_get(resource=resource, user=request.user, pk=customer_pk)
    except resource.model.DoesNotExist:
        raise Http404 from None
    existing = Party.objects.filter(pk=customer.pk).first()
    if existing is not None:
        messages.info(request, _("This customer is in the CRM already."))
        return redirect("crm:party-detail", pk=existing.pk)
    form = PartyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        try:
            party = services.party_create(customer=customer, acting_user=request.user, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The customer is in the CRM now."))
            return redirect("crm:party-detail", pk=party.pk)
    return render(request, "crm/party_form.html", {"form": form, "customer": customer, "entering": True})


def _link(name: str, pk: int, fallback: str) -> str:
    """A page another part of the CRM serves, by its name once it exists, else by its path."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


def _detail_context(request, party: Party, move_form=None) -> dict:
    suggestion = next_step_suggest(party, request.user)
    open_steps = suggestion.open_steps
    if move_form is None:
        move_form = MoveForm(steps=open_steps, initial={
            "version": party.version,
            "step": suggestion.suggested.transition.code if suggestion.suggested is not None else None})
    assessments = (CreditAssessment.objects.filter(party=party).select_related("assessed_by")
                   .prefetch_related(Prefetch("returned_cheques", ReturnedCheque.objects.order_by("pk")))[:20])
    log = list(reversed(subject_log(party)))
    duplicates = list(party_duplicates(party)[:20])
    try:
        contact_log_url = reverse("crm:contact-log") + f"?party={party.pk}"
    except NoReverseMatch:
        contact_log_url = f"/crm/log/?party={party.pk}"
    return {
        "party": party, "customer": party.customer, "suggestion": suggestion, "move_form": move_form,
        "assessments": assessments, "stage_log": log, "duplicates": duplicates,
        "can_move": request.user.has_perm("crm.move_party"),
        "can_edit": request.user.has_perm("crm.change_party"),
        "can_merge": request.user.has_perm("customers.delete_customer"),
        "can_assess": request.user.has_perm("crm.add_creditassessment"),
        "panel_url": _link("crm:panel", party.pk, f"/crm/panel/{party.pk}/"),
        "contact_log_url": contact_log_url,
    }


@login_required
@permission_required("crm.view_party", raise_exception=True)
def party_detail(request, pk):
    party = _party(request, pk)
    return render(request, "crm/party_detail.html", _detail_context(request, party))


@login_required
@permission_required("crm.change_party", raise_exception=True)
def party_edit(request, pk):
    party = _party(request, pk)
    form = PartyEditForm(request.POST or None, user=request.user, initial=party_initial(party))
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(party=party, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The party's details were saved."))
            return redirect("crm:party-detail", pk=party.pk)
    return render(request, "crm/party_form.html", {"form": form, "customer": party.customer, "party": party})


@login_required
@permission_required("crm.move_party", raise_exception=True)
@require_POST
def party_move(request, pk):
    """Take a step; a refused one shows the page again with the Persian reason."""
    party = _party(request, pk)
    suggestion = next_step_suggest(party, request.user)
    # Every step out of the stage is offered to the form, so that a closed one is refused with its reason.
    form = MoveForm(request.POST, steps=suggestion.steps)
    if form.is_valid():
        try:
            services.party_move(party=party, code=form.cleaned_data["step"], acting_user=request.user,
                                comment=form.cleaned_data["comment"], version=form.cleaned_data["version"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The stage was moved."))
            return redirect("crm:party-detail", pk=party.pk)
    return render(request, "crm/party_detail.html", _detail_context(request, party, move_form=form), status=400)


@login_required
@permission_required("crm.change_party", raise_exception=True)
@require_POST
def party_convert(request, pk):
    party = _party(request, pk)
    try:
        services.lead_convert(party=party, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The lead is a customer now; its contacts, notes and stage stay."))
    return redirect("crm:party-detail", pk=party.pk)


@login_required
@permission_required("customers.delete_customer", raise_exception=True)
@require_POST
def party_merge(request, pk):
    """Merge a duplicate (one of the party's duplicates the user may see) into this party."""
    party = _party(request, pk)
    duplicate_pk = request.POST.get("duplicate", "")
    duplicate = party_duplicates(party).filter(pk=int(duplicate_pk)).first() if duplicate_pk.isdigit() else None
    if duplicate is None:
        messages.error(request, _("Choose one of the duplicates shown."))
        return redirect("crm:party-detail", pk=party.pk)
    try:
        services.party_merge(keep=party.customer, duplicate=duplicate, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("The duplicate belongs to another team's parties; ask a manager of both."))
    else:
        messages.success(request, _("«%(name)s» was merged into this party.") % {"name": duplicate.display_name})
    return redirect("crm:party-detail", pk=party.pk)


@login_required
@permission_required("crm.add_creditassessment", raise_exception=True)
def credit_assess(request, pk):
    """A dated credit assessment with up to five returned cheques; it sets the customer's credit status."""
    party = _party(request, pk)
    form = CreditForm(request.POST or None)
    cheques = ChequeFormSet(request.POST or None, prefix="cheques")
    if request.method == "POST" and form.is_valid() and cheques.is_valid():
        rows = [cheque.cleaned_data for cheque in cheques if cheque.cleaned_data.get("sayad_number")]
        data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        try:
            services.credit_assess(party=party, acting_user=request.user, returned_cheques=rows, **data)
        except ValidationError as error:
            _credit_errors(form, cheques, rows, error)
        else:
            messages.success(request, _("The credit assessment was recorded."))
            return redirect("crm:party-detail", pk=party.pk)
    return render(request, "crm/party_credit.html", {"form": form, "cheques": cheques, "party": party,
                                                     "customer": party.customer})


def _credit_errors(form, cheques, rows, error: ValidationError) -> None:
    """The service's errors: the assessment's on its form, a cheque's (``returned_cheques[i].field``) on its row."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    filled = [cheque for cheque in cheques if cheque.cleaned_data.get("sayad_number")]
    for field, messages_ in error.message_dict.items():
        if field.startswith("returned_cheques["):
            index, _dot, name = field[len("returned_cheques["):].partition("].")
            target = filled[int(index)] if index.isdigit() and int(index) < len(filled) else None
            if target is not None:
                target.add_error(name if name in target.fields else None, messages_)
                continue
        form.add_error(field if field in form.fields else None, messages_)


def customer_crm_panel(request, customer) -> dict:
    """On a customer's page (the desk): lead or customer, the CRM stage, the credit status and limit, and the
    link to the party's page (or to bring the customer into the CRM)."""
    party = None
    in_crm = Party.objects.filter(pk=customer.pk).exists()
    if in_crm and request.user.has_perm("crm.view_party"):
        party = scope_queryset(Party.objects.select_related("state", "party_type", "marketer"),
                               request.user).filter(pk=customer.pk).first()
    return {"customer": customer, "party": party, "in_crm": in_crm,
            "can_enter": not in_crm and request.user.has_perm("crm.add_party")}
