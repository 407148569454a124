"""SigV4 on signed operations, checked against servers started with credentials: boto3 and the
AWS CLI signing for real, requests re-sent with one thing changed, old and future dates, the
credentials file and its reload, unsigned operations, the Host check and the start rules."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import time

import boto3
import botocore
import botocore.auth
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from conftest import (PASSWORD, REGION, TARGET_PREFIX, UUID_RE, cognate_binary, raises,
                      raw_call, unique)

KEY_ID = "AKIACOGNATETEST00001"
SECRET = "Cognate/Test+Secret/0001abcdEFGH"
MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
UNKNOWN_KEY = "The security token included in the request is invalid."
AMZ_DATE = r"\d{8}T\d{6}Z"
CREDENTIAL_ENV = {"COGNATE_ACCESS_KEY_ID": KEY_ID, "COGNATE_SECRET_ACCESS_KEY": SECRET}


@pytest.fixture
def signed(new_server):
    """A server with one access key from the environment, on the real clock."""
    return new_server(env=CREDENTIAL_ENV, test_clock=False)


def admin(srv, key_id=KEY_ID, secret=SECRET, **config):
    return srv.client(credentials=(key_id, secret), **config)


def unsigned_client(srv):
    return srv.client(signature_version=botocore.UNSIGNED)


def sign(url: str, op: str, body: dict, key_id=KEY_ID, secret=SECRET, region=REGION):
    """A request signed by botocore's own signer: (headers, body bytes)."""
    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=url + "/", data=data, headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"{TARGET_PREFIX}.{op}",
    })
    SigV4Auth(Credentials(key_id, secret), "cognito-idp", region).add_auth(req)
    return dict(req.headers.items()), data


def post(url: str, headers: dict, data: bytes, path: str = "/") -> requests.Response:
    return requests.post(url + path, data=data, headers=headers, timeout=30)


def assert_envelope(r: requests.Response, code: str, status: int = 400) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["__type"] == code, body
    assert r.headers.get("x-amzn-ErrorType") == f"{code}:"
    assert UUID_RE.match(r.headers.get("x-amzn-RequestId", "")), r.headers
    return body["message"]


def amz_seconds(amz: str) -> float:
    return datetime.datetime.strptime(amz, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def make_pool_and_client(cognito) -> tuple[str, str]:
    pool_id = cognito.create_user_pool(PoolName=unique("sig-"))["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


# --------------------------------------------------------------------------- boto3


def test_right_keys_work_and_the_log_names_the_key_never_the_secret(signed):
    c = admin(signed)
    pool_id, _ = make_pool_and_client(c)
    c.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD,
                              Permanent=True)
    assert [u["Username"] for u in c.list_users(UserPoolId=pool_id)["Users"]] == ["alice"]
    assert pool_id in [p["Id"] for p in c.list_user_pools(MaxResults=10)["UserPools"]]
    log = open(signed.log_path).read()
    assert f"access_key={KEY_ID}" in log
    assert SECRET not in log


def test_wrong_secret_is_invalid_signature(signed):
    with raises("InvalidSignatureException", MISMATCH) as e:
        admin(signed, secret=SECRET + "x").list_user_pools(MaxResults=5)
    meta = e.value.response["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 400
    assert UUID_RE.match(meta["HTTPHeaders"]["x-amzn-requestid"])


def test_unknown_key_is_unrecognized_client(signed):
    with raises("UnrecognizedClientException", UNKNOWN_KEY):
        admin(signed, key_id="AKIANOBODY", secret=SECRET).list_user_pools(MaxResults=5)


def test_no_signature_on_a_signed_operation(signed):
    with raises("MissingAuthenticationTokenException", "Missing Authentication Token"):
        unsigned_client(signed).list_user_pools(MaxResults=5)
    r = raw_call(signed.url, "AdminGetUser", {"UserPoolId": "us-east-1_aaaaaaaaa", "Username": "x"})
    assert assert_envelope(r, "MissingAuthenticationTokenException") == "Missing Authentication Token"


def test_malformed_authorization_names_what_is_missing(signed):
    headers, data = sign(signed.url, "ListUserPools", {"MaxResults": 5})
    headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={KEY_ID}/20250101/{REGION}/cognito-idp/aws4_request"
    message = assert_envelope(post(signed.url, headers, data), "IncompleteSignatureException")
    assert "'Signature'" in message and "'SignedHeaders'" in message, message
    headers["Authorization"] = "Bearer something"
    message = assert_envelope(post(signed.url, headers, data), "IncompleteSignatureException")
    assert "'Credential'" in message, message


def test_region_and_service_of_the_scope(signed):
    other_region = boto3.client("cognito-idp", endpoint_url=signed.url, region_name="eu-west-1",
                                aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
                                config=Config(retries={"max_attempts": 1}))
    with raises("InvalidSignatureException",
                "Credential should be scoped to a valid region, not 'eu-west-1'."):
        other_region.list_user_pools(MaxResults=5)
    headers, data = sign(signed.url, "ListUserPools", {"MaxResults": 5})
    headers["Authorization"] = headers["Authorization"].replace("/cognito-idp/", "/s3/")
    message = assert_envelope(post(signed.url, headers, data), "InvalidSignatureException")
    assert message == "Credential should be scoped to correct service: 'cognito-idp'."


def test_botocore_tampered_after_signing(signed):
    """boto3 signs; a before-send hook changes the prepared request, as a proxy could."""
    def tamper_with(change):
        c = admin(signed)
        c.meta.events.register("before-send.cognito-idp.*", lambda request, **_: change(request))
        return c

    def body(request):
        request.body = request.body.replace(b"5", b"6")

    def target(request):
        request.headers["X-Amz-Target"] = f"{TARGET_PREFIX}.DeleteUserPool"

    def date(request):
        amz = request.headers["X-Amz-Date"]
        amz = amz.decode() if isinstance(amz, bytes) else amz
        later = datetime.datetime.strptime(amz, "%Y%m%dT%H%M%SZ") + datetime.timedelta(seconds=1)
        request.headers["X-Amz-Date"] = later.strftime("%Y%m%dT%H%M%SZ")

    for change in (body, target, date):
        with raises("InvalidSignatureException", MISMATCH):
            tamper_with(change).list_user_pools(MaxResults=5)


def test_a_signed_request_resent_with_one_byte_changed(signed):
    pool_id, _ = make_pool_and_client(admin(signed))
    headers, data = sign(signed.url, "AdminCreateUser",
                         {"UserPoolId": pool_id, "Username": "bob", "MessageAction": "SUPPRESS"})
    flipped = bytearray(data)
    flipped[data.index(b"bob")] ^= 0x01  # "bob" -> "cob"
    assert_envelope(post(signed.url, headers, bytes(flipped)), "InvalidSignatureException")
    for name, value in [("Content-Type", "application/json"),
                        ("X-Amz-Target", f"{TARGET_PREFIX}.AdminDeleteUser")]:
        assert_envelope(post(signed.url, {**headers, name: value}, data), "InvalidSignatureException")
    assert_envelope(post(signed.url, headers, data, path="/other"), "InvalidSignatureException")
    assert_envelope(post(signed.url, headers, data, path="/?x=1"), "InvalidSignatureException")
    # Untouched, the same request goes through.
    r = post(signed.url, headers, data)
    assert r.status_code == 200, r.text
    assert r.json()["User"]["Username"] == "bob"


def test_x_amz_target_must_be_signed(signed):
    data = json.dumps({"MaxResults": 5}).encode()
    req = AWSRequest(method="POST", url=signed.url + "/", data=data,
                     headers={"Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(KEY_ID, SECRET), "cognito-idp", REGION).add_auth(req)
    headers = {**dict(req.headers.items()), "X-Amz-Target": f"{TARGET_PREFIX}.ListUserPools"}
    message = assert_envelope(post(signed.url, headers, data), "IncompleteSignatureException")
    assert "'x-amz-target' must be a 'SignedHeader'" in message


@pytest.mark.parametrize("minutes,expired", [(-20, True), (20, False)])
def test_x_amz_date_twenty_minutes_off(signed, monkeypatch, minutes, expired):
    real = botocore.auth.get_current_datetime
    monkeypatch.setattr(botocore.auth, "get_current_datetime",
                        lambda *a, **k: real(*a, **k) + datetime.timedelta(minutes=minutes))
    c = admin(signed)
    sent = {}
    c.meta.events.register("before-send.cognito-idp.*",
                           lambda request, **_: sent.update(date=request.headers["X-Amz-Date"]))
    with raises("InvalidSignatureException") as e:
        c.list_user_pools(MaxResults=5)
    amz = sent["date"].decode() if isinstance(sent["date"], bytes) else sent["date"]
    message = e.value.response["Error"]["Message"]
    if expired:
        m = re.fullmatch(rf"Signature expired: ({AMZ_DATE}) is now earlier than ({AMZ_DATE}) "
                         rf"\(({AMZ_DATE}) - 15 min\.\)", message)
    else:
        m = re.fullmatch(rf"Signature not yet current: ({AMZ_DATE}) is still later than "
                         rf"({AMZ_DATE}) \(({AMZ_DATE}) \+ 15 min\.\)", message)
    assert m, message
    assert m.group(1) == amz
    bound, now = amz_seconds(m.group(2)), amz_seconds(m.group(3))
    assert bound - now == (-900 if expired else 900)
    assert abs(amz_seconds(amz) - now - minutes * 60) < 30


def test_the_server_clock_decides(new_server):
    """Signatures are checked against the server's (injected) clock, not the system's."""
    srv = new_server(env=CREDENTIAL_ENV)  # --test-clock
    c = admin(srv)
    c.list_user_pools(MaxResults=5)
    srv.advance_clock(20 * 60)
    with raises("InvalidSignatureException", contains="Signature expired"):
        c.list_user_pools(MaxResults=5)
    srv.advance_clock(-40 * 60)
    with raises("InvalidSignatureException", contains="Signature not yet current"):
        c.list_user_pools(MaxResults=5)
    srv.advance_clock(20 * 60)
    c.list_user_pools(MaxResults=5)


# --------------------------------------------------------------------------- unsigned operations


def test_unsigned_operations_need_no_credentials(signed):
    pool_id, client_id = make_pool_and_client(admin(signed))
    anonymous = unsigned_client(signed)
    with raises("MissingAuthenticationTokenException"):
        anonymous.admin_get_user(UserPoolId=pool_id, Username="carol")
    anonymous.sign_up(ClientId=client_id, Username="carol", Password=PASSWORD,
                      UserAttributes=[{"Name": "email", "Value": "carol@example.com"}])
    admin(signed).admin_confirm_sign_up(UserPoolId=pool_id, Username="carol")
    tokens = anonymous.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})["AuthenticationResult"]
    assert anonymous.get_user(AccessToken=tokens["AccessToken"])["Username"] == "carol"
    # A signature on an unsigned operation is not looked at, even a broken one.
    r = raw_call(signed.url, "InitiateAuth",
                 {"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                  "AuthParameters": {"USERNAME": "carol", "PASSWORD": PASSWORD}},
                 headers={"Authorization": "AWS4-HMAC-SHA256 Credential=nobody, Signature=00"})
    assert r.status_code == 200, r.text


# --------------------------------------------------------------------------- the AWS CLI


def aws_cli(srv, tmp_path, key_id, secret, *args):
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
    }
    cmd = [sys.executable, "-m", "awscli", "cognito-idp", *args,
           "--endpoint-url", srv.url, "--region", REGION, "--output", "json"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def test_aws_cli_right_and_wrong_keys(signed, tmp_path):
    pool_id, _ = make_pool_and_client(admin(signed))
    ok = aws_cli(signed, tmp_path, KEY_ID, SECRET, "list-user-pools", "--max-results", "5")
    assert ok.returncode == 0, ok.stderr
    assert pool_id in [p["Id"] for p in json.loads(ok.stdout)["UserPools"]]
    wrong = aws_cli(signed, tmp_path, KEY_ID, "not-the-secret", "list-user-pools",
                    "--max-results", "5")
    assert wrong.returncode != 0
    assert "InvalidSignatureException" in wrong.stderr, wrong.stderr
    unknown = aws_cli(signed, tmp_path, "AKIANOBODY", SECRET, "list-user-pools",
                      "--max-results", "5")
    assert unknown.returncode != 0
    assert "UnrecognizedClientException" in unknown.stderr, unknown.stderr


# --------------------------------------------------------------------------- credentials file


def credentials_file(path, pairs: dict[str, str]):
    text = "".join(f"[p{i}]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n\n"
                   for i, (k, s) in enumerate(pairs.items()))
    path.write_text(text)
    os.chmod(path, 0o600)


def works(srv, key_id, secret) -> bool:
    try:
        admin(srv, key_id, secret).list_user_pools(MaxResults=5)
        return True
    except botocore.exceptions.ClientError as e:
        code = e.response["Error"]["Code"]
        assert code in ("UnrecognizedClientException", "InvalidSignatureException"), code
        return False


def eventually(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def test_credentials_file_two_pairs_reloaded(new_server, tmp_path):
    path = tmp_path / "credentials"
    credentials_file(path, {"AKIAFILEONE": "secret-one", "AKIAFILETWO": "secret-two"})
    srv = new_server(extra_args=["--credentials-file", str(path)], test_clock=False)
    assert works(srv, "AKIAFILEONE", "secret-one")
    assert works(srv, "AKIAFILETWO", "secret-two")
    assert not works(srv, "AKIAFILEONE", "secret-two")

    # One key removed, one rotated, one added: picked up without a restart.
    credentials_file(path, {"AKIAFILETWO": "secret-two-rotated", "AKIAFILE3": "secret-three"})
    eventually(lambda: works(srv, "AKIAFILE3", "secret-three"))
    assert not works(srv, "AKIAFILEONE", "secret-one")
    assert not works(srv, "AKIAFILETWO", "secret-two")
    assert works(srv, "AKIAFILETWO", "secret-two-rotated")

    # A broken file keeps the previous keys and says so in the log, without any secret.
    # (The file is looked at when a signed request arrives.)
    path.write_text("[broken]\naws_secret_access_key = leaked-if-logged\n")
    eventually(lambda: works(srv, "AKIAFILE3", "secret-three")
               and "credentials file not reloaded" in open(srv.log_path).read())
    log = open(srv.log_path).read()
    for secret in ("secret-one", "secret-two", "secret-three", "leaked-if-logged"):
        assert secret not in log


def test_credentials_file_from_the_environment_with_the_pair(new_server, tmp_path):
    path = tmp_path / "credentials"
    credentials_file(path, {"AKIAFILEONE": "secret-one"})
    srv = new_server(env={**CREDENTIAL_ENV, "COGNATE_CREDENTIALS_FILE": str(path)},
                     test_clock=False)
    assert works(srv, "AKIAFILEONE", "secret-one")
    assert works(srv, KEY_ID, SECRET)
    assert not works(srv, "AKIAFILEONE", SECRET)
    assert not works(srv, KEY_ID, "secret-one")


# --------------------------------------------------------------------------- Host check


def raw_with_host(url, host, path="/", method="POST"):
    headers = {"Host": host, "Content-Type": "application/x-amz-json-1.1",
               "X-Amz-Target": f"{TARGET_PREFIX}.ListUserPools"}
    return requests.request(method, url + path, data=b'{"MaxResults": 5}', headers=headers,
                            timeout=10)


def test_host_check_refuses_a_rebound_name(server, make_pool):
    """The open (no credentials) server: the case DNS rebinding targets."""
    pool = make_pool(with_client=False).id
    r = raw_with_host(server.url, "evil.example")
    assert "evil.example" in assert_envelope(r, "ForbiddenException", 403)
    r = raw_with_host(server.url, f"evil.example:{server.port}")
    assert_envelope(r, "ForbiddenException", 403)
    r = raw_with_host(server.url, "evil.example", path=f"/{pool}/.well-known/jwks.json",
                      method="GET")
    assert_envelope(r, "ForbiddenException", 403)
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        assert raw_with_host(server.url, host).status_code == 200, host
    health = requests.get(server.url + "/health", headers={"Host": "evil.example"}, timeout=5)
    assert health.status_code == 200


def test_allowed_hosts_and_public_url(new_server):
    srv = new_server(env={**CREDENTIAL_ENV, "COGNATE_ALLOWED_HOSTS": "cognate.test, api.test:8443"},
                     extra_args=["--public-url", "https://auth.example.com/base"])
    for ok in ("cognate.test:1234", "api.test:8443", "auth.example.com", "auth.example.com:443"):
        r = raw_with_host(srv.url, ok)
        # Past the Host check; the missing signature is what stops it.
        assert_envelope(r, "MissingAuthenticationTokenException")
    for bad in ("api.test:9999", "evil.example", f"auth.example.com:{srv.port}"):
        assert_envelope(raw_with_host(srv.url, bad), "ForbiddenException", 403)


# --------------------------------------------------------------------------- start rules


def run_cognate(tmp_path, *args, env=None, timeout=30):
    base = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
    return subprocess.run([str(cognate_binary()), "serve", "--data-dir", str(tmp_path / "data"),
                           *args], env={**base, **(env or {})}, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


@pytest.mark.parametrize("listen", ["0.0.0.0:0", "[::]:0", "192.0.2.1:9229"])
def test_no_credentials_off_loopback_refuses_to_start(tmp_path, listen):
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: had the server tried to bind, the
    # error would be a bind error, so this also shows the refusal comes first.
    p = run_cognate(tmp_path, "--listen", listen)
    assert p.returncode != 0
    assert "cognate listening" not in p.stdout
    assert f"refusing to listen on {listen} without credentials" in p.stderr, p.stderr
    for name in ("COGNATE_ACCESS_KEY_ID", "COGNATE_SECRET_ACCESS_KEY", "COGNATE_CREDENTIALS_FILE"):
        assert name in p.stderr
    assert not (tmp_path / "data").exists()


def test_half_a_key_pair_refuses_to_start(tmp_path):
    p = run_cognate(tmp_path, "--listen", "127.0.0.1:0", env={"COGNATE_ACCESS_KEY_ID": KEY_ID})
    assert p.returncode != 0
    assert "COGNATE_SECRET_ACCESS_KEY is not" in p.stderr, p.stderr


def test_broken_credentials_file_refuses_to_start(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[x]\naws_secret_access_key = do-not-print\n")
    p = run_cognate(tmp_path, "--listen", "127.0.0.1:0", "--credentials-file", str(path))
    assert p.returncode != 0
    assert "no aws_access_key_id" in p.stderr and "do-not-print" not in p.stderr, p.stderr


def test_open_on_loopback_says_so(new_server):
    srv = new_server()
    log = open(srv.log_path).read()
    assert ("no credentials configured: signed operations accept any signature; "
            "listening on loopback only") in log
    srv.client().list_user_pools(MaxResults=5)
    unsigned_client(srv).list_user_pools(MaxResults=5)
