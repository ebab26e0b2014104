"""The public rate limit: fixed minutes, atomic counts, the client's address behind proxies, targets."""

import threading

import pytest
from django.db import connections
from django.test import RequestFactory
from django.urls import reverse

from aftersales.core import limits
from aftersales.core.limits import client_address, too_many
from aftersales.core.models import RateCounter

MINUTE = 29_000_000 * 60  # a fixed calendar minute: the tests do not race the wall clock


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, stood at the start of a minute; ``clock.now`` moves it."""

    class Clock:
        now = MINUTE

    stand = Clock()
    monkeypatch.setattr(limits, "clock", lambda: stand.now)
    monkeypatch.setattr(limits, "_last_swept_minute", None)
    return stand


def request_from(address: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.django_db
def test_a_blocked_address_is_free_again_when_the_next_minute_starts(clock):
    request = request_from("5.6.7.8")
    assert [too_many(request, "t", 3) for _ in range(5)] == [False, False, False, True, True]
    clock.now += 50  # still trying within the minute does not push the end further away
    assert too_many(request, "t", 3)
    clock.now = MINUTE + 60
    assert not too_many(request, "t", 3)


@pytest.mark.django_db
def test_counts_of_past_minutes_are_deleted(clock):
    too_many(request_from("5.6.7.8"), "t", 3)
    clock.now += 120
    too_many(request_from("5.6.7.9"), "t", 3)
    assert list(RateCounter.objects.values_list("minute", flat=True)) == [MINUTE // 60 + 2]


@pytest.mark.django_db
def test_the_table_keeps_no_address_or_target_in_clear(clock):
    too_many(request_from("5.6.7.8"), "t", 3, target="09121234567")
    subjects = " ".join(RateCounter.objects.values_list("subject", flat=True))
    assert "5.6.7.8" not in subjects and "0912" not in subjects


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_pass_the_limit():
    """Sixty requests at once against a limit of ten: exactly ten get through."""
    workers = 60
    barrier = threading.Barrier(workers)
    passed, errors = [], []

    def post():
        try:
            barrier.wait()
            if not too_many(request_from("5.6.7.8"), "feedback:complaint", 10):
                passed.append(1)
        except Exception as error:  # surfaced in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(passed) == 10
    assert RateCounter.objects.get().count == workers


@pytest.mark.django_db
def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    assert client_address(request_from("203.0.113.9", "1.1.1.1")) == "203.0.113.9"  # not a proxy: made up
    assert client_address(request_from("10.1.2.3", "1.1.1.1")) == "1.1.1.1"
    # The client wrote the left part; the proxies appended the rest: the right-most untrusted is the client.
    assert client_address(request_from("10.1.2.3", "9.9.9.9, 1.1.1.1, 192.0.2.7")) == "1.1.1.1"
    assert client_address(request_from("10.1.2.3")) == "10.1.2.3"
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("10.1.2.3", "1.1.1.1")) == "10.1.2.3"


def test_an_ipv6_client_is_counted_by_its_64_block():
    assert client_address(request_from("2001:db8:1:2:aaaa::1")) == client_address(request_from("2001:db8:1:2:bbbb::9"))
    assert client_address(request_from("::ffff:1.2.3.4")) == "1.2.3.4"


@pytest.mark.django_db
def test_customers_behind_one_proxy_are_counted_apart(clock, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(3):
        too_many(request_from("10.0.0.1", "1.1.1.1"), "t", 3)
    assert too_many(request_from("10.0.0.1", "1.1.1.1"), "t", 3)
    assert not too_many(request_from("10.0.0.1", "2.2.2.2"), "t", 3)


@pytest.mark.django_db
def test_guesses_at_one_target_from_many_addresses_stop_on_the_target(clock):
    results = [too_many(request_from(f"5.6.7.{n}"), "t", 100, target="SN-1", per_target=5) for n in range(8)]
    assert results == [False] * 5 + [True] * 3
    assert too_many(request_from("5.6.7.200"), "t", 100, target="sn 1", per_target=5)  # the same serial typed otherwise
    assert not too_many(request_from("5.6.7.201"), "t", 100, target="SN-2", per_target=5)
    clock.now += 60
    assert not too_many(request_from("5.6.7.202"), "t", 100, target="SN-1", per_target=5)


@pytest.mark.django_db
def test_a_request_refused_for_its_address_does_not_use_up_its_target(clock):
    for _ in range(10):
        too_many(request_from("5.6.7.8"), "t", 2, target="SN-1", per_target=5)
    assert not too_many(request_from("5.6.7.9"), "t", 2, target="SN-1", per_target=5)


def test_tracking_codes_guessed_from_many_addresses_are_refused_per_code(client, settings, db, clock):
    settings.TRACKING_CHECKS_PER_MINUTE = 100
    settings.PUBLIC_TARGET_PER_MINUTE = 3
    url = reverse("track", args=["ABCDEFGHJKMNP"])
    codes = [client.get(url, REMOTE_ADDR=f"5.6.7.{n}").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]
    assert client.get(reverse("track", args=["abcd-efgh-jkmnp"]), REMOTE_ADDR="5.6.7.99").status_code == 429
    assert client.get(reverse("track", args=["ZZZZZZZZZZZZZ"]), REMOTE_ADDR="5.6.7.99").status_code == 404
    clock.now += 60
    assert client.get(url, REMOTE_ADDR="5.6.7.1").status_code == 404
