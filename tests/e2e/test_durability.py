"""Durability: state survives restarts and kill -9; secrets never hit the disk in plain text."""

import stat
import threading
import time

import jwt
import requests
from botocore.exceptions import ClientError
from jwt import PyJWKClient

from conftest import OTHER_PASSWORD, PASSWORD, attr_dict, raises, sqlite_only

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def setup_pool(c, name="durable"):
    pid = c.create_user_pool(PoolName=name, AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="app", ExplicitAuthFlows=FLOWS,
                                    IdTokenValidity=2, TokenValidityUnits={"IdToken": "hours"})["UserPoolClient"]["ClientId"]
    return pid, cid


def sign_in(c, cid, username, password=PASSWORD):
    return c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": username, "PASSWORD": password})["AuthenticationResult"]


def test_restart_keeps_everything(new_server):
    srv = new_server()
    c = srv.client()
    pid, cid = setup_pool(c)
    c.create_group(UserPoolId=pid, GroupName="staff", Description="Staff")
    c.admin_create_user(UserPoolId=pid, Username="alice", MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                                        {"Name": "email_verified", "Value": "true"}])
    c.admin_set_user_password(UserPoolId=pid, Username="alice", Password=PASSWORD, Permanent=True)
    c.admin_add_user_to_group(UserPoolId=pid, Username="alice", GroupName="staff")
    c.sign_up(ClientId=cid, Username="bob", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "bob@example.com"}])
    bob_code = srv.last_message(pid, "bob", kind="SignUp")["code"]
    before = sign_in(c, cid, "alice")
    jwks_before = requests.get(f"{srv.issuer(pid)}/.well-known/jwks.json", timeout=5).json()
    issuer = srv.issuer(pid)

    srv.restart()
    c = srv.client()
    assert srv.issuer(pid) == issuer, "restart must keep the same address (and so the same issuer)"

    pool = c.describe_user_pool(UserPoolId=pid)["UserPool"]
    assert pool["Name"] == "durable"
    client = c.describe_user_pool_client(UserPoolId=pid, ClientId=cid)["UserPoolClient"]
    assert client["IdTokenValidity"] == 2
    alice = c.admin_get_user(UserPoolId=pid, Username="alice")
    assert alice["UserStatus"] == "CONFIRMED"
    assert attr_dict(alice["UserAttributes"])["email"] == "alice@example.com"
    assert c.admin_get_user(UserPoolId=pid, Username="bob")["UserStatus"] == "UNCONFIRMED"
    assert [g["GroupName"] for g in c.admin_list_groups_for_user(UserPoolId=pid, Username="alice")["Groups"]] == ["staff"]

    # keys persisted: same JWKS, and tokens issued before the restart still verify and still work
    assert requests.get(f"{issuer}/.well-known/jwks.json", timeout=5).json() == jwks_before
    key = PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(before["IdToken"])
    claims = jwt.decode(before["IdToken"], key.key, algorithms=["RS256"], audience=cid, issuer=issuer)
    assert claims["cognito:groups"] == ["staff"]
    assert c.get_user(AccessToken=before["AccessToken"])["Username"] == "alice"
    refreshed = c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                AuthParameters={"REFRESH_TOKEN": before["RefreshToken"]})["AuthenticationResult"]
    assert c.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "alice"

    # sign-in and pending codes work after the restart
    after = sign_in(c, cid, "alice")
    assert jwt.get_unverified_header(after["IdToken"])["kid"] == jwt.get_unverified_header(before["IdToken"])["kid"]
    c.confirm_sign_up(ClientId=cid, Username="bob", ConfirmationCode=bob_code)
    assert sign_in(c, cid, "bob")["AccessToken"]


def test_revocation_survives_restart(new_server):
    srv = new_server()
    c = srv.client()
    pid, cid = setup_pool(c, "revoked")
    c.admin_create_user(UserPoolId=pid, Username="carl", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="carl", Password=PASSWORD, Permanent=True)
    tokens = sign_in(c, cid, "carl")
    c.global_sign_out(AccessToken=tokens["AccessToken"])
    srv.restart()
    c = srv.client()
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        c.get_user(AccessToken=tokens["AccessToken"])
    with raises("NotAuthorizedException", "Refresh Token has been revoked"):
        c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})


def test_master_key_file_permissions(new_server):
    srv = new_server()
    key = srv.data_dir / "master.key"
    assert key.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    content = key.read_bytes()
    srv.restart()
    assert key.read_bytes() == content, "the master key must not be regenerated on restart"


@sqlite_only
def test_no_plaintext_secrets_on_disk(new_server):
    srv = new_server()
    c = srv.client()
    pid, cid = setup_pool(c, "secrets")
    signup_pw = "Zq8!plaintext-SignUp"
    admin_pw = "Zq8!plaintext-Admin"
    changed_pw = "Zq8!plaintext-Changed"
    c.sign_up(ClientId=cid, Username="dora", Password=signup_pw,
              UserAttributes=[{"Name": "email", "Value": "dora@example.com"}])
    c.admin_create_user(UserPoolId=pid, Username="eli", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="eli", Password=admin_pw, Permanent=True)
    at = sign_in(c, cid, "eli", admin_pw)["AccessToken"]
    c.change_password(AccessToken=at, PreviousPassword=admin_pw, ProposedPassword=changed_pw)
    srv.stop()  # flush everything (WAL included) before reading the files
    files = [p for p in srv.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix in (".db", ".sqlite", ".sqlite3") or "sqlite" in p.name or p.name.endswith(".db")
               for p in files), f"no sqlite database in {files}"
    for p in files:
        data = p.read_bytes()
        for pw in (signup_pw, admin_pw, changed_pw):
            assert pw.encode() not in data, f"plaintext password found in {p.name}"
            assert pw.encode("utf-16-le") not in data, f"plaintext password (utf-16) found in {p.name}"
        for marker in (b"BEGIN " + b"PRIVATE KEY", b"BEGIN RSA " + b"PRIVATE KEY"):
            assert marker not in data, f"unencrypted private key in {p.name}"


def test_kill_9_during_write_burst(new_server):
    srv = new_server()
    admin = srv.client()
    pid, cid = setup_pool(admin, "burst")

    acked: list[tuple[str, str]] = []  # (username, kind) for every call that got a 200
    errors: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(n: int):
        c = srv.client(connect_timeout=2, read_timeout=10)
        i = 0
        while not stop.is_set():
            name = f"w{n}-{i}"
            i += 1
            try:
                if i % 2:
                    c.admin_create_user(UserPoolId=pid, Username=name, MessageAction="SUPPRESS",
                                        TemporaryPassword=PASSWORD)
                    kind = "admin"
                else:
                    c.sign_up(ClientId=cid, Username=name, Password=PASSWORD)
                    kind = "signup"
            except ClientError as e:
                with lock:
                    errors.append(f"{name}: {e}")
                return
            except Exception:
                return  # connection refused/reset: the server is gone
            with lock:
                acked.append((name, kind))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while time.time() < deadline:
        with lock:
            if len(acked) >= 40:
                break
        time.sleep(0.05)
    srv.kill()  # SIGKILL while the workers are still writing
    stop.set()
    for t in threads:
        t.join(20)
    assert not errors, f"API errors during the burst: {errors[:5]}"
    assert len(acked) >= 10, f"burst too slow to be meaningful: {len(acked)} writes acknowledged"

    srv.start()
    assert requests.get(f"{srv.url}/health", timeout=5).status_code == 200
    c = srv.client()
    missing = []
    for name, kind in acked:
        try:
            u = c.admin_get_user(UserPoolId=pid, Username=name)
        except ClientError:
            missing.append(name)
            continue
        assert u["UserStatus"] == ("FORCE_CHANGE_PASSWORD" if kind == "admin" else "UNCONFIRMED"), name
    assert not missing, f"{len(missing)} acknowledged writes lost after kill -9: {missing[:10]}"

    # the store is healthy: writes and sign-in work after recovery
    c.admin_create_user(UserPoolId=pid, Username="after-crash", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="after-crash", Password=OTHER_PASSWORD, Permanent=True)
    assert sign_in(c, cid, "after-crash", OTHER_PASSWORD)["AccessToken"]
    listed = set()
    token = None
    while True:
        kw = {"PaginationToken": token} if token else {}
        r = c.list_users(UserPoolId=pid, Limit=60, **kw)
        listed |= {u["Username"] for u in r["Users"]}
        token = r.get("PaginationToken")
        if not token:
            break
    assert {n for n, _ in acked} <= listed


def test_kill_9_outbox_codes_survive(new_server):
    srv = new_server()
    c = srv.client()
    pid, cid = setup_pool(c, "outbox")
    c.sign_up(ClientId=cid, Username="fern", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "fern@example.com"}])
    code = srv.last_message(pid, "fern", kind="SignUp")["code"]
    srv.kill()
    srv.start()
    c = srv.client()
    assert srv.last_message(pid, "fern", kind="SignUp")["code"] == code
    c.confirm_sign_up(ClientId=cid, Username="fern", ConfirmationCode=code)
    assert c.admin_get_user(UserPoolId=pid, Username="fern")["UserStatus"] == "CONFIRMED"
