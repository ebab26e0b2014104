"""A local HTTP server that answers like the SMS gateways' endpoints (Kavenegar, sms.ir, a generic one).

It records every send it takes, so tests can count what reached "the gateway", and can be told to
fail, stall or refuse the next requests. The benchmark uses it too.
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Gateway:
    def __init__(self, api_key: str = "test-key-3f9a"):
        self.api_key = api_key
        self.sends: list[dict] = []
        self.by_local_id: dict[str, dict] = {}
        self.statuses: dict[str, int] = {}
        self.inbox: list[dict] = []
        self.fail_next = 0          # answer 503 to this many send requests
        self.refuse_next = 0        # answer a gateway error code to this many sends
        self.refuse_code = 411
        self.delay = 0.0            # seconds before answering a send
        self.hold_after = 0         # after taking this many sends, stall the answer to the last one …
        self.hold_seconds = 0.0     # … this long (a test kills the sender meanwhile)
        self.held = threading.Event()
        self.requests = 0
        self.lock = threading.Lock()
        self.ids = itertools.count(9_000_001)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that timed out and left
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "Gateway":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent_local_ids(self) -> list[str]:
        return [send["localid"] for send in self.sends if send.get("localid")]

    def _record(self, **send) -> int:
        with self.lock:
            message_id = next(self.ids)
            send["messageid"] = message_id
            self.sends.append(send)
            if send.get("localid"):
                self.by_local_id[send["localid"]] = send
            hold = self.hold_after and len(self.sends) == self.hold_after
        if hold:
            self.held.set()
            time.sleep(self.hold_seconds)
        return message_id

    def _gate(self):
        """Apply the configured faults to a send: returns an error answer or None."""
        with self.lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"error": "unavailable"}
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "refuse", None
        if self.delay:
            time.sleep(self.delay)
        return None

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle: otherwise headers and body go in two packets and
            # every keep-alive request waits out the client's delayed ACK (about 40 ms).
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _answer(self, status: int, body) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self):
                self._route("GET", b"")

            def do_POST(self):
                self._route("POST", self._body())

            def _route(self, method: str, raw: bytes) -> None:
                path = urlparse(self.path)
                parts = path.path.strip("/").split("/")
                if parts[:1] == ["v1"] and len(parts) == 4 and parts[3].endswith(".json"):
                    return self._kavenegar(parts[1], parts[2], parts[3][:-5], raw)
                if parts[:1] == ["v1"]:
                    return self._smsir(method, parts[1:], raw, parse_qs(path.query))
                if parts == ["generic", "send"]:
                    return self._generic(raw)
                self._answer(404, {"error": "no such path"})

            # Kavenegar: POST /v1/{key}/{scope}/{method}.json, form-encoded; errors in return.status.
            def _kavenegar(self, key: str, scope: str, method: str, raw: bytes) -> None:
                form = {name: values[0] for name, values in parse_qs(raw.decode()).items()}
                if key != gateway.api_key:
                    return self._answer(403, {"return": {"status": 403, "message": "کلید نامعتبر"}, "entries": None})
                if (scope, method) in {("sms", "send"), ("verify", "lookup")}:
                    fault = gateway._gate()
                    if fault and fault[0] == "refuse":
                        return self._answer(200 if gateway.refuse_code < 500 else gateway.refuse_code,
                                            {"return": {"status": gateway.refuse_code, "message": "گیرنده نامعتبر است"},
                                             "entries": None})
                    if fault:
                        return self._answer(*fault)
                    message_id = gateway._record(gateway="kavenegar", to=form.get("receptor"), text=form.get("message"),
                                                 localid=form.get("localid"), template=form.get("template"),
                                                 tokens=[form.get(k) for k in ("token", "token2", "token3") if form.get(k)])
                    return self._answer(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": [
                        {"messageid": message_id, "message": form.get("message", ""), "status": 1, "statustext": "در صف",
                         "sender": form.get("sender", "10004346"), "receptor": form.get("receptor"), "date": int(time.time()),
                         "cost": 1200}]})
                if (scope, method) == ("sms", "statuslocalmessageid"):
                    local_id = form.get("localid", "")
                    send = gateway.by_local_id.get(local_id)
                    entry = ({"messageid": send["messageid"], "localid": local_id, "status": 1, "statustext": "در صف"}
                             if send else {"messageid": 0, "localid": local_id, "status": 100, "statustext": "نامعتبر"})
                    return self._answer(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]})
                if (scope, method) == ("sms", "status"):
                    ids = form.get("messageid", "").split(",")
                    return self._answer(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": [
                        {"messageid": int(i), "status": gateway.statuses.get(i, 10), "statustext": ""} for i in ids if i]})
                if (scope, method) == ("sms", "receive"):
                    entries, gateway.inbox = gateway.inbox, []
                    return self._answer(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries})
                self._answer(200, {"return": {"status": 404, "message": "متد نامعتبر"}, "entries": None})

            # sms.ir v1: JSON, X-API-KEY header, status 1 is success.
            def _smsir(self, method: str, parts: list[str], raw: bytes, query: dict) -> None:
                if self.headers.get("X-API-KEY") != gateway.api_key:
                    return self._answer(401, {"status": 0, "message": "کلید نامعتبر", "data": None})
                body = json.loads(raw or b"{}")
                if method == "POST" and parts in (["send", "bulk"], ["send", "verify"]):
                    fault = gateway._gate()
                    if fault and fault[0] == "refuse":
                        return self._answer(400, {"status": 10, "message": "شماره موبایل نامعتبر", "data": None})
                    if fault:
                        return self._answer(*fault)
                    if parts[1] == "bulk":
                        message_id = gateway._record(gateway="smsir", to=body["mobiles"][0], text=body["messageText"])
                        data = {"packId": f"pack-{message_id}", "messageIds": [message_id], "cost": 1.0}
                    else:
                        message_id = gateway._record(gateway="smsir", to=body["mobile"], template=str(body["templateId"]),
                                                     tokens=[p["value"] for p in body["parameters"]])
                        data = {"messageId": message_id, "cost": 1.0}
                    return self._answer(200, {"status": 1, "message": "موفق", "data": data})
                if method == "GET" and parts[:1] == ["send"] and len(parts) == 2:
                    state = gateway.statuses.get(parts[1], 1)
                    return self._answer(200, {"status": 1, "message": "موفق",
                                              "data": {"messageId": int(parts[1]), "deliveryState": state}})
                if method == "GET" and parts[:2] == ["receive", "live"]:
                    entries, gateway.inbox = gateway.inbox, []
                    return self._answer(200, {"status": 1, "message": "موفق", "data": entries})
                self._answer(404, {"status": 0, "message": "not found", "data": None})

            def _generic(self, raw: bytes) -> None:
                if self.headers.get("Authorization") != gateway.api_key:
                    return self._answer(401, {"error": "unauthorised"})
                fault = gateway._gate()
                if fault and fault[0] == "refuse":
                    return self._answer(422, {"error": "bad number"})
                if fault:
                    return self._answer(*fault)
                body = json.loads(raw or b"{}")
                message_id = gateway._record(gateway="http", to=body.get("to"), text=body.get("text"), localid=body.get("id"))
                self._answer(200, {"id": message_id})

        return Handler
