"""Marketing writes a campaign's own text, and picks only marketing templates (issue 13)."""

import pytest
from django.urls import reverse

from aftersales.customers.models import Customer, CustomerGroup
from aftersales.marketing.models import Campaign
from aftersales.marketing.services import campaign_create, campaign_launch
from aftersales.messaging.models import Message, MessageTemplate
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

TEXT = "{customer_name} عزیز، سرویس زمستانه با ۱۰٪ تخفیف."


@pytest.fixture
def marketer(db):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="mm", role=Role.MARKETING_MANAGER)


@pytest.fixture
def vip(db):
    group = CustomerGroup.objects.create(code="vip", name="مشتریان ویژه")
    for mobile, last_name in (("09121000001", "رضایی"), ("09121000002", "کریمی")):
        Customer.objects.create(kind="person", first_name="علی", last_name=last_name, mobile=mobile).groups.add(group)
    Customer.objects.create(kind="person", last_name="بیرون از گروه", mobile="09121000009")
    return group


@pytest.fixture
def reception_template(db):
    """A service template (the reception's SMS with its tracking code): never a campaign's."""
    return MessageTemplate.objects.create(code="reception-x", name="پذیرش", kind="service",
                                          body="دستگاه شما پذیرش شد. کد پیگیری: {tracking_code}")


@pytest.fixture
def yalda(db):
    return MessageTemplate.objects.create(code="yalda-x", name="یلدا", kind="marketing", body="{customer_name} یلدا مبارک")


def _form(**fields):
    return {"name": "زمستانه", "audience": "group", "days_before": 30, "repeat": "once", "send_at": "۱۴۰۵/۰۹/۰۶ ۰۹:۰۰",
            **fields}


def test_text_campaign_sends_the_written_text_to_its_audience(client, marketer, vip, sms_outbox,
                                                            django_capture_on_commit_callbacks):
    client.force_login(marketer)
    response = client.post(reverse("marketing:campaign-create"), _form(body=TEXT, group=vip.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert campaign.template is None and campaign.body == TEXT
    assert campaign.history.get().history_user == marketer  # the audit row names who wrote it
    page = client.get(response.url).content.decode()
    assert "سرویس زمستانه با ۱۰٪ تخفیف" in page and 'data-testid="preview-reachable">۲<' in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketing:campaign-launch", args=[campaign.pk]))
    assert sorted((sms.to, sms.body) for sms in sms_outbox) == [
        ("09121000001", "علی رضایی عزیز، سرویس زمستانه با ۱۰٪ تخفیف."),
        ("09121000002", "علی کریمی عزیز، سرویس زمستانه با ۱۰٪ تخفیف."),
    ]
    assert set(Message.objects.filter(ref=campaign.ref).values_list("kind", flat=True)) == {"marketing"}


def test_form_offers_marketing_templates_only_and_shows_the_variables(client, marketer, yalda, reception_template):
    client.force_login(marketer)
    page = client.get(reverse("marketing:campaign-create")).content.decode()
    assert f'<option value="{yalda.pk}">' in page
    assert f'<option value="{reception_template.pk}">' not in page
    assert 'data-variable="customer_name"' in page and 'data-variable="tracking_code"' not in page
    assert "messaging/template_preview.js" in page  # the live preview of the messaging app


def test_form_refuses_a_service_template_and_writes_nothing(client, marketer, vip, reception_template):
    client.force_login(marketer)
    response = client.post(reverse("marketing:campaign-create"), _form(template=reception_template.pk, group=vip.pk))
    assert response.status_code == 200 and 'data-testid="error-template"' in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("fields", [{}, {"body": TEXT, "template": "yalda"}])
def test_form_wants_exactly_one_of_text_or_template(client, marketer, vip, yalda, fields):
    client.force_login(marketer)
    if fields.get("template") == "yalda":
        fields["template"] = yalda.pk
    response = client.post(reverse("marketing:campaign-create"), _form(group=vip.pk, **fields))
    assert response.status_code == 200 and "not both" not in response.content.decode()  # the Persian message
    assert "متن کارزار" in response.content.decode()
    assert not Campaign.objects.exists()


def test_text_with_a_place_a_campaign_cannot_fill_is_refused(marketer, vip):
    from django.core.exceptions import ValidationError

    with nothing_written(), pytest.raises(ValidationError) as refused:
        campaign_create(acting_user=marketer, name="x", audience="group", group=vip, body="کد شما {tracking_code}")
    assert "{tracking_code}" in refused.value.message_dict["body"][0]
    assert not Campaign.objects.exists()


def test_api_writes_a_text_campaign(api_client, marketer, vip):
    api_client.force_authenticate(marketer)
    response = api_client.post("/api/marketing/campaigns/", {
        "name": "زمستانه", "body": TEXT, "audience": "group", "group": vip.pk, "repeat": "once"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["body"] == TEXT and response.json()["template"] is None
    assert api_client.get(f"/api/marketing/campaigns/{response.json()['id']}/").json()["status"] == "draft"
    assert [row["name"] for row in api_client.get("/api/marketing/campaigns/").json()] == ["زمستانه"]


def test_api_refuses_a_service_template_with_400_and_writes_nothing(api_client, marketer, vip, reception_template,
                                                                     yalda):
    api_client.force_authenticate(marketer)
    response = api_client.post("/api/marketing/campaigns/", {
        "name": "x", "template": reception_template.pk, "audience": "group", "group": vip.pk}, format="json")
    assert response.status_code == 400 and "template" in response.json()
    both = api_client.post("/api/marketing/campaigns/", {
        "name": "x", "template": yalda.pk, "body": TEXT, "audience": "group", "group": vip.pk}, format="json")
    assert both.status_code == 400 and "body" in both.json()
    assert not Campaign.objects.exists()


def test_api_needs_marketing_rights(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    assert api_client.get("/api/marketing/campaigns/").status_code == 403


def test_launch_refuses_a_campaign_left_on_a_service_template(head_office, vip, reception_template):
    from django.core.exceptions import ValidationError

    old = Campaign.objects.create(name="قدیمی", template=reception_template, audience="group", group=vip)
    with nothing_written(), pytest.raises(ValidationError):
        campaign_launch(campaign=old, acting_user=head_office)
    old.refresh_from_db()
    assert old.status == "draft" and not Message.objects.exists()


def test_schema_lists_the_campaign_endpoints(api_client, head_office):
    api_client.force_authenticate(head_office)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/marketing/campaigns/" in schema and "/api/marketing/campaigns/{id}/" in schema
