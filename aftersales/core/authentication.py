"""API authentication. Kept apart from ``api.py``: DRF imports authentication classes while its own
views module is loading, so this module must not import DRF's views."""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

_REVOKED_KEY = "auth-token-revoked:{}"


def token_expires_at(token) -> datetime.datetime | None:
    """When ``token`` stops being accepted: ``API_TOKEN_DAYS`` after it was issued (None: never)."""
    days = settings.API_TOKEN_DAYS
    if not days:
        return None
    return token.created + datetime.timedelta(days=days)


def _revoked_key(key: str) -> str:
    return _REVOKED_KEY.format(hashlib.sha256(key.encode()).hexdigest()[:40])


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, remembering each token's user in the process for a minute.

    The lookup was a third of the time of a warranty check over the API. A token is refused from
    ``API_TOKEN_DAYS`` after it was issued (the cached entry ends then too). A deleted (revoked)
    token is refused at once in every process: its deletion leaves a mark in the shared cache
    that a cached entry is checked against (one cache read instead of a database query). A
    deactivated user is refused at the latest ``TTL`` seconds later.
    """

    TTL = 60.0
    _cache: dict[str, tuple[float, object, object]] = {}

    def authenticate_credentials(self, key):
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None:
            if cached[0] > now and not cache.get(_revoked_key(key)):
                return cached[1], cached[2]
            self._cache.pop(key, None)
        user, token = super().authenticate_credentials(key)
        lifetime = self.TTL
        expires_at = token_expires_at(token)
        if expires_at is not None:
            remaining = (expires_at - timezone.now()).total_seconds()
            if remaining <= 0:
                raise exceptions.AuthenticationFailed(_("The token has expired; obtain a new one."))
            lifetime = min(lifetime, remaining)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + lifetime, user, token)
        return user, token

    @classmethod
    def forget(cls, key: str) -> None:
        """Stop honouring ``key`` from the cache, here at once and in other processes at their next use."""
        cls._cache.pop(key, None)
        cache.set(_revoked_key(key), True, timeout=int(cls.TTL) + 5)


def token_deleted(sender, instance, **kwargs):
    """Connected to the token model's ``post_delete``: a revoked or replaced token stops working at once."""
    CachedTokenAuthentication.forget(instance.key)
