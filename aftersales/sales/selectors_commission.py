"""Reads of the agents' network and their commission (F42), scoped to the caller's centers."""

import datetime

import jdatetime
from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from aftersales.organization.scoping import scope_queryset

from .models import Agent, CommissionLine, CommissionRule, CommissionStatement, SalesDocument, SalesLine
from .services_commission import period_of


def current_period(today: datetime.date | None = None) -> tuple[int, int]:
    """The Jalali year and month of today (Tehran's day)."""
    j = jdatetime.date.fromgregorian(date=today or timezone.localdate())
    return j.year, j.month


def previous_period(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def agents_visible(user):
    return scope_queryset(Agent.objects.select_related("customer", "center", "parent", "parent__customer"), user)


def own_sales(*, agent_ids, year: int, month: int) -> dict[int, int]:
    """Each agent's invoices minus credit notes of a Jalali month, by line amounts (one GROUP BY)."""
    start, end = period_of(year, month)
    rows = (SalesLine.objects.filter(document__agent__in=agent_ids, document__issued_on__range=(start, end),
                                     document__kind__in=(SalesDocument.Kind.INVOICE, SalesDocument.Kind.CREDIT))
            .values_list("document__agent").annotate(total=Sum("amount")).order_by())
    return dict(rows)


def agent_tree(*, user, year: int, month: int) -> list[Agent]:
    """The caller's agents in tree order, each with its count of sub-agents and its sales of the month."""
    agents = list(agents_visible(user).annotate(children_count=Count("children")).order_by("path"))
    sales = own_sales(agent_ids=[agent.pk for agent in agents], year=year, month=month)
    for agent in agents:
        agent.month_sales = sales.get(agent.pk, 0)
        agent.indent = min(agent.level - 1, 5)  # the tree page indents up to five steps (app.css)
    return agents


def agent_get(*, user, pk: int) -> Agent:
    return agents_visible(user).get(pk=pk)


def rule_list(*, include_ended: bool = True):
    rules = CommissionRule.objects.select_related("product_group")
    if not include_ended:
        rules = rules.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
    return rules.order_by("kind", "level", "product_group__name", "tier_from", "valid_from")


def statement_list(*, user, year: int | None = None, month: int | None = None, agent: int | None = None,
                   status: str | None = None):
    statements = scope_queryset(CommissionStatement.objects.select_related("agent", "agent__customer",
                                                                           "agent__center", "approved_by"), user)
    if year:
        statements = statements.filter(year=year)
    if month:
        statements = statements.filter(month=month)
    if agent:
        statements = statements.filter(agent=agent)
    if status:
        statements = statements.filter(status=status)
    return statements.order_by("-year", "-month", "agent__path")


def statement_get(*, user, pk: int) -> CommissionStatement:
    lines = (CommissionLine.objects.select_related("document", "source_agent", "source_agent__customer",
                                                   "product_group", "rule")
             .order_by("document__issued_on", "document__pk", "pk"))
    return (statement_list(user=user).prefetch_related(Prefetch("lines", queryset=lines)).get(pk=pk))
