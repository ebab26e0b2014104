"""The sender's wake-up leaves the request's path (issue 21): a request raises a flag and goes on; the
process's thread publishes one wake-up after it, one for a burst of messages committed at once."""

import threading
import time

from aftersales.messaging import waker


def test_a_burst_of_commits_is_followed_by_a_wake_up_without_waiting_for_it(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    published, first_started = [], threading.Event()

    def slow_publish():  # a broker that takes its time
        published.append(time.monotonic())  # when it started: after the commits it wakes the sender for
        first_started.set()
        time.sleep(0.1)

    monkeypatch.setattr(waker, "wake_publish", slow_publish)
    waker.wake_soon()
    assert first_started.wait(5)
    started = time.monotonic()
    for _ in range(20):  # twenty more receptions commit while the first wake-up is being published
        waker.wake_soon()
    last_raised = time.monotonic()
    assert last_raised - started < 0.5, "the callers waited for the broker (twenty publishes take 2 s)"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (published and published[-1] > last_raised):
        time.sleep(0.01)
    assert published and published[-1] > last_raised, "no wake-up after the last commit"
    time.sleep(waker.GATHER_SECONDS + 0.3)  # nothing more comes
    assert len(published) == 2, published  # the first, then one for all twenty


def test_commits_a_moment_apart_are_gathered_into_one_wake_up(settings, monkeypatch):
    """Receptions one after another in a process publish one wake-up for all of them, not one each (a
    publish held up the next request by milliseconds)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    published = []
    monkeypatch.setattr(waker, "wake_publish", lambda: published.append(time.monotonic()))
    monkeypatch.setattr(waker, "GATHER_SECONDS", 1.0)  # wide: a loaded CI host oversleeps
    first = time.monotonic()
    for _ in range(10):  # ten receptions 10 ms apart
        waker.wake_soon()
        time.sleep(0.01)
    last_raised = time.monotonic()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not published:
        time.sleep(0.01)
    time.sleep(0.6)
    assert len(published) == 1, published
    assert published[0] > last_raised and published[0] - first < 3  # after the last, within moments


def test_where_tasks_run_eagerly_the_wake_up_is_published_at_once(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    published = []
    monkeypatch.setattr(waker, "wake_publish", lambda: published.append(threading.current_thread()))
    waker.wake_soon()
    assert published == [threading.current_thread()]
