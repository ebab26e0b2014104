"""A small client of the Asterisk/Issabel manager interface (AMI): it logs in, reads the exchange's events and
tells ``services.call_ringing`` of each call ringing at an extension, so the agent's open page pops the
caller's panel up (F50).

AMI is line-based TCP: the server greets with one line (``Asterisk Call Manager/5.0.1``), then actions and
their responses, and events, travel as blocks of ``Key: Value`` lines ended by an empty line. A plain socket
is enough; no dependency. The listener reconnects with a growing pause when the exchange is away, and a
refused login is logged plainly and retried slowly, never crashing the process.
"""

import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

logger = logging.getLogger("aftersales.crm.ami")

#: Pauses before reconnecting, in seconds, the last one repeated.
BACKOFF = (1, 2, 5, 10, 30, 60)
#: Caller numbers that are no number.
_NO_NUMBER = {"", "<unknown>", "unknown", "anonymous", "<none>"}
# The device part of a channel name: SIP/201-0000002a, PJSIP/201-00000001, IAX2/201-1234, Local/201@from-queue-…
_CHANNEL = re.compile(r"^[A-Za-z0-9]+/([^-@/;]+)")


class AmiError(Exception):
    """The exchange answered in a way the client cannot go on with (not AMI, closed the connection…)."""


class AmiLoginFailed(AmiError):
    """The exchange refused the username or secret."""


def block_parse(lines: list[str]) -> dict[str, str]:
    """One AMI block as a dict; a key repeated keeps its first value (the ones read here are never repeated)."""
    message: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if sep:
            message.setdefault(key.strip(), value.strip())
    return message


def ringing_call(event: dict[str, str]) -> tuple[str, str, str] | None:
    """(extension, caller's number, call id) of an event telling a call rings at an extension; else None.

    ``Newstate`` with ``ChannelStateDesc: Ringing`` is the agent's channel ringing: its own ``CallerIDNum`` is
    the agent's extension (else the device in ``Channel``, else ``Exten``) and ``ConnectedLineNum`` the caller.
    ``DialBegin`` is the caller's channel dialling: ``DestCallerIDNum`` (or ``DestExten``) is the extension and
    ``CallerIDNum`` the caller. The call id is the ``Linkedid`` the legs of one call share (so the two events
    of one call count once), else the ``Uniqueid``.
    """
    name = event.get("Event", "")
    if name == "Newstate" and (event.get("ChannelStateDesc", "").lower() == "ringing"
                               or event.get("ChannelState") == "5"):
        extension = event.get("CallerIDNum", "")
        if extension.lower() in _NO_NUMBER:
            match = _CHANNEL.match(event.get("Channel", ""))
            extension = match.group(1) if match else event.get("Exten", "")
        phone = event.get("ConnectedLineNum", "")
        call_id = event.get("Linkedid") or event.get("Uniqueid", "")
    elif name == "DialBegin":
        extension = event.get("DestCallerIDNum", "")
        if extension.lower() in _NO_NUMBER:
            extension = event.get("DestExten", "")
        phone = event.get("CallerIDNum", "")
        call_id = event.get("DestLinkedid") or event.get("Linkedid") or event.get("DestUniqueid") or event.get("Uniqueid", "")
    else:
        return None
    extension, phone = extension.strip(), phone.strip()
    if extension.lower() in _NO_NUMBER or phone.lower() in _NO_NUMBER or phone == extension:
        return None
    return extension, phone, call_id.strip()[:64]


class AmiClient:
    """One connection to the exchange: ``connect()`` (banner and login), then ``blocks()`` until it closes."""

    def __init__(self, host: str, port: int, username: str, secret: str, *, timeout: float = 30.0):
        self.host, self.port, self.username, self.secret, self.timeout = host, port, username, secret, timeout
        self.sock: socket.socket | None = None
        self._buffer = b""
        self._pending: list[str] = []
        self._action = 0

    def connect(self) -> str:
        """Open the connection, read the banner and log in; the banner is returned. Raises ``AmiLoginFailed``
        on a refused login, ``AmiError`` when the other side is not AMI, ``OSError`` when it cannot be reached."""
        self.close()
        self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        self._buffer, self._pending = b"", []
        banner = self._line(deadline=time.monotonic() + self.timeout)
        if banner is None or "Call Manager" not in banner:
            raise AmiError(f"{self.host}:{self.port} did not greet as an Asterisk manager interface: {banner!r}")
        action_id = self.send("Login", Username=self.username, Secret=self.secret, Events="call")
        deadline = time.monotonic() + self.timeout
        while True:
            block = self.block(deadline=deadline)
            if block is None:
                raise AmiError("the exchange closed the connection during the login")
            if "Response" in block and block.get("ActionID", action_id) == action_id:
                break
        if block["Response"].lower() != "success":
            raise AmiLoginFailed(block.get("Message") or block["Response"])
        return banner

    def send(self, action: str, **fields: str) -> str:
        self._action += 1
        action_id = f"aftersales-{self._action}"
        lines = [f"Action: {action}", f"ActionID: {action_id}", *(f"{key}: {value}" for key, value in fields.items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return action_id

    def _line(self, *, deadline: float | None = None) -> str | None:
        """The next line; None when the connection closed; ``socket.timeout`` when nothing came in time."""
        while b"\n" not in self._buffer:
            if deadline is not None:
                self.sock.settimeout(max(0.01, min(self.timeout, deadline - time.monotonic())))
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, _sep, self._buffer = self._buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def block(self, *, deadline: float | None = None) -> dict[str, str] | None:
        """The next block; None when the connection closed. A read that times out mid-block keeps the lines
        read so far for the next call."""
        while True:
            line = self._line(deadline=deadline)
            if line is None:
                return None
            if line == "":
                if self._pending:
                    lines, self._pending = self._pending, []
                    return block_parse(lines)
                continue
            self._pending.append(line)

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None


def _ringing_record(extension: str, phone: str, call_id: str):
    from django.db import close_old_connections, connection

    from .services import call_ringing

    if not connection.in_atomic_block:
        close_old_connections()  # a listener runs for weeks: a connection the database dropped is replaced
    return call_ringing(extension=extension, phone=phone, call_id=call_id)


def listen(*, host: str, port: int, username: str, secret: str, stop: threading.Event | None = None,
           max_calls: int | None = None, on_ringing: Callable[[str, str, str], object] | None = None,
           timeout: float = 30.0, backoff: tuple[float, ...] = BACKOFF) -> int:
    """Listen to the exchange until ``stop`` is set (or ``max_calls`` ringing events were handled): each call
    ringing at an extension goes to ``on_ringing`` (``services.call_ringing`` by default). Returns the number of
    ringing events handled.

    A refused login, a lost connection or an exchange that is away are logged and retried after a pause that
    grows along ``backoff``; a silent connection is pinged every ``timeout`` seconds and dropped when it stays
    silent.
    """
    stop = stop or threading.Event()
    on_ringing = on_ringing or _ringing_record
    handled, failures = 0, 0
    while not stop.is_set():
        client = AmiClient(host, port, username, secret, timeout=timeout)
        try:
            banner = client.connect()
            logger.info("AMI: logged in to %s:%s as %s (%s)", host, port, username, banner)
            failures = 0
            for event in _events(client, stop, timeout):
                call = ringing_call(event)
                if call is None:
                    continue
                extension, phone, call_id = call
                try:
                    recorded = on_ringing(extension, phone, call_id)
                except Exception:  # one bad event must not stop the listener
                    logger.exception("AMI: recording the call %s at extension %s failed", call_id, extension)
                    continue
                if recorded is None:
                    logger.debug("AMI: call %s at extension %s: no agent has it, or shown already", call_id, extension)
                handled += 1
                if max_calls is not None and handled >= max_calls:
                    stop.set()
            if not stop.is_set():
                logger.warning("AMI: %s:%s closed the connection; reconnecting", host, port)
        except AmiLoginFailed as error:
            failures = max(failures, len(backoff) - 2)  # a wrong secret is not fixed in a second: retry slowly
            logger.error("AMI: %s:%s refused the login of %r: %s. Check CRM_AMI_USERNAME and CRM_AMI_SECRET "
                         "against the exchange's manager.conf.", host, port, username, error)
        except (OSError, AmiError) as error:
            logger.warning("AMI: %s:%s: %s", host, port, error)
        finally:
            client.close()
        if stop.is_set():
            break
        pause = backoff[min(failures, len(backoff) - 1)]
        failures += 1
        stop.wait(pause)
    return handled


def _events(client: AmiClient, stop: threading.Event, timeout: float) -> Iterator[dict[str, str]]:
    """The events of a logged-in connection until it closes or ``stop`` is set; pings a silent exchange."""
    client.sock.settimeout(min(timeout, 1.0))  # short reads, so a stop is noticed within a second
    silent_since = time.monotonic()
    pinged = False
    while not stop.is_set():
        try:
            block = client.block()
        except TimeoutError:
            quiet = time.monotonic() - silent_since
            if quiet >= 2 * timeout and pinged:
                raise AmiError(f"no answer for {int(quiet)} s") from None
            if quiet >= timeout and not pinged:
                client.send("Ping")
                pinged = True
            continue
        if block is None:
            return
        silent_since, pinged = time.monotonic(), False
        if "Event" in block:
            yield block
