"""API authentication. Kept apart from ``api.py``: DRF imports authentication classes while its own
views module is loading, so this module must not import DRF's views."""

import time

from rest_framework.authentication import TokenAuthentication


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, remembering each token's user in the process for a minute.

    The lookup was a third of the time of a warranty check over the API. A revoked token or a
    deactivated user is refused at the latest ``TTL`` seconds later.
    """

    TTL = 60.0
    _cache: dict[str, tuple[float, object, object]] = {}

    def authenticate_credentials(self, key):
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1], cached[2]
        user, token = super().authenticate_credentials(key)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + self.TTL, user, token)
        return user, token
