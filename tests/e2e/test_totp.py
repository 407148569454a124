"""TOTP software tokens through boto3: association, verification,
preferences, user/admin views, deletion, re-association and the ±1 step window.

Codes are always computed by pyotp (conftest.totp_code), never by the server. Time is the server's test
clock: tests on the shared server only read it; tests that move it run their own server (new_server).
"""

import base64
import re

import pytest

from conftest import (PASSWORD, TOTP_STEP, enable_totp, raises, totp_code, unique,
                      wrong_totp_code)

B32_52 = re.compile(r"^[A-Z2-7]{52}$")
TOTP_OFF = "Software Token MFA has not been enabled by the userPool."
NO_DELIVERY = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
VERIFY_MISMATCH = "Code mismatch and fail enable Software Token MFA"
MFA_MISMATCH = "Invalid code received for user"
REPLAY = "Your software token has already been used once."

STEP0 = 1_800_000_000  # a step start (1_800_000_000 % 30 == 0) used by the fixed-clock tests
assert STEP0 % TOTP_STEP == 0

ENABLE = {"Enabled": True, "PreferredMfa": True}


@pytest.fixture
def totp_pool(make_pool, cognito):
    """Fresh pool with TOTP enabled and MfaConfiguration OPTIONAL."""
    p = make_pool()
    enable_totp(cognito, p.id, "OPTIONAL")
    return p


def user_token(pool, username) -> str:
    """Create a confirmed user and sign in (no MFA yet): the access token."""
    pool.create_user(username)
    return pool.sign_in(username)["AccessToken"]


def enrol(cognito, access_token, t, step=-1, device="phone", prefer=True) -> str:
    """Associate + verify with the code of step (t + step*30); optionally enable and prefer TOTP."""
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    r = cognito.verify_software_token(AccessToken=access_token, UserCode=totp_code(secret, t + step * TOTP_STEP),
                                      FriendlyDeviceName=device)
    assert r["Status"] == "SUCCESS"
    if prefer:
        cognito.set_user_mfa_preference(AccessToken=access_token, SoftwareTokenMfaSettings=ENABLE)
    return secret


def start(cognito, client_id, username, password=PASSWORD) -> dict:
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password})


def answer(cognito, client_id, challenge: dict, username, code) -> dict:
    return cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code})


def sign_in_with_code(cognito, client_id, username, code) -> dict:
    """Password, then the SOFTWARE_TOKEN_MFA challenge answered with `code`: the tokens."""
    r = start(cognito, client_id, username)
    assert r.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", r
    out = answer(cognito, client_id, r, username, code)
    assert "AuthenticationResult" in out, out
    return out["AuthenticationResult"]


def mfa_view(resp) -> tuple:
    """(UserMFASettingList, PreferredMfaSetting) with "omitted" normalised to ([], None)."""
    return resp.get("UserMFASettingList") or [], resp.get("PreferredMfaSetting")


TOTP_ON = (["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA")
NO_MFA = ([], None)


def distinct_secret(cognito, access_token, other: str, t: float) -> str:
    """Associate until the new secret's codes around t differ from `other`'s (a 1-in-10^5 collision guard)."""
    others = {totp_code(other, t + k * TOTP_STEP) for k in range(-3, 4)}
    for _ in range(5):
        s = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
        if not others & {totp_code(s, t + k * TOTP_STEP) for k in range(-3, 4)}:
            return s
    raise AssertionError("could not get a secret whose codes differ from the previous one")


# --------------------------------------------------------------------------- AssociateSoftwareToken


def test_associate_returns_52_char_base32_secret(totp_pool, cognito):
    at = user_token(totp_pool, "alice")
    r = cognito.associate_software_token(AccessToken=at)
    secret = r["SecretCode"]
    assert B32_52.match(secret), secret
    assert len(base64.b32decode(secret + "====")) == 32  # 32 random bytes
    assert "Session" not in r, "with an AccessToken, AssociateSoftwareToken returns no Session"


def test_associate_fresh_secret_per_call_and_per_user(totp_pool, cognito):
    at_a = user_token(totp_pool, "amy")
    at_b = user_token(totp_pool, "ben")
    secrets = [cognito.associate_software_token(AccessToken=at_a)["SecretCode"] for _ in range(3)]
    secrets += [cognito.associate_software_token(AccessToken=at_b)["SecretCode"] for _ in range(2)]
    assert all(B32_52.match(s) for s in secrets)
    assert len(set(secrets)) == len(secrets), "every call must generate a fresh random secret"


def test_only_the_latest_pending_secret_verifies(totp_pool, cognito):
    at = user_token(totp_pool, "cleo")
    now = totp_pool.server.clock()
    first = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    second = distinct_secret(cognito, at, first, now)
    with raises("EnableSoftwareTokenMFAException", VERIFY_MISMATCH):
        cognito.verify_software_token(AccessToken=at, UserCode=totp_code(first, now))
    r = cognito.verify_software_token(AccessToken=at, UserCode=totp_code(second, now))
    assert r["Status"] == "SUCCESS"


def test_associate_needs_exactly_one_of_access_token_and_session(totp_pool, cognito):
    at = user_token(totp_pool, "dina")
    with raises("InvalidParameterException"):
        cognito.associate_software_token()
    with raises("InvalidParameterException"):
        cognito.associate_software_token(AccessToken=at, Session="S" * 40)


def test_associate_and_verify_reject_bad_access_tokens(totp_pool, cognito):
    at = user_token(totp_pool, "eddy")
    with raises("NotAuthorizedException"):
        cognito.associate_software_token(AccessToken="abc.def.ghi")
    with raises("NotAuthorizedException"):
        cognito.verify_software_token(AccessToken="abc.def.ghi", UserCode="123456")
    cognito.global_sign_out(AccessToken=at)
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.associate_software_token(AccessToken=at)
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.verify_software_token(AccessToken=at, UserCode="123456")


@pytest.mark.parametrize("pool_kwargs", [{}, {"MfaConfiguration": "OPTIONAL", "SmsConfiguration": {
                             "SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}}],
                         ids=["never-configured", "optional-without-totp"])
def test_associate_in_pool_without_totp(make_pool, cognito, pool_kwargs):
    p = make_pool(**pool_kwargs)
    at = user_token(p, "fred")
    with raises("SoftwareTokenMFANotFoundException", TOTP_OFF):
        cognito.associate_software_token(AccessToken=at)


def test_associate_after_totp_switched_off(totp_pool, cognito):
    at = user_token(totp_pool, "gail")
    cognito.set_user_pool_mfa_config(UserPoolId=totp_pool.id, MfaConfiguration="OFF")
    with raises("SoftwareTokenMFANotFoundException", TOTP_OFF):
        cognito.associate_software_token(AccessToken=at)


def test_verify_after_totp_switched_off(totp_pool, cognito):
    at = user_token(totp_pool, "gwen")
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    cognito.set_user_pool_mfa_config(UserPoolId=totp_pool.id, MfaConfiguration="OFF")
    with raises("SoftwareTokenMFANotFoundException", TOTP_OFF):
        cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, totp_pool.server.clock()))


def test_associate_when_totp_off_but_pool_optional(totp_pool, cognito):
    """OPTIONAL pool whose only factor is SMS: TOTP is off, so no association; a user who already has a
    verified token keeps being asked for it (existing tokens keep working)."""
    cid = totp_pool.client_id
    at = user_token(totp_pool, "gabe")
    now = totp_pool.server.clock()
    secret = enrol(cognito, at, now, step=-1)
    other = user_token(totp_pool, "gene")
    cognito.set_user_pool_mfa_config(
        UserPoolId=totp_pool.id, MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}",
                             "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}})
    with raises("SoftwareTokenMFANotFoundException", TOTP_OFF):
        cognito.associate_software_token(AccessToken=other)
    with raises("SoftwareTokenMFANotFoundException", TOTP_OFF):
        cognito.associate_software_token(AccessToken=at)
    assert sign_in_with_code(cognito, cid, "gabe", totp_code(secret, now))["AccessToken"]


# --------------------------------------------------------------------------- VerifySoftwareToken


def test_verify_wrong_code(totp_pool, cognito):
    at = user_token(totp_pool, "hank")
    now = totp_pool.server.clock()
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    with raises("EnableSoftwareTokenMFAException", VERIFY_MISMATCH):
        cognito.verify_software_token(AccessToken=at, UserCode=wrong_totp_code(secret, now))
    # nothing was verified: TOTP cannot be turned on, sign-in has no MFA
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    assert mfa_view(totp_pool.get_user("hank")) == NO_MFA
    assert totp_pool.sign_in("hank")["AccessToken"]
    # the pending secret is still there: the right code verifies it
    assert cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now))["Status"] == "SUCCESS"


def test_verify_without_association(totp_pool, cognito):
    at = user_token(totp_pool, "iris")
    with raises("SoftwareTokenMFANotFoundException"):
        cognito.verify_software_token(AccessToken=at, UserCode="123456")


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "12 456"])
def test_verify_user_code_must_be_six_digits(totp_pool, cognito_unvalidated, code):
    at = user_token(totp_pool, unique("jo"))
    cognito_unvalidated.associate_software_token(AccessToken=at)
    with raises("InvalidParameterException"):
        cognito_unvalidated.verify_software_token(AccessToken=at, UserCode=code)


def test_verify_success_in_optional_pool_needs_preference(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "kate")
    now = totp_pool.server.clock()
    secret = cognito.associate_software_token(AccessToken=at)["SecretCode"]
    r = cognito.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP),
                                      FriendlyDeviceName="Kate's phone")
    assert r["Status"] == "SUCCESS"
    assert "Session" not in r, "with an AccessToken, VerifySoftwareToken returns no Session"
    # OPTIONAL pool + AccessToken: verified, but not active until SetUserMFAPreference
    assert mfa_view(cognito.get_user(AccessToken=at)) == NO_MFA
    assert totp_pool.sign_in("kate")["AccessToken"]

    r = cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    assert {k: v for k, v in r.items() if k != "ResponseMetadata"} == {}
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON
    c = start(cognito, cid, "kate")
    assert c["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert c["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "Kate's phone"
    tokens = answer(cognito, cid, c, "kate", totp_code(secret, now))["AuthenticationResult"]
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "kate"


def test_verify_code_cannot_be_replayed_at_sign_in(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "liam")
    now = totp_pool.server.clock()
    secret = enrol(cognito, at, now, step=0)  # verified with the current step's code
    for used in (totp_code(secret, now), totp_code(secret, now - TOTP_STEP)):  # that step, and an older one
        c = start(cognito, cid, "liam")
        with raises("ExpiredCodeException", REPLAY):
            answer(cognito, cid, c, "liam", used)
    # the next step is newer than the recorded one: accepted
    assert sign_in_with_code(cognito, cid, "liam", totp_code(secret, now + TOTP_STEP))["AccessToken"]


# --------------------------------------------------------------------------- SetUserMFAPreference


def test_enable_totp_without_verified_token(totp_pool, cognito):
    at = user_token(totp_pool, "mona")
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="mona",
                                              SoftwareTokenMfaSettings={"Enabled": True})
    cognito.associate_software_token(AccessToken=at)  # pending only: still not enough
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True})
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="mona",
                                              SoftwareTokenMfaSettings=ENABLE)
    assert mfa_view(totp_pool.get_user("mona")) == NO_MFA
    assert totp_pool.sign_in("mona")["AccessToken"], "a pending (unverified) secret has no effect on sign-in"


def test_preference_partial_update(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "nick")
    now = totp_pool.server.clock()
    secret = enrol(cognito, at, now, step=-1, prefer=False)

    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})
    assert mfa_view(cognito.get_user(AccessToken=at)) == (["SOFTWARE_TOKEN_MFA"], None)
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON

    # a request that only mentions another factor leaves TOTP alone
    cognito.set_user_mfa_preference(AccessToken=at, SMSMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON
    # and a request that mentions nothing changes nothing
    cognito.set_user_mfa_preference(AccessToken=at)
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON
    assert start(cognito, cid, "nick")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    # switching TOTP off removes it and its preference; sign-in has no MFA (OPTIONAL pool)
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert mfa_view(cognito.get_user(AccessToken=at)) == NO_MFA
    assert totp_pool.sign_in("nick")["AccessToken"]

    # switching it on again needs no new enrolment: the verified secret was kept
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON
    assert sign_in_with_code(cognito, cid, "nick", totp_code(secret, now))["AccessToken"]


def test_admin_set_user_mfa_preference(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "olga")
    now = totp_pool.server.clock()
    secret = enrol(cognito, at, now, step=-1, prefer=False)
    r = cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="olga",
                                              SoftwareTokenMfaSettings=ENABLE)
    assert {k: v for k, v in r.items() if k != "ResponseMetadata"} == {}
    assert mfa_view(totp_pool.get_user("olga")) == TOTP_ON
    assert mfa_view(cognito.get_user(AccessToken=at)) == TOTP_ON
    assert sign_in_with_code(cognito, cid, "olga", totp_code(secret, now))["AccessToken"]

    cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="olga",
                                          SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert mfa_view(totp_pool.get_user("olga")) == NO_MFA
    assert totp_pool.sign_in("olga")["AccessToken"]


def test_admin_set_user_mfa_preference_unknown_user(totp_pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="nobody",
                                              SoftwareTokenMfaSettings=ENABLE)


def test_on_pool_cannot_switch_off_the_last_factor(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "pete")
    now = totp_pool.server.clock()
    secret = enrol(cognito, at, now, step=-1)
    enable_totp(cognito, totp_pool.id, "ON")
    with raises("InvalidParameterException"):
        cognito.set_user_mfa_preference(AccessToken=at,
                                        SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
    assert mfa_view(totp_pool.get_user("pete")) == TOTP_ON, "a rejected call must not change anything"
    with raises("InvalidParameterException"):
        cognito.admin_set_user_mfa_preference(UserPoolId=totp_pool.id, Username="pete",
                                              SoftwareTokenMfaSettings={"Enabled": False})
    assert mfa_view(totp_pool.get_user("pete")) == TOTP_ON, "a rejected call must not change anything"
    # choosing the preferred factor is still allowed
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    assert sign_in_with_code(cognito, cid, "pete", totp_code(secret, now))["AccessToken"]


# --------------------------------------------------------------------------- GetUser / AdminGetUser / auth factors


def test_mfa_settings_in_user_views_and_auth_factors(totp_pool, cognito):
    at = user_token(totp_pool, "quinn")
    views = {
        "GetUser": lambda: cognito.get_user(AccessToken=at),
        "AdminGetUser": lambda: totp_pool.get_user("quinn"),
        "GetUserAuthFactors": lambda: cognito.get_user_auth_factors(AccessToken=at),
        "AdminGetUserAuthFactors": lambda: cognito.admin_get_user_auth_factors(UserPoolId=totp_pool.id,
                                                                               Username="quinn"),
    }
    for name, view in views.items():
        r = view()
        assert r["Username"] == "quinn", name
        assert mfa_view(r) == NO_MFA, name
        assert "UserMFASettingList" not in r or r["UserMFASettingList"] == [], name

    enrol(cognito, at, totp_pool.server.clock())
    for name, view in views.items():
        r = view()
        assert r["Username"] == "quinn", name
        assert mfa_view(r) == TOTP_ON, name


def test_admin_get_user_auth_factors_unknown_user(totp_pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_get_user_auth_factors(UserPoolId=totp_pool.id, Username="nobody")


# --------------------------------------------------------------------------- AdminDeleteSoftwareToken


def test_admin_delete_software_token(totp_pool, cognito):
    cid = totp_pool.client_id
    at = user_token(totp_pool, "rosa")
    now = totp_pool.server.clock()
    old = enrol(cognito, at, now, step=-1)
    assert start(cognito, cid, "rosa")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    r = cognito.admin_delete_software_token(UserPoolId=totp_pool.id, Username="rosa")
    assert {k: v for k, v in r.items() if k != "ResponseMetadata"} == {}
    assert mfa_view(totp_pool.get_user("rosa")) == NO_MFA
    assert mfa_view(cognito.admin_get_user_auth_factors(UserPoolId=totp_pool.id, Username="rosa")) == NO_MFA
    # OPTIONAL pool: sign-in has no MFA any more
    assert totp_pool.sign_in("rosa")["AccessToken"]
    # the token is gone, not merely switched off
    with raises("InvalidParameterException", NO_DELIVERY):
        cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)

    # the user can enrol a new authenticator
    new = distinct_secret(cognito, at, old, now)
    assert cognito.verify_software_token(AccessToken=at, UserCode=totp_code(new, now))["Status"] == "SUCCESS"
    cognito.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings=ENABLE)
    c = start(cognito, cid, "rosa")
    with raises("CodeMismatchException", MFA_MISMATCH):
        answer(cognito, cid, c, "rosa", totp_code(old, now + TOTP_STEP))
    assert sign_in_with_code(cognito, cid, "rosa", totp_code(new, now + TOTP_STEP))["AccessToken"]


def test_admin_delete_software_token_unknown_user(totp_pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_delete_software_token(UserPoolId=totp_pool.id, Username="nobody")


# --------------------------------------------------------------------------- re-association


def test_reassociation_keeps_old_token_until_new_one_verified(new_server):
    srv = new_server()
    c = srv.client()
    srv.set_clock(STEP0 + 5)
    pid = c.create_user_pool(PoolName="reassoc")["UserPool"]["Id"]
    enable_totp(c, pid, "OPTIONAL")
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="sam", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="sam", Password=PASSWORD, Permanent=True)
    at = start(c, cid, "sam")["AuthenticationResult"]["AccessToken"]
    old = enrol(c, at, STEP0 + 5, step=0, device="old phone")

    srv.set_clock(STEP0 + 35)
    new = distinct_secret(c, at, old, STEP0 + 60)  # pending
    # the old, verified token still works; the pending one does not
    assert sign_in_with_code(c, cid, "sam", totp_code(old, STEP0 + 35))["AccessToken"]
    ch = start(c, cid, "sam")
    assert ch["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "old phone"
    with raises("CodeMismatchException", MFA_MISMATCH):
        answer(c, cid, ch, "sam", totp_code(new, STEP0 + 65))

    srv.set_clock(STEP0 + 65)
    r = c.verify_software_token(AccessToken=at, UserCode=totp_code(new, STEP0 + 65), FriendlyDeviceName="new phone")
    assert r["Status"] == "SUCCESS"
    assert mfa_view(c.get_user(AccessToken=at)) == TOTP_ON, "re-verification keeps TOTP enabled and preferred"

    srv.set_clock(STEP0 + 95)
    ch = start(c, cid, "sam")
    assert ch["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "new phone"
    with raises("CodeMismatchException", MFA_MISMATCH):
        answer(c, cid, ch, "sam", totp_code(old, STEP0 + 95))
    assert answer(c, cid, ch, "sam", totp_code(new, STEP0 + 95))["AuthenticationResult"]["AccessToken"]


# --------------------------------------------------------------------------- the ±1 step window (fixed clock)


def fixed_clock_pool(srv, name="window"):
    c = srv.client()
    pid = c.create_user_pool(PoolName=name)["UserPool"]["Id"]
    enable_totp(c, pid, "OPTIONAL")
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    return c, pid, cid


def new_user_token(c, pid, cid, username) -> str:
    c.admin_create_user(UserPoolId=pid, Username=username, MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username=username, Password=PASSWORD, Permanent=True)
    return start(c, cid, username)["AuthenticationResult"]["AccessToken"]


# (clock offset from STEP0, step of the code relative to STEP0's step, accepted?)
VERIFY_WINDOW = [
    (0, -1, True),    # exact step start: previous step accepted
    (0, -2, False),   # two steps back rejected
    (5, -1, True),
    (5, 0, True),
    (5, 1, True),
    (5, -2, False),
    (5, 2, False),
    (29, 1, True),    # last second of the step: next step accepted
    (29, 2, False),
    (30, -1, False),  # the step changed at +30: step -1 is now two steps back
    (30, 2, True),    # ... and step +2 is now the next one
]


def test_verify_window_is_previous_current_next_step(new_server):
    srv = new_server()
    srv.set_clock(STEP0 - 60)
    c, pid, cid = fixed_clock_pool(srv)
    failures = []
    for i, (offset, step, ok) in enumerate(VERIFY_WINDOW):  # clock offsets only increase
        at = new_user_token(c, pid, cid, f"w{i}")
        secret = c.associate_software_token(AccessToken=at)["SecretCode"]
        now = srv.set_clock(STEP0 + offset)
        code = totp_code(secret, STEP0 + step * TOTP_STEP)
        window = {totp_code(secret, now + k * TOTP_STEP) for k in (-1, 0, 1)}
        if not ok and code in window:  # 1-in-10^5 collision with an accepted step: not a meaningful case
            continue
        try:
            r = c.verify_software_token(AccessToken=at, UserCode=code)
            got = r["Status"] == "SUCCESS"
        except c.exceptions.EnableSoftwareTokenMFAException as e:
            assert e.response["Error"]["Message"] == VERIFY_MISMATCH
            got = False
        if got != ok:
            failures.append(f"clock +{offset}s, code of step {step:+d}: expected {'accept' if ok else 'reject'}")
    assert not failures, failures


def test_sign_in_window_and_replay_with_fixed_clock(new_server):
    srv = new_server()
    srv.set_clock(STEP0 + 5)
    c, pid, cid = fixed_clock_pool(srv, "signin-window")
    code = lambda secret, step: totp_code(secret, STEP0 + step * TOTP_STEP)  # noqa: E731

    # user A: verified with step 0
    at = new_user_token(c, pid, cid, "ann")
    a = enrol(c, at, STEP0 + 5, step=0)
    assert sign_in_with_code(c, cid, "ann", code(a, 1))["AccessToken"]          # next step accepted
    with raises("ExpiredCodeException", REPLAY):
        answer(c, cid, start(c, cid, "ann"), "ann", code(a, 1))                   # same step again
    srv.set_clock(STEP0 + 35)
    assert sign_in_with_code(c, cid, "ann", code(a, 2))["AccessToken"]          # next step again
    srv.set_clock(STEP0 + 95)                                                    # now step 3
    with raises("CodeMismatchException", MFA_MISMATCH):
        answer(c, cid, start(c, cid, "ann"), "ann", code(a, 1))                   # two steps back
    with raises("ExpiredCodeException", REPLAY):
        answer(c, cid, start(c, cid, "ann"), "ann", code(a, 2))                   # in window, but used
    assert sign_in_with_code(c, cid, "ann", code(a, 3))["AccessToken"]

    # user B: verified with step -1; at step 1 the previous (0) and the next (2) are accepted, 3 is not
    srv.set_clock(STEP0 + 5)
    at = new_user_token(c, pid, cid, "bea")
    b = enrol(c, at, STEP0 + 5, step=-1)
    srv.set_clock(STEP0 + 30)                                                    # exact start of step 1
    assert sign_in_with_code(c, cid, "bea", code(b, 0))["AccessToken"]
    with raises("CodeMismatchException", MFA_MISMATCH):
        answer(c, cid, start(c, cid, "bea"), "bea", code(b, 3))
    assert sign_in_with_code(c, cid, "bea", code(b, 2))["AccessToken"]
