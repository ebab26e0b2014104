"""Group sends and occasions (F55): preview of count and cost, opt-outs, quiet hours, progress, no double sends."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.customers.models import Customer, CustomerGroup
from aftersales.marketing.models import Campaign
from aftersales.marketing.services import (
    campaign_cancel,
    campaign_launch,
    campaign_preview,
    campaign_progress,
    campaign_run,
    campaigns_run_due,
)
from aftersales.messaging import dispatch
from aftersales.messaging.models import Message, MessageTemplate
from aftersales.messaging.services import opt_out_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def yalda():
    return MessageTemplate.objects.create(code="yalda", name="یلدا", kind="marketing",
                                          body="{customer_name} عزیز، شب یلدا بر شما مبارک! ۱۵٪ تخفیف سرویس تا پایان آذر.")


@pytest.fixture
def vip(db):
    group = CustomerGroup.objects.create(code="vip", name="مشتریان ویژه")
    for index, mobile in enumerate(["09121000001", "09121000002", "09121000003", ""]):
        customer = Customer.objects.create(kind="person", first_name="مشتری", last_name=f"شماره {index}", mobile=mobile)
        customer.groups.add(group)
    Customer.objects.create(kind="person", last_name="بیرون از گروه", mobile="09121000009")
    return group


def campaign(template, group, **options):
    return Campaign.objects.create(name="یلدا ۱۴۰۵", template=template, audience="group", group=group, **options)


def test_preview_counts_recipients_opt_outs_missing_numbers_and_cost(yalda, vip, settings):
    settings.SMS_PRICE_PER_PART = 1000
    opt_out_add(address="09121000002")
    preview = campaign_preview(campaign(yalda, vip))
    assert (preview["total"], preview["reachable"], preview["opted_out"], preview["no_address"]) == (4, 2, 1, 1)
    assert preview["parts"] == 2  # a Persian text over 70 characters
    assert preview["cost"] == 2 * 2 * 1000


def test_a_campaign_sends_once_to_its_group_and_skips_opted_out(yalda, vip, sms_outbox, head_office,
                                                              django_capture_on_commit_callbacks):
    opt_out_add(address="09121000002")
    yule = campaign(yalda, vip)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_launch(campaign=yule, acting_user=head_office)
    assert sorted(sms.to for sms in sms_outbox) == ["09121000001", "09121000003"]
    assert "مشتری شماره ۰" in sms_outbox[0].body or "مشتری شماره 0" in sms_outbox[0].body
    yule.refresh_from_db()
    assert (yule.status, yule.recipients, yule.skipped) == ("done", 2, 2)
    assert campaign_run(campaign=yule, on=timezone.localdate()) == 0  # run again: nothing more
    assert campaign_progress(yule)["percent"] == 100


def test_marketing_waits_for_the_end_of_quiet_hours(yalda, vip, settings, head_office):
    now = timezone.localtime()
    settings.MESSAGING_QUIET_HOURS = ((now - datetime.timedelta(hours=1)).strftime("%H:%M"),
                                      (now + datetime.timedelta(hours=1)).strftime("%H:%M"))
    yule = campaign(yalda, vip)
    campaign_launch(campaign=yule, acting_user=head_office)
    campaigns_run_due()
    dispatch.dispatch_due()
    assert set(Message.objects.filter(ref=yule.ref).values_list("state", flat=True)) == {"queued"}


def test_a_scheduled_campaign_waits_for_its_time_and_can_be_stopped(yalda, vip, head_office):
    later = campaign(yalda, vip, send_at=timezone.now() + datetime.timedelta(days=2))
    campaign_launch(campaign=later, acting_user=head_office)
    assert campaigns_run_due() == 0 and not Message.objects.exists()
    assert campaigns_run_due(now=timezone.now() + datetime.timedelta(days=3)) == 3
    Message.objects.filter(ref=later.ref).update(state="queued")
    assert campaign_cancel(campaign=later, acting_user=head_office) == 3


def test_birthday_greetings_go_on_the_jalali_birthday_every_year(yalda, head_office):
    greeting = MessageTemplate.objects.create(code="bday", name="تولد", kind="marketing", body="{customer_name} تولدت مبارک!")
    # Born 1370/09/07 (1991-11-28); in 1405 that Jalali day is 2026-11-28.
    Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567",
                            birth_date=datetime.date(1991, 11, 28))
    Customer.objects.create(kind="person", last_name="دیگری", mobile="09127654321", birth_date=datetime.date(1991, 11, 30))
    birthdays = Campaign.objects.create(name="تولد", template=greeting, audience="birthday", repeat="daily",
                                        send_at=timezone.make_aware(datetime.datetime(2026, 1, 1, 9, 0)))
    campaign_launch(campaign=birthdays, acting_user=head_office)
    morning = timezone.make_aware(datetime.datetime(2026, 11, 28, 10, 0))
    assert campaigns_run_due(now=morning) == 1
    assert campaigns_run_due(now=morning + datetime.timedelta(hours=2)) == 0  # once a day
    assert Message.objects.get().to == "09121234567"
    birthdays.refresh_from_db()
    assert birthdays.status == "scheduled"  # and again tomorrow for tomorrow's birthdays


def test_owners_whose_warranty_ends_in_thirty_days_are_told(fridge_model, head_office):
    from aftersales.catalog.models import ProductUnit
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

    policy = WarrantyPolicy.objects.create(code="p12", name="۱۲ ماهه")
    PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=12)
    ModelWarranty.objects.create(product_model=fridge_model, policy=policy)
    owner = Customer.objects.create(kind="person", last_name="مالک", mobile="09121112233")
    for serial, bought in (("S1", datetime.date(2025, 12, 28)), ("S2", datetime.date(2025, 6, 1))):
        unit = ProductUnit.objects.create(serial=serial, brand=fridge_model.brand, product_model=fridge_model, owner=owner)
        card = warranty_card_issue(unit=unit)
        warranty_card_activate(number=card.number, purchase_date=bought, channel="staff")
    template = MessageTemplate.objects.create(code="ending", name="پایان", kind="marketing",
                                              body="{customer_name}، گارانتی دستگاه شما رو به پایان است.")
    ending = Campaign.objects.create(name="پایان گارانتی", template=template, audience="warranty_ending", days_before=30,
                                     repeat="daily", send_at=timezone.make_aware(datetime.datetime(2026, 1, 1, 9, 0)))
    # S1 bought 2025-12-28 (1404/10/07): its 12 months end on 1405/10/06 = 2026-12-27, 30 days after 2026-11-27.
    assert campaign_run(campaign=ending, on=datetime.date(2026, 11, 27)) == 1
    assert campaign_run(campaign=ending, on=datetime.date(2026, 11, 26)) == 0


def test_marketing_manager_previews_and_launches_from_the_page(client, yalda, vip, sms_outbox,
                                                              django_capture_on_commit_callbacks):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    manager = UserFactory(username="mm", role=Role.MARKETING_MANAGER)
    client.force_login(manager)
    response = client.post(reverse("marketing:campaign-create"), {
        "name": "یلدا", "template": yalda.pk, "audience": "group", "group": vip.pk, "days_before": 30,
        "repeat": "once", "send_at": "۱۴۰۵/۰۹/۰۶ ۰۹:۰۰",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response.url).content.decode()
    assert 'data-testid="campaign-preview"' in page and 'data-testid="preview-reachable">۳<' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketing:campaign-launch", args=[Campaign.objects.get().pk]))
    assert len(sms_outbox) == 3
    assert "۱۰۰" in client.get(reverse("marketing:campaign-progress", args=[Campaign.objects.get().pk])).content.decode()


def test_receptionists_cannot_open_campaigns(client, reception_a):
    client.force_login(reception_a)
    assert client.get(reverse("marketing:campaign-list")).status_code == 403


def test_a_group_campaign_needs_its_group(client, yalda, head_office):
    client.force_login(head_office)
    response = client.post(reverse("marketing:campaign-create"), {
        "name": "x", "template": yalda.pk, "audience": "group", "days_before": 30, "repeat": "once",
        "send_at": "۱۴۰۵/۰۹/۰۷ ۰۹:۰۰"})
    assert response.status_code == 200 and 'data-testid="error-group"' in response.content.decode()
