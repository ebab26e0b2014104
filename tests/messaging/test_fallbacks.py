"""No message goes out with a hole in it: fallbacks per variable and per template, or a message held for a person."""

import datetime
import re

import pytest
from django.test import override_settings

from aftersales.messaging.models import EventRule, Message, MessageTemplate
from aftersales.messaging.reference import shipped_templates
from aftersales.messaging.services import event_announce, message_from_template, message_held_edit, message_release
from aftersales.messaging.templating import HOLD, MASK, fill, render, variable_fallbacks

pytestmark = pytest.mark.django_db

# One present value per variable, for the places a template will not do without.
PRESENT = {"customer_name": "سارا احمدی", "mobile": "09121234567", "date": datetime.date(2026, 11, 28),
           "amount": 1_250_000, "cost": 1_250_000, "link": "https://service.example.ir/t/K7P2",
           "code": "48213", "tracking_code": "K7P2QXM9ABCDE", "serial": "RF-1405-000123", "product": "یخچال",
           "center_name": "مرکز مرکزی", "card_number": "123456789012",
           "text": "قسط قرارداد ۱۴۰۵-۰۰۰۰۰۱ به مبلغ ۵۰٬۰۰۰٬۰۰۰ ریال در ۱۴۰۵/۰۹/۲۰ سررسید می‌شود."}
EMPTY_SHAPES = [{}, {"customer_name": "", "product": None, "cost": None, "center_name": "  ", "user_name": ""}]


def assert_whole(text: str) -> None:
    assert not re.search(r"\{\s*\w+\s*\}", text), text  # no place left
    assert "  " not in text and "\n\n" not in text, text  # no double space where a value was missing
    assert all(line == line.strip() for line in text.split("\n")), text
    assert "بی‌نام" not in text and "unnamed" not in text, text
    assert not re.search(r":[ \t]*(ریال|$)", text) and not re.search(r":[ \t]*\n[ \t]*\n", text), text  # «هزینه:  ریال»


def optional(template: MessageTemplate) -> set[str]:
    fallbacks = {**variable_fallbacks(), **template.fallbacks}
    return {name for name, fallback in fallbacks.items() if fallback is not HOLD}


@pytest.mark.parametrize("shape", EMPTY_SHAPES)
@pytest.mark.parametrize("code", [item["code"] for item in shipped_templates()["templates"]])
def test_every_shipped_template_reads_whole_with_every_optional_value_missing(code, shape):
    template = MessageTemplate.objects.get(code=code)
    context = {name: value for name, value in PRESENT.items() if name not in optional(template)}
    context.update({name: value for name, value in shape.items() if name in optional(template)})
    message = message_from_template(template=template, to="09121234567", context=context)
    assert message.state == Message.State.QUEUED, message.held_reason
    assert_whole(message.body)
    assert all(message.pattern_params.values()), message.pattern_params


@pytest.mark.parametrize("code", [item["code"] for item in shipped_templates()["templates"]])
def test_a_shipped_template_missing_a_value_it_cannot_do_without_is_held_not_sent(code, sms_outbox,
                                                                                django_capture_on_commit_callbacks):
    template = MessageTemplate.objects.get(code=code)
    required = [name for name in re.findall(r"\{(\w+)\}", template.body) if name not in optional(template)]
    if not required:
        pytest.skip("every variable of this template has a fallback")
    with django_capture_on_commit_callbacks(execute=True):
        message = message_from_template(template=template, to="09121234567", context={})
    assert message.state == Message.State.HELD and message.held_reason
    assert sms_outbox == []


def test_the_shipped_templates_were_migrated_to_the_cost_with_its_unit():
    ready = MessageTemplate.objects.get(code="repair-ready")
    assert "{cost}" in ready.body and "ریال" not in ready.body
    assert MessageTemplate.objects.get(code="repair-estimate").fallbacks == {"cost": None}


def test_a_missing_value_dropped_by_the_template_takes_its_space_and_its_line_with_it():
    assert render("سلام {customer_name} عزیز", {}, {"customer_name": ""}) == "سلام عزیز"
    assert render("خط اول\n{link}\nخط سوم", {}, {"link": ""}) == "خط اول\nخط سوم"


def test_a_template_fallback_overrides_the_variables_own():
    assert render("{customer_name} گرامی", {}) == "مشتری گرامی"
    assert render("{customer_name} گرامی", {}, {"customer_name": "همراه"}) == "همراه گرامی"
    assert fill("{product} {amount}", {}).missing == ["amount"]


def test_an_unknown_fallback_variable_or_a_number_is_refused():
    from django.core.exceptions import ValidationError

    for fallbacks in ({"custmer_name": "x"}, {"product": 3}, ["x"]):
        template = MessageTemplate(code="x", name="x", body="{product}", fallbacks=fallbacks)
        with pytest.raises(ValidationError) as refused:
            template.full_clean()
        assert "fallbacks" in refused.value.message_dict


def test_a_warranty_repair_is_announced_as_free_and_a_nameless_customer_greeted_without_a_placeholder(
        receive, warranted_unit, reception_a, sms_outbox, django_capture_on_commit_callbacks):
    from aftersales.repairs.services import order_announce
    from aftersales.warranty.services import owner_for_mobile

    nameless = owner_for_mobile(mobile="09351112233", name="", acting_user=reception_a)
    assert "بی‌نام" in str(nameless)  # the lists still say so; messages must not
    with django_capture_on_commit_callbacks(execute=True):
        order = receive(unit=warranted_unit, customer=nameless)
        order_announce(order, "repair_ready")
    ready = next(message for message in sms_outbox if message.event == "repair_ready")
    assert order.is_warranty
    assert ready.body.startswith("مشتری گرامی، تعمیر یخچال ساید بای ساید")
    assert "هزینه: رایگان (گارانتی)" in ready.body
    assert_whole(ready.body)


def test_an_unknown_serial_without_an_estimate_reads_device_and_cost_to_be_announced(
        receive, sms_outbox, django_capture_on_commit_callbacks):
    from aftersales.repairs.services import order_announce

    with django_capture_on_commit_callbacks(execute=True):
        order = receive(serial="UNKNOWN-9")
        order_announce(order, "repair_ready")
    ready = next(message for message in sms_outbox if message.event == "repair_ready")
    assert "تعمیر دستگاه شما" in ready.body and "هزینه: هنگام تحویل اعلام می‌شود" in ready.body
    assert_whole(ready.body)


def test_an_estimate_without_an_amount_waits_for_a_person_who_fills_it_in_and_sends_it(
        sms_outbox, django_capture_on_commit_callbacks):
    context = {"customer_name": "سارا", "product": "یخچال", "link": PRESENT["link"]}
    with django_capture_on_commit_callbacks(execute=True):
        [message] = event_announce("repair_estimate", key="1", context=context,
                                   recipients={"customer": {"sms": "09121234567"}})
    assert message.state == Message.State.HELD and "{cost}" in message.body and sms_outbox == []
    assert MASK in message.safe_body and PRESENT["link"] not in message.safe_body

    assert message_release(messages=Message.objects.all()) == (0, 1)  # still a hole
    message_held_edit(message=message, text=message.safe_body, values={"cost": "۲٬۵۰۰٬۰۰۰ ریال"})
    message.refresh_from_db()
    assert PRESENT["link"] in message.body and "۲٬۵۰۰٬۰۰۰ ریال" in message.body
    assert message.pattern_params["cost"] == "۲٬۵۰۰٬۰۰۰ ریال"
    with django_capture_on_commit_callbacks(execute=True):
        assert message_release(messages=Message.objects.all()) == (1, 0)
    assert [sent.body for sent in sms_outbox] == [message.body]


def test_an_edit_that_drops_a_masked_link_is_refused():
    from django.core.exceptions import ValidationError

    template = MessageTemplate.objects.get(code="repair-estimate")
    message = message_from_template(template=template, to="09121234567", context={"link": PRESENT["link"]})
    with pytest.raises(ValidationError):
        message_held_edit(message=message, text=message.safe_body.replace(MASK, ""))


def test_the_admin_preview_shows_each_variables_fallback_and_the_text_with_every_value_missing(admin_client):
    template = MessageTemplate.objects.get(code="repair-ready")
    page = admin_client.get(f"/admin/messaging/messagetemplate/{template.pk}/change/").content.decode()
    assert 'id="preview-fallbacks"' in page and "هنگام تحویل اعلام می‌شود" in page
    assert 'data-testid="preview-fallbacks"' in page and 'id="id_fallbacks"' in page


def test_a_held_message_is_edited_and_sent_from_the_admin(admin_client, sms_outbox):
    template = MessageTemplate.objects.get(code="repair-estimate")
    message = message_from_template(template=template, to="09121234567",
                                    context={"link": PRESENT["link"], "product": "یخچال"})
    url = f"/admin/messaging/message/{message.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "value_cost" in page and PRESENT["link"] not in page
    response = admin_client.post(url, {"text": message.safe_body, "value_cost": "۳۰۰٬۰۰۰ ریال"})
    assert response.status_code == 302, response.content.decode()[:3000]
    admin_client.post("/admin/messaging/message/", {"action": "release", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.state == Message.State.QUEUED and "۳۰۰٬۰۰۰ ریال" in message.body  # the worker sends it after commit


@override_settings(SITE_URL="http://127.0.0.1:8765")
def test_links_in_the_tracking_sms_and_on_the_receipt_qr_use_the_site_address(
        receive, client, reception_a, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = receive(serial="UNKNOWN-7")
    [sms] = [message for message in sms_outbox if message.event == "reception_created"]
    assert f"http://127.0.0.1:8765/track/{order.tracking_code}" in sms.body
    client.force_login(reception_a)
    page = client.get(f"/repairs/orders/{order.pk}/receipt/").content.decode()
    assert f'data-url="http://127.0.0.1:8765/track/{order.tracking_code}"' in page
    assert ":8000" not in page


@pytest.fixture
def site_on_port_8765(settings):
    settings.SITE_URL = "http://127.0.0.1:8765"


def test_the_warranty_card_qr_and_the_activation_sms_use_the_site_address(site_on_port_8765, warranted_unit,
                                                                           admin_client):
    from aftersales.warranty.models import WarrantyCard

    card = WarrantyCard.objects.get(unit=warranted_unit)
    page = admin_client.get(f"/warranty/cards/{card.number}/").content.decode()
    assert f'data-url="http://127.0.0.1:8765/warranty/check?serial={warranted_unit.serial}"' in page
    activated = Message.objects.get(event="warranty_activated")
    assert f"http://127.0.0.1:8765/warranty/check?serial={warranted_unit.serial}" in activated.body


def test_an_installed_template_with_the_old_shipped_text_is_updated_and_an_edited_one_left_alone():
    from aftersales.messaging.reference import update_shipped_templates

    [ready] = [item for item in shipped_templates()["templates"] if item["code"] == "repair-ready"]
    MessageTemplate.objects.filter(code="repair-ready").update(body=ready["replaces"][0])
    MessageTemplate.objects.filter(code="repair-estimate").update(body="متن ویرایش‌شده {amount} ریال", fallbacks={})
    update_shipped_templates(MessageTemplate)
    assert MessageTemplate.objects.get(code="repair-ready").body == ready["body"]
    assert MessageTemplate.objects.get(code="repair-estimate").body == "متن ویرایش‌شده {amount} ریال"
