from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.cache import patch_vary_headers


class PersianFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), else Persian.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most
    machines in Iran says English; the product must open in Persian unless asked otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RowScopeMiddleware:
    """Remember the request being served, so that every form built during it offers only the records
    its user may see (``core.forms.StyledFormMixin`` asks ``rowscope.request_user``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .rowscope import current_request

        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class NullCharacterMiddleware:
    """Refuse a query string with a NUL character (``%00``) with a 400 before any view reads it.

    PostgreSQL's text takes no NUL byte, so such a filter or lookup would end in a 500 from the database
    driver; forms and serializers already refuse it in bodies. The API answers with field errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = sorted({name.replace("\x00", "") or "non_field_errors" for name, values in request.GET.lists()
                      if "\x00" in name or any("\x00" in value for value in values)})
        if bad:
            message = _("Null characters are not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({name: [message] for name in bad}, status=400)
            raise BadRequest(message)
        return self.get_response(request)
