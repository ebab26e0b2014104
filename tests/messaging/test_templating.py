import datetime

import pytest
from django.core.exceptions import ValidationError

from aftersales.messaging.models import MessageTemplate
from aftersales.messaging.templating import names_in, render, sms_parts


def test_persian_sms_counts_seventy_characters_for_one_part_and_sixty_seven_per_part_after():
    assert sms_parts("س" * 70) == 1
    assert sms_parts("س" * 71) == 2
    assert sms_parts("س" * 134) == 2
    assert sms_parts("س" * 135) == 3


def test_latin_sms_counts_one_hundred_sixty_then_one_hundred_fifty_three():
    assert sms_parts("a" * 160) == 1
    assert sms_parts("a" * 161) == 2
    assert sms_parts("a" * 306) == 2
    assert sms_parts("a" * 307) == 3


def test_one_persian_letter_makes_a_latin_text_ucs2():
    assert sms_parts("a" * 100 + "ب") == 2


def test_render_fills_jalali_dates_and_grouped_amounts():
    text = render("تاریخ {date} مبلغ {amount} کد {tracking_code}",
                  {"date": datetime.date(2026, 11, 28), "amount": 1250000, "tracking_code": "K7P2"})
    assert text == "تاریخ ۱۴۰۵/۰۹/۰۷ مبلغ ۱٬۲۵۰٬۰۰۰ کد K7P2"


def test_variables_keep_their_order_for_gateway_patterns():
    assert names_in("{code} برای {serial} و باز {code}") == ["code", "serial"]


@pytest.mark.django_db
def test_template_with_an_unknown_variable_is_refused_at_save_time():
    template = MessageTemplate(code="x", name="x", body="سلام {customer_nam}، کد {code}")
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "customer_nam" in str(refused.value.message_dict["body"])


@pytest.mark.django_db
def test_the_template_admin_page_offers_the_variables_and_the_live_preview(admin_client):
    template = MessageTemplate.objects.get(code="reception-tracking")
    page = admin_client.get(f"/admin/messaging/messagetemplate/{template.pk}/change/").content.decode()
    assert 'id="template-preview"' in page and 'data-variable="tracking_code"' in page
    assert "messaging/template_preview.js" in page
