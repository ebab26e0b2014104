from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


#: Not-found views of parts with a layout of their own (the customer portal): (URL name of their root, view).
_NOT_FOUND_VIEWS: list[tuple[str, str]] = []


def register_not_found(root: str, view: str) -> None:
    """Answer a 404 on any path under the URL named ``root`` with the view at the dotted path ``view`` (taking
    the request and the exception): a customer who is not staff never lands on the staff's page."""
    if (root, view) not in _NOT_FOUND_VIEWS:
        _NOT_FOUND_VIEWS.append((root, view))


def page_not_found(request, exception):
    for root, view in _NOT_FOUND_VIEWS:
        if request.path.startswith(reverse(root)):
            return import_string(view)(request, exception)
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception):
    return render(request, "400.html", status=400)
