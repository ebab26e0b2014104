"""The Content-Security-Policy on every response (django-csp; the policy is ``CONTENT_SECURITY_POLICY``)."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with style attributes allowed on Django REST framework's browsable API.

    DRF's own templates lay out their buttons with ``style="float: …"``; those pages alone get
    ``style-src 'unsafe-inline'``. Scripts stay refused there too: the pages carry none inline.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(getattr(response, "accepted_renderer", None), "format", None) == "api":
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
