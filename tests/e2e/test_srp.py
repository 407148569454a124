"""USER_SRP_AUTH / PASSWORD_VERIFIER end to end, through pycognito and raw boto3.

pycognito's AWSSRP computes A and the password claim; the raw tests use its helpers (get_auth_params,
process_challenge, get_password_authentication_key) and re-sign the claim where a test needs its own
TIMESTAMP or SECRET_BLOCK. The shared server's test clock is frozen near real time and never moved
here (the server allows 24 h of TIMESTAMP skew); tests that need a given date run their own server.
"""

import base64
import datetime
import hashlib
import hmac
import json
import re

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, N_HEX, ForceChangePasswordException, hex_to_long

from conftest import (OTHER_PASSWORD, PASSWORD, REGION, TOTP_STEP, UUID_RE, enable_totp, raises, secret_hash,
                      totp_code)

WRONG = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH",
             "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
CHALLENGE_KEYS = {"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --------------------------------------------------------------------------- helpers


def srp_start(c, pid, cid, username, password=PASSWORD, client_secret=None, admin=False):
    """InitiateAuth (or AdminInitiateAuth) USER_SRP_AUTH with pycognito's A. Returns (aws, params, response)."""
    aws = AWSSRP(username, password, pid, cid, client=c, client_secret=client_secret)
    params = aws.get_auth_params()
    if admin:
        r = c.admin_initiate_auth(UserPoolId=pid, ClientId=cid, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    else:
        r = c.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    assert r.get("ChallengeName") == "PASSWORD_VERIFIER", r
    return aws, params, r


def fmt_ts(dt: datetime.datetime, pad_day=False) -> str:
    day = f"{dt.day:02d}" if pad_day else f"{dt.day:d}"
    return f"{WEEKDAYS[dt.weekday()]} {MONTHS[dt.month - 1]} {day} {dt:%H:%M:%S} UTC {dt.year}"


def claim(aws, cp, timestamp=None, secret_block=None):
    """PASSWORD_VERIFIER responses; with timestamp/secret_block, re-signed over those exact values."""
    resp = aws.process_challenge(cp, {"USERNAME": aws.username})
    if timestamp is None and secret_block is None:
        return resp
    timestamp = timestamp or resp["TIMESTAMP"]
    secret_block = secret_block or cp["SECRET_BLOCK"]
    key = aws.get_password_authentication_key(cp["USER_ID_FOR_SRP"], aws.password,
                                              hex_to_long(cp["SRP_B"]), cp["SALT"])
    msg = (aws.pool_id.split("_")[1].encode() + cp["USER_ID_FOR_SRP"].encode()
           + base64.b64decode(secret_block) + timestamp.encode())
    resp.update(TIMESTAMP=timestamp, PASSWORD_CLAIM_SECRET_BLOCK=secret_block,
                PASSWORD_CLAIM_SIGNATURE=base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode())
    return resp


def verifier(c, cid, r, responses, session=True, pid=None):
    kw = dict(ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses)
    if session and r.get("Session"):
        kw["Session"] = r["Session"]
    if pid:
        return c.admin_respond_to_auth_challenge(UserPoolId=pid, **kw)
    return c.respond_to_auth_challenge(**kw)


def srp_sign_in(c, pid, cid, username, password=PASSWORD, session=True, client_secret=None):
    aws, params, r = srp_start(c, pid, cid, username, password, client_secret=client_secret)
    return verifier(c, cid, r, claim(aws, r["ChallengeParameters"]), session=session)


def assert_tokens(resp) -> dict:
    assert "ChallengeName" not in resp, resp
    auth = resp["AuthenticationResult"]
    assert auth["TokenType"] == "Bearer"
    for k in ("AccessToken", "IdToken", "RefreshToken"):
        assert isinstance(auth.get(k), str) and len(auth[k]) > 20, k
    return auth


def verify_id_token(srv, pid, cid, id_token) -> dict:
    iss = srv.issuer(pid)
    key = jwt.PyJWKClient(f"{iss}/.well-known/jwks.json").get_signing_key_from_jwt(id_token)
    claims = jwt.decode(id_token, key.key, algorithms=["RS256"], audience=cid, issuer=iss)
    assert claims["token_use"] == "id"
    return claims


def boto_kwargs(srv) -> dict:
    return {"endpoint_url": srv.url, "aws_access_key_id": "local", "aws_secret_access_key": "local"}


def is_pad_hex(s: str) -> bool:
    if not re.fullmatch(r"[0-9a-f]+", s) or len(s) % 2:
        return False
    if s.startswith("00"):
        return len(s) > 2 and s[2] in "89abcdef"
    return s[0] in "01234567"


def srp_pool(make_pool, **kwargs):
    return make_pool(client_kwargs={"flows": SRP_FLOWS}, **kwargs)


@pytest.fixture
def spool(make_pool):
    return srp_pool(make_pool)


# --------------------------------------------------------------------------- pycognito sign-in


def test_awssrp_sign_in_and_jwks_verification(spool, cognito, server):
    spool.create_user("alice", attributes={"email": "alice@example.com"})
    tokens = AWSSRP("alice", PASSWORD, spool.id, spool.client_id, client=cognito).authenticate_user()
    auth = assert_tokens(tokens)
    claims = verify_id_token(server, spool.id, spool.client_id, auth["IdToken"])
    assert claims["cognito:username"] == "alice"
    assert claims["email"] == "alice@example.com"
    access = jwt.decode(auth["AccessToken"], options={"verify_signature": False})
    assert access["username"] == "alice" and access["client_id"] == spool.client_id
    # the tokens work against the API
    assert cognito.get_user(AccessToken=auth["AccessToken"])["Username"] == "alice"


def test_cognito_authenticate_verify_tokens(spool, server):
    spool.create_user("bob")
    kw = boto_kwargs(server)
    u = Cognito(spool.id, spool.client_id, username="bob", boto3_client_kwargs=dict(kw))
    assert u.user_pool_url == f"{server.url}/{spool.id}"
    u.authenticate(password=PASSWORD)
    u.verify_tokens()  # iss, signature against the JWKS, token_use, client id
    assert jwt.decode(u.id_token, options={"verify_signature": False})["cognito:username"] == "bob"
    # refresh through pycognito (REFRESH_TOKEN_AUTH) also works
    old = u.access_token
    u.renew_access_token()
    u.verify_tokens()
    assert u.access_token != old


def test_sign_in_with_client_secret(spool, cognito, server):
    spool.create_user("carol")
    conf = spool.create_client(name="conf", flows=SRP_FLOWS, GenerateSecret=True)
    cid, sec = conf["ClientId"], conf["ClientSecret"]
    auth = assert_tokens(AWSSRP("carol", PASSWORD, spool.id, cid, client=cognito,
                                client_secret=sec).authenticate_user())
    assert verify_id_token(server, spool.id, cid, auth["IdToken"])["cognito:username"] == "carol"
    u = Cognito(spool.id, cid, username="carol", client_secret=sec, boto3_client_kwargs=boto_kwargs(server))
    u.authenticate(password=PASSWORD)
    u.verify_tokens()
    with raises("NotAuthorizedException", f"Client {cid} is configured for secret but secret was not received"):
        AWSSRP("carol", PASSWORD, spool.id, cid, client=cognito).authenticate_user()


@pytest.mark.parametrize("legacy", ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH_FLOW_ONLY"])
def test_legacy_explicit_auth_flows_allow_srp_and_refresh(spool, server, legacy):
    """Clients created with a legacy ExplicitAuthFlows value still allow USER_SRP_AUTH and refresh."""
    spool.create_user("legacy")
    cid = spool.create_client(name="legacy", flows=[legacy])["ClientId"]
    u = Cognito(spool.id, cid, username="legacy", boto3_client_kwargs=boto_kwargs(server))
    u.authenticate(password=PASSWORD)
    u.verify_tokens()
    old = u.access_token
    u.renew_access_token()
    u.verify_tokens()
    assert u.access_token != old


def test_wrong_password(spool, cognito):
    spool.create_user("dave")
    with raises("NotAuthorizedException", WRONG):
        AWSSRP("dave", "Wr0ng!Password", spool.id, spool.client_id, client=cognito).authenticate_user()
    assert_tokens(AWSSRP("dave", PASSWORD, spool.id, spool.client_id, client=cognito).authenticate_user())


def test_five_wrong_srp_passwords_lock_the_user(spool, cognito):
    spool.create_user("erin")
    for _ in range(5):
        with raises("NotAuthorizedException", WRONG):
            AWSSRP("erin", "Wr0ng!Password", spool.id, spool.client_id, client=cognito).authenticate_user()
    # the right password no longer helps, in SRP nor in the password flow (one counter); the shared
    # server's clock does not move, so the lock holds
    with raises("NotAuthorizedException", LOCKED):
        AWSSRP("erin", PASSWORD, spool.id, spool.client_id, client=cognito).authenticate_user()
    with raises("NotAuthorizedException", LOCKED):
        spool.sign_in("erin")


def test_force_change_password(spool, cognito):
    spool.create_user("fay", password=PASSWORD, status="FORCE_CHANGE_PASSWORD")
    aws = AWSSRP("fay", PASSWORD, spool.id, spool.client_id, client=cognito)
    with pytest.raises(ForceChangePasswordException):
        aws.authenticate_user()
    # raw: the PASSWORD_VERIFIER answer is NEW_PASSWORD_REQUIRED with a Session
    aws2, _, r = srp_start(cognito, spool.id, spool.client_id, "fay")
    out = verifier(cognito, spool.client_id, r, claim(aws2, r["ChallengeParameters"]), session=False)
    assert out["ChallengeName"] == "NEW_PASSWORD_REQUIRED", out
    assert "AuthenticationResult" not in out and len(out["Session"]) >= 20
    assert spool.get_user("fay")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    # pycognito's own NEW_PASSWORD_REQUIRED handling
    assert_tokens(aws.set_new_password_challenge(OTHER_PASSWORD))
    assert spool.get_user("fay")["UserStatus"] == "CONFIRMED"
    assert_tokens(srp_sign_in(cognito, spool.id, spool.client_id, "fay", OTHER_PASSWORD))
    with raises("NotAuthorizedException", WRONG):
        srp_sign_in(cognito, spool.id, spool.client_id, "fay", PASSWORD)


def test_mfa_on_pool_setup_then_software_token_mfa(make_pool, cognito, server):
    p = srp_pool(make_pool)
    enable_totp(cognito, p.id, "ON")
    p.create_user("gina")
    now = server.clock()
    c, cid = cognito, p.client_id
    out = srp_sign_in(c, p.id, cid, "gina", session=False)
    assert out.get("ChallengeName") == "MFA_SETUP", out
    assert json.loads(out["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    assert out["ChallengeParameters"]["USER_ID_FOR_SRP"] == "gina"
    a = c.associate_software_token(Session=out["Session"])
    secret = a["SecretCode"]
    v = c.verify_software_token(Session=a["Session"], UserCode=totp_code(secret, now - TOTP_STEP))
    assert v["Status"] == "SUCCESS"
    assert_tokens(c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                              ChallengeResponses={"USERNAME": "gina"}))
    # enrolled: SRP now leads to SOFTWARE_TOKEN_MFA
    out = srp_sign_in(c, p.id, cid, "gina")
    assert out.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", out
    assert out["ChallengeParameters"]["USER_ID_FOR_SRP"] == "gina"
    with raises("CodeMismatchException", "Invalid code received for user"):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=out["Session"],
                                    ChallengeResponses={"USERNAME": "gina", "SOFTWARE_TOKEN_MFA_CODE": "000000"
                                                        if totp_code(secret, now) != "000000" else "111111"})
    auth = assert_tokens(c.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=out["Session"],
        ChallengeResponses={"USERNAME": "gina", "SOFTWARE_TOKEN_MFA_CODE": totp_code(secret, now)}))
    assert verify_id_token(server, p.id, cid, auth["IdToken"])["cognito:username"] == "gina"


def test_pycognito_software_token_mfa_exception(make_pool, cognito, server):
    """pycognito raises SoftwareTokenMFAChallengeException carrying the Session after SRP."""
    from pycognito.exceptions import SoftwareTokenMFAChallengeException

    p = srp_pool(make_pool)
    enable_totp(cognito, p.id, "OPTIONAL")
    p.create_user("hana")
    now = server.clock()
    at = p.sign_in("hana")["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP))
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    u = Cognito(p.id, p.client_id, username="hana", boto3_client_kwargs=boto_kwargs(server))
    with pytest.raises(SoftwareTokenMFAChallengeException):
        u.authenticate(password=PASSWORD)
    u.respond_to_software_token_mfa_challenge(totp_code(secret, now))
    u.verify_tokens()


def test_unconfirmed_user(spool, cognito):
    spool.sign_up("ivan", attributes={"email": "ivan@example.com"})
    with raises("UserNotConfirmedException", "User is not confirmed."):
        AWSSRP("ivan", PASSWORD, spool.id, spool.client_id, client=cognito).authenticate_user()


def test_disabled_user(spool, cognito):
    spool.create_user("jane")
    cognito.admin_disable_user(UserPoolId=spool.id, Username="jane")
    with raises("NotAuthorizedException", "User is disabled."):
        AWSSRP("jane", PASSWORD, spool.id, spool.client_id, client=cognito).authenticate_user()


def test_client_without_srp_flow(spool, cognito):
    spool.create_user("kim")
    cid = spool.create_client(name="nosrp", flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]
    with raises("InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client"):
        AWSSRP("kim", PASSWORD, spool.id, cid, client=cognito).authenticate_user()


def test_admin_initiate_auth_srp(spool, cognito):
    spool.create_user("lena")
    aws, _, r = srp_start(cognito, spool.id, spool.client_id, "lena", admin=True)
    assert_tokens(verifier(cognito, spool.client_id, r, claim(aws, r["ChallengeParameters"]), pid=spool.id))


# --------------------------------------------------------------------------- raw protocol


def test_challenge_parameters_shape_and_canonical_salt(spool, cognito):
    spool.create_user("mona")
    seen_salts = set()
    for i in range(24):
        if i:
            cognito.admin_set_user_password(UserPoolId=spool.id, Username="mona",
                                            Password=PASSWORD if i % 2 == 0 else OTHER_PASSWORD, Permanent=True)
        pw = PASSWORD if i % 2 == 0 else OTHER_PASSWORD
        aws, _, r = srp_start(cognito, spool.id, spool.client_id, "mona", pw)
        cp = r["ChallengeParameters"]
        assert set(cp) == CHALLENGE_KEYS, cp
        assert cp["USERNAME"] == cp["USER_ID_FOR_SRP"] == "mona"
        assert is_pad_hex(cp["SALT"]), cp["SALT"]
        assert re.fullmatch(r"[0-9a-fA-F]+", cp["SRP_B"]) and 0 < int(cp["SRP_B"], 16) < int(N_HEX, 16)
        assert base64.b64decode(cp["SECRET_BLOCK"], validate=True)
        seen_salts.add(cp["SALT"])
        if i % 6 == 0:
            assert_tokens(verifier(cognito, spool.client_id, r, claim(aws, cp)))
    assert len(seen_salts) == 24, "every password set must draw a new salt"
    # the same password set twice gives a new salt and B every time, and B differs per InitiateAuth
    _, _, r1 = srp_start(cognito, spool.id, spool.client_id, "mona", OTHER_PASSWORD)
    _, _, r2 = srp_start(cognito, spool.id, spool.client_id, "mona", OTHER_PASSWORD)
    assert r1["ChallengeParameters"]["SRP_B"] != r2["ChallengeParameters"]["SRP_B"]
    assert r1["ChallengeParameters"]["SALT"] == r2["ChallengeParameters"]["SALT"]


def test_tampered_secret_block(spool, cognito):
    spool.create_user("nick")
    aws, _, r = srp_start(cognito, spool.id, spool.client_id, "nick")
    cp = r["ChallengeParameters"]
    raw = bytearray(base64.b64decode(cp["SECRET_BLOCK"]))
    raw[len(raw) // 2] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()
    with raises("NotAuthorizedException"):
        verifier(cognito, spool.client_id, r, claim(aws, cp, secret_block=tampered), session=False)
    # a block from another InitiateAuth (other B) does not fit this one's claim either
    aws2, _, r2 = srp_start(cognito, spool.id, spool.client_id, "nick")
    other_block = r2["ChallengeParameters"]["SECRET_BLOCK"]
    with raises("NotAuthorizedException"):
        verifier(cognito, spool.client_id, r, claim(aws, cp, secret_block=other_block), session=False)
    # a fresh, untouched exchange still works (refused blocks may be spent, so use a new one)
    assert_tokens(srp_sign_in(cognito, spool.id, spool.client_id, "nick", session=False))


@pytest.mark.parametrize("srp_a", ["0", "00", N_HEX.lower(), N_HEX, format(2 * int(N_HEX, 16), "x")],
                         ids=["zero", "zero-zero", "N", "N-upper", "2N"])
def test_srp_a_multiple_of_n(spool, cognito, srp_a):
    spool.create_user("olga")
    with raises("NotAuthorizedException"):
        cognito.initiate_auth(ClientId=spool.client_id, AuthFlow="USER_SRP_AUTH",
                              AuthParameters={"USERNAME": "olga", "SRP_A": srp_a})


def test_srp_a_oversized(spool, cognito):
    spool.create_user("paul")
    with pytest.raises(ClientError) as ei:
        cognito.initiate_auth(ClientId=spool.client_id, AuthFlow="USER_SRP_AUTH",
                              AuthParameters={"USERNAME": "paul", "SRP_A": "f" * 1537})
    err = ei.value.response["Error"]
    assert err["Code"] in ("NotAuthorizedException", "InvalidParameterException"), err


def test_srp_a_not_hex(spool, cognito):
    spool.create_user("pia")
    with pytest.raises(ClientError) as ei:
        cognito.initiate_auth(ClientId=spool.client_id, AuthFlow="USER_SRP_AUTH",
                              AuthParameters={"USERNAME": "pia", "SRP_A": "xyz"})
    assert ei.value.response["Error"]["Code"] in ("NotAuthorizedException", "InvalidParameterException")


def test_timestamp_format_and_day_padding(new_server):
    """At Tue 2024-01-02 03:04:05 UTC, "Tue Jan 2 03:04:05 UTC 2024" is accepted and the zero-padded
    "Tue Jan 02 03:04:05 UTC 2024" is refused, even though it is correctly signed."""
    srv = new_server()
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    srv.set_clock(when.timestamp())
    c = srv.client()
    pid = c.create_user_pool(PoolName="srpclock")["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=SRP_FLOWS)["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="quinn", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="quinn", Password=PASSWORD, Permanent=True)
    assert fmt_ts(when) == "Tue Jan 2 03:04:05 UTC 2024"
    assert fmt_ts(when, pad_day=True) == "Tue Jan 02 03:04:05 UTC 2024"
    bad_variants = [fmt_ts(when, pad_day=True), "Wed Jan 2 03:04:05 UTC 2024",  # wrong weekday
                    "Tue Jan 2 03:04:05 GMT 2024", "2024-01-02T03:04:05Z",
                    fmt_ts(when - datetime.timedelta(days=3))]  # well-formed but stale
    for ts in bad_variants:
        aws, _, r = srp_start(c, pid, cid, "quinn")
        with raises("NotAuthorizedException"):
            verifier(c, cid, r, claim(aws, r["ChallengeParameters"], timestamp=ts))
    aws, _, r = srp_start(c, pid, cid, "quinn")
    assert_tokens(verifier(c, cid, r, claim(aws, r["ChallengeParameters"], timestamp=fmt_ts(when))))
    # refused formats were not password failures: five of them did not lock the user
    aws, _, r = srp_start(c, pid, cid, "quinn")
    assert_tokens(verifier(c, cid, r, claim(aws, r["ChallengeParameters"],
                                            timestamp=fmt_ts(when + datetime.timedelta(seconds=2)))))


@pytest.mark.parametrize("session", [False, True], ids=["no-session", "session"])
def test_password_verifier_replay_refused(spool, cognito, session):
    spool.create_user("rita")
    aws, _, r = srp_start(cognito, spool.id, spool.client_id, "rita")
    resp = claim(aws, r["ChallengeParameters"])
    assert_tokens(verifier(cognito, spool.client_id, r, resp, session=session))
    with raises("NotAuthorizedException"):
        verifier(cognito, spool.client_id, r, resp, session=session)
    with raises("NotAuthorizedException"):
        verifier(cognito, spool.client_id, r, resp, session=not session)


@pytest.mark.parametrize("session", [False, True], ids=["no-session", "session"])
def test_password_verifier_with_and_without_session(spool, cognito, session):
    spool.create_user("sam")
    assert_tokens(srp_sign_in(cognito, spool.id, spool.client_id, "sam", session=session))


def test_verifier_username_must_match(spool, cognito):
    spool.create_user("tess")
    spool.create_user("theo")
    aws, _, r = srp_start(cognito, spool.id, spool.client_id, "tess")
    resp = claim(aws, r["ChallengeParameters"])
    resp["USERNAME"] = "theo"
    with pytest.raises(ClientError) as ei:
        verifier(cognito, spool.client_id, r, resp, session=False)
    assert ei.value.response["Error"]["Code"] in ("NotAuthorizedException", "InvalidParameterException")


def test_sign_in_by_email_alias(make_pool, cognito, server):
    p = srp_pool(make_pool, AliasAttributes=["email"])
    p.create_user("uma", attributes={"email": "uma@example.com", "email_verified": "true"})
    aws, _, r = srp_start(cognito, p.id, p.client_id, "uma@example.com")
    cp = r["ChallengeParameters"]
    assert cp["USER_ID_FOR_SRP"] == "uma" and cp["USERNAME"] == "uma"
    auth = assert_tokens(verifier(cognito, p.client_id, r, claim(aws, cp), session=False))
    assert verify_id_token(server, p.id, p.client_id, auth["IdToken"])["cognito:username"] == "uma"
    assert_tokens(AWSSRP("uma@example.com", PASSWORD, p.id, p.client_id, client=cognito).authenticate_user())


def test_sign_in_email_as_username(make_pool, cognito, server):
    p = srp_pool(make_pool, UsernameAttributes=["email"])
    p.create_user("vera@example.com", attributes={"email": "vera@example.com", "email_verified": "true"})
    internal = p.get_user("vera@example.com")["Username"]
    assert internal != "vera@example.com"
    aws, _, r = srp_start(cognito, p.id, p.client_id, "vera@example.com")
    cp = r["ChallengeParameters"]
    assert cp["USER_ID_FOR_SRP"] == internal and cp["USERNAME"] == internal
    auth = assert_tokens(verifier(cognito, p.client_id, r, claim(aws, cp)))
    claims = verify_id_token(server, p.id, p.client_id, auth["IdToken"])
    assert claims["cognito:username"] == internal and claims["email"] == "vera@example.com"
    u = Cognito(p.id, p.client_id, username="vera@example.com", boto3_client_kwargs=boto_kwargs(server))
    u.authenticate(password=PASSWORD)
    u.verify_tokens()
