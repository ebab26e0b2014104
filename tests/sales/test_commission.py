"""Commission of the agents' network (F42): a hand-worked month, recalculation, approval, rules' choice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.organization.roles import Role
from aftersales.sales.models import CommissionLine, CommissionStatement, SalesDocument, SalesLine
from aftersales.sales.services_commission import (agent_create, agent_move, commission_approve, commission_calculate,
                                                  commission_figures, commission_rule_save, period_of)
from tests.factories import UserFactory

YEAR, MONTH = 1405, 7  # Mehr 1405
START, END = period_of(YEAR, MONTH)
M = 1_000_000


def day(number: int) -> datetime.date:
    return START + datetime.timedelta(days=number - 1)


@pytest.fixture
def commission_manager(center_a):
    return UserFactory(username="commission_manager", role=Role.HEAD_OFFICE_MANAGER, is_staff=True)


@pytest.fixture
def catalog(db):
    """Two product groups (refrigerators, televisions) and a model of each."""
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel

    brand = Brand.objects.create(code="SNW", name="اسنوا")
    fridges = ProductGroup.objects.create(code="FRG", name="یخچال")
    tvs = ProductGroup.objects.create(code="TV", name="تلویزیون")
    return {"fridge": ProductModel.objects.create(code="RF-1", name="یخچال ۱", brand=brand, group=fridges),
            "tv": ProductModel.objects.create(code="TV-1", name="تلویزیون ۱", brand=brand, group=tvs),
            "fridges": fridges, "tvs": tvs}


def party(name: str):
    from aftersales.customers.models import Customer

    return Customer.objects.create(kind="legal", company_name=name)


@pytest.fixture
def tree(center_a, commission_manager):
    """Provincial agent P → city agent C → sub-agent S."""
    provincial = agent_create(customer=party("نمایندگی استان تهران"), center=center_a, code="P1",
                              acting_user=commission_manager)
    city = agent_create(customer=party("نمایندگی شهر ری"), center=center_a, parent=provincial, code="C1",
                        acting_user=commission_manager)
    sub = agent_create(customer=party("فروشگاه نور"), center=center_a, parent=city, code="S1",
                       acting_user=commission_manager)
    return provincial, city, sub


_numbers = iter(range(1, 10**6))


def document(agent, issued_on, lines, *, kind=SalesDocument.Kind.INVOICE, discount=0, customer=None):
    """A sales document of ``agent``'s party written directly: ``lines`` are (product model, amount) pairs."""
    amounts = sum(amount for _model, amount in lines)
    doc = SalesDocument.objects.create(center=agent.center, kind=kind, number=f"T-{next(_numbers)}",
                                       customer=customer or agent.customer, agent=agent, issued_on=issued_on,
                                       subtotal=amounts, discount=discount, total=amounts - discount)
    for model, amount in lines:
        SalesLine.objects.create(document=doc, product_model=model, product_group=model.group,
                                 description=model.name, quantity=1, unit_price=abs(amount), amount=amount)
    return doc


def rule(user, kind, level, rate, *, group=None, tier=0, valid_from=datetime.date(2025, 1, 1), valid_to=None):
    return commission_rule_save(kind=kind, level=level, product_group=group, tier_from=tier * M, rate=Decimal(rate),
                                valid_from=valid_from, valid_to=valid_to, acting_user=user)


@pytest.fixture
def month(tree, catalog, commission_manager):
    """The hand-worked month's rules and documents (see ``test_hand_worked_month``)."""
    provincial, city, sub = tree
    user = commission_manager
    rule(user, "own", 3, "2")
    rule(user, "own", 3, "3", tier=50)
    rule(user, "own", 2, "4", group=catalog["fridges"])
    rule(user, "own", 2, "1")
    rule(user, "override", 2, "0.5")
    rule(user, "override", 1, "1")
    rule(user, "override", 1, "1.5", tier=100)
    fridge, tv = catalog["fridge"], catalog["tv"]
    first = document(sub, day(3), [(fridge, 40 * M), (tv, 20 * M)])
    document(sub, day(10), [(tv, 30 * M)], discount=3 * M)
    document(sub, day(20), [(fridge, -10 * M)], kind=SalesDocument.Kind.CREDIT)
    document(city, day(5), [(fridge, 25 * M), (tv, 5 * M)])
    document(sub, START - datetime.timedelta(days=1), [(tv, 100 * M)])  # the month before
    document(sub, END + datetime.timedelta(days=1), [(tv, 100 * M)])  # the month after
    document(sub, day(4), [(tv, 100 * M)], kind=SalesDocument.Kind.PROFORMA)  # not a sale
    return first


def totals(statements) -> dict[str, tuple[int, int]]:
    return {statement.agent.code: (statement.sales, statement.total) for statement in statements}


def test_hand_worked_month(month, commission_manager):
    """Mehr 1405. Tree P (level 1) → C (level 2) → S (level 3); groups fridges and TVs.

    Rules: own L3 any group 2% from 0 and 3% from 50M; own L2 fridges 4%, own L2 any group 1%;
    override L2 0.5%; override L1 1% from 0 and 1.5% from 100M.

    S: invoice 1 fridges 40M + TVs 20M; invoice 2 TVs 30M less a 3M document discount = 27M;
    credit note fridges −10M. Own sales 40 + 20 + 27 − 10 = 77M ≥ 50M → 3%:
    1.2M + 0.6M + 0.81M − 0.3M = 2,310,000.
    C: invoice fridges 25M + TVs 5M, own sales 30M → fridges 4% = 1M, TVs 1% = 50,000;
    override on S's 77M at 0.5%: 0.2M + 0.1M + 0.135M − 0.05M = 385,000; total 1,435,000.
    P: no own sales; below it 77M + 30M = 107M ≥ 100M → override 1.5% on every line below:
    S 0.6M + 0.3M + 0.405M − 0.15M = 1,155,000, C 0.375M + 0.075M = 450,000; total 1,605,000.
    The documents of the months before and after and the proforma count nowhere.
    """
    statements = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    assert totals(statements) == {"P1": (0, 1_605_000), "C1": (30 * M, 1_435_000), "S1": (77 * M, 2_310_000)}
    sub = next(statement for statement in statements if statement.agent.code == "S1")
    assert sorted(sub.lines.values_list("base", "amount")) == [(-10 * M, -300_000), (20 * M, 600_000),
                                                               (27 * M, 810_000), (40 * M, 1_200_000)]
    provincial = next(statement for statement in statements if statement.agent.code == "P1")
    assert provincial.lines.count() == 6
    assert set(provincial.lines.values_list("rate", flat=True)) == {Decimal("1.5")}
    assert (provincial.period_start, provincial.period_end) == (START, END)


def test_recalculating_a_draft_replaces_its_lines(month, tree, catalog, commission_manager):
    commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    lines = CommissionLine.objects.count()
    document(tree[2], day(25), [(catalog["tv"], 10 * M)])
    statements = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    assert totals(statements)["S1"] == (87 * M, 2_610_000)
    assert CommissionLine.objects.count() == lines + 3  # S's own, C's and P's override on the new invoice
    assert CommissionStatement.objects.count() == 3


def test_an_approved_statement_keeps_its_figure_whatever_happens_later(month, tree, catalog, commission_manager,
                                                                         center_a):
    statements = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    for statement in statements:
        commission_approve(statement=statement, acting_user=commission_manager)
    again = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    assert totals(again) == totals(statements)

    # S moves under another city agent: its documents keep their agent, so its own figure is the same.
    provincial, city, sub = tree
    other_city = agent_create(customer=party("نمایندگی شهر کرج"), center=center_a, parent=provincial, code="C2",
                              acting_user=commission_manager)
    agent_move(agent=sub, parent=other_city, acting_user=commission_manager)
    assert commission_figures(year=YEAR, month=MONTH)[sub.pk].total == 2_310_000
    document(sub, day(26), [(catalog["tv"], 10 * M)])  # a late invoice does not reopen an approved month
    again = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    assert {code: figure for code, figure in totals(again).items() if code != "C2"} == totals(statements)
    assert CommissionStatement.objects.get(agent=sub).lines.count() == 4


def test_approving_needs_the_permission_and_happens_once(month, commission_manager, center_a):
    statement = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)[0]
    accountant = UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a])
    with pytest.raises(PermissionDenied):
        commission_approve(statement=statement, acting_user=accountant)
    commission_approve(statement=statement, acting_user=commission_manager)
    statement.refresh_from_db()
    assert statement.status == CommissionStatement.Status.APPROVED and statement.approved_by == commission_manager
    with pytest.raises(ValidationError):
        commission_approve(statement=statement, acting_user=commission_manager)


def test_the_rule_valid_on_the_issue_day_applies(tree, catalog, commission_manager):
    provincial = tree[0]
    rule(commission_manager, "own", 1, "2", valid_to=day(14))
    rule(commission_manager, "own", 1, "5", valid_from=day(15))
    document(provincial, day(14), [(catalog["tv"], 10 * M)])
    document(provincial, day(15), [(catalog["tv"], 10 * M)])
    assert totals(commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager))["P1"] == (
        20 * M, 700_000)


def test_a_groups_own_rule_comes_before_the_any_group_rule_even_at_a_lower_tier(tree, catalog, commission_manager):
    provincial = tree[0]
    rule(commission_manager, "own", 1, "3", group=catalog["fridges"])
    rule(commission_manager, "own", 1, "1")
    rule(commission_manager, "own", 1, "9", tier=1)  # any group from 1M: TVs only
    document(provincial, day(2), [(catalog["fridge"], 10 * M), (catalog["tv"], 10 * M)])
    assert totals(commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager))["P1"] == (
        20 * M, 1_200_000)


def test_an_agent_without_sales_gets_an_empty_statement_and_one_without_rules_earns_nothing(tree, commission_manager):
    statements = commission_calculate(year=YEAR, month=MONTH, acting_user=commission_manager)
    assert totals(statements) == {"P1": (0, 0), "C1": (0, 0), "S1": (0, 0)}


def test_a_center_manager_cannot_calculate_another_centers_agents(tree, manager_b):
    with pytest.raises(PermissionDenied):
        commission_calculate(year=YEAR, month=MONTH, agents=list(tree), acting_user=manager_b)
    assert not CommissionStatement.objects.exists()


def test_a_month_outside_the_calendar_is_refused(commission_manager):
    with pytest.raises(ValidationError):
        commission_calculate(year=YEAR, month=13, acting_user=commission_manager)
