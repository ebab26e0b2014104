"""The kanban board of a marketing workflow (F44): a column per stage, cards of the parties the user may see,
paged by keyset with htmx, and a drag (or the card's «move to…» list on a phone) that takes the workflow's
step between the two stages through ``services.party_move``, refused where the workflow refuses."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.core.persian import format_number

from . import board as selectors
from . import services
from .models import Party


class BoardFilterForm(forms.Form):
    """The filters above the board; each choice list is what the user may pick from."""

    marketer = forms.TypedChoiceField(label=gettext_lazy("Marketer"), required=False, coerce=int, empty_value=None)
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), required=False)
    party_type = forms.TypedChoiceField(label=gettext_lazy("Type"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("Lead or customer"), required=False)

    def __init__(self, *args, user, workflow, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["marketer"].choices = everyone + [
            (person.pk, person.get_full_name() or person.username) for person in selectors.marketer_choices(user)]
        self.fields["rating"].choices = everyone + list(Party.Rating.choices)
        self.fields["party_type"].choices = everyone + [
            (kind.pk, kind.name) for kind in selectors.party_type_choices(workflow)]
        self.fields["kind"].choices = everyone + [("lead", _("Leads")), ("customer", _("Customers"))]
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select form-select-sm", "data-submit-on-change": ""})


class MoveForm(forms.Form):
    party = forms.IntegerField(min_value=1)
    state = forms.IntegerField(min_value=1, error_messages={"required": gettext_lazy("Choose the stage to move to.")})
    # The card's version: a card shown before someone else moved the party is refused, not applied to the
    # party's new stage (where a step of the same code may lead elsewhere).
    version = forms.IntegerField(min_value=1, error_messages={
        "required": gettext_lazy("The card is out of date; open the board again.")})
    comment = forms.CharField(max_length=2000, required=False)


def _workflow(code):
    return get_object_or_404(selectors.marketing_workflows(), code=code)


def _party_url(pk: int) -> str:
    try:
        return reverse("crm:party-detail", args=[pk])
    except NoReverseMatch:  # the party's page is another part of the CRM
        return f"/crm/parties/{pk}/"


def _dress(cards, targets) -> list[Party]:
    """Give each card what its template shows besides the party: its page and the stages it may go to."""
    for party in cards:
        party.board_url = _party_url(party.pk)
        party.board_targets = targets.of(party.state_id)
    return cards


def _card_context(workflow, filters) -> dict:
    query = urlencode(filters.query())
    return {"workflow": workflow, "filter_query": query,
            "move_url": reverse("crm:board-move", args=[workflow.code]) + (f"?{query}" if query else "")}


@login_required
@permission_required("crm.view_party", raise_exception=True)
def board(request):
    """The board of the first marketing workflow."""
    first = selectors.marketing_workflows().first()
    if first is None:
        return render(request, "crm/board_none.html")
    query = request.GET.urlencode()
    return redirect(reverse("crm:board-workflow", args=[first.code]) + (f"?{query}" if query else ""))


@login_required
@permission_required("crm.view_party", raise_exception=True)
def board_workflow(request, code):
    """One column per stage of the workflow, the count of the parties the user may see and their first page."""
    workflow = _workflow(code)
    filters = selectors.board_filters(request.GET)
    form = BoardFilterForm(initial=filters.query(), user=request.user, workflow=workflow)
    stages = selectors.board_stages(workflow)
    counts = selectors.stage_counts(request.user, stages, filters)
    targets = selectors.move_targets(workflow, request.user)
    columns = []
    for state in stages:
        page = selectors.stage_page(request.user, state, filters) if counts[state.pk] else selectors.Page(cards=[])
        columns.append({"state": state, "count": counts[state.pk], "cards": _dress(page.cards, targets),
                        "after": page.after})
    tab_query = urlencode(filters.query(without=("party_type",)))
    tabs = [(other, reverse("crm:board-workflow", args=[other.code]) + (f"?{tab_query}" if tab_query else ""))
            for other in selectors.marketing_workflows()]
    return render(request, "crm/board.html", {
        **_card_context(workflow, filters), "form": form, "columns": columns, "tabs": tabs,
        "filtered": bool(filters.query()), "can_move": request.user.has_perm("crm.move_party")})


@login_required
@permission_required("crm.view_party", raise_exception=True)
def board_column(request, code, state_pk):
    """One more page of a column (the «more» button's htmx request): its cards and the next «more»."""
    workflow = _workflow(code)
    state = get_object_or_404(workflow.states.filter(is_active=True), pk=state_pk)
    filters = selectors.board_filters(request.GET)
    try:
        page = selectors.stage_page(request.user, state, filters, after=request.GET.get("after", ""))
    except ValidationError as error:
        return render(request, "crm/partials/board_error.html", {"message": " ".join(error.messages)}, status=400)
    targets = selectors.move_targets(workflow, request.user)
    return render(request, "crm/partials/board_cards.html", {
        **_card_context(workflow, filters), "state": state, "cards": _dress(page.cards, targets), "after": page.after,
        "can_move": request.user.has_perm("crm.move_party")})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _count_entry(value: int) -> dict:
    return {"value": value, "display": format_number(value)}


@login_required
@permission_required("crm.move_party", raise_exception=True)
@require_POST
def board_move(request, code):
    """Move a card to another column: the workflow's step from the party's stage to that one, if it has one.

    Answers JSON to the board's script (the new card and both columns' counts; or the Persian reason, and
    whether the step asks for a comment); without the script, a message on the board it redirects to.
    """
    workflow = _workflow(code)
    filters = selectors.board_filters(request.GET)
    back = reverse("crm:board-workflow", args=[workflow.code]) + (
        f"?{urlencode(filters.query())}" if filters.query() else "")
    form = MoveForm(request.POST)

    def refuse(message, *, status=400, **extra):
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message, **extra}, status=status)
        messages.error(request, message)
        return redirect(back)

    if not form.is_valid():
        return refuse(" ".join(message for errors in form.errors.values() for message in errors))
    data = form.cleaned_data
    party = (selectors.board_parties(request.user).select_related("customer", "state")
             .filter(pk=data["party"]).first())
    if party is None:
        raise Http404
    if party.state.workflow_id != workflow.pk:
        return refuse(_("This party is on another workflow now; open the board again."), code="workflow")
    target = workflow.states.filter(is_active=True, pk=data["state"]).first()
    if target is None:
        return refuse(_("This workflow has no such stage."), code="unknown")
    if target.pk == party.state_id:
        return refuse(_("«%(party)s» is in «%(stage)s» already.") % {"party": party, "stage": target.name},
                      code="same")
    step = selectors.step_between(party.state, target, request.user)
    if step is None:
        return refuse(_("The workflow has no step from «%(source)s» to «%(target)s».")
                      % {"source": party.state.name, "target": target.name}, code="no_step")
    source = party.state
    try:
        moved = services.party_move(party=party, code=step.code, acting_user=request.user, comment=data["comment"],
                                    version=data["version"])
    except PermissionDenied:
        return refuse(_("You may not move this party."), status=403, code="denied")
    except ValidationError as error:
        code_ = getattr(error, "code", None)
        return refuse(" ".join(error.messages), code=code_, needs_comment=code_ == "comment", step=step.name)
    message = _("«%(party)s» moved to «%(stage)s».") % {"party": party, "stage": target.name}
    if not _wants_json(request):
        messages.success(request, message)
        return redirect(back)
    moved = (selectors.board_parties(request.user).select_related("customer", "party_type", "marketer")
             .get(pk=moved.pk))
    _dress([moved], selectors.move_targets(workflow, request.user))
    card = render_to_string("crm/partials/board_card.html", {
        **_card_context(workflow, filters), "party": moved, "can_move": True}, request=request)
    counts = selectors.stage_counts(request.user, [source, target], filters)
    return JsonResponse({"ok": True, "message": message, "card": card, "state": target.pk, "version": moved.version,
                         "counts": {str(pk): _count_entry(value) for pk, value in counts.items()}})
