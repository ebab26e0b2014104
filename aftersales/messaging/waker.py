"""Waking the sender after commit without holding up the request that queued the message.

Publishing the worker's wake-up (``dispatch.delay()``) costs the request more than half a millisecond of
CPU — a tenth of a reception (issue 21). A request only raises a flag; one thread per process publishes
the wake-ups, one for any number of messages committed within ``GATHER_SECONDS`` or while it was
publishing (sixteen clerks receiving at once wake the sender a few times a second, not sixteen). Every commit is followed by a wake-up published after
it, so a message never waits for the periodic sweep unless the process dies first (the sweep, every 20
seconds, is the fallback it always was). Where tasks run eagerly (tests, a one-process setup) the wake-up
is published at once, in the caller's thread, so the message is sent before the caller goes on.
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings

logger = logging.getLogger("aftersales.messaging")

_flag = threading.Event()
_started_in: int | None = None  # the process whose thread publishes (a forked worker starts its own)
_starting = threading.Lock()


def wake_publish() -> None:
    """Publish one wake-up to the worker now; if the broker is away the periodic sweep sends the messages."""
    from .tasks import dispatch

    try:
        dispatch.delay()
    except Exception:  # the broker is away: the periodic sweep sends it
        logger.warning("could not wake the sender; the periodic sweep will send the message", exc_info=True)


#: How long the thread gathers commits before it publishes their wake-up. Publishing runs on the
#: process's GIL: at once after every commit it held up the next request of the same process by 2–4 ms
#: (a fifth of a reception; issue 21). A quarter second later, once for every commit since, costs a
#: sequence of receptions one publish in fifteen, and a message a quarter second.
GATHER_SECONDS = 0.25


def _publisher() -> None:
    while True:
        _flag.wait()
        time.sleep(GATHER_SECONDS)
        _flag.clear()  # a commit from here on raises it again: one more wake-up after it
        wake_publish()


def _at_exit() -> None:
    if _flag.is_set():  # raised and not yet published when the process ends (a command, say)
        _flag.clear()
        wake_publish()


def wake_soon() -> None:
    """Have a wake-up published after this moment, by this process's publishing thread."""
    global _started_in
    if settings.CELERY_TASK_ALWAYS_EAGER:
        wake_publish()
        return
    if _started_in != os.getpid():
        with _starting:
            if _started_in != os.getpid():
                threading.Thread(target=_publisher, name="outbox-wake", daemon=True).start()
                if _started_in is None:
                    atexit.register(_at_exit)
                _started_in = os.getpid()
    _flag.set()
