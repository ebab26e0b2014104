"""Small shared guards: a per-address rate limit for public pages, and a per-process cache with a TTL."""

import time
from collections.abc import Callable

from django.core.cache import cache


def too_many(request, scope: str, per_minute: int) -> bool:
    """Count a request from this address in ``scope``; True once it passes ``per_minute`` in a minute.

    Public pages (warranty check, tracking, complaints, surveys) use it against enumeration and floods;
    the count lives in the shared cache, so every web process sees the same one.
    """
    key = f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    return cache.incr(key) > per_minute


class ProcessCache:
    """Rows read on every request and edited rarely, kept in this process for ``seconds``.

    ``clear`` forgets at once (connect it to the rows' save signals); other processes see an edit
    when their copy expires.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._values: dict = {}

    def get(self, key, load: Callable):
        cached = self._values.get(key)
        if cached is None or cached[0] < time.monotonic():
            cached = (time.monotonic() + self.seconds, load())
            self._values[key] = cached
        return cached[1]

    def clear(self, **_signal_kwargs) -> None:
        self._values.clear()
