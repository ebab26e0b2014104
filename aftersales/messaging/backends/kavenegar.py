"""Kavenegar (kavenegar.com): ``POST /v1/{API-KEY}/{scope}/{method}.json``, form-encoded.

The key is part of the URL path, so nothing here logs or raises a URL.
"""

from .base import Backend, GatewayError, InboundSms, SendResult
from .http import GatewayClient

# Kavenegar's return.status codes that no retry can fix (bad receptor, sender, text, template…).
PERMANENT = {400, 401, 403, 407, 411, 412, 413, 414, 422, 424, 426, 431, 432}
DELIVERED = {10}
FAILED = {6, 11, 13, 14, 100}


class KavenegarBackend(Backend):
    name = "kavenegar"
    can_lookup = True

    def __init__(self, *, api_key: str, sender: str = "", base_url: str = "https://api.kavenegar.com", **_ignored):
        self.api_key = api_key
        self.sender = sender
        self.client = GatewayClient(base_url, secret=api_key)

    def call(self, scope: str, method: str, data: dict) -> list:
        response = self.client.request("POST", f"v1/{self.api_key}/{scope}/{method}.json", data=data)
        answer = self.client.json(response)
        result = answer.get("return") or {}
        status = int(result.get("status") or response.status_code)
        if status != 200:
            message = self.client.redact(str(result.get("message") or ""))
            raise GatewayError(f"Kavenegar {status}: {message}".strip(), permanent=status in PERMANENT)
        return answer.get("entries") or []

    def send(self, message) -> SendResult:
        if message.gateway_pattern:
            data = {"receptor": message.to, "template": message.gateway_pattern}
            for index, value in enumerate(list(message.pattern_params.values())[:10]):
                data["token" if index == 0 else f"token{index + 1}"] = str(value)
            entries = self.call("verify", "lookup", data)
        else:
            data = {"receptor": message.to, "message": message.body, "localid": message.local_id}
            if self.sender:
                data["sender"] = self.sender
            entries = self.call("sms", "send", data)
        entry = entries[0] if entries else {}
        return SendResult(provider_id=str(entry.get("messageid", "")), cost=entry.get("cost"))

    def lookup(self, message) -> SendResult | None:
        if message.gateway_pattern:
            raise NotImplementedError  # pattern sends carry no local id at Kavenegar
        entries = self.call("sms", "statuslocalmessageid", {"localid": message.local_id})
        for entry in entries:
            if str(entry.get("localid")) == message.local_id and int(entry.get("messageid") or 0) > 0:
                return SendResult(provider_id=str(entry["messageid"]))
        return None

    def statuses(self, provider_ids: list[str]) -> dict[str, str]:
        entries = self.call("sms", "status", {"messageid": ",".join(provider_ids)})
        found = {}
        for entry in entries:
            status = int(entry.get("status") or 0)
            found[str(entry.get("messageid"))] = (
                "delivered" if status in DELIVERED else "failed" if status in FAILED else "sent"
            )
        return found

    def inbox(self) -> list[InboundSms]:
        entries = self.call("sms", "receive", {"linenumber": self.sender, "isread": 0})
        return [InboundSms(sender=str(entry.get("sender", "")), body=str(entry.get("message", "")),
                           line=str(entry.get("receptor", "")), provider_id=str(entry.get("messageid", "")))
                for entry in entries]
