import re

import pytest
from django.urls import reverse


def texted_code(sms_outbox) -> str:
    return re.search(r"(?<!\d)\d{5}(?!\d)", sms_outbox[-1].body).group()


@pytest.fixture
def portal_sign_in(sms_outbox, django_capture_on_commit_callbacks):
    """Sign ``client`` in on the portal as ``mobile`` the way a customer does: the mobile, then the texted code."""

    def sign_in(client, mobile="09121234567"):
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("portal:sign-in"), {"mobile": mobile})
        assert started.status_code == 302, started.content.decode()[:2000]
        done = client.post(started.url, {"code": texted_code(sms_outbox)})
        assert done.status_code == 302, done.content.decode()[:2000]
        return done

    return sign_in
