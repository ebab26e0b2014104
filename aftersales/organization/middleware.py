"""Session rules of the accounts (issue 12): an idle timeout, and the two-factor step after login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import twofactor

LAST_SEEN_SESSION_KEY = "aftersales_last_seen"
STARTED_SESSION_KEY = "aftersales_session_started"
# The last-seen time is written at most this often, so a busy page does not save its session on every request.
LAST_SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    """Log a user out after ``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_COOKIE_AGE``
    seconds after the session began whatever the activity.

    The idle limit stops a desk left open in a reception from staying logged in all day. The
    maximum age is counted here from the session's first request, because Django renews the
    cookie's age each time the session is saved, which the last-seen time does every minute. The
    check runs in ``process_view``, after the messages middleware, so the login page can say why
    the user is there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        minutes = settings.SESSION_IDLE_MINUTES
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if not request.user.is_authenticated:
            return None
        now = time.time()
        session = request.session
        last_seen = session.get(LAST_SEEN_SESSION_KEY)
        started = session.setdefault(STARTED_SESSION_KEY, now)
        if now - started > settings.SESSION_COOKIE_AGE:
            message = _("Your session ended %(hours)s hours after you logged in. Log in again.") % {
                "hours": round(settings.SESSION_COOKIE_AGE / 3600)
            }
        elif minutes and last_seen is not None and now - last_seen > minutes * 60:
            message = _("You were logged out after %(minutes)s minutes without activity.") % {"minutes": minutes}
        else:
            # A page's own polling (a view marked ``session_passive``) is not the user's activity.
            passive = getattr(view_func, "session_passive", False)
            if last_seen is None or (now - last_seen >= LAST_SEEN_RESOLUTION and not passive):
                session[LAST_SEEN_SESSION_KEY] = now
            return None
        logout(request)
        messages.info(request, message)
        return None  # the view goes on for an anonymous user: a login page, a 401, or a public page


class TwoFactorMiddleware:
    """Hold a logged-in user at the two-factor step until it is done.

    A user with a confirmed device must enter a code once per session; a user for whom
    ``twofactor.is_required`` holds and who has no device must enrol first. Until then every page
    (the admin included) sends them to that step and every API call answers 403; only the pages
    of the step itself, logging out and switching the language stay open. Login forms, the
    admin's among them, know nothing of this: the gate stands behind all of them alike.
    """

    OPEN_VIEWS = frozenset(
        {
            "accounts:twofactor-verify",
            "accounts:twofactor-enrol",
            "accounts:twofactor-qr",
            "logout",
            "admin:logout",
            "set_language",
            "healthz",
            "api-token",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in self.OPEN_VIEWS:
            return None
        step = twofactor.pending_step(request)
        if step is None:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Complete two-factor authentication on the website first.")}, status=403
            )
        url_name = "accounts:twofactor-verify" if step == twofactor.STEP_VERIFY else "accounts:twofactor-enrol"
        target = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
