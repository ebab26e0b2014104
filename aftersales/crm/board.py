"""Reads of the kanban board of a marketing workflow (F44): its columns with scoped counts, a column's cards
paged by keyset, the steps a card may take, and the step a drag from one stage to another stands for.

A column is one active stage of the workflow; its cards are the parties ``user`` may see in it, the longest
in the stage first (``state_entered_at``, then the primary key, ascending: the ``crm_party_stage_idx`` index).
Pages are cut by keyset (``after=<microseconds since the epoch>,<pk>`` of the last card shown), so that the
100th page of a stage of 10,000 costs what the first does and a move meanwhile neither repeats nor skips a card.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from aftersales.organization.models import User
from aftersales.organization.roles import Role
from aftersales.organization.scoping import scope_queryset
from aftersales.workflow.engine import user_roles
from aftersales.workflow.models import State, Transition, Workflow

from .models import Party, PartyType

#: Cards in one page of a column.
PAGE_SIZE = 25
#: The most cards one page may ask for (the API's ``limit``).
MAX_PAGE_SIZE = 100
#: The roles whose people keep parties: the marketers the board filters by.
MARKETER_ROLES = (Role.VISITOR, Role.MARKETING_MANAGER, Role.CALL_CENTER_AGENT)
#: The board's filters (the page's and the API's query parameters of the same names).
BOARD_FILTERS = ("marketer", "rating", "party_type", "kind")

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


# --- workflows and stages -----------------------------------------------------------------------------------

def marketing_workflows() -> QuerySet[Workflow]:
    """The active workflows that move parties (the board's tabs), in the order they were made."""
    subject = ContentType.objects.get_for_model(Party)
    return Workflow.objects.filter(subject=subject, is_active=True).order_by("pk")


def board_stages(workflow: Workflow) -> list[State]:
    """The columns: the workflow's stages in use, in its order."""
    return list(workflow.states.filter(is_active=True).order_by("order", "pk"))


def marketing_stage(state_pk) -> State | None:
    """The stage ``state_pk`` if it belongs to an active marketing workflow, else None."""
    subject = ContentType.objects.get_for_model(Party)
    return (State.objects.select_related("workflow")
            .filter(pk=state_pk, is_active=True, workflow__subject=subject, workflow__is_active=True).first())


# --- filters ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardFilters:
    """What the board is narrowed to: one marketer, a rating, a party type, leads or customers."""

    marketer: int | None = None
    rating: str = ""
    party_type: int | None = None
    kind: str = ""

    def apply(self, parties: QuerySet[Party]) -> QuerySet[Party]:
        if self.marketer is not None:
            parties = parties.filter(marketer_id=self.marketer)
        if self.rating:
            parties = parties.filter(rating=self.rating)
        if self.party_type is not None:
            parties = parties.filter(party_type_id=self.party_type)
        if self.kind == "lead":
            parties = parties.filter(customer__is_lead=True)
        elif self.kind == "customer":
            parties = parties.filter(customer__is_lead=False)
        return parties

    def query(self, *, without: tuple[str, ...] = ()) -> dict[str, str]:
        """The filters as query parameters (the empty ones left out)."""
        values = {"marketer": self.marketer, "rating": self.rating, "party_type": self.party_type, "kind": self.kind}
        return {name: str(value) for name, value in values.items() if value not in (None, "") and name not in without}


def board_filters(params, *, strict: bool = False) -> BoardFilters:
    """Read the filters from query parameters. A value that is not one of the choices is ignored on the page;
    with ``strict`` (the API) it is refused as a field error."""
    errors, values = {}, {}
    for name in ("marketer", "party_type"):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if raw.isdigit():
            values[name] = int(raw)
        else:
            errors[name] = _("Choose one of the list.")
    rating = (params.get("rating") or "").strip()
    if rating:
        if rating in Party.Rating.values:
            values["rating"] = rating
        else:
            errors["rating"] = _("Choose one of the list.")
    kind = (params.get("kind") or "").strip()
    if kind:
        if kind in ("lead", "customer"):
            values["kind"] = kind
        else:
            errors["kind"] = _("Choose one of the list.")
    if errors and strict:
        raise ValidationError(errors)
    return BoardFilters(**values)


def marketer_choices(user) -> QuerySet[User]:
    """The marketers ``user`` may narrow the board to: active people of their centers (every center for a
    role that spans them) in a marketing role."""
    people = User.objects.filter(is_active=True, groups__name__in=MARKETER_ROLES)
    return scope_queryset(people, user).distinct().order_by("last_name", "first_name", "username")


def party_type_choices(workflow: Workflow) -> QuerySet[PartyType]:
    return PartyType.objects.filter(workflow=workflow).order_by("order", "name")


# --- cards and counts ---------------------------------------------------------------------------------------

def board_parties(user, filters: BoardFilters = BoardFilters()) -> QuerySet[Party]:
    """The parties ``user`` may see (their centers' unless a role of theirs spans all), filtered."""
    return filters.apply(scope_queryset(Party.objects.all(), user))


def stage_counts(user, states, filters: BoardFilters = BoardFilters()) -> dict[int, int]:
    """How many parties ``user`` may see in each stage, by the stage's pk (0 for an empty one)."""
    pks = [getattr(state, "pk", state) for state in states]
    rows = (board_parties(user, filters).filter(state__in=pks).order_by().values("state")
            .annotate(count=Count("pk")).values_list("state", "count"))
    counts = dict.fromkeys(pks, 0)
    counts.update(rows)
    return counts


def cursor_encode(party: Party) -> str:
    """The keyset of a card: «microseconds since the epoch,pk» of when it entered its stage."""
    micros = (party.state_entered_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros},{party.pk}"


def cursor_decode(text: str) -> tuple[datetime.datetime, int]:
    """(entered at, pk) from ``cursor_encode``'s text; ValidationError for anything else."""
    try:
        micros, pk = (int(part) for part in str(text).strip().split(","))
        if pk < 0:
            raise ValueError
        return _EPOCH + datetime.timedelta(microseconds=micros), pk
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({"after": _("This page marker is not valid; open the board again.")}) from None


@dataclass
class Page:
    cards: list[Party]
    #: The keyset to ask for the next page with, or "" at the end of the column.
    after: str = ""


def stage_page(user, state, filters: BoardFilters = BoardFilters(), *, after: str = "",
               size: int = PAGE_SIZE) -> Page:
    """One page of a column: the cards after ``after`` (the first page without it), oldest in the stage first.

    The page's keys are found on the parties' table alone, then their rows read with the customer, type and
    marketer: for one team's 10,000 parties in a stage the database sorts keys, not joined rows (a deep page
    of a center-bound visitor: 70 ms → under 10 on PostgreSQL).
    """
    keys = board_parties(user, filters).filter(state=state).order_by("state_entered_at", "pk")
    if after:
        at, pk = cursor_decode(after)
        # The plain lower bound lets the database start the index walk there; the OR breaks the ties.
        keys = keys.filter(state_entered_at__gte=at).filter(
            Q(state_entered_at__gt=at) | Q(state_entered_at=at, pk__gt=pk))
    pks = list(keys.values_list("pk", flat=True)[:size + 1])
    more = len(pks) > size
    # A card moved out of the stage between the two reads is left out rather than shown in the wrong column.
    cards = sorted(Party.objects.filter(pk__in=pks[:size], state=state)
                   .select_related("customer", "party_type", "marketer"),
                   key=lambda party: (party.state_entered_at, party.pk))
    return Page(cards=cards, after=cursor_encode(cards[-1]) if more and cards else "")


# --- moves --------------------------------------------------------------------------------------------------

def _allowed(transition: Transition, user) -> bool:
    return not transition.roles or user.is_superuser or bool(user_roles(user) & set(transition.roles))


def step_between(source, target, user) -> Transition | None:
    """The step of the workflow that leads from stage ``source`` to stage ``target``: of several, the first
    that ``user``'s roles may take (else the first, so that the engine says why it is refused); None if the
    workflow has no such step."""
    steps = list(Transition.objects.filter(source=source, target=target, source__is_active=True)
                 .select_related("source", "target").order_by("order", "pk"))
    return next((step for step in steps if _allowed(step, user)), steps[0] if steps else None)


@dataclass
class Targets:
    """The stages a card in each stage may be moved to by the user: {source pk: [(target, needs comment)]}."""

    by_source: dict[int, list[tuple[State, bool]]] = field(default_factory=dict)

    def of(self, state_pk: int) -> list[tuple[State, bool]]:
        return self.by_source.get(state_pk, [])


def move_targets(workflow: Workflow, user) -> Targets:
    """For each stage, where ``user`` may take a card from it (one query for the whole board)."""
    targets = Targets()
    steps = (Transition.objects.filter(workflow=workflow, source__is_active=True, target__is_active=True)
             .select_related("target").order_by("target__order", "target__pk", "order", "pk"))
    for step in steps:
        if not _allowed(step, user):
            continue
        row = targets.by_source.setdefault(step.source_id, [])
        if all(target.pk != step.target_id for target, _comment in row):
            row.append((step.target, step.requires_comment))
    return targets
