"""Real receivers for message delivery tests: an SMTP server (aiosmtpd) and an HTTP receiver
for the SMS webhook that checks each request's HMAC-SHA256 signature. Both listen on free
loopback ports and are started and stopped by the fixtures in the test files."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mail:
    """One message the SMTP server accepted."""

    def __init__(self, mail_from: str, rcpt_tos: list[str], content: bytes):
        self.mail_from = mail_from
        self.rcpt_tos = rcpt_tos
        self.msg = email.message_from_bytes(content, policy=email.policy.default)

    def header(self, name: str) -> str | None:
        v = self.msg[name]
        return None if v is None else str(v)

    @property
    def subject(self) -> str | None:
        return self.header("Subject")

    @property
    def text(self) -> str | None:
        part = self.msg.get_body(preferencelist=("plain",))
        return None if part is None else part.get_content().replace("\r\n", "\n").strip()

    @property
    def html(self) -> str | None:
        part = self.msg.get_body(preferencelist=("html",))
        return None if part is None else part.get_content().replace("\r\n", "\n").strip()

    @property
    def code(self) -> str | None:
        text = self.text or ""
        m = re.search(r"temporary password is (\S+?)\.?$", text, re.M) or re.search(r"\b(\d{6})\b", text)
        return m.group(1) if m else None


class SmtpSink:
    """An aiosmtpd server on a free port recording what it accepts. `refuse_rcpt` answers 550
    to every recipient (a permanent failure); `fail_data` answers 451 to that many DATA
    commands first (transient failures)."""

    def __init__(self, require_auth: tuple[str, str] | None = None):
        self.mails: list[Mail] = []
        self.data_attempts = 0
        self.refuse_rcpt = False
        self.fail_data = 0
        self.logins: list[tuple[str, str]] = []
        self.port = free_port()
        kwargs = {}
        if require_auth:
            # AUTH over plain SMTP on loopback, for the test only (real servers want TLS first).
            def authenticator(server, session, envelope, mechanism, data):
                login = (data.login.decode(), data.password.decode())
                self.logins.append(login)
                return AuthResult(success=login == require_auth)
            kwargs = dict(auth_required=True, auth_require_tls=False, authenticator=authenticator)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_attempts += 1
        if self.fail_data > 0:
            self.fail_data -= 1
            return "451 4.3.0 Try again later"
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.rcpt_tos]

    def last_to(self, address: str) -> Mail:
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m.rcpt_tos for m in self.mails]}"
        return found[-1]

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class SmsHook:
    """An HTTP server receiving the SMS webhook: each POST's signature is checked against the
    secret (a bad one is answered 401 and counted), its JSON recorded, and `status` answered."""

    def __init__(self, secret: str):
        self.secret = secret
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.attempts = 0
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                hook.attempts += 1
                given = self.headers.get("X-Cognate-Signature", "")
                if not hmac.compare_digest(given, sign(hook.secret, body)):
                    hook.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                if hook.status == 200:
                    payload = json.loads(body)
                    payload["_content_type"] = self.headers.get("Content-Type")
                    hook.received.append(payload)
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    def to(self, number: str) -> list[dict]:
        return [m for m in self.received if m["destination"] == number]

    def last_to(self, number: str) -> dict:
        found = self.to(number)
        assert found, f"no SMS to {number}; got {[m['destination'] for m in self.received]}"
        return found[-1]

    def start(self) -> "SmsHook":
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def sms_code(msg: dict) -> str:
    text = msg["message"]
    m = re.search(r"temporary password is (\S+?)\.?$", text) if msg["kind"] == "AdminCreateUser" else None
    m = m or re.search(r"\b(\d{6})\b", text)
    assert m, f"no code in {text!r}"
    return m.group(1)
