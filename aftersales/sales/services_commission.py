"""Writes of the agents' network and their commission: the agent tree, commission rules, the monthly
calculation and its approval (F42).

The commission base of a sales document is the sum of its lines' amounts (net of each line's discount,
before VAT) with the document-level discount spread over the lines in proportion to their amounts; a
credit note's lines are negative and count against the month it is issued in. A document keeps the
agent its customer was under when it was issued, so the own sales of a month never change afterwards.
"""

import datetime
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import jdatetime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from aftersales.core import rowscope
from aftersales.core.jalali import format_date, next_month_start

from .models import Agent, CommissionLine, CommissionRule, CommissionStatement, SalesDocument, SalesLine

#: The deepest level a rule can name (``CommissionRule.level``'s validator).
MAX_LEVEL = 9
#: Zero-padded width of an id in ``Agent.path``; longer ids are written whole (the "/" still separates them).
PATH_WIDTH = 6


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_WIDTH}d}/"


def _advisory_lock(name: str, key: int = 0) -> None:
    """Serialise writers of one thing for the rest of the transaction (PostgreSQL; SQLite writes one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [zlib.crc32(name.encode()) - 2**31, key])


# --- Agents ---

@transaction.atomic
def agent_create(*, customer, center, parent: Agent | None = None, code: str, acting_user) -> Agent:
    """Make a party an agent in the tree, under ``parent`` (none: a root, level 1).

    Refuses a party that is an agent already, a code in use, an inactive parent and a tree deeper than
    nine levels. Implements F42.
    """
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Write the agent's code.")})
    if Agent.objects.filter(customer=customer).exists():
        raise ValidationError({"customer": _("This party is an agent already.")})
    if Agent.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The agent code %(code)s is in use.") % {"code": code}})
    _advisory_lock("sales.agent-tree")
    if parent is not None:
        parent = Agent.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise ValidationError({"parent": _("The parent agent is inactive.")})
        if parent.level >= MAX_LEVEL:
            raise ValidationError({"parent": _("An agent can be at most %(max)s levels deep.") % {"max": MAX_LEVEL}})
    agent = Agent(customer=customer, center=center, parent=parent, code=code,
                  level=parent.level + 1 if parent else 1, path="")
    rowscope.check_write(agent, acting_user)
    agent._history_user = acting_user
    agent.save(force_insert=True)
    agent.path = (parent.path if parent else "") + _segment(agent.pk)
    Agent.objects.filter(pk=agent.pk).update(path=agent.path)
    return agent


@transaction.atomic
def agent_move(*, agent: Agent, parent: Agent | None, acting_user) -> Agent:
    """Put an agent (with its whole sub-tree) under another parent, or make it a root.

    The sub-tree is re-pathed in one UPDATE. Refuses a move under the agent itself or under one of its
    own sub-agents, and a tree deeper than nine levels. Documents keep their agent, so the agent's own
    sales of past months do not change. Implements F42.
    """
    _advisory_lock("sales.agent-tree")  # two moves at once could otherwise close a cycle between them
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    rowscope.check_write(agent, acting_user)
    if parent is not None:
        parent = Agent.objects.get(pk=parent.pk)
        if parent.path.startswith(agent.path):
            raise ValidationError({"parent": _("An agent cannot be put under itself or one of its own sub-agents.")})
        if not parent.is_active:
            raise ValidationError({"parent": _("The parent agent is inactive.")})
    if (parent.pk if parent else None) == agent.parent_id:
        return agent
    old_path = agent.path
    new_path = (parent.path if parent else "") + _segment(agent.pk)
    delta = (parent.level + 1 if parent else 1) - agent.level
    deepest = max(Agent.objects.filter(path__startswith=old_path).values_list("level", flat=True))
    if deepest + delta > MAX_LEVEL:
        raise ValidationError({"parent": _("An agent can be at most %(max)s levels deep.") % {"max": MAX_LEVEL}})
    agent.parent = parent
    agent._history_user = acting_user
    agent.save(update_fields=["parent"])
    Agent.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), level=F("level") + delta)
    agent.refresh_from_db()
    return agent


@transaction.atomic
def agent_deactivate(*, agent: Agent, acting_user, active: bool = False) -> Agent:
    """Take an agent out of the network (its documents and statements stay), or back in with ``active``.

    Refuses while it has active sub-agents: move them first. Implements F42.
    """
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    rowscope.check_write(agent, acting_user)
    if not active and agent.children.filter(is_active=True).exists():
        raise ValidationError(_("This agent has active sub-agents; move them to another parent first."))
    if active and agent.parent_id and not agent.parent.is_active:
        raise ValidationError(_("The parent agent is inactive."))
    agent.is_active = active
    agent._history_user = acting_user
    agent.save(update_fields=["is_active"])
    return agent


# --- Rules ---

def _rule_label(rule: CommissionRule) -> str:
    values = {"kind": rule.get_kind_display(), "level": rule.level,
              "group": rule.product_group.name if rule.product_group_id else _("every group"),
              "tier": f"{rule.tier_from:,}", "rate": rule.rate, "start": format_date(rule.valid_from)}
    if rule.valid_to is None:
        return _("%(kind)s, level %(level)s, %(group)s, from sales of %(tier)s, %(rate)s%%, from %(start)s until "
                 "further notice") % values
    return _("%(kind)s, level %(level)s, %(group)s, from sales of %(tier)s, %(rate)s%%, %(start)s to %(end)s") % {
        **values, "end": format_date(rule.valid_to)}


@transaction.atomic
def commission_rule_save(*, rule: CommissionRule | None = None, kind: str, level: int, product_group,
                         tier_from: int, rate, valid_from: datetime.date, valid_to: datetime.date | None,
                         acting_user) -> CommissionRule:
    """Add a commission rule, or change one.

    Refuses dates that overlap another rule of the same kind, level, product group and tier, naming it;
    two saves at once are serialised on the rule's key, so they cannot both write an overlap. Implements F42.
    """
    group_id = product_group.pk if product_group is not None else None
    _advisory_lock("sales.commission-rule", zlib.crc32(f"{kind}:{level}:{group_id}:{tier_from}".encode()) - 2**31)
    if rule is not None:
        rule = CommissionRule.objects.select_for_update().get(pk=rule.pk)
    else:
        rule = CommissionRule()
    rule.kind, rule.level, rule.product_group, rule.tier_from = kind, level, product_group, tier_from
    rule.rate, rule.valid_from, rule.valid_to = rate, valid_from, valid_to
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The rule cannot end before it starts.")})
    rule.full_clean()
    same_key = CommissionRule.objects.select_for_update(of=("self",)).filter(
        kind=kind, level=level, product_group=group_id, tier_from=tier_from)
    if rule.pk:
        same_key = same_key.exclude(pk=rule.pk)
    overlapping = same_key.filter(valid_from__lte=valid_to) if valid_to else same_key
    overlapping = [other for other in overlapping.select_related("product_group")
                   if other.valid_to is None or other.valid_to >= valid_from]
    if overlapping:
        raise ValidationError({"valid_from": _("These dates overlap another rule of the same kind, level, group and "
                                               "tier: «%(rule)s». Change its dates first.")
                               % {"rule": _rule_label(overlapping[0])}})
    rule._history_user = acting_user
    rule.save()
    return rule


# --- Calculation ---

def period_of(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a Jalali month."""
    if not 1 <= month <= 12 or not 1300 <= year <= 1500:
        raise ValidationError({"month": _("Choose a Jalali year and month.")})
    start = jdatetime.date(year, month, 1).togregorian()
    return start, next_month_start(start) - datetime.timedelta(days=1)


def _commission(base: int, rate: Decimal) -> int:
    """The rials a rate earns on a base, rounded half away from zero (a credit note undoes its invoice exactly)."""
    return int((Decimal(base) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _spread(amount: int, discount: int, lines_total: int) -> int:
    """A group's part of a document after its document-level discount, spread over the lines by amount."""
    if not discount or not lines_total:
        return amount
    return amount - int((Decimal(amount) * discount / abs(lines_total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _Rules:
    """The rules valid in a period, found by kind, level, group, day and the sales reached."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.by_key: dict[tuple, list[CommissionRule]] = defaultdict(list)
        rules = CommissionRule.objects.filter(valid_from__lte=end).exclude(valid_to__lt=start)
        for rule in rules.order_by("-tier_from", "pk"):
            self.by_key[(rule.kind, rule.level, rule.product_group_id)].append(rule)
        self.cache: dict[tuple, CommissionRule | None] = {}

    def find(self, kind: str, level: int, group: int, day: datetime.date, sales: int) -> CommissionRule | None:
        """The rule of the group (else of every group) with the highest tier the sales reach, valid on the day."""
        key = (kind, level, group, day, sales)
        if key not in self.cache:
            found = None
            for group_id in (group, None):
                for rule in self.by_key.get((kind, level, group_id), ()):
                    if rule.tier_from <= sales and rule.valid_from <= day and (rule.valid_to is None
                                                                               or rule.valid_to >= day):
                        found = rule
                        break
                if found:
                    break
            self.cache[key] = found
        return self.cache[key]


@dataclass
class Figure:
    """One agent's month: own sales, its sub-tree's sales (below it) and the lines of its commission."""

    sales: int = 0
    below: int = 0
    lines: list = field(default_factory=list)  # (document, source agent, group, rule, base, rate, amount)

    @property
    def total(self) -> int:
        return sum(line[6] for line in self.lines)


def commission_figures(*, year: int, month: int) -> dict[int, Figure]:
    """Every agent's commission of a Jalali month as it would be calculated now, nothing written.

    The lines are summed in the database by agent, document and product group; what stays in Python is
    one row per document and group, and the rules' choice.
    """
    start, end = period_of(year, month)
    rows = list(SalesLine.objects
                .filter(document__issued_on__range=(start, end), document__agent__isnull=False,
                        document__kind__in=(SalesDocument.Kind.INVOICE, SalesDocument.Kind.CREDIT))
                .values_list("document__agent", "document", "product_group", "document__issued_on",
                             "document__discount")
                .annotate(amount=Sum("amount")).order_by())
    document_totals: dict[int, int] = defaultdict(int)
    for _agent, document, _group, _day, _discount, amount in rows:
        document_totals[document] += amount
    agents = {pk: (path, level) for pk, path, level in Agent.objects.values_list("pk", "path", "level")}
    ancestors = {pk: [int(part) for part in path.split("/")[:-2]] for pk, (path, _level) in agents.items()}
    figures: dict[int, Figure] = defaultdict(Figure)
    bases = []
    for agent, document, group, day, discount, amount in rows:
        base = _spread(amount, discount, document_totals[document])
        bases.append((agent, document, group, day, base))
        figures[agent].sales += base
    for agent, figure in list(figures.items()):
        for ancestor in ancestors.get(agent, ()):
            figures[ancestor].below += figure.sales
    rules = _Rules(start, end)
    for agent, document, group, day, base in bases:
        figure = figures[agent]
        rule = rules.find(CommissionRule.Kind.OWN, agents[agent][1], group, day, figure.sales)
        if rule is not None and rule.rate:
            figure.lines.append((document, agent, group, rule.pk, base, rule.rate, _commission(base, rule.rate)))
        for ancestor in ancestors.get(agent, ()):
            upper = figures[ancestor]
            rule = rules.find(CommissionRule.Kind.OVERRIDE, agents[ancestor][1], group, day, upper.below)
            if rule is not None and rule.rate:
                upper.lines.append((document, agent, group, rule.pk, base, rule.rate, _commission(base, rule.rate)))
    return figures


def _lines_write(rows) -> None:
    """Write ``(statement id, line)`` pairs: by COPY on PostgreSQL (a month of every agent is hundreds of
    thousands of lines, and COPY writes them several times faster than INSERTs), else in batches."""
    if connection.vendor == "postgresql":
        columns = "statement_id, document_id, source_agent_id, product_group_id, rule_id, base, rate, amount"
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {CommissionLine._meta.db_table} ({columns}) FROM STDIN") as copy:
                for statement, line in rows:
                    copy.write_row((statement, *line))
        return
    CommissionLine.objects.bulk_create(
        (CommissionLine(statement_id=statement, document_id=document, source_agent_id=source, product_group_id=group,
                        rule_id=rule, base=base, rate=rate, amount=amount)
         for statement, (document, source, group, rule, base, rate, amount) in rows), batch_size=5000)


def _check_centers(agents, acting_user) -> None:
    for center_id in {agent.center_id for agent in agents}:
        rowscope.check_write(Agent(center_id=center_id), acting_user)


@transaction.atomic
def commission_calculate(*, year: int, month: int, agents=None, acting_user) -> list[CommissionStatement]:
    """Calculate a Jalali month's commission statements of ``agents`` (default: every agent).

    Each agent earns its own rules' rate on its own sales (invoices minus credit notes issued in the
    month, by the document's agent; the tier by its own sales) and its override rules' rate on the sales
    of every agent below it (the tier by those sales). A draft statement's lines are replaced; an
    approved statement is never changed. Active agents without sales get an empty statement. Implements F42.
    """
    start, end = period_of(year, month)
    _advisory_lock("sales.commission-period", year * 100 + month)
    figures = commission_figures(year=year, month=month)
    chosen = list(Agent.objects.all() if agents is None else Agent.objects.filter(pk__in=[a.pk for a in agents]))
    _check_centers(chosen, acting_user)
    chosen = [agent for agent in chosen if agent.is_active or agent.pk in figures]
    locked = (CommissionStatement.objects.select_for_update(of=("self",)).select_related("agent")
              .filter(year=year, month=month, agent__in=[agent.pk for agent in chosen]))
    existing = {statement.agent_id: statement for statement in locked}
    now = timezone.now()
    new, changed = [], []
    for agent in chosen:
        figure = figures.get(agent.pk) or Figure()
        statement = existing.get(agent.pk)
        if statement is None:
            statement = CommissionStatement(agent=agent, year=year, month=month, period_start=start, period_end=end)
            new.append(statement)
        elif statement.status == CommissionStatement.Status.APPROVED:
            continue
        else:
            changed.append(statement)
        statement.sales, statement.total, statement.calculated_at = figure.sales, figure.total, now
        statement._history_user = acting_user
    if changed:
        CommissionLine.objects.filter(statement__in=[statement.pk for statement in changed]).delete()
        bulk_update_with_history(changed, CommissionStatement, ["sales", "total", "calculated_at"], batch_size=2000,
                                 default_user=acting_user)
    if new:
        bulk_create_with_history(new, CommissionStatement, batch_size=2000, default_user=acting_user)
        if any(statement.pk is None for statement in new):  # a backend that does not return ids
            ids = dict(CommissionStatement.objects.filter(year=year, month=month).values_list("agent", "pk"))
            for statement in new:
                statement.pk = statement.id = ids[statement.agent_id]
    _lines_write((statement.pk, line) for statement in (*new, *changed)
                 for line in figures.get(statement.agent_id, Figure()).lines)
    return sorted((*new, *changed, *(s for s in existing.values() if s.status == CommissionStatement.Status.APPROVED)),
                  key=lambda statement: statement.agent.path)


@transaction.atomic
def commission_approve(*, statement: CommissionStatement, acting_user) -> CommissionStatement:
    """Approve a calculated statement; from then on it is never recalculated.

    Needs ``sales.approve_commissionstatement``. Refuses a statement approved already. Implements F42.
    """
    if not acting_user.has_perm("sales.approve_commissionstatement"):
        raise PermissionDenied(_("You may not approve commission statements."))
    statement = CommissionStatement.objects.select_for_update().select_related("agent").get(pk=statement.pk)
    rowscope.check_write(statement.agent, acting_user)
    if statement.status == CommissionStatement.Status.APPROVED:
        raise ValidationError(_("This statement is approved already."))
    statement.status = CommissionStatement.Status.APPROVED
    statement.approved_at, statement.approved_by = timezone.now(), acting_user
    statement._history_user = acting_user
    statement.save(update_fields=["status", "approved_at", "approved_by"])
    return statement
