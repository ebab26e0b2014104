from dataclasses import dataclass


@dataclass
class SendResult:
    provider_id: str = ""
    cost: int | None = None


@dataclass
class InboundSms:
    sender: str
    body: str
    line: str = ""
    provider_id: str = ""


class GatewayError(Exception):
    """The gateway refused or could not be reached. ``permanent``: retrying will not help.

    Its text never holds the API key or a URL that carries one.
    """

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Backend:
    name = "base"
    # Whether ``lookup`` can tell, after a crash, if the gateway already has a message.
    can_lookup = False

    def send(self, message) -> SendResult:
        raise NotImplementedError

    def lookup(self, message) -> SendResult | None:
        """The gateway's record of a message sent under its local id, or None if it never got it."""
        raise NotImplementedError

    def statuses(self, provider_ids: list[str]) -> dict[str, str]:
        """Delivery reports: provider id → ``delivered`` | ``failed`` | ``sent``."""
        return {}

    def inbox(self) -> list[InboundSms]:
        return []
