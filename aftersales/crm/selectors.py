"""Reads of the CRM's parties: the scoped, searchable list, the suggested next step and the duplicates."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.customers.models import Customer
from aftersales.organization.scoping import scope_queryset

from .models import Party

#: The filters ``party_list`` takes (the page's and the API's query parameters of the same names).
PARTY_FILTERS = ("kind", "party_type", "state", "rating", "status", "marketer", "source", "center", "due",
                 "stale_days")


def party_list(*, user, query: str = "", kind: str = "", party_type=None, state=None, rating: str = "",
               status: str = "", marketer=None, source=None, center=None, due: bool = False,
               stale_days: int | None = None) -> QuerySet[Party]:
    """The parties ``user`` may see (their centers' unless a role of theirs spans all), searched and filtered.

    ``query``: every word in the customer's search text (name, numbers, national code — ی/ي, ک/ك and
    Persian or Arabic digits alike, as the customer search). ``kind``: "lead" or "customer". ``due``: the
    next step's date is today or earlier. ``stale_days``: no contact for that many days (or never).
    Model instances or primary keys are accepted for the foreign keys; the type, stage and source also by
    their code (a stage code names that stage in every workflow that has it).
    """
    from aftersales.core.search import search_filter

    # A NUL typed (or sent) into a filter cannot reach PostgreSQL's text columns: it is dropped.
    query, kind, rating, status, party_type, state, marketer, source, center = (
        value.replace("\x00", "") if isinstance(value, str) else value
        for value in (query, kind, rating, status, party_type, state, marketer, source, center))
    parties = scope_queryset(Party.objects.all(), user).select_related(
        "customer", "state", "party_type", "marketer", "source", "center", "region")
    if query and query.strip():
        parties = search_filter(parties, query, field="customer__search_text")
    if kind == "lead":
        parties = parties.filter(customer__is_lead=True)
    elif kind == "customer":
        parties = parties.filter(customer__is_lead=False)
    for name, value in (("party_type", party_type), ("state", state), ("marketer", marketer), ("source", source),
                        ("center", center)):
        if value in (None, ""):
            continue
        if isinstance(value, str) and not value.isdigit() and name in ("party_type", "state", "source"):
            parties = parties.filter(**{f"{name}__code": value})  # a code: "dealer", "negotiation", "exhibition"
        else:
            parties = parties.filter(**{name: value})
    if rating:
        parties = parties.filter(rating=rating)
    if status:
        parties = parties.filter(status=status)
    if due:
        parties = parties.filter(next_step_date__lte=timezone.localdate())
    if stale_days is not None and stale_days != "":
        since = timezone.now() - datetime.timedelta(days=int(stale_days))
        parties = parties.filter(Q(last_contact_at__lt=since) | Q(last_contact_at__isnull=True))
    return parties.exclude(customer__merged_into__isnull=False)


@dataclass
class NextStep:
    """What to do next with a party: the typed step and date, the steps out of its stage and the suggestion."""

    next_step: str
    next_step_date: datetime.date | None
    #: ``workflow.engine.StepCheck`` for every step out of the stage (open or not, with the reasons).
    steps: list = field(default_factory=list)
    #: The suggested ``StepCheck`` (an open one), or None.
    suggested: object = None
    #: Why this suggestion, in Persian (also when there is no step to suggest, e.g. "call again").
    reason: str = ""
    #: The last contact's outcome ("" when it had none or there was no contact).
    outcome: str = ""
    last_contact: object = None

    @property
    def open_steps(self) -> list:
        return [check for check in self.steps if check.open]

    @property
    def is_overdue(self) -> bool:
        return bool(self.next_step_date and self.next_step_date < timezone.localdate())


def _losing_targets(party: Party) -> set[int]:
    """The final stages that are not the workflow's first final stage: "lost" (the first one is "won")."""
    from aftersales.workflow.models import State

    finals = list(State.objects.filter(workflow=party.state.workflow_id, is_final=True).order_by("order", "pk")
                  .values_list("pk", flat=True))
    return set(finals[1:])


def next_step_suggest(party: Party, user) -> NextStep:
    """The party's next step (typed by the marketer) and the workflow step suggested by its last contact.

    The rule, on the steps out of the current stage that are open to ``user``, in the workflow's order:
    a *losing* step is one into a final stage other than the workflow's first final stage (the shipped
    workflows: "won" is the first final stage, so "lose" → "lost" is the losing step); a *forward* step is
    any other open step.

    - last contact positive, neutral, without an outcome, or no contact yet: the first forward step;
    - negative: the losing step (none if the workflow has none open);
    - not reached: no step — call again.
    """
    from aftersales.marketing.models import Contact
    from aftersales.workflow.engine import transition_explain

    checks = transition_explain(party, user=user)
    contact = (Contact.objects.filter(customer_id=party.pk).only("pk", "outcome", "occurred_at", "kind")
               .order_by("-occurred_at", "-pk").first())
    outcome = contact.outcome if contact is not None else ""
    losing = _losing_targets(party)
    forward = [check for check in checks if check.open and check.transition.target_id not in losing]
    backward = [check for check in checks if check.open and check.transition.target_id in losing]
    suggested, reason = None, ""
    if outcome == Contact.Outcome.NO_ANSWER:
        reason = _("The last contact did not reach them: call again.")
    elif outcome == Contact.Outcome.NEGATIVE:
        suggested = backward[0] if backward else None
        reason = (_("The last contact was negative.") if suggested is not None
                  else _("The last contact was negative, but no step out of this stage closes the party."))
    else:
        suggested = forward[0] if forward else None
        if suggested is None:
            reason = _("No step out of this stage is open to you.") if checks else _("This stage is the last one.")
        elif contact is None:
            reason = _("No contact logged yet.")
        elif outcome == Contact.Outcome.POSITIVE:
            reason = _("The last contact was positive.")
        else:
            reason = _("The next step along the workflow.")
    return NextStep(next_step=party.next_step, next_step_date=party.next_step_date, steps=checks,
                    suggested=suggested, reason=reason, outcome=outcome, last_contact=contact)


def party_duplicates(party: Party | Customer) -> QuerySet[Customer]:
    """Other live customers and leads sharing the party's mobile (or any of its mobile numbers), national code
    or national ID, with their party (if any) for the stage."""
    from aftersales.customers.selectors import customer_duplicates

    customer = party.customer if isinstance(party, Party) else party
    duplicates = customer_duplicates(customer)
    # Any phone of the party's (a landline too) found among the others' phones.
    numbers = set(customer.phones.values_list("number", flat=True))
    if numbers:
        by_phone = Customer.objects.filter(Q(phones__number__in=numbers) | Q(mobile__in=numbers),
                                           merged_into__isnull=True).exclude(pk=customer.pk)
        duplicates = Customer.objects.filter(Q(pk__in=duplicates.values("pk")) | Q(pk__in=by_phone.values("pk")))
    return duplicates.select_related("party", "party__state").order_by("pk")
