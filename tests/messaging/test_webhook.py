"""The gateway pushes received SMS to a secret URL; they become inbound messages (and complaints)."""

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.messaging.models import InboundMessage
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway_client(settings):
    settings.MESSAGING_WEBHOOK_TOKEN = "s3cret-token"
    return Client(enforce_csrf_checks=True)


def test_a_pushed_sms_is_kept_once(gateway_client):
    url = reverse("messaging:inbound-webhook", args=["s3cret-token"])
    data = {"messageid": "44", "from": "09351112233", "to": "10004346", "message": "قطعه من کی می‌رسد؟"}
    assert gateway_client.post(url, data).status_code == 200
    assert gateway_client.post(url, data).status_code == 200
    inbound = InboundMessage.objects.get()
    assert (inbound.sender, inbound.line, inbound.body) == ("09351112233", "10004346", "قطعه من کی می‌رسد؟")
    from aftersales.feedback.models import Complaint

    assert Complaint.objects.get().inbound == inbound


def test_a_wrong_token_or_no_token_configured_is_refused(gateway_client, settings):
    data = {"from": "09351112233", "message": "x"}
    with nothing_written():
        assert gateway_client.post(reverse("messaging:inbound-webhook", args=["guess"]), data).status_code == 403
    settings.MESSAGING_WEBHOOK_TOKEN = ""
    with nothing_written():
        assert gateway_client.post("/messaging/inbound/x/", data).status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_push_without_a_sender_is_a_400(gateway_client):
    with nothing_written():
        assert gateway_client.post(reverse("messaging:inbound-webhook", args=["s3cret-token"]), {"message": "x"}).status_code == 400
