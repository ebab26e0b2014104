"""sms.ir v1: JSON over HTTPS with the key in the ``X-API-KEY`` header."""

from .base import Backend, GatewayError, InboundSms, SendResult
from .http import GatewayClient

# sms.ir's deliveryState: 1 reached the phone; 2 did not; 6 failed; 7 the number is on the blacklist.
DELIVERED = {1}
FAILED = {2, 6, 7}


class SmsIrBackend(Backend):
    name = "smsir"

    def __init__(self, *, api_key: str, sender: str = "", base_url: str = "https://api.sms.ir", **_ignored):
        self.sender = sender
        self.client = GatewayClient(base_url, secret=api_key,
                                    headers={"X-API-KEY": api_key, "Accept": "application/json"})

    def call(self, method: str, path: str, body: dict | None = None):
        response = self.client.request(method, path, json=body) if body is not None else self.client.request(method, path)
        answer = self.client.json(response)
        if response.status_code >= 400 or answer.get("status") != 1:
            reason = self.client.redact(str(answer.get("message") or ""))
            raise GatewayError(f"sms.ir {answer.get('status')}: {reason}".strip(),
                               permanent=400 <= response.status_code < 500 and response.status_code != 429)
        return answer.get("data")

    def send(self, message) -> SendResult:
        if message.gateway_pattern:
            parameters = [{"name": name, "value": str(value)} for name, value in message.pattern_params.items()]
            data = self.call("POST", "v1/send/verify",
                             {"mobile": message.to, "templateId": int(message.gateway_pattern), "parameters": parameters})
            return SendResult(provider_id=str(data.get("messageId", "")), cost=data.get("cost"))
        data = self.call("POST", "v1/send/bulk",
                         {"lineNumber": self.sender, "messageText": message.body, "mobiles": [message.to]})
        ids = data.get("messageIds") or [""]
        return SendResult(provider_id=str(ids[0]), cost=data.get("cost"))

    def statuses(self, provider_ids: list[str]) -> dict[str, str]:
        found = {}
        for provider_id in provider_ids:
            data = self.call("GET", f"v1/send/{provider_id}") or {}
            state = int(data.get("deliveryState") or 0)
            found[provider_id] = "delivered" if state in DELIVERED else "failed" if state in FAILED else "sent"
        return found

    def inbox(self) -> list[InboundSms]:
        data = self.call("GET", "v1/receive/live?count=100") or []
        return [InboundSms(sender=str(item.get("mobile", "")), body=str(item.get("messageText", "")),
                           line=str(item.get("number", "")), provider_id=str(item.get("id", item.get("messageId", ""))))
                for item in data]
