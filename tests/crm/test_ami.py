"""The AMI listener against a local stand-in of Asterisk's manager interface, and the pop-up it feeds."""

import logging
import socket
import socketserver
import threading

import pytest
from django.urls import reverse

from aftersales.crm.ami import listen, ringing_call
from aftersales.organization.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t"


def _block(**fields) -> bytes:
    return ("".join(f"{key}: {value}\r\n" for key, value in fields.items()) + "\r\n").encode()


def newstate_ringing(extension="201", caller="09121234567", linkedid="1718000000.101"):
    """The agent's channel ringing, as Asterisk 13+ tells it."""
    return _block(Event="Newstate", Privilege="call,all", Channel=f"PJSIP/{extension}-0000002a", ChannelState="5",
                  ChannelStateDesc="Ringing", CallerIDNum=extension, CallerIDName="Agent", ConnectedLineNum=caller,
                  ConnectedLineName="<unknown>", Exten="s", Context="from-internal",
                  Uniqueid="1718000000.102", Linkedid=linkedid)


def dial_begin(extension="201", caller="09121234567", linkedid="1718000000.101"):
    return _block(Event="DialBegin", Privilege="call,all", Channel="PJSIP/trunk-00000029", CallerIDNum=caller,
                  Uniqueid=linkedid, Linkedid=linkedid, DestChannel=f"PJSIP/{extension}-0000002a",
                  DestCallerIDNum=extension, DestExten=extension, DestUniqueid="1718000000.102",
                  DestLinkedid=linkedid, DialString=extension)


class StandIn:
    """A threading TCP server speaking AMI: the banner, the login (refused unless the secret is right), then
    the events it was given, then quiet (answering pings) until the client goes."""

    def __init__(self, events=()):
        self.events = list(events)
        self.logins = []
        stand_in = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.buffer = b""
                self.request.settimeout(0.2)
                self.request.sendall(b"Asterisk Call Manager/5.0.1\r\n")
                login = self._read_block()
                stand_in.logins.append(login or {})
                if not login:
                    return
                action_id = login.get("ActionID", "")
                if login.get("Action") != "Login" or login.get("Secret") != SECRET:
                    self.request.sendall(_block(Response="Error", ActionID=action_id, Message="Authentication failed"))
                    return
                self.request.sendall(_block(Response="Success", ActionID=action_id, Message="Authentication accepted"))
                self.request.sendall(_block(Event="FullyBooted", Privilege="system,all", Status="Fully Booted"))
                self.request.sendall(_block(Event="VarSet", Channel="PJSIP/201-0000002a", Variable="X", Value="1"))
                for event in stand_in.events:
                    self.request.sendall(event)
                while True:
                    block = self._read_block()
                    if block is None:
                        return
                    if block.get("Action") == "Ping":
                        self.request.sendall(_block(Response="Success", ActionID=block.get("ActionID", ""), Ping="Pong"))

            def _read_block(self):
                """The client's next block; None once it went away or the stand-in closes."""
                while b"\r\n\r\n" not in self.buffer:
                    if stand_in.closing.is_set():
                        return None
                    try:
                        chunk = self.request.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        return None
                    if not chunk:
                        return None
                    self.buffer += chunk
                raw, _sep, self.buffer = self.buffer.partition(b"\r\n\r\n")
                fields = {}
                for line in raw.decode().split("\r\n"):
                    key, _sep, value = line.partition(":")
                    fields[key.strip()] = value.strip()
                return fields

        self.closing = threading.Event()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def agent(db):
    from aftersales.crm.models import PhoneExtension

    user = UserFactory(username="agent201", role=Role.CALL_CENTER_AGENT)
    PhoneExtension.objects.create(user=user, extension="201")
    return user


def _listen(stand_in, *, secret=SECRET, max_calls=1, seconds=5.0, **options):
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)  # a safety net: the test never hangs
    timer.start()
    try:
        return listen(host="127.0.0.1", port=stand_in.port, username="aftersales", secret=secret, stop=stop,
                      max_calls=max_calls, timeout=2.0, backoff=(0.05,), **options)
    finally:
        timer.cancel()


def test_a_ringing_extension_records_the_call_for_its_agent(agent):
    from aftersales.crm.models import IncomingCall

    with StandIn([newstate_ringing()]) as stand_in:
        assert _listen(stand_in) == 1
    call = IncomingCall.objects.get()
    assert (call.user, call.extension, call.phone, call.call_id) == (agent, "201", "09121234567", "1718000000.101")
    assert call.shown_at is None
    assert stand_in.logins[0]["Username"] == "aftersales" and stand_in.logins[0]["Secret"] == SECRET


def test_a_wrong_secret_is_logged_plainly_and_nothing_crashes(agent, caplog):
    from aftersales.crm.models import IncomingCall

    caplog.set_level(logging.ERROR, logger="aftersales.crm.ami")
    with StandIn([newstate_ringing()]) as stand_in:
        handled = _listen(stand_in, secret="wrong", seconds=0.5)
    assert handled == 0 and not IncomingCall.objects.exists()
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert errors and "refused the login" in errors[0] and "Authentication failed" in errors[0]
    assert "CRM_AMI_SECRET" in errors[0]
    assert len(stand_in.logins) >= 2  # it tried again after a pause, rather than giving up


def test_an_unknown_extension_is_ignored(agent):
    from aftersales.crm.models import IncomingCall

    with StandIn([newstate_ringing(extension="299"), newstate_ringing(linkedid="1718000000.200")]) as stand_in:
        assert _listen(stand_in, max_calls=2) == 2
    assert list(IncomingCall.objects.values_list("extension", "call_id")) == [("201", "1718000000.200")]


def test_the_same_call_told_twice_is_one_row(agent):
    from aftersales.crm.models import IncomingCall

    with StandIn([dial_begin(), newstate_ringing(), newstate_ringing()]) as stand_in:
        assert _listen(stand_in, max_calls=3) == 3
    assert IncomingCall.objects.count() == 1


def test_an_exchange_that_is_away_is_retried_until_stopped(agent, caplog):
    caplog.set_level(logging.WARNING, logger="aftersales.crm.ami")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    stop = threading.Event()
    threading.Timer(0.4, stop.set).start()
    assert listen(host="127.0.0.1", port=port, username="u", secret="s", stop=stop, backoff=(0.05,)) == 0
    assert sum("127.0.0.1" in record.getMessage() for record in caplog.records) >= 2


def test_a_ringing_event_gives_extension_caller_and_call_id():
    from aftersales.crm.ami import block_parse

    def parsed(raw: bytes):
        return block_parse(raw.decode().split("\r\n"))

    assert ringing_call(parsed(dial_begin(extension="305", caller="+982188776655"))) == (
        "305", "+982188776655", "1718000000.101")
    up = parsed(newstate_ringing()) | {"ChannelStateDesc": "Up", "ChannelState": "6"}
    assert ringing_call(up) is None
    anonymous = parsed(newstate_ringing()) | {"ConnectedLineNum": "<unknown>"}
    assert ringing_call(anonymous) is None
    # No caller id on the agent's channel: the extension comes from the channel's device name.
    bare = parsed(newstate_ringing(extension="207")) | {"CallerIDNum": "<unknown>"}
    assert ringing_call(bare)[0] == "207"


def test_the_command_does_nothing_while_the_listener_is_off(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.CRM_AMI_ENABLED = False
    out = StringIO()
    call_command("crm_ami_listen", stdout=out)
    assert "CRM_AMI_ENABLED is off" in out.getvalue()


def test_the_command_listens_when_enabled(settings, agent):
    from io import StringIO

    from django.core.management import call_command

    from aftersales.crm.models import IncomingCall

    with StandIn([newstate_ringing()]) as stand_in:
        settings.CRM_AMI_ENABLED, settings.CRM_AMI_HOST, settings.CRM_AMI_PORT = True, "127.0.0.1", stand_in.port
        settings.CRM_AMI_USERNAME, settings.CRM_AMI_SECRET = "aftersales", SECRET
        call_command("crm_ami_listen", "--calls", "1", stdout=StringIO())
    assert IncomingCall.objects.filter(user=agent).count() == 1


def test_the_open_page_pops_the_call_up_once(client, agent, owner):
    from aftersales.crm.services import call_ringing

    client.force_login(agent)
    poll = reverse("crm:calls-poll")
    assert client.get(poll).status_code == 204
    call_ringing(extension="201", phone="+98 912 123 4567", call_id="c-1")
    answer = client.get(poll)
    html = answer.content.decode()
    assert answer.status_code == 200 and 'data-testid="call-popup"' in html
    assert "سارا احمدی" in html and reverse("crm:panel", args=[owner.pk]) in html
    assert client.get(poll).status_code == 204  # shown once


def test_an_unknown_callers_popup_offers_to_register_them(client, agent):
    from aftersales.crm.services import call_ringing

    client.force_login(agent)
    call_ringing(extension="201", phone="09357778899", call_id="c-2")
    html = client.get(reverse("crm:calls-poll")).content.decode()
    assert 'data-testid="call-unknown"' in html and reverse("crm:caller", args=["09357778899"]) in html


def test_an_old_call_does_not_pop_up_on_a_page_opened_later(client, agent, settings):
    import datetime

    from django.utils import timezone

    from aftersales.crm.models import IncomingCall

    IncomingCall.objects.create(user=agent, extension="201", phone="09121234567", call_id="old",
                                rang_at=timezone.now() - datetime.timedelta(minutes=settings.CRM_AMI_POPUP_MINUTES + 1))
    client.force_login(agent)
    assert client.get(reverse("crm:calls-poll")).status_code == 204


def test_only_users_with_an_extension_load_the_call_script(client, agent, reception_a):
    client.force_login(agent)
    assert "crm/calls.js" in client.get(reverse("organization:dashboard")).content.decode()
    client.force_login(reception_a)
    assert "crm/calls.js" not in client.get(reverse("organization:dashboard")).content.decode()


def test_polling_for_calls_does_not_keep_an_idle_session_alive(client, agent, settings):
    import time

    from aftersales.organization.middleware import LAST_SEEN_SESSION_KEY

    client.force_login(agent)
    client.get(reverse("organization:dashboard"))
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - 10 * 60  # ten minutes without a click
    session.save()
    assert client.get(reverse("crm:calls-poll")).status_code == 204
    assert client.session[LAST_SEEN_SESSION_KEY] < time.time() - 9 * 60
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - (settings.SESSION_IDLE_MINUTES + 1) * 60
    session.save()
    answer = client.get(reverse("crm:calls-poll"))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]  # calls.js stops polling
