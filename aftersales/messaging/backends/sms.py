"""Development backends (console, file) and a generic HTTP backend configured by settings."""

import json
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import Backend, GatewayError, SendResult
from .http import GatewayClient


class ConsoleSmsBackend(Backend):
    """Print each SMS to the worker's output."""

    name = "console"

    def __init__(self, **options):
        self.stream = options.get("stream") or sys.stdout

    def send(self, message) -> SendResult:
        self.stream.write(f"SMS → {message.to} [{message.local_id}]\n{message.body}\n\n")
        self.stream.flush()
        return SendResult(provider_id=f"console-{message.local_id}")


class FileSmsBackend(Backend):
    """Append each SMS as a JSON line to a file (``var/messages/sms.jsonl``): the demo's phone."""

    name = "file"
    can_lookup = True
    _lock = threading.Lock()

    def __init__(self, **options):
        self.path = Path(options.get("path") or Path(settings.VAR_DIR) / "messages" / "sms.jsonl")
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def send(self, message) -> SendResult:
        record = {"id": message.local_id, "to": message.to, "text": message.body,
                  "pattern": message.gateway_pattern, "at": timezone.now().isoformat()}
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return SendResult(provider_id=f"file-{message.local_id}")

    def lookup(self, message) -> SendResult | None:
        for record in self.sent():
            if record["id"] == message.local_id:
                return SendResult(provider_id=f"file-{message.local_id}")
        return None

    def sent(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]


class GenericHttpSmsBackend(Backend):
    """Any gateway with a plain HTTP send: the URL, the field names and the key header come from settings.

    ``fields`` maps the gateway's parameter names to ``{to}``, ``{text}``, ``{sender}`` or ``{local_id}``;
    ``id_field`` names the JSON field of the answer that holds the gateway's message id.
    """

    name = "http"

    def __init__(self, *, base_url: str, api_key: str = "", sender: str = "", path: str = "",
                 key_header: str = "Authorization", fields: dict | None = None, id_field: str = "id",
                 as_json: bool = True, **_ignored):
        self.client = GatewayClient(base_url, secret=api_key, headers={key_header: api_key} if api_key else {})
        self.path = path
        self.sender = sender
        self.fields = fields or {"to": "{to}", "text": "{text}", "from": "{sender}", "id": "{local_id}"}
        self.id_field = id_field
        self.as_json = as_json

    def send(self, message) -> SendResult:
        values = {"to": message.to, "text": message.body, "sender": self.sender, "local_id": message.local_id}
        payload = {name: template.format(**values) for name, template in self.fields.items()}
        response = self.client.request("POST", self.path, **({"json": payload} if self.as_json else {"data": payload}))
        if response.status_code >= 400:
            raise GatewayError(f"refused (HTTP {response.status_code})", permanent=True)
        answer = self.client.json(response) if response.content else {}
        return SendResult(provider_id=str(answer.get(self.id_field, "")) if isinstance(answer, dict) else "")


class MemorySmsBackend(Backend):
    """Keep sent SMS in ``MemorySmsBackend.outbox`` (tests, like Django's locmem mail backend)."""

    name = "memory"
    can_lookup = True
    outbox: list = []

    def __init__(self, **_ignored):
        pass

    def send(self, message) -> SendResult:
        type(self).outbox.append(message)
        return SendResult(provider_id=f"memory-{message.local_id}")

    def lookup(self, message) -> SendResult | None:
        found = any(sent.pk == message.pk for sent in type(self).outbox)
        return SendResult(provider_id=f"memory-{message.local_id}") if found else None
