"""Small shared guards: rate limits for public pages, and a per-process cache with a TTL."""

import functools
import ipaddress
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from .persian import normalize_identifier

# The clock the windows follow; tests replace it to step from one minute to the next.
clock: Callable[[], float] = time.time

_last_swept_minute: int | None = None


def too_many(request, scope: str, per_minute: int, *, target: str | Iterable[str] | None = None,
             per_target: int | None = None) -> bool:
    """Count a request in ``scope``; True once its client or its target passed its limit this minute.

    The client is counted up to ``per_minute`` requests a minute (its address, see ``client_address``);
    each target — the tracking code, serial, mobile or token the request guesses at — up to
    ``per_target`` (default ``PUBLIC_TARGET_PER_MINUTE``) whatever address it comes from. So guesses at
    one target from many addresses stop on the target, and the per-address limit can stay high enough
    for many honest customers behind one carrier NAT. A request refused for its address is not counted
    against its targets, so one client cannot lock a customer out of their own page for long.

    Windows are fixed calendar minutes: a blocked client is free again when the next minute starts,
    however often it kept trying. Counts are database rows raised by one atomic UPSERT, so concurrent
    requests in any number of processes never pass a limit; see ``_hit``.
    """
    minute = int(clock() // 60)
    _sweep(minute)
    if _hit(scope, "address:" + client_address(request), minute) > per_minute:
        return True
    if target is None:
        return False
    targets = [target] if isinstance(target, str) else list(target)
    limit = settings.PUBLIC_TARGET_PER_MINUTE if per_target is None else per_target
    over = False
    for value in {normalize_identifier(value) for value in targets}:
        if value and _hit(scope, "target:" + value, minute) > limit:
            over = True
    return over


def _hit(scope: str, subject: str, minute: int) -> int:
    """Add one to the subject's count for the minute and return the new count, in one statement.

    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (SQLite ≥ 3.35, PostgreSQL) takes the row's lock
    for the update, so two requests never read the same count; the shared cache would not do here,
    as the file and local-memory caches ``make run`` and the tests use read and write in two steps.
    """
    table = connection.ops.quote_name("core_ratecounter")
    count = connection.ops.quote_name("count")
    key = salted_hmac("aftersales.core.limits", subject, algorithm="sha256").hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, subject, minute, {count}) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, subject, minute) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {count}",
            [scope[:64], key, minute],
        )
        return cursor.fetchone()[0]


def _sweep(minute: int) -> None:
    """Delete the counts of past minutes, once a minute per process."""
    global _last_swept_minute
    if _last_swept_minute == minute:
        return
    _last_swept_minute = minute
    from .models import RateCounter

    RateCounter.objects.filter(minute__lt=minute).delete()


def client_address(request) -> str:
    """The address a request came from, read through the configured reverse proxies.

    ``X-Forwarded-For`` is believed only when the connection comes from one of ``TRUSTED_PROXIES``;
    then the right-most address in it that is not itself a trusted proxy is the client (anything to
    its left was written by the client and may be made up). IPv6 clients are counted by their /64,
    the block one subscriber gets.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    address = remote
    proxies = _trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    if proxies and _in(remote, proxies):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = hop.strip()
            if not hop:
                continue
            address = hop
            if not _in(hop, proxies):
                break
    parsed = _parse(address)
    if parsed is None:
        return address[:64]
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@functools.cache
def _trusted_proxies(values: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _parse(address: str):
    """The address as an object, IPv4 for an IPv4-mapped IPv6 one; None if it is no address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    return getattr(parsed, "ipv4_mapped", None) or parsed


def _in(address: str, networks: tuple) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed.version == network.version and parsed in network for network in networks)


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

    def forget(self, key) -> None:
        self._values.pop(key, None)

    def clear(self, **_signal_kwargs) -> None:
        self._values.clear()
