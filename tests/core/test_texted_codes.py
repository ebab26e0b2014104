"""One rule for a code texted to a mobile (the warranty's activation and the portal's sign-in): hashed, ten minutes,
five wrong tries, each wrong try kept."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.core.texted_codes import texted_code_check
from aftersales.portal.models import SignInRequest

pytestmark = pytest.mark.django_db

MESSAGES = {"invalid": "used or unknown", "expired": "expired"}


@pytest.fixture
def request_row():
    return SignInRequest.objects.create(token="tok-1", mobile="09121234567", address_key="k",
                                        code_hash=make_password("12345"),
                                        expires_at=timezone.now() + datetime.timedelta(minutes=10))


def _refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        texted_code_check(SignInRequest.objects.all(), **MESSAGES, **kwargs)
    return " ".join(caught.value.message_dict["code"])


def test_the_right_code_typed_in_persian_digits_opens_once_when_confirmed(request_row):
    found = texted_code_check(SignInRequest.objects.all(), token="tok-1", code="۱۲۳۴۵", confirm=True, **MESSAGES)
    assert found.pk == request_row.pk and found.mobile == "09121234567"
    request_row.refresh_from_db()
    assert request_row.confirmed_at is not None
    assert _refusal(token="tok-1", code="12345") == "used or unknown"


def test_without_confirming_the_request_stays_open_for_the_callers_own_work(request_row):
    texted_code_check(SignInRequest.objects.all(), token="tok-1", code="12345", **MESSAGES)
    request_row.refresh_from_db()
    assert request_row.confirmed_at is None


def test_wrong_codes_are_counted_and_the_fifth_ends_the_request(request_row):
    assert _refusal(token="tok-1", code="11111") == "کد درست نیست. 4 بار دیگر می‌توانید تلاش کنید."
    for _try in range(4):
        _refusal(token="tok-1", code="11111")
    request_row.refresh_from_db()
    assert request_row.attempts == 5
    assert _refusal(token="tok-1", code="12345") == "expired"


def test_an_expired_or_unknown_request_is_refused_with_the_callers_words(request_row):
    assert _refusal(token="nope", code="12345") == "used or unknown"
    SignInRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _refusal(token="tok-1", code="12345") == "expired"
