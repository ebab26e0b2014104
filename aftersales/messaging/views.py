import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Channel
from .services import inbound_record


@csrf_exempt  # called by the gateway, not a browser; the secret in the path stands for the session
@require_POST
def inbound_webhook(request, token):
    """Take an SMS the gateway pushes to us (Kavenegar and sms.ir post ``from``/``message`` style fields)."""
    if not settings.MESSAGING_WEBHOOK_TOKEN or not hmac.compare_digest(token, settings.MESSAGING_WEBHOOK_TOKEN):
        return HttpResponseForbidden()
    data = request.POST
    sender = data.get("from") or data.get("sender") or data.get("mobile") or ""
    body = data.get("message") or data.get("messageText") or data.get("text") or ""
    if not sender or not body or len(body) > 5000:
        return HttpResponseBadRequest("from and message are required")
    inbound_record(channel=Channel.SMS, sender=sender, body=body, line=data.get("to") or data.get("number") or "",
                   provider_id=str(data.get("messageid") or data.get("id") or ""))
    return HttpResponse("ok")
