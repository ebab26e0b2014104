"""The agents' tree and the commission rules (F42)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.sales.models import Agent, CommissionRule
from aftersales.sales.services_commission import agent_create, agent_deactivate, agent_move, commission_rule_save
from tests.sales.test_commission import catalog, commission_manager, party, tree  # noqa: F401  fixtures


def test_an_agents_level_and_path_follow_its_parents(tree):
    provincial, city, sub = tree
    assert [agent.level for agent in tree] == [1, 2, 3]
    assert sub.path == f"{provincial.pk:06d}/{city.pk:06d}/{sub.pk:06d}/"
    assert list(Agent.objects.filter(path__startswith=provincial.path).exclude(pk=provincial.pk)) == [city, sub]


def test_a_party_is_an_agent_once_and_a_code_is_used_once(tree, center_a, commission_manager):
    with pytest.raises(ValidationError) as error:
        agent_create(customer=tree[0].customer, center=center_a, code="X9", acting_user=commission_manager)
    assert "customer" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        agent_create(customer=party("فروشگاه دیگر"), center=center_a, code="P1", acting_user=commission_manager)
    assert "code" in error.value.message_dict


def test_moving_an_agent_moves_its_sub_tree(tree, center_a, commission_manager):
    provincial, city, sub = tree
    other = agent_create(customer=party("نمایندگی استان البرز"), center=center_a, code="P2",
                         acting_user=commission_manager)
    agent_move(agent=city, parent=other, acting_user=commission_manager)
    sub.refresh_from_db()
    assert sub.path == f"{other.pk:06d}/{city.pk:06d}/{sub.pk:06d}/" and sub.level == 3
    agent_move(agent=city, parent=None, acting_user=commission_manager)
    sub.refresh_from_db()
    assert sub.path == f"{city.pk:06d}/{sub.pk:06d}/" and sub.level == 2
    assert Agent.objects.get(pk=city.pk).level == 1


def test_an_agent_cannot_move_under_its_own_sub_agent(tree, commission_manager):
    provincial, city, sub = tree
    with pytest.raises(ValidationError) as error:
        agent_move(agent=provincial, parent=sub, acting_user=commission_manager)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        agent_move(agent=city, parent=city, acting_user=commission_manager)
    assert Agent.objects.get(pk=provincial.pk).parent is None


def test_an_agent_with_active_sub_agents_stays_active(tree, commission_manager):
    provincial, city, sub = tree
    with pytest.raises(ValidationError):
        agent_deactivate(agent=city, acting_user=commission_manager)
    assert Agent.objects.get(pk=city.pk).is_active
    agent_deactivate(agent=sub, acting_user=commission_manager)
    agent_deactivate(agent=city, acting_user=commission_manager)
    assert not Agent.objects.get(pk=city.pk).is_active
    with pytest.raises(ValidationError):
        agent_create(customer=party("فروشگاه تازه"), center=city.center, parent=city, code="S9",
                     acting_user=commission_manager)


def test_a_center_manager_cannot_add_an_agent_to_another_center(center_a, manager_b):
    with pytest.raises(PermissionDenied):
        agent_create(customer=party("فروشگاه نور"), center=center_a, code="Z1", acting_user=manager_b)
    assert not Agent.objects.exists()


def save_rule(user, *, valid_from, valid_to=None, group=None, tier=0, rule=None, rate="2"):
    return commission_rule_save(rule=rule, kind="own", level=2, product_group=group, tier_from=tier,
                                rate=Decimal(rate), valid_from=valid_from, valid_to=valid_to, acting_user=user)


def test_overlapping_rules_of_one_key_are_refused_naming_the_other(commission_manager):
    save_rule(commission_manager, valid_from=datetime.date(2026, 3, 21), valid_to=datetime.date(2026, 9, 22))
    with pytest.raises(ValidationError) as error:
        save_rule(commission_manager, valid_from=datetime.date(2026, 9, 1))
    message = error.value.message_dict["valid_from"][0]
    assert "۱۴۰۵/۰۱/۰۱" in message and "۱۴۰۵/۰۶/۳۱" in message  # the other rule's dates, in Persian
    assert CommissionRule.objects.count() == 1


def test_rules_that_follow_each_other_or_differ_in_key_are_kept(commission_manager, catalog):  # noqa: F811
    first = save_rule(commission_manager, valid_from=datetime.date(2026, 3, 21), valid_to=datetime.date(2026, 9, 22))
    save_rule(commission_manager, valid_from=datetime.date(2026, 9, 23))
    save_rule(commission_manager, valid_from=datetime.date(2026, 3, 21), tier=50_000_000)
    save_rule(commission_manager, valid_from=datetime.date(2026, 3, 21), group=catalog["tvs"])
    assert CommissionRule.objects.count() == 4
    save_rule(commission_manager, rule=first, valid_from=datetime.date(2026, 3, 21),
              valid_to=datetime.date(2026, 9, 22), rate="2.5")  # changing a rule does not overlap itself
    with pytest.raises(ValidationError):
        save_rule(commission_manager, rule=first, valid_from=datetime.date(2026, 3, 21),
                  valid_to=datetime.date(2026, 9, 23))


def test_an_open_rule_overlaps_every_later_one_and_a_rule_cannot_end_before_it_starts(commission_manager):
    save_rule(commission_manager, valid_from=datetime.date(2026, 3, 21))
    with pytest.raises(ValidationError):
        save_rule(commission_manager, valid_from=datetime.date(2030, 1, 1), valid_to=datetime.date(2030, 2, 1))
    with pytest.raises(ValidationError):
        save_rule(commission_manager, valid_from=datetime.date(2020, 3, 21), valid_to=datetime.date(2020, 3, 1))
    with pytest.raises(ValidationError):
        save_rule(commission_manager, valid_from=datetime.date(2020, 3, 21), rate="120")
