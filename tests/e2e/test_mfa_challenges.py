"""MFA challenges after the first factor: SOFTWARE_TOKEN_MFA, MFA_SETUP,
SELECT_MFA_TYPE, sessions, SECRET_HASH, replay under concurrency, lockout, restarts and secrets at rest.

Codes are computed by pyotp (conftest.totp_code) at the server's test-clock time. Tests on the shared server
only read the clock; tests that move it run their own server (new_server).
"""

import base64
import json
import re
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import (OTHER_PASSWORD, PASSWORD, TOTP_STEP, UUID_RE, enable_totp, raises, secret_hash,
                      sqlite_only, totp_code, wrong_totp_code)

MFA_MISMATCH = "Invalid code received for user"
VERIFY_MISMATCH = "Code mismatch and fail enable Software Token MFA"
REPLAY = "Your software token has already been used once."
LOCKED = "Password attempts exceeded"
WRONG_PASSWORD = "Incorrect username or password."
SESSION_EXPIRED = "Invalid session for the user, session is expired."
SESSION_USED = "Invalid session for the user, session can only be used once."
SESSION_INVALID = "Invalid session for the user."
NO_TOKEN = "Software Token MFA does not exist for the user."

STEP0 = 1_800_000_000  # a step start, for the tests that set the clock
assert STEP0 % TOTP_STEP == 0


# --------------------------------------------------------------------------- helpers


def password_auth(c, cid, username, password=PASSWORD, **extra) -> dict:
    return c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": username, "PASSWORD": password, **extra})


def admin_auth(c, pid, cid, username, password=PASSWORD) -> dict:
    return c.admin_initiate_auth(UserPoolId=pid, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password})


def totp_answer(c, cid, session, username, code, **extra) -> dict:
    return c.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code, **extra})


def admin_totp_answer(c, pid, cid, session, username, code) -> dict:
    return c.admin_respond_to_auth_challenge(
        UserPoolId=pid, ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code})


def mfa_challenge(c, cid, username, password=PASSWORD, **extra) -> str:
    """InitiateAuth that must end in SOFTWARE_TOKEN_MFA: the Session."""
    r = password_auth(c, cid, username, password, **extra)
    assert r.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", r
    return r["Session"]


def assert_tokens(resp) -> dict:
    assert "ChallengeName" not in resp, resp
    auth = resp["AuthenticationResult"]
    assert auth["TokenType"] == "Bearer"
    for k in ("AccessToken", "IdToken", "RefreshToken"):
        assert isinstance(auth.get(k), str) and len(auth[k]) > 20, k
    return auth


def make_user(c, pid, username, password=PASSWORD, **attrs):
    c.admin_create_user(UserPoolId=pid, Username=username, MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()])
    c.admin_set_user_password(UserPoolId=pid, Username=username, Password=password, Permanent=True)


def enrolled_user(c, pid, cid, username, t, step=-1, device="phone") -> str:
    """OPTIONAL pool: confirmed user, token verified with the code of step (t + step*30), TOTP enabled and
    preferred. Returns the secret."""
    make_user(c, pid, username)
    at = password_auth(c, cid, username)["AuthenticationResult"]["AccessToken"]
    secret = c.associate_software_token(AccessToken=at)["SecretCode"]
    assert c.verify_software_token(AccessToken=at, UserCode=totp_code(secret, t + step * TOTP_STEP),
                                   FriendlyDeviceName=device)["Status"] == "SUCCESS"
    c.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return secret


def assert_mfa_setup(r, username) -> str:
    assert r.get("ChallengeName") == "MFA_SETUP", r
    assert "AuthenticationResult" not in r
    params = r["ChallengeParameters"]
    assert json.loads(params["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    assert params["USER_ID_FOR_SRP"] == username
    assert len(r["Session"]) >= 20
    return r["Session"]


def mfa_setup(c, cid, username, t, step=-1, device="authenticator", first=None, pid=None, extra=None):
    """The MFA_SETUP chain (Associate, Verify, respond). `first` is the response carrying MFA_SETUP (default: InitiateAuth
    USER_PASSWORD_AUTH); with `pid` the last step is AdminRespondToAuthChallenge. Returns (secret, tokens)."""
    r = first or password_auth(c, cid, username)
    s1 = assert_mfa_setup(r, username)
    a = c.associate_software_token(Session=s1)
    secret, s2 = a["SecretCode"], a["Session"]
    assert re.fullmatch(r"[A-Z2-7]{52}", secret)
    v = c.verify_software_token(Session=s2, UserCode=totp_code(secret, t + step * TOTP_STEP),
                                FriendlyDeviceName=device)
    assert v["Status"] == "SUCCESS"
    responses = {"USERNAME": username, **(extra or {})}
    if pid:
        out = c.admin_respond_to_auth_challenge(UserPoolId=pid, ClientId=cid, ChallengeName="MFA_SETUP",
                                                Session=v["Session"], ChallengeResponses=responses)
    else:
        out = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                          ChallengeResponses=responses)
    return secret, assert_tokens(out)


def private_pool(srv, mfa="OPTIONAL", client_kwargs=None, **pool_kwargs):
    c = srv.client()
    pid = c.create_user_pool(PoolName="mfa", **pool_kwargs)["UserPool"]["Id"]
    enable_totp(c, pid, mfa)
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                                       "ALLOW_REFRESH_TOKEN_AUTH"],
                                    **(client_kwargs or {}))["UserPoolClient"]["ClientId"]
    return c, pid, cid


@pytest.fixture
def opt_pool(make_pool, cognito):
    """Shared server: TOTP enabled, MfaConfiguration OPTIONAL."""
    p = make_pool()
    enable_totp(cognito, p.id, "OPTIONAL")
    return p


@pytest.fixture
def on_pool(make_pool, cognito):
    """Shared server: TOTP enabled, MfaConfiguration ON."""
    p = make_pool()
    enable_totp(cognito, p.id, "ON")
    return p


def mfa_view(resp) -> tuple:
    return resp.get("UserMFASettingList") or [], resp.get("PreferredMfaSetting")


# --------------------------------------------------------------------------- SOFTWARE_TOKEN_MFA


def test_software_token_mfa_after_user_password_auth(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "alice", now, device="Alice's phone")
    r = password_auth(c, cid, "alice")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AuthenticationResult" not in r
    assert r["ChallengeParameters"] == {"USER_ID_FOR_SRP": "alice", "FRIENDLY_DEVICE_NAME": "Alice's phone"}
    assert 20 <= len(r["Session"]) <= 4096
    auth = assert_tokens(totp_answer(c, cid, r["Session"], "alice", totp_code(secret, now)))
    assert auth["ExpiresIn"] == 3600
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "alice"
    # refresh is not subject to MFA
    fresh = c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                            AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"]})
    assert fresh["AuthenticationResult"]["AccessToken"]
    # a wrong password never reaches the MFA step
    with raises("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(c, cid, "alice", OTHER_PASSWORD)


def test_software_token_mfa_after_admin_user_password_auth(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "bob", now, device="Bob's phone")
    r = admin_auth(c, pid, cid, "bob")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AuthenticationResult" not in r
    assert r["ChallengeParameters"] == {"USER_ID_FOR_SRP": "bob", "FRIENDLY_DEVICE_NAME": "Bob's phone"}
    with raises("CodeMismatchException", MFA_MISMATCH):
        admin_totp_answer(c, pid, cid, r["Session"], "bob", wrong_totp_code(secret, now))
    auth = assert_tokens(admin_totp_answer(c, pid, cid, r["Session"], "bob", totp_code(secret, now)))
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "bob"


def test_wrong_code_retry_same_session_then_session_is_used(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "carol", now)
    session = mfa_challenge(c, cid, "carol")
    with raises("CodeMismatchException", MFA_MISMATCH):
        totp_answer(c, cid, session, "carol", wrong_totp_code(secret, now))
    assert_tokens(totp_answer(c, cid, session, "carol", totp_code(secret, now)))
    with raises("NotAuthorizedException", SESSION_USED):
        totp_answer(c, cid, session, "carol", totp_code(secret, now + TOTP_STEP))
    # the unused next-step code still works on a fresh session: the reuse attempt consumed nothing
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "carol"), "carol", totp_code(secret, now + TOTP_STEP)))


def test_challenge_uses_internal_username(make_pool, cognito):
    """Email as username: USER_ID_FOR_SRP is the internal (UUID) username, which answers the challenge."""
    p = make_pool(UsernameAttributes=["email"])
    enable_totp(cognito, p.id, "OPTIONAL")
    now = p.server.clock()
    cognito.admin_create_user(UserPoolId=p.id, Username="dan@example.com", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=p.id, Username="dan@example.com", Password=PASSWORD, Permanent=True)
    internal = p.get_user("dan@example.com")["Username"]
    assert UUID_RE.match(internal)
    at = p.sign_in("dan@example.com")["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP))
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    r = password_auth(cognito, p.client_id, "dan@example.com")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert r["ChallengeParameters"]["USER_ID_FOR_SRP"] == internal
    assert_tokens(totp_answer(cognito, p.client_id, r["Session"], internal, totp_code(secret, now)))


def test_missing_code_parameter(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "dora", now)
    session = mfa_challenge(c, cid, "dora")
    with raises("InvalidParameterException"):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
                                    ChallengeResponses={"USERNAME": "dora"})
    assert_tokens(totp_answer(c, cid, session, "dora", totp_code(secret, now)))


def test_no_mfa_without_enabled_factor_in_optional_pool(opt_pool, cognito):
    opt_pool.create_user("eve")
    at = opt_pool.sign_in("eve")["AccessToken"]
    cognito.associate_software_token(AccessToken=at)  # pending, never verified
    r = password_auth(cognito, opt_pool.client_id, "eve")
    assert_tokens(r)


def test_challenge_after_token_deleted(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "finn", now)
    session = mfa_challenge(c, cid, "finn")
    c.admin_delete_software_token(UserPoolId=pid, Username="finn")
    with raises("SoftwareTokenMFANotFoundException", NO_TOKEN):
        totp_answer(c, cid, session, "finn", totp_code(secret, now))


# --------------------------------------------------------------------------- sessions


def test_garbage_sessions(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "gina", now)
    real = mfa_challenge(c, cid, "gina")
    for garbage in ("A" * 40, real[:-8] + ("x" * 8 if not real.endswith("x" * 8) else "y" * 8), real[::-1]):
        with raises("NotAuthorizedException", SESSION_INVALID):
            totp_answer(c, cid, garbage, "gina", totp_code(secret, now))
        with raises("NotAuthorizedException", SESSION_INVALID):
            c.associate_software_token(Session=garbage)
        with raises("NotAuthorizedException", SESSION_INVALID):
            c.verify_software_token(Session=garbage, UserCode=totp_code(secret, now))
    assert_tokens(totp_answer(c, cid, real, "gina", totp_code(secret, now)))


def test_session_bound_to_client_pool_and_user(make_pool, cognito):
    p = make_pool()
    enable_totp(cognito, p.id, "OPTIONAL")
    other_pool = make_pool()
    enable_totp(cognito, other_pool.id, "OPTIONAL")
    cid, cid2 = p.client_id, p.create_client(name="second")["ClientId"]
    now = p.server.clock()
    secret = enrolled_user(cognito, p.id, cid, "hugo", now)
    enrolled_user(cognito, p.id, cid, "hana", now)
    session = mfa_challenge(cognito, cid, "hugo")
    code = totp_code(secret, now)
    with raises("NotAuthorizedException", SESSION_INVALID):
        totp_answer(cognito, cid2, session, "hugo", code)              # another client of the pool
    with raises("NotAuthorizedException", SESSION_INVALID):
        totp_answer(cognito, other_pool.client_id, session, "hugo", code)  # a client of another pool
    with raises("NotAuthorizedException", SESSION_INVALID):
        totp_answer(cognito, cid, session, "hana", code)               # another user
    with raises("NotAuthorizedException", SESSION_INVALID):
        cognito.admin_respond_to_auth_challenge(UserPoolId=other_pool.id, ClientId=other_pool.client_id,
                                                ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
                                                ChallengeResponses={"USERNAME": "hugo",
                                                                    "SOFTWARE_TOKEN_MFA_CODE": code})
    # none of that consumed the session or the code
    assert_tokens(totp_answer(cognito, cid, session, "hugo", code))


def test_session_bound_to_challenge(opt_pool, on_pool, cognito):
    """A SOFTWARE_TOKEN_MFA session cannot enrol a new token (that would bypass MFA) nor answer MFA_SETUP;
    a NEW_PASSWORD_REQUIRED session cannot enrol either; an MFA_SETUP session cannot answer SOFTWARE_TOKEN_MFA."""
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, cid, "ida", now)
    session = mfa_challenge(c, cid, "ida")
    with raises("NotAuthorizedException"):
        c.associate_software_token(Session=session)
    with pytest.raises(ClientError):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=session,
                                    ChallengeResponses={"USERNAME": "ida"})
    assert_tokens(totp_answer(c, cid, session, "ida", totp_code(secret, now)))

    c.admin_create_user(UserPoolId=pid, Username="ivan", TemporaryPassword="Temp0rary!pw", MessageAction="SUPPRESS")
    npr = password_auth(c, cid, "ivan", "Temp0rary!pw")
    assert npr["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with raises("NotAuthorizedException"):
        c.associate_software_token(Session=npr["Session"])

    make_user(c, on_pool.id, "iona")
    setup = assert_mfa_setup(password_auth(c, on_pool.client_id, "iona"), "iona")
    with pytest.raises(ClientError):
        totp_answer(c, on_pool.client_id, setup, "iona", "123456")
    assert mfa_view(c.admin_get_user(UserPoolId=on_pool.id, Username="iona")) == ([], None)


def test_sessions_expire_with_auth_session_validity(new_server):
    srv = new_server()
    srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    cid5 = c.create_user_pool_client(UserPoolId=pid, ClientName="five", AuthSessionValidity=5,
                                     ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    secret = enrolled_user(c, pid, cid, "jack", STEP0 + 5)

    # default client: 3 minutes
    session = mfa_challenge(c, cid, "jack")
    now = srv.advance_clock(3 * 60 + 1)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        totp_answer(c, cid, session, "jack", totp_code(secret, now))
    session = mfa_challenge(c, cid, "jack")
    now = srv.advance_clock(2 * 60)
    assert_tokens(totp_answer(c, cid, session, "jack", totp_code(secret, now)))

    # AuthSessionValidity=5: alive after 4 minutes, expired after 6
    session = mfa_challenge(c, cid5, "jack")
    now = srv.advance_clock(4 * 60)
    assert_tokens(totp_answer(c, cid5, session, "jack", totp_code(secret, now)))
    session = mfa_challenge(c, cid5, "jack")
    now = srv.advance_clock(6 * 60)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        totp_answer(c, cid5, session, "jack", totp_code(secret, now))


def test_mfa_setup_sessions_expire(new_server):
    srv = new_server()
    t = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv, mfa="ON")
    make_user(c, pid, "kim")
    s1 = assert_mfa_setup(password_auth(c, cid, "kim"), "kim")
    srv.advance_clock(3 * 60 + 1)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        c.associate_software_token(Session=s1)

    s1 = assert_mfa_setup(password_auth(c, cid, "kim"), "kim")
    a = c.associate_software_token(Session=s1)
    t = srv.advance_clock(3 * 60 + 1)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        c.verify_software_token(Session=a["Session"], UserCode=totp_code(a["SecretCode"], t))

    s1 = assert_mfa_setup(password_auth(c, cid, "kim"), "kim")
    a = c.associate_software_token(Session=s1)
    v = c.verify_software_token(Session=a["Session"], UserCode=totp_code(a["SecretCode"], t))
    srv.advance_clock(3 * 60 + 1)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                    ChallengeResponses={"USERNAME": "kim"})


# --------------------------------------------------------------------------- MFA_SETUP (pool ON)


def test_mfa_setup_chain(on_pool, cognito):
    c, pid, cid = cognito, on_pool.id, on_pool.client_id
    now = on_pool.server.clock()
    make_user(c, pid, "lena")
    assert mfa_view(on_pool.get_user("lena")) == ([], None)
    r = password_auth(c, cid, "lena")
    s1 = assert_mfa_setup(r, "lena")
    assert r["ChallengeParameters"]["MFAS_CAN_SETUP"].replace(" ", "") == '["SOFTWARE_TOKEN_MFA"]'

    a = c.associate_software_token(Session=s1)
    secret, s2 = a["SecretCode"], a["Session"]
    assert re.fullmatch(r"[A-Z2-7]{52}", secret)
    assert len(s2) >= 20 and s2 != s1
    with raises("NotAuthorizedException", SESSION_USED):
        c.associate_software_token(Session=s1)

    # a wrong code does not consume the session
    with raises("EnableSoftwareTokenMFAException", VERIFY_MISMATCH):
        c.verify_software_token(Session=s2, UserCode=wrong_totp_code(secret, now))
    v = c.verify_software_token(Session=s2, UserCode=totp_code(secret, now - TOTP_STEP), FriendlyDeviceName="Lena's")
    assert v["Status"] == "SUCCESS"
    s3 = v["Session"]
    assert len(s3) >= 20 and s3 not in (s1, s2)
    with raises("NotAuthorizedException", SESSION_USED):
        c.verify_software_token(Session=s2, UserCode=totp_code(secret, now))

    out = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=s3,
                                      ChallengeResponses={"USERNAME": "lena"})
    auth = assert_tokens(out)
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "lena"
    with raises("NotAuthorizedException", SESSION_USED):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=s3,
                                    ChallengeResponses={"USERNAME": "lena"})
    # enrolled through MFA_SETUP: TOTP is active without a preference call
    assert mfa_view(on_pool.get_user("lena"))[0] == ["SOFTWARE_TOKEN_MFA"]

    # the next sign-in asks for the code; the code used by Verify cannot be replayed
    r = password_auth(c, cid, "lena")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert r["ChallengeParameters"] == {"USER_ID_FOR_SRP": "lena", "FRIENDLY_DEVICE_NAME": "Lena's"}
    with raises("ExpiredCodeException", REPLAY):
        totp_answer(c, cid, r["Session"], "lena", totp_code(secret, now - TOTP_STEP))
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "lena"), "lena", totp_code(secret, now)))


def test_mfa_setup_admin_flow(on_pool, cognito):
    c, pid, cid = cognito, on_pool.id, on_pool.client_id
    now = on_pool.server.clock()
    make_user(c, pid, "mark")
    secret, _ = mfa_setup(c, cid, "mark", now, first=admin_auth(c, pid, cid, "mark"), pid=pid)
    r = admin_auth(c, pid, cid, "mark")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert_tokens(admin_totp_answer(c, pid, cid, r["Session"], "mark", totp_code(secret, now)))


def test_mfa_setup_cannot_be_skipped(on_pool, cognito):
    """Answering MFA_SETUP before a token is verified yields no tokens; a pending secret changes nothing."""
    c, pid, cid = cognito, on_pool.id, on_pool.client_id
    make_user(c, pid, "nina")
    s1 = assert_mfa_setup(password_auth(c, cid, "nina"), "nina")
    with pytest.raises(ClientError):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=s1,
                                    ChallengeResponses={"USERNAME": "nina"})
    s2 = c.associate_software_token(Session=assert_mfa_setup(password_auth(c, cid, "nina"), "nina"))["Session"]
    with pytest.raises(ClientError):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=s2,
                                    ChallengeResponses={"USERNAME": "nina"})
    assert mfa_view(on_pool.get_user("nina")) == ([], None)
    # associated but never verified: still MFA_SETUP
    assert_mfa_setup(password_auth(c, cid, "nina"), "nina")


def test_new_password_required_then_mfa_setup(on_pool, cognito):
    c, pid, cid = cognito, on_pool.id, on_pool.client_id
    now = on_pool.server.clock()
    c.admin_create_user(UserPoolId=pid, Username="omar", TemporaryPassword="Temp0rary!pw", MessageAction="SUPPRESS")
    r = password_auth(c, cid, "omar", "Temp0rary!pw")
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    r2 = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                                     ChallengeResponses={"USERNAME": "omar", "NEW_PASSWORD": OTHER_PASSWORD})
    assert on_pool.get_user("omar")["UserStatus"] == "CONFIRMED"
    secret, auth = mfa_setup(c, cid, "omar", now, first=r2)
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "omar"
    with raises("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(c, cid, "omar", "Temp0rary!pw")
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "omar", OTHER_PASSWORD), "omar", totp_code(secret, now)))


def test_on_pool_verified_token_challenges_without_preference(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    make_user(c, pid, "paul")
    at = password_auth(c, cid, "paul")["AuthenticationResult"]["AccessToken"]
    secret = c.associate_software_token(AccessToken=at)["SecretCode"]
    c.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP))
    assert_tokens(password_auth(c, cid, "paul"))  # OPTIONAL, not enabled: no MFA
    enable_totp(c, pid, "ON")
    r = password_auth(c, cid, "paul")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert_tokens(totp_answer(c, cid, r["Session"], "paul", totp_code(secret, now)))


def test_on_pool_deleted_token_means_mfa_setup_again(on_pool, cognito):
    c, pid, cid = cognito, on_pool.id, on_pool.client_id
    now = on_pool.server.clock()
    make_user(c, pid, "rita")
    mfa_setup(c, cid, "rita", now)
    assert password_auth(c, cid, "rita")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    c.admin_delete_software_token(UserPoolId=pid, Username="rita")
    secret, _ = mfa_setup(c, cid, "rita", now, step=0)
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "rita"), "rita", totp_code(secret, now + TOTP_STEP)))


# --------------------------------------------------------------------------- SELECT_MFA_TYPE


def test_select_mfa_type(opt_pool, cognito):
    c, pid, cid = cognito, opt_pool.id, opt_pool.client_id
    now = opt_pool.server.clock()
    try:
        c.set_user_pool_mfa_config(
            UserPoolId=pid, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True},
            SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}",
                                 "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms",
                                                      "ExternalId": "cognate"}})
    except ClientError as e:
        pytest.skip("SELECT_MFA_TYPE needs two enabled factors; only TOTP is implemented and the server refuses "
                    f"an SMS MFA configuration ({e.response['Error']['Code']})")
    make_user(c, pid, "sara", phone_number="+15555550100", phone_number_verified="true")
    at = password_auth(c, cid, "sara")["AuthenticationResult"]["AccessToken"]
    secret = c.associate_software_token(AccessToken=at)["SecretCode"]
    c.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP))
    try:
        c.set_user_mfa_preference(AccessToken=at, SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
                                  SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})
    except ClientError as e:
        pytest.skip("SELECT_MFA_TYPE needs two enabled factors; SMS MFA is not implemented and the server "
                    f"refuses to enable it: {e.response['Error']['Code']} {e.response['Error']['Message']!r}")
    assert sorted(mfa_view(c.get_user(AccessToken=at))[0]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    r = password_auth(c, cid, "sara")
    assert r["ChallengeName"] == "SELECT_MFA_TYPE"
    assert sorted(json.loads(r["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert r["ChallengeParameters"]["USER_ID_FOR_SRP"] == "sara"
    r2 = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SELECT_MFA_TYPE", Session=r["Session"],
                                     ChallengeResponses={"USERNAME": "sara", "ANSWER": "SOFTWARE_TOKEN_MFA"})
    assert r2["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert r2["Session"] != r["Session"]
    assert_tokens(totp_answer(c, cid, r2["Session"], "sara", totp_code(secret, now)))


# --------------------------------------------------------------------------- SECRET_HASH


def test_secret_hash_on_software_token_mfa(opt_pool, cognito):
    c, pid = cognito, opt_pool.id
    now = opt_pool.server.clock()
    secret = enrolled_user(c, pid, opt_pool.client_id, "tara", now)
    conf = opt_pool.create_client(name="confidential", GenerateSecret=True)
    cid, csecret = conf["ClientId"], conf["ClientSecret"]
    session = mfa_challenge(c, cid, "tara", SECRET_HASH=secret_hash(csecret, "tara", cid))
    code = totp_code(secret, now)
    with raises("NotAuthorizedException", f"Client {cid} is configured for secret but secret was not received"):
        totp_answer(c, cid, session, "tara", code)
    with raises("NotAuthorizedException", f"Unable to verify secret hash for client {cid}"):
        totp_answer(c, cid, session, "tara", code, SECRET_HASH=secret_hash(csecret, "other", cid))
    assert_tokens(totp_answer(c, cid, session, "tara", code, SECRET_HASH=secret_hash(csecret, "tara", cid)))


def test_secret_hash_on_mfa_setup(on_pool, cognito):
    c, pid = cognito, on_pool.id
    now = on_pool.server.clock()
    conf = on_pool.create_client(name="confidential", GenerateSecret=True)
    cid, csecret = conf["ClientId"], conf["ClientSecret"]
    make_user(c, pid, "uma")
    s1 = assert_mfa_setup(password_auth(c, cid, "uma", SECRET_HASH=secret_hash(csecret, "uma", cid)), "uma")
    a = c.associate_software_token(Session=s1)
    v = c.verify_software_token(Session=a["Session"], UserCode=totp_code(a["SecretCode"], now - TOTP_STEP))
    with raises("NotAuthorizedException", f"Client {cid} is configured for secret but secret was not received"):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                    ChallengeResponses={"USERNAME": "uma"})
    with raises("NotAuthorizedException", f"Unable to verify secret hash for client {cid}"):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                    ChallengeResponses={"USERNAME": "uma",
                                                        "SECRET_HASH": secret_hash(csecret, "umb", cid)})
    assert_tokens(c.respond_to_auth_challenge(
        ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
        ChallengeResponses={"USERNAME": "uma", "SECRET_HASH": secret_hash(csecret, "uma", cid)}))


# --------------------------------------------------------------------------- replay under concurrency


N_CONCURRENT = 8


def test_concurrent_replay_exactly_one_success(new_server):
    srv = new_server()
    srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    clients = [srv.client() for _ in range(N_CONCURRENT)]
    for round_ in range(3):  # a fresh user per round, so lockout bookkeeping cannot interfere
        user = f"race{round_}"
        secret = enrolled_user(c, pid, cid, user, STEP0 + 5, step=-1)
        sessions = [mfa_challenge(c, cid, user) for _ in range(N_CONCURRENT)]
        code = totp_code(secret, STEP0 + 5)
        barrier = threading.Barrier(N_CONCURRENT)
        results: list = [None] * N_CONCURRENT

        def worker(i):
            cl = clients[i]
            barrier.wait()
            try:
                if i % 2:
                    r = admin_totp_answer(cl, pid, cid, sessions[i], user, code)
                else:
                    r = totp_answer(cl, cid, sessions[i], user, code)
                results[i] = ("ok", r["AuthenticationResult"]["AccessToken"])
            except ClientError as e:
                results[i] = (e.response["Error"]["Code"], e.response["Error"]["Message"])
            except Exception as e:  # noqa: BLE001
                results[i] = ("exception", repr(e))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(N_CONCURRENT)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        wins = [r for r in results if r and r[0] == "ok"]
        losses = [r for r in results if not (r and r[0] == "ok")]
        assert len(wins) == 1, f"round {round_}: expected exactly one success, got {results}"
        assert losses == [("ExpiredCodeException", REPLAY)] * (N_CONCURRENT - 1), f"round {round_}: {results}"
        assert c.get_user(AccessToken=wins[0][1])["Username"] == user


# --------------------------------------------------------------------------- lockout


def test_lockout_after_five_wrong_codes(new_server):
    srv = new_server()
    t0 = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    secret = enrolled_user(c, pid, cid, "vera", t0, step=-1)
    sessions = [mfa_challenge(c, cid, "vera") for _ in range(6)]
    wrong = wrong_totp_code(secret, t0)
    for s in sessions[:5]:  # after the fifth failure the user is locked for 2^0 = 1 s
        with raises("CodeMismatchException", MFA_MISMATCH):
            totp_answer(c, cid, s, "vera", wrong)
    with raises("NotAuthorizedException", LOCKED):
        totp_answer(c, cid, sessions[5], "vera", totp_code(secret, t0))  # even the right code
    with raises("NotAuthorizedException", LOCKED):
        password_auth(c, cid, "vera")  # and the right password
    with raises("NotAuthorizedException", LOCKED):
        admin_auth(c, pid, cid, "vera")
    srv.advance_clock(2)
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "vera"), "vera", totp_code(secret, t0 + TOTP_STEP)))


def test_lockout_doubles_with_each_further_failure(new_server):
    srv = new_server()
    t0 = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    secret = enrolled_user(c, pid, cid, "walt", t0, step=-1)
    sessions = [mfa_challenge(c, cid, "walt") for _ in range(8)]
    wrong = wrong_totp_code(secret, t0)
    for s in sessions[:5]:
        with raises("CodeMismatchException", MFA_MISMATCH):
            totp_answer(c, cid, s, "walt", wrong)
    srv.advance_clock(2)  # past the 1 s lock
    with raises("CodeMismatchException", MFA_MISMATCH):
        totp_answer(c, cid, sessions[5], "walt", wrong)  # sixth failure: locked for 2 s
    srv.advance_clock(1)
    with raises("NotAuthorizedException", LOCKED):
        totp_answer(c, cid, sessions[6], "walt", totp_code(secret, t0))
    srv.advance_clock(1.5)
    assert_tokens(totp_answer(c, cid, sessions[7], "walt", totp_code(secret, t0 + TOTP_STEP)))


def test_password_and_code_failures_share_one_counter(new_server):
    srv = new_server()
    t0 = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    secret = enrolled_user(c, pid, cid, "xena", t0, step=-1)
    session = mfa_challenge(c, cid, "xena")
    for _ in range(4):
        with raises("NotAuthorizedException", WRONG_PASSWORD):
            password_auth(c, cid, "xena", OTHER_PASSWORD)
    with raises("CodeMismatchException", MFA_MISMATCH):
        totp_answer(c, cid, session, "xena", wrong_totp_code(secret, t0))
    with raises("NotAuthorizedException", LOCKED):
        password_auth(c, cid, "xena")
    with raises("NotAuthorizedException", LOCKED):
        totp_answer(c, cid, session, "xena", totp_code(secret, t0))
    srv.advance_clock(2)
    assert_tokens(totp_answer(c, cid, session, "xena", totp_code(secret, t0 + TOTP_STEP)))


def test_correct_password_does_not_reset_code_failures(new_server):
    """Restarting sign-in with the right password between wrong codes must not give fresh attempts."""
    srv = new_server()
    t0 = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    secret = enrolled_user(c, pid, cid, "yara", t0, step=-1)
    wrong = wrong_totp_code(secret, t0)
    for _ in range(5):
        with raises("CodeMismatchException", MFA_MISMATCH):
            totp_answer(c, cid, mfa_challenge(c, cid, "yara"), "yara", wrong)
    with raises("NotAuthorizedException", LOCKED):
        password_auth(c, cid, "yara")


def test_verify_failures_do_not_count_toward_lockout(opt_pool, cognito):
    opt_pool.create_user("zack")
    at = opt_pool.sign_in("zack")["AccessToken"]
    now = opt_pool.server.clock()
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    for _ in range(6):
        with raises("EnableSoftwareTokenMFAException", VERIFY_MISMATCH):
            cognito.verify_software_token(AccessToken=at, UserCode=wrong_totp_code(secret, now))
    assert opt_pool.sign_in("zack")["AccessToken"]
    assert cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now))["Status"] == "SUCCESS"


# --------------------------------------------------------------------------- restarts and secrets at rest


def test_restart_in_the_middle_of_enrolment(new_server):
    srv = new_server()
    t = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    make_user(c, pid, "abe")
    at = password_auth(c, cid, "abe")["AuthenticationResult"]["AccessToken"]
    secret = c.associate_software_token(AccessToken=at)["SecretCode"]

    srv.restart()
    t = srv.set_clock(STEP0 + 5)  # the test clock is process state: set it again after the restart
    c = srv.client()
    assert c.verify_software_token(AccessToken=at, UserCode=totp_code(secret, t),
                                   FriendlyDeviceName="before restart")["Status"] == "SUCCESS"
    c.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    session = mfa_challenge(c, cid, "abe")

    srv.restart()
    srv.set_clock(STEP0 + 5)
    c = srv.client()
    with raises("ExpiredCodeException", REPLAY):  # the accepted step survived the restart
        totp_answer(c, cid, session, "abe", totp_code(secret, t))
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "abe"), "abe", totp_code(secret, t + TOTP_STEP)))


def test_restart_in_the_middle_of_mfa_setup(new_server):
    srv = new_server()
    t = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv, mfa="ON")
    make_user(c, pid, "bea")
    s1 = assert_mfa_setup(password_auth(c, cid, "bea"), "bea")
    a = c.associate_software_token(Session=s1)

    srv.restart()
    srv.set_clock(STEP0 + 5)
    c = srv.client()
    v = c.verify_software_token(Session=a["Session"], UserCode=totp_code(a["SecretCode"], t))
    assert v["Status"] == "SUCCESS"

    srv.restart()
    srv.set_clock(STEP0 + 5)
    c = srv.client()
    assert_tokens(c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"],
                                              ChallengeResponses={"USERNAME": "bea"}))
    assert_tokens(totp_answer(c, cid, mfa_challenge(c, cid, "bea"), "bea", totp_code(a["SecretCode"], t + TOTP_STEP)))


def secret_forms(secret: str) -> dict:
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return {
        "SecretCode": secret.encode(),
        "SecretCode (lower case)": secret.lower().encode(),
        "SecretCode (utf-16)": secret.encode("utf-16-le"),
        "raw bytes": raw,
        "raw bytes (hex)": raw.hex().encode(),
        "raw bytes (HEX)": raw.hex().upper().encode(),
        "raw bytes (base64)": base64.b64encode(raw).rstrip(b"="),
        "raw bytes (base64url)": base64.urlsafe_b64encode(raw).rstrip(b"="),
    }


@sqlite_only
def test_totp_secrets_not_on_disk_or_in_logs(new_server):
    srv = new_server(env={"RUST_LOG": "debug"})
    t = srv.set_clock(STEP0 + 5)
    c, pid, cid = private_pool(srv)
    secrets = {}
    # verified and enabled
    secrets["verified"] = enrolled_user(c, pid, cid, "cleo", t, step=0)
    # pending only
    make_user(c, pid, "cody")
    at = password_auth(c, cid, "cody")["AuthenticationResult"]["AccessToken"]
    secrets["pending"] = c.associate_software_token(AccessToken=at)["SecretCode"]
    # re-associated: old verified + new pending
    at = totp_answer(c, cid, mfa_challenge(c, cid, "cleo"), "cleo",
                     totp_code(secrets["verified"], t + TOTP_STEP))["AuthenticationResult"]["AccessToken"]
    secrets["re-associated, pending"] = c.associate_software_token(AccessToken=at)["SecretCode"]
    # MFA_SETUP chain in an ON pool: one completed, one left pending
    _, pid2, cid2 = private_pool(srv, mfa="ON")
    make_user(c, pid2, "cruz")
    secrets["mfa-setup"], _ = mfa_setup(c, cid2, "cruz", t)
    make_user(c, pid2, "cyd")
    secrets["mfa-setup, pending"] = c.associate_software_token(
        Session=assert_mfa_setup(password_auth(c, cid2, "cyd"), "cyd"))["SecretCode"]

    srv.stop()  # flush everything (WAL included)
    files = [p for p in srv.data_dir.rglob("*") if p.is_file()]
    assert any(p.name.startswith("cognate.db") for p in files), files
    found = []
    for p in files:
        data = p.read_bytes()
        for label, secret in secrets.items():
            for form, needle in secret_forms(secret).items():
                if needle in data:
                    found.append(f"{label} secret as {form} in {p.name}")
    log = b"".join(p.read_bytes() for p in srv.log_dir.glob("*.log"))
    for label, secret in secrets.items():
        for form in ("SecretCode", "SecretCode (lower case)", "raw bytes (hex)", "raw bytes (base64)"):
            if secret_forms(secret)[form] in log:
                found.append(f"{label} secret as {form} in the server log")
    assert not found, found
