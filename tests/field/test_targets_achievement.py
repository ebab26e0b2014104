"""Achievement of a plan's targets against invoices, credit notes, visits and new customers (F46)."""

import datetime

import pytest
from django.utils import timezone

from aftersales.field.models import Target
from aftersales.field.selectors_targets import achievement, elapsed_share, plan_targets, rollups
from aftersales.field.services_targets import target_plan_create
from tests.field.conftest_targets import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

SALES = Target.Metric.SALES_AMOUNT


@pytest.fixture
def plan_of(center_a, manager_a, plan_days):
    def _plan(*targets):
        start, end = plan_days
        return target_plan_create(name="برنامه آذر", center=center_a, start_date=start, end_date=end,
                                  targets=list(targets), acting_user=manager_a)

    return _plan


def _figures(plan, user):
    return {item.target.pk: item for item in achievement(plan, plan_targets(plan, user))}


def test_an_invoice_arriving_moves_the_percent_and_a_credit_note_reduces_it(plan_of, visitor_a, make_party, sell,
                                                                             manager_a):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 1_000_000_000})
    target = plan.targets.get()
    party = make_party(marketer=visitor_a)
    assert _figures(plan, manager_a)[target.pk].percent == 0
    sell(party, 250_000_000, vat=25_000_000)
    item = _figures(plan, manager_a)[target.pk]
    assert (item.achieved, item.percent) == (250_000_000, 25.0)
    sell(party, 50_000_000, credit=True)
    assert _figures(plan, manager_a)[target.pk].achieved == 200_000_000


def test_documents_outside_the_range_or_of_another_marketer_or_proformas_do_not_count(
        plan_of, visitor_a, visitor_a2, make_party, sell, manager_a, plan_days):
    from aftersales.sales.models import SalesDocument

    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 1_000_000})
    start, end = plan_days
    mine, theirs = make_party(marketer=visitor_a), make_party(marketer=visitor_a2)
    sell(mine, 100, on=start)
    sell(mine, 10, on=end)
    sell(mine, 7_000, on=start - datetime.timedelta(days=1))
    sell(mine, 9_000, on=end + datetime.timedelta(days=1))
    sell(theirs, 5_000)
    SalesDocument.objects.create(center=mine.center, kind=SalesDocument.Kind.PROFORMA, number="P-1",
                                 customer_id=mine.pk, issued_on=timezone.localdate(), subtotal=3_000, total=3_000)
    assert _figures(plan, manager_a)[plan.targets.get().pk].achieved == 110


def test_a_party_moved_to_another_marketer_carries_its_invoices(plan_of, visitor_a, visitor_a2, make_party, sell,
                                                                 manager_a):
    from aftersales.crm.services import party_update

    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a2, "value": 1_000})
    party = make_party(marketer=visitor_a)
    sell(party, 400)
    party_update(party=party, marketer=visitor_a2, acting_user=manager_a)
    figures = {item.target.marketer: item.achieved for item in _figures(plan, manager_a).values()}
    assert figures == {visitor_a: 0, visitor_a2: 400}


def test_a_province_target_covers_its_cities_and_districts_and_a_territory_its_regions(
        plan_of, visitor_a, make_party, sell, manager_a, regions):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "region": regions["tehran_province"], "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a, "region": regions["district"], "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a, "territory": regions["north"], "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a, "region": regions["isfahan_province"], "value": 1_000})
    sell(make_party(marketer=visitor_a, region=regions["tehran"]), 100)
    sell(make_party(marketer=visitor_a, region=regions["district"]), 20)
    sell(make_party(marketer=visitor_a, region=regions["isfahan"]), 3)
    sell(make_party(marketer=visitor_a), 5000)
    figures = {(item.target.region_id, item.target.territory_id): item.achieved
               for item in _figures(plan, manager_a).values()}
    assert figures == {(regions["tehran_province"].pk, None): 120, (regions["district"].pk, None): 20,
                       (None, regions["north"].pk): 20, (regions["isfahan_province"].pk, None): 3}


def test_a_customer_type_target_counts_only_parties_of_that_type(plan_of, visitor_a, make_party, sell, manager_a,
                                                                 party_types):
    other = next(party_type for code, party_type in party_types.items() if code != "dealer")
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "party_type": party_types["dealer"], "value": 1_000})
    sell(make_party(marketer=visitor_a), 30)
    sell(make_party(marketer=visitor_a, party_type=other), 700)
    assert _figures(plan, manager_a)[plan.targets.get().pk].achieved == 30


def test_a_team_target_adds_up_the_team_but_not_other_teams(plan_of, visitor_a, visitor_a2, visitor_b, make_party,
                                                            sell, manager_a, center_b):
    plan = plan_of({"metric": SALES, "value": 1_000})
    sell(make_party(marketer=visitor_a), 30)
    sell(make_party(marketer=visitor_a2), 40)
    sell(make_party(marketer=visitor_b, center=center_b, by=visitor_b), 500)
    assert _figures(plan, manager_a)[plan.targets.get().pk].achieved == 70


def test_visits_count_in_person_contacts_of_the_marketer_in_the_range(plan_of, visitor_a, visitor_a2, make_party,
                                                                      visit, manager_a, plan_days):
    from aftersales.marketing.models import Contact

    plan = plan_of({"metric": Target.Metric.VISITS, "marketer": visitor_a, "value": 10})
    party = make_party(marketer=visitor_a)
    visit(party, visitor_a)
    visit(party, visitor_a)
    visit(party, visitor_a, kind=Contact.Kind.CALL_OUT)
    visit(party, visitor_a2)
    start, _end = plan_days
    before = timezone.make_aware(datetime.datetime.combine(start, datetime.time(23, 59))) - datetime.timedelta(days=1)
    visit(party, visitor_a, at=before)
    item = _figures(plan, manager_a)[plan.targets.get().pk]
    assert (item.achieved, item.percent) == (2, 20.0)


def test_new_customers_count_the_marketers_parties_made_in_the_range_that_are_not_leads(
        plan_of, visitor_a, make_party, manager_a, plan_days):
    from aftersales.crm.models import Party
    from aftersales.customers.models import Customer

    plan = plan_of({"metric": Target.Metric.NEW_CUSTOMERS, "marketer": visitor_a, "value": 4})
    make_party(marketer=visitor_a)
    lead = make_party(marketer=visitor_a)
    Customer.objects.filter(pk=lead.pk).update(is_lead=True)
    old = make_party(marketer=visitor_a)
    start, _end = plan_days
    Party.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert _figures(plan, manager_a)[plan.targets.get().pk].achieved == 1


def test_pace_is_the_share_of_the_plans_days_gone_by(plan_of, visitor_a, make_party, sell, manager_a):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 3_100})
    assert elapsed_share(plan) == pytest.approx(11 / 31)
    sell(make_party(marketer=visitor_a), 1_000)
    item = _figures(plan, manager_a)[plan.targets.get().pk]
    assert (item.expected, item.ahead) == (1_100, False)
    sell(make_party(marketer=visitor_a), 200)
    assert _figures(plan, manager_a)[plan.targets.get().pk].ahead is True
    assert elapsed_share(plan, plan.end_date + datetime.timedelta(days=5)) == 1
    assert elapsed_share(plan, plan.start_date - datetime.timedelta(days=5)) == 0


def test_the_chart_series_is_cumulative_per_day(plan_of, visitor_a, make_party, sell, manager_a, plan_days):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 3_100})
    start, _end = plan_days
    party = make_party(marketer=visitor_a)
    sell(party, 100, on=start)
    sell(party, 50, on=start + datetime.timedelta(days=2))
    series = achievement(plan, plan_targets(plan, manager_a), series=True)[0].series
    assert series[:4] == [100, 100, 150, 150] and series[10] == 150 and len(series) == 31
    assert series[11:] == [None] * 20  # the days to come are not drawn


def test_rollups_add_the_marketers_and_regions_targets(plan_of, visitor_a, visitor_a2, make_party, sell, manager_a,
                                                       regions):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a, "region": regions["tehran"], "value": 500},
                   {"metric": SALES, "marketer": visitor_a2, "region": regions["tehran"], "value": 500})
    sell(make_party(marketer=visitor_a, region=regions["tehran"]), 100)
    sell(make_party(marketer=visitor_a2, region=regions["tehran"]), 300)
    result = rollups(achievement(plan, plan_targets(plan, manager_a)))
    by_region = {line["name"]: (line["value"], line["achieved"]) for line in result["regions"]}
    by_marketer = {line["name"]: (line["value"], line["achieved"]) for line in result["marketers"]}
    assert by_region == {"تهران": (1_000, 400)}
    assert by_marketer == {visitor_a: (1_500, 200), visitor_a2: (500, 300)}


def test_a_marketer_sees_only_their_own_targets(plan_of, visitor_a, visitor_a2, manager_a):
    plan = plan_of({"metric": SALES, "marketer": visitor_a, "value": 1_000},
                   {"metric": SALES, "marketer": visitor_a2, "value": 1_000})
    assert [target.marketer for target in plan_targets(plan, visitor_a)] == [visitor_a]
    assert len(plan_targets(plan, manager_a)) == 2
