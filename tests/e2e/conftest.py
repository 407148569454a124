"""Fixtures for Cognate's end-to-end tests.

Every test talks to a real `cognate` binary through real clients (boto3, PyJWT,
plain HTTP). The binary comes from $COGNATE_BIN, else
$CARGO_TARGET_DIR/debug/cognate (CARGO_TARGET_DIR defaults to
~/.cache/cognate-target, as in scripts/test).

Main fixtures:
  server       one server for the whole session (--test-clock, port 0, temp data dir)
  cognito      boto3 cognito-idp client pointed at it
  make_pool    factory: a fresh user pool per call (deleted after the test)
  pool         a fresh pool with the default settings below and one app client
  new_server   factory for extra, private servers (restart / kill -9 / clock tests; `env=` and
               `extra_args=` configure them, e.g. credentials)

Backends: SQLite in each server's data dir by default. With COGNATE_E2E_DATABASE_URL
(postgres://...) every server gets a PostgreSQL schema of its own (created here, dropped at
the end of the session) unless a test hands it one to share (`database_url=`); tests that
read SQLite's files are marked `sqlite_only` and skipped there, with the reason.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
PASSWORD = "Passw0rd!Good"
OTHER_PASSWORD = "N3w-Passw0rd!"
TARGET_PREFIX = "AWSCognitoIdentityProviderService"
LISTENING_RE = re.compile(r"^cognate listening on (http://\S+)\s*$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

DEFAULT_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
ALL_PASSWORD_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
]


E2E_DATABASE_URL = os.environ.get("COGNATE_E2E_DATABASE_URL") or None
ON_POSTGRES = E2E_DATABASE_URL is not None
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="reads the SQLite files of the data dir; "
                                 "this run uses PostgreSQL (COGNATE_E2E_DATABASE_URL)")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set COGNATE_E2E_DATABASE_URL")
_schemas: list[str] = []


def psql(sql: str, url: str | None = None) -> str:
    """Runs SQL with the psql client on the e2e database; returns its unaligned output."""
    out = subprocess.run(["psql", url or E2E_DATABASE_URL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                          "-c", sql], check=True, capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def schema_url(schema: str) -> str:
    """The e2e database URL with connections in `schema`, named cognate_<schema> in pg_stat_activity."""
    sep = "&" if "?" in E2E_DATABASE_URL else "?"
    return f"{E2E_DATABASE_URL}{sep}options=-c%20search_path%3D{schema}&application_name=cognate_{schema}"


def new_schema() -> str:
    """A fresh, empty schema (dropped at the end of the session); returns its name."""
    name = f"cognate_e2e_{uuid.uuid4().hex[:12]}"
    psql(f"CREATE SCHEMA {name}")
    _schemas.append(name)
    return name


@pytest.fixture(scope="session", autouse=True)
def _drop_schemas():
    yield
    for name in _schemas:
        try:
            psql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        except Exception as e:  # a leftover schema is not a test failure
            print(f"could not drop schema {name}: {e}")


def cognate_binary() -> Path:
    explicit = os.environ.get("COGNATE_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.expanduser("~/.cache/cognate-target")
    return Path(target) / "debug" / "cognate"


# --------------------------------------------------------------------------- server process


class CognateServer:
    """One `cognate serve` process on a data dir; can be stopped, killed and restarted."""

    def __init__(self, data_dir: Path, log_dir: Path, extra_args=(), test_clock=True, env=None,
                 database_url: str | None = None):
        self.data_dir = Path(data_dir)
        # PostgreSQL runs: a schema of its own, kept across restarts, unless one is handed in.
        if database_url is None and ON_POSTGRES:
            database_url = schema_url(new_schema())
        self.database_url = database_url
        self.log_dir = Path(log_dir)
        self.extra_args = list(extra_args)
        self.test_clock = test_clock
        self.env = dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.url: str | None = None
        self.port = 0  # 0 = pick a free port; kept across restarts so issuers stay the same
        self.starts = 0

    # -- lifecycle
    def start(self, timeout: float = 60.0) -> "CognateServer":
        assert self.proc is None, "server already running"
        binary = cognate_binary()
        if not binary.exists():
            pytest.fail(f"cognate binary not found at {binary} (build it or set COGNATE_BIN)")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.log_path = self.log_dir / f"server-{self.starts}.log"
        args = [str(binary), "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", str(self.data_dir)]
        if self.test_clock:
            args.append("--test-clock")
        if self.database_url:
            args += ["--database-url", self.database_url]
        args += self.extra_args
        env = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
        env.setdefault("RUST_LOG", "info")
        env.update(self.env)
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )
        log.close()
        line = self._read_first_line(timeout)
        m = LISTENING_RE.match(line or "")
        if not m:
            self.kill()
            pytest.fail(f"server did not announce itself (got {line!r}); log tail:\n{self.log_tail()}")
        self.url = m.group(1).rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def _read_first_line(self, timeout: float) -> str | None:
        result: list[str] = []
        proc = self.proc

        def reader():
            raw = proc.stdout.readline()
            result.append(raw.decode("utf-8", "replace"))

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        t.join(timeout)
        return result[0] if result else None

    def stop(self, timeout: float = 15.0):
        """Graceful stop (SIGTERM, then SIGKILL if it lingers)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._close()

    def kill(self):
        """SIGKILL: no chance to flush anything."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._close()

    def _close(self):
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None

    def restart(self, kill: bool = False) -> "CognateServer":
        self.kill() if kill else self.stop()
        return self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "<no log>"

    # -- helpers
    def client(self, credentials=("local", "local"), **config):
        return make_boto_client(self.url, credentials=credentials, **config)

    def issuer(self, pool_id: str) -> str:
        return f"{self.url}/{pool_id}"

    def outbox(self) -> list[dict]:
        path = self.data_dir / "outbox.jsonl"
        if not path.exists():
            return []
        return [with_code(json.loads(l)) for l in path.read_text().splitlines() if l.strip()]

    def last_message(self, pool_id: str, username: str | None = None, kind: str | None = None,
                     destination: str | None = None) -> dict:
        """Newest outbox line for this pool matching the username (or destination) and kind."""
        for msg in reversed(self.outbox()):
            if msg.get("pool_id") != pool_id:
                continue
            if kind and msg.get("kind") != kind:
                continue
            if username and msg.get("username") != username and msg.get("destination") != username:
                continue
            if destination and msg.get("destination") != destination:
                continue
            return msg
        raise AssertionError(f"no outbox message for pool={pool_id} user={username} kind={kind}")

    def messages(self, pool_id: str, username: str | None = None) -> list[dict]:
        return [m for m in self.outbox() if m.get("pool_id") == pool_id
                and (username is None or username in (m.get("username"), m.get("destination")))]

    # -- test clock
    def clock(self) -> float:
        r = requests.get(f"{self.url}/_cognate/clock", timeout=5)
        r.raise_for_status()
        return float(r.json()["now"])

    def set_clock(self, now: float) -> float:
        r = requests.post(f"{self.url}/_cognate/clock", json={"now": now}, timeout=5)
        r.raise_for_status()
        return float(r.json()["now"])

    def advance_clock(self, seconds: float) -> float:
        r = requests.post(f"{self.url}/_cognate/clock", json={"advance": seconds}, timeout=5)
        r.raise_for_status()
        return float(r.json()["now"])


def with_code(msg: dict) -> dict:
    """The outbox holds what a mailbox would: the code is read from the message text, as a
    person would (the temporary password of an invitation, else the 6-digit code)."""
    text = msg.get("message", "")
    m = re.search(r"temporary password is (\S+)\.$", text) if msg.get("kind") == "AdminCreateUser" else None
    m = m or re.search(r"\b(\d{6})\b", text)
    return {**msg, "code": m.group(1) if m else None}


def make_boto_client(url: str, credentials=("local", "local"), **config):
    """boto3 cognito-idp client; `credentials` is the (access key id, secret) it signs with."""
    cfg = dict(retries={"max_attempts": 1}, connect_timeout=3, read_timeout=30)
    cfg.update(config)
    key_id, secret = credentials
    return boto3.client(
        "cognito-idp", endpoint_url=url, region_name=REGION,
        aws_access_key_id=key_id, aws_secret_access_key=secret,
        config=Config(**cfg),
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("cognate")
    srv = CognateServer(base / "data", base / "logs").start()
    yield srv
    srv.stop()


@pytest.fixture
def new_server(tmp_path):
    """Factory for private servers (own data dir); all stopped after the test."""
    started: list[CognateServer] = []
    lock = threading.Lock()

    def factory(data_dir: Path | None = None, **kwargs) -> CognateServer:
        # Several threads may start servers at once: each gets its own data and log folders.
        with lock:
            n = len(started)
            srv = CognateServer(data_dir or tmp_path / f"data{n}", tmp_path / f"logs{n}", **kwargs)
            started.append(srv)
        return srv.start()

    yield factory
    for srv in started:
        srv.kill()


@pytest.fixture(scope="session")
def cognito(server):
    return server.client()


@pytest.fixture(scope="session")
def cognito_unvalidated(server):
    """boto3 without client-side parameter validation, to send bad input to the server."""
    return server.client(parameter_validation=False)


# --------------------------------------------------------------------------- pools, clients, users


class Pool:
    """A user pool plus helpers bound to one server and one boto3 client."""

    def __init__(self, server: CognateServer, cognito, pool: dict):
        self.server = server
        self.cognito = cognito
        self.data = pool
        self.id = pool["Id"]
        self.client_id: str | None = None

    @property
    def issuer(self) -> str:
        return self.server.issuer(self.id)

    def describe(self) -> dict:
        return self.cognito.describe_user_pool(UserPoolId=self.id)["UserPool"]

    def create_client(self, name="app", flows=None, **kwargs) -> dict:
        args = dict(UserPoolId=self.id, ClientName=name,
                    ExplicitAuthFlows=ALL_PASSWORD_FLOWS if flows is None else flows)
        args.update(kwargs)
        return self.cognito.create_user_pool_client(**args)["UserPoolClient"]

    def create_user(self, username: str, password: str | None = PASSWORD, attributes=None,
                    status: str = "CONFIRMED") -> dict:
        """Admin-created user, no message sent. status CONFIRMED (permanent password) or
        FORCE_CHANGE_PASSWORD (password is the temporary one)."""
        attrs = [{"Name": k, "Value": v} for k, v in (attributes or {}).items()]
        kwargs = dict(UserPoolId=self.id, Username=username, UserAttributes=attrs, MessageAction="SUPPRESS")
        if password and status == "FORCE_CHANGE_PASSWORD":
            kwargs["TemporaryPassword"] = password
        user = self.cognito.admin_create_user(**kwargs)["User"]
        if password and status == "CONFIRMED":
            self.cognito.admin_set_user_password(UserPoolId=self.id, Username=username,
                                                 Password=password, Permanent=True)
        return user

    def sign_up(self, username: str, password: str = PASSWORD, attributes=None, client_id=None) -> dict:
        attrs = [{"Name": k, "Value": v} for k, v in (attributes or {}).items()]
        return self.cognito.sign_up(ClientId=client_id or self.client_id, Username=username,
                                    Password=password, UserAttributes=attrs)

    def sign_in(self, username: str, password: str = PASSWORD, client_id=None) -> dict:
        r = self.cognito.initiate_auth(ClientId=client_id or self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": username, "PASSWORD": password})
        assert "AuthenticationResult" in r, f"expected tokens, got challenge {r.get('ChallengeName')}"
        return r["AuthenticationResult"]

    def get_user(self, username: str) -> dict:
        return self.cognito.admin_get_user(UserPoolId=self.id, Username=username)

    def attrs(self, username: str) -> dict:
        return attr_dict(self.get_user(username)["UserAttributes"])

    def last_message(self, username=None, kind=None, destination=None) -> dict:
        return self.server.last_message(self.id, username=username, kind=kind, destination=destination)

    def messages(self, username=None) -> list[dict]:
        return self.server.messages(self.id, username)

    def usernames(self) -> list[str]:
        out, token = [], None
        while True:
            kw = {"PaginationToken": token} if token else {}
            r = self.cognito.list_users(UserPoolId=self.id, Limit=60, **kw)
            out += [u["Username"] for u in r["Users"]]
            token = r.get("PaginationToken")
            if not token:
                return sorted(out)


def attr_dict(attributes) -> dict:
    return {a["Name"]: a.get("Value") for a in attributes}


def unique(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def create_pool(cognito, server, **kwargs) -> Pool:
    args = dict(PoolName=unique("pool-"), Policies={"PasswordPolicy": dict(DEFAULT_POLICY)},
                AutoVerifiedAttributes=["email"])
    args.update(kwargs)
    return Pool(server, cognito, cognito.create_user_pool(**args)["UserPool"])


@pytest.fixture
def make_pool(cognito, server):
    pools: list[Pool] = []

    def factory(with_client: bool = True, client_kwargs=None, **kwargs) -> Pool:
        p = create_pool(cognito, server, **kwargs)
        if with_client:
            p.client_id = p.create_client(**(client_kwargs or {}))["ClientId"]
        pools.append(p)
        return p

    yield factory
    for p in pools:
        try:
            cognito.delete_user_pool(UserPoolId=p.id)
        except Exception:
            pass


@pytest.fixture
def pool(make_pool) -> Pool:
    """Fresh pool: default strict password policy, email auto-verified, one client with password flows."""
    return make_pool()


# --------------------------------------------------------------------------- assertions


def error_of(excinfo) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err.get("Code"), err.get("Message")


def assert_error(excinfo, code: str, message: str | None = None, contains: str | None = None):
    got_code, got_msg = error_of(excinfo)
    assert got_code == code, f"expected {code}, got {got_code}: {got_msg}"
    if message is not None:
        assert got_msg == message, f"{code}: expected message {message!r}, got {got_msg!r}"
    if contains is not None:
        assert contains in (got_msg or ""), f"{code}: {contains!r} not in {got_msg!r}"


def raises(code: str, message: str | None = None, contains: str | None = None):
    """Context manager: `with raises("NotAuthorizedException", "Incorrect username or password."): ...`"""
    return _Raises(code, message, contains)


class _Raises:
    def __init__(self, code, message, contains):
        self.code, self.message, self.contains = code, message, contains
        self._cm = pytest.raises(ClientError)

    def __enter__(self):
        self.excinfo = self._cm.__enter__()
        return self.excinfo

    def __exit__(self, *exc):
        suppressed = self._cm.__exit__(*exc)
        if suppressed:
            assert_error(self.excinfo, self.code, self.message, self.contains)
        return suppressed


def raw_call(url: str, operation: str, body, content_type="application/x-amz-json-1.1",
             target: str | None = None, headers=None) -> requests.Response:
    """POST an AWS JSON 1.1 request by hand. `body` may be a dict (JSON-encoded) or str/bytes (sent as is)."""
    data = json.dumps(body) if isinstance(body, (dict, list)) else body
    h = {"Content-Type": content_type,
         "X-Amz-Target": target if target is not None else f"{TARGET_PREFIX}.{operation}"}
    h.update(headers or {})
    return requests.post(url + "/", data=data, headers=h, timeout=30)


@pytest.fixture(autouse=True)
def _dump_server_log_on_failure(request, server):
    # The shared server's test clock stands still between tests; bring it up to real time (never
    # back) so tokens it issues are not already expired for verifiers that use the real clock
    # (PyJWT, aws-jwt-verify) when the suite runs long.
    if server.running:
        now = time.time()
        if server.clock() < now:
            server.set_clock(now)
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed and not server.running:
        print(f"\n--- server died; log tail ---\n{server.log_tail()}")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


# --------------------------------------------------------------------------- TOTP MFA

TOTP_STEP = 30


def totp_code(secret: str, t: float) -> str:
    """RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) for `secret` at epoch time `t`, computed by pyotp."""
    import pyotp

    return pyotp.TOTP(secret).at(int(t))


def wrong_totp_code(secret: str, t: float) -> str:
    """A 6-digit code that matches none of the steps t-2..t+2 for this secret."""
    taken = {totp_code(secret, t + k * TOTP_STEP) for k in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 111_111)) if c not in taken)


def secret_hash(secret: str, username: str, client_id: str) -> str:
    import base64
    import hashlib
    import hmac

    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def enable_totp(cognito, pool_id: str, mfa: str = "OPTIONAL") -> dict:
    """SetUserPoolMfaConfig: TOTP on, MfaConfiguration OPTIONAL (or ON)."""
    return cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=mfa,
                                            SoftwareTokenMfaConfiguration={"Enabled": True})
