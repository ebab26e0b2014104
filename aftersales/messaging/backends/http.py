"""HTTP calls to gateways with errors that never show the API key."""

import logging

import requests

from .base import GatewayError

logger = logging.getLogger("aftersales.messaging")

TIMEOUT = (5, 15)


class RedactSecrets(logging.Filter):
    """Blank API keys out of urllib3's own debug lines, which print the path (Kavenegar's holds the key)."""

    secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self.secrets):
            for secret in self.secrets:
                text = text.replace(secret, "***")
            record.msg, record.args = text, ()
        return True


_redact = RedactSecrets()
logging.getLogger("urllib3.connectionpool").addFilter(_redact)


class GatewayClient:
    def __init__(self, base_url: str, *, secret: str = "", headers: dict | None = None, timeout=TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        if secret:
            RedactSecrets.secrets.add(secret)
        self.session = requests.Session()
        self.session.headers.update(headers or {})
        self.timeout = timeout

    def redact(self, text: str) -> str:
        return text.replace(self.secret, "***") if self.secret else text

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise GatewayError("timeout") from None
        except requests.RequestException as exc:
            # The exception's text holds the URL (Kavenegar's holds the key): keep only its kind.
            raise GatewayError(f"connection error ({type(exc).__name__})") from None
        logger.info("gateway %s %s → %s", method, self.redact(path), response.status_code)
        if response.status_code >= 500:
            raise GatewayError(f"gateway error HTTP {response.status_code}")
        return response

    def json(self, response: requests.Response) -> dict:
        try:
            return response.json()
        except ValueError:
            raise GatewayError(f"unreadable answer (HTTP {response.status_code})") from None
