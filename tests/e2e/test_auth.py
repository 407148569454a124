"""Sign-in, challenges, refresh, sign-out and token checks, through boto3."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import OTHER_PASSWORD, PASSWORD, attr_dict, raises

POLICY_PREFIX = "Password did not conform with policy: "


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def password_auth(cognito, client_id, username, password, **extra):
    params = {"USERNAME": username, "PASSWORD": password, **extra}
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


def admin_auth(cognito, pool, username, password, client_id=None):
    return cognito.admin_initiate_auth(UserPoolId=pool.id, ClientId=client_id or pool.client_id,
                                       AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": username, "PASSWORD": password})


def refresh(cognito, client_id, token, flow="REFRESH_TOKEN_AUTH", **extra):
    return cognito.initiate_auth(ClientId=client_id, AuthFlow=flow,
                                 AuthParameters={"REFRESH_TOKEN": token, **extra})


def secret_hash(secret, username, client_id):
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def assert_tokens(result):
    auth = result["AuthenticationResult"]
    assert auth["TokenType"] == "Bearer"
    assert auth["ExpiresIn"] == 3600
    for k in ("AccessToken", "IdToken", "RefreshToken"):
        assert isinstance(auth[k], str) and len(auth[k]) > 20, k
    return auth


# --------------------------------------------------------------------------- password flows


def test_user_password_auth(pool, cognito):
    pool.create_user("alice", attributes={"email": "alice@example.com", "email_verified": "true"})
    r = password_auth(cognito, pool.client_id, "alice", PASSWORD)
    auth = assert_tokens(r)
    assert "ChallengeName" not in r
    assert r.get("ChallengeParameters", {}) == {}
    assert claims(auth["AccessToken"])["username"] == "alice"
    assert claims(auth["IdToken"])["cognito:username"] == "alice"
    me = cognito.get_user(AccessToken=auth["AccessToken"])
    assert me["Username"] == "alice"


def test_admin_user_password_auth(pool, cognito):
    pool.create_user("bob")
    auth = assert_tokens(admin_auth(cognito, pool, "bob", PASSWORD))
    assert claims(auth["AccessToken"])["client_id"] == pool.client_id


def test_user_password_flow_not_enabled(pool, cognito):
    cid = pool.create_client(name="srp-only", flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["ClientId"]
    pool.create_user("carl")
    with raises("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        password_auth(cognito, cid, "carl", PASSWORD)


def test_admin_flow_not_enabled(pool, cognito):
    cid = pool.create_client(name="user-only", flows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    pool.create_user("dina")
    with raises("InvalidParameterException", "Auth flow not enabled for this client"):
        admin_auth(cognito, pool, "dina", PASSWORD, client_id=cid)


def test_admin_flow_on_public_api_rejected(pool, cognito):
    pool.create_user("ed")
    with raises("InvalidParameterException"):
        cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "ed", "PASSWORD": PASSWORD})


def test_admin_auth_client_of_other_pool(make_pool, cognito):
    a, b = make_pool(), make_pool()
    b.create_user("fred")
    with raises("ResourceNotFoundException"):
        admin_auth(cognito, b, "fred", PASSWORD, client_id=a.client_id)


@pytest.mark.parametrize("params,missing", [
    ({"PASSWORD": PASSWORD}, "USERNAME"),
    ({"USERNAME": "gail"}, "PASSWORD"),
])
def test_missing_auth_parameter(pool, cognito, params, missing):
    with raises("InvalidParameterException", f"Missing required parameter {missing}"):
        cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


def test_missing_refresh_token_parameter(pool, cognito):
    with raises("InvalidParameterException", "Missing required parameter REFRESH_TOKEN"):
        cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={})


def test_wrong_password(pool, cognito):
    pool.create_user("hank")
    with raises("NotAuthorizedException", "Incorrect username or password."):
        password_auth(cognito, pool.client_id, "hank", "Wr0ng!Passw0rd")
    with raises("NotAuthorizedException", "Incorrect username or password."):
        admin_auth(cognito, pool, "hank", "Wr0ng!Passw0rd")


def test_unknown_user_legacy(pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        password_auth(cognito, pool.client_id, "ghost", PASSWORD)
    with raises("UserNotFoundException", "User does not exist."):
        admin_auth(cognito, pool, "ghost", PASSWORD)


def test_unknown_user_prevent_existence_errors(pool, cognito):
    cid = pool.create_client(name="prevent", PreventUserExistenceErrors="ENABLED")["ClientId"]
    with raises("NotAuthorizedException", "Incorrect username or password."):
        password_auth(cognito, cid, "ghost", PASSWORD)


def test_unconfirmed_user(pool, cognito):
    pool.sign_up("ivan", attributes={"email": "ivan@example.com"})
    with raises("UserNotConfirmedException", "User is not confirmed."):
        password_auth(cognito, pool.client_id, "ivan", PASSWORD)
    # unconfirmed wins even over a wrong password
    with raises("UserNotConfirmedException", "User is not confirmed."):
        password_auth(cognito, pool.client_id, "ivan", "Wr0ng!Passw0rd")


def test_disabled_user(pool, cognito):
    pool.create_user("jill")
    cognito.admin_disable_user(UserPoolId=pool.id, Username="jill")
    with raises("NotAuthorizedException", "User is disabled."):
        password_auth(cognito, pool.client_id, "jill", PASSWORD)
    with raises("NotAuthorizedException", "User is disabled."):
        admin_auth(cognito, pool, "jill", PASSWORD)


def test_disabled_user_tokens_stop_working(pool, cognito):
    pool.create_user("kim")
    auth = pool.sign_in("kim")
    cognito.admin_disable_user(UserPoolId=pool.id, Username="kim")
    with raises("NotAuthorizedException", "User is disabled."):
        cognito.get_user(AccessToken=auth["AccessToken"])
    with raises("NotAuthorizedException", "User is disabled."):
        refresh(cognito, pool.client_id, auth["RefreshToken"])


def test_reset_required_user(pool, cognito):
    pool.create_user("lou", attributes={"email": "lou@example.com", "email_verified": "true"})
    cognito.admin_reset_user_password(UserPoolId=pool.id, Username="lou")
    with raises("PasswordResetRequiredException", "Password reset required for the user"):
        password_auth(cognito, pool.client_id, "lou", PASSWORD)
    with raises("PasswordResetRequiredException", "Password reset required for the user"):
        admin_auth(cognito, pool, "lou", PASSWORD)


# --------------------------------------------------------------------------- SECRET_HASH


def test_secret_hash(pool, cognito):
    c = pool.create_client(name="confidential", GenerateSecret=True)
    cid, secret = c["ClientId"], c["ClientSecret"]
    pool.create_user("max")
    with raises("NotAuthorizedException", f"Client {cid} is configured for secret but secret was not received"):
        password_auth(cognito, cid, "max", PASSWORD)
    with raises("NotAuthorizedException", f"Unable to verify secret hash for client {cid}"):
        password_auth(cognito, cid, "max", PASSWORD, SECRET_HASH=secret_hash(secret, "other", cid))
    auth = assert_tokens(password_auth(cognito, cid, "max", PASSWORD, SECRET_HASH=secret_hash(secret, "max", cid)))
    r = refresh(cognito, cid, auth["RefreshToken"], SECRET_HASH=secret_hash(secret, "max", cid))
    assert r["AuthenticationResult"]["AccessToken"]


def test_secret_hash_on_sign_up(pool, cognito):
    c = pool.create_client(name="confidential", GenerateSecret=True)
    cid, secret = c["ClientId"], c["ClientSecret"]
    with raises("NotAuthorizedException"):
        cognito.sign_up(ClientId=cid, Username="nia", Password=PASSWORD)
    assert pool.usernames() == []
    cognito.sign_up(ClientId=cid, Username="nia", Password=PASSWORD, SecretHash=secret_hash(secret, "nia", cid),
                    UserAttributes=[{"Name": "email", "Value": "nia@example.com"}])
    assert pool.usernames() == ["nia"]


# --------------------------------------------------------------------------- NEW_PASSWORD_REQUIRED


def test_new_password_required(pool, cognito):
    pool.create_user("olive", password="Temp0rary!pw", status="FORCE_CHANGE_PASSWORD",
                     attributes={"email": "olive@example.com"})
    r = password_auth(cognito, pool.client_id, "olive", "Temp0rary!pw")
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert "AuthenticationResult" not in r
    assert len(r["Session"]) >= 20
    params = r["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "olive"
    assert json.loads(params["userAttributes"])["email"] == "olive@example.com"
    assert isinstance(json.loads(params["requiredAttributes"]), list)

    with raises("InvalidPasswordException", POLICY_PREFIX + "Password not long enough"):
        cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                          Session=r["Session"],
                                          ChallengeResponses={"USERNAME": "olive", "NEW_PASSWORD": "Ab1!"})
    assert pool.get_user("olive")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    r2 = cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                           Session=r["Session"],
                                           ChallengeResponses={"USERNAME": "olive", "NEW_PASSWORD": OTHER_PASSWORD})
    auth = assert_tokens(r2)
    assert claims(auth["IdToken"])["cognito:username"] == "olive"
    assert pool.get_user("olive")["UserStatus"] == "CONFIRMED"
    with raises("NotAuthorizedException", "Incorrect username or password."):
        pool.sign_in("olive", "Temp0rary!pw")
    assert pool.sign_in("olive", OTHER_PASSWORD)["AccessToken"]


def test_new_password_required_admin(pool, cognito):
    pool.create_user("pam", password="Temp0rary!pw", status="FORCE_CHANGE_PASSWORD")
    r = admin_auth(cognito, pool, "pam", "Temp0rary!pw")
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    r2 = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool.id, ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
        ChallengeResponses={"USERNAME": "pam", "NEW_PASSWORD": OTHER_PASSWORD,
                            "userAttributes.name": "Pam"})
    assert_tokens(r2)
    u = pool.get_user("pam")
    assert u["UserStatus"] == "CONFIRMED"
    assert attr_dict(u["UserAttributes"])["name"] == "Pam"


def test_new_password_wrong_temporary_password(pool, cognito):
    pool.create_user("quin", password="Temp0rary!pw", status="FORCE_CHANGE_PASSWORD")
    with raises("NotAuthorizedException", "Incorrect username or password."):
        password_auth(cognito, pool.client_id, "quin", "Not-the-temp-1")


def test_challenge_session_is_single_use_and_checked(pool, cognito):
    pool.create_user("ray", password="Temp0rary!pw", status="FORCE_CHANGE_PASSWORD")
    r = password_auth(cognito, pool.client_id, "ray", "Temp0rary!pw")
    bad_session = "A" * 40
    with raises("NotAuthorizedException"):
        cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                          Session=bad_session,
                                          ChallengeResponses={"USERNAME": "ray", "NEW_PASSWORD": OTHER_PASSWORD})
    assert pool.get_user("ray")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                      Session=r["Session"],
                                      ChallengeResponses={"USERNAME": "ray", "NEW_PASSWORD": OTHER_PASSWORD})
    with raises("NotAuthorizedException"):
        cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                          Session=r["Session"],
                                          ChallengeResponses={"USERNAME": "ray", "NEW_PASSWORD": "An0ther!Passw0rd"})
    assert pool.sign_in("ray", OTHER_PASSWORD)


# --------------------------------------------------------------------------- refresh


@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
def test_refresh(pool, cognito, flow):
    pool.create_user("sue", attributes={"email": "sue@example.com"})
    first = pool.sign_in("sue")
    r = refresh(cognito, pool.client_id, first["RefreshToken"], flow=flow)
    auth = r["AuthenticationResult"]
    assert "RefreshToken" not in auth
    assert auth["ExpiresIn"] == 3600 and auth["TokenType"] == "Bearer"
    old, new = claims(first["AccessToken"]), claims(auth["AccessToken"])
    assert new["jti"] != old["jti"]
    assert new["origin_jti"] == old["origin_jti"]
    assert new["auth_time"] == old["auth_time"]
    assert new["sub"] == old["sub"] and new["username"] == "sue"
    assert claims(auth["IdToken"])["email"] == "sue@example.com"
    assert cognito.get_user(AccessToken=auth["AccessToken"])["Username"] == "sue"


def test_refresh_admin(pool, cognito):
    pool.create_user("tom")
    first = pool.sign_in("tom")
    r = cognito.admin_initiate_auth(UserPoolId=pool.id, ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                    AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
    assert claims(r["AuthenticationResult"]["IdToken"])["cognito:username"] == "tom"


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"])
def test_refresh_invalid_token(pool, cognito, token):
    with raises("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(cognito, pool.client_id, token)


def test_refresh_token_from_other_client(pool, cognito):
    other = pool.create_client(name="other")["ClientId"]
    pool.create_user("uri")
    rt = pool.sign_in("uri")["RefreshToken"]
    with raises("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(cognito, other, rt)


def test_access_token_as_refresh_token(pool, cognito):
    pool.create_user("wes")
    at = pool.sign_in("wes")["AccessToken"]
    with raises("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(cognito, pool.client_id, at)


# --------------------------------------------------------------------------- sign-out and revocation


def test_global_sign_out(pool, cognito):
    pool.create_user("xia")
    a = pool.sign_in("xia")
    b = pool.sign_in("xia")
    cognito.global_sign_out(AccessToken=a["AccessToken"])
    for tokens in (a, b):
        with raises("NotAuthorizedException", "Access Token has been revoked"):
            cognito.get_user(AccessToken=tokens["AccessToken"])
        with raises("NotAuthorizedException", "Refresh Token has been revoked"):
            refresh(cognito, pool.client_id, tokens["RefreshToken"])
    # signing in again works
    c = pool.sign_in("xia")
    assert cognito.get_user(AccessToken=c["AccessToken"])["Username"] == "xia"
    assert refresh(cognito, pool.client_id, c["RefreshToken"])["AuthenticationResult"]["AccessToken"]


def test_admin_user_global_sign_out(pool, cognito):
    pool.create_user("yan")
    pool.create_user("zed")
    a = pool.sign_in("yan")
    z = pool.sign_in("zed")
    cognito.admin_user_global_sign_out(UserPoolId=pool.id, Username="yan")
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=a["AccessToken"])
    with raises("NotAuthorizedException", "Refresh Token has been revoked"):
        refresh(cognito, pool.client_id, a["RefreshToken"])
    # other users are unaffected
    assert cognito.get_user(AccessToken=z["AccessToken"])["Username"] == "zed"


def test_revoke_token(pool, cognito):
    pool.create_user("abe")
    a = pool.sign_in("abe")
    b = pool.sign_in("abe")
    cognito.revoke_token(Token=a["RefreshToken"], ClientId=pool.client_id)
    with raises("NotAuthorizedException", "Refresh Token has been revoked"):
        refresh(cognito, pool.client_id, a["RefreshToken"])
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=a["AccessToken"])
    # the other session is untouched
    assert cognito.get_user(AccessToken=b["AccessToken"])["Username"] == "abe"
    assert refresh(cognito, pool.client_id, b["RefreshToken"])["AuthenticationResult"]["AccessToken"]


def test_revoke_token_errors(pool, cognito):
    pool.create_user("bea")
    a = pool.sign_in("bea")
    with raises("UnsupportedTokenTypeException"):
        cognito.revoke_token(Token=a["AccessToken"], ClientId=pool.client_id)
    other = pool.create_client(name="other")["ClientId"]
    with pytest.raises(Exception) as e:
        cognito.revoke_token(Token=a["RefreshToken"], ClientId=other)
    assert e.value.response["Error"]["Code"] in ("UnauthorizedException", "NotAuthorizedException", "InvalidParameterException")
    # nothing was revoked by the failed attempts
    assert refresh(cognito, pool.client_id, a["RefreshToken"])["AuthenticationResult"]["AccessToken"]
    assert cognito.get_user(AccessToken=a["AccessToken"])["Username"] == "bea"


def test_revoke_token_disabled_on_client(pool, cognito):
    cid = pool.create_client(name="norevoke", EnableTokenRevocation=False)["ClientId"]
    pool.create_user("cid")
    rt = pool.sign_in("cid", client_id=cid)["RefreshToken"]
    with raises("UnsupportedOperationException"):
        cognito.revoke_token(Token=rt, ClientId=cid)


# --------------------------------------------------------------------------- access-token checks


def forge(token, **changes):
    head, payload, sig = token.split(".")
    pad = "=" * (-len(payload) % 4)
    body = json.loads(base64.urlsafe_b64decode(payload + pad))
    body.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{head}.{new_payload}.{sig}"


def test_forged_and_garbled_access_tokens(pool, cognito):
    pool.create_user("dee")
    pool.create_user("eli")
    auth = pool.sign_in("dee")
    at = auth["AccessToken"]
    eli_sub = pool.attrs("eli")["sub"]
    self_signed_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = jwt.get_unverified_header(at)
    self_signed = jwt.encode(claims(at), self_signed_key, algorithm="RS256", headers={"kid": header["kid"]})
    none_alg = jwt.encode(claims(at), None, algorithm="none")
    for bad in [
        "abc.def.ghi",
        "not-a-jwt",
        forge(at, username="eli", sub=eli_sub),        # payload changed, signature kept
        forge(at, exp=int(time.time()) + 10 * 86400),  # extended expiry
        at[:-4] + ("AAAA" if not at.endswith("AAAA") else "BBBB"),  # signature damaged
        self_signed,                                  # right kid, wrong key
        none_alg,
        auth["IdToken"],                              # an ID token is not an access token
    ]:
        with raises("NotAuthorizedException"):
            cognito.get_user(AccessToken=bad)
    with raises("NotAuthorizedException", "Invalid Access Token"):
        cognito.get_user(AccessToken=forge(at, username="eli", sub=eli_sub))
    # the forged call changed nothing and the real token still works
    assert cognito.get_user(AccessToken=at)["Username"] == "dee"


def test_forged_token_cannot_write(pool, cognito):
    pool.create_user("fay", attributes={"name": "Fay"})
    pool.create_user("gus", attributes={"name": "Gus"})
    at = pool.sign_in("fay")["AccessToken"]
    forged = forge(at, username="gus", sub=pool.attrs("gus")["sub"])
    with raises("NotAuthorizedException"):
        cognito.update_user_attributes(AccessToken=forged, UserAttributes=[{"Name": "name", "Value": "Pwned"}])
    with raises("NotAuthorizedException"):
        cognito.change_password(AccessToken=forged, PreviousPassword=PASSWORD, ProposedPassword=OTHER_PASSWORD)
    with raises("NotAuthorizedException"):
        cognito.delete_user(AccessToken=forged)
    assert pool.attrs("gus")["name"] == "Gus"
    assert pool.sign_in("gus", PASSWORD)


def test_token_from_other_pool_rejected(make_pool, cognito):
    a, b = make_pool(), make_pool()
    a.create_user("hal")
    at = a.sign_in("hal")["AccessToken"]
    # re-point the issuer at pool b: signature no longer matches any key of b
    forged = forge(at, iss=b.issuer)
    with raises("NotAuthorizedException"):
        cognito.get_user(AccessToken=forged)


def test_expired_access_token(new_server):
    srv = new_server()
    c = srv.client()
    pid = c.create_user_pool(PoolName="clock")["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                                    AccessTokenValidity=5, IdTokenValidity=5, RefreshTokenValidity=120,
                                    TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes",
                                                        "RefreshToken": "minutes"}
                                    )["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="ivy", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="ivy", Password=PASSWORD, Permanent=True)
    auth = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "ivy", "PASSWORD": PASSWORD})["AuthenticationResult"]
    assert auth["ExpiresIn"] == 300
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "ivy"

    srv.advance_clock(301)
    with raises("NotAuthorizedException", "Access Token has expired"):
        c.get_user(AccessToken=auth["AccessToken"])
    # the refresh token (120 min) still works and yields a working access token
    fresh = c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                            AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"]})["AuthenticationResult"]
    assert c.get_user(AccessToken=fresh["AccessToken"])["Username"] == "ivy"

    srv.advance_clock(2 * 3600)
    with raises("NotAuthorizedException", "Refresh Token has expired"):
        c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                        AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"]})


def test_clock_moves_token_times(new_server):
    srv = new_server()
    now = srv.set_clock(1_800_000_000.0)
    assert abs(now - 1_800_000_000.0) < 5
    assert abs(srv.advance_clock(60) - 1_800_000_060.0) < 5
    c = srv.client()
    pid = c.create_user_pool(PoolName="clock2")["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="joy", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="joy", Password=PASSWORD, Permanent=True)
    auth = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "joy", "PASSWORD": PASSWORD})["AuthenticationResult"]
    iat = claims(auth["AccessToken"])["iat"]
    assert 1_800_000_060 <= iat < 1_800_000_060 + 60
    assert claims(auth["IdToken"])["auth_time"] == iat


def private_pool(srv, client_kwargs=None, **pool_kwargs):
    c = srv.client()
    pid = c.create_user_pool(PoolName="private", **pool_kwargs)["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
                                    **(client_kwargs or {}))["UserPoolClient"]["ClientId"]
    return c, pid, cid


def test_challenge_session_expires(new_server):
    srv = new_server()
    c, pid, cid = private_pool(srv)  # AuthSessionValidity defaults to 3 minutes
    c.admin_create_user(UserPoolId=pid, Username="kit", TemporaryPassword="Temp0rary!pw", MessageAction="SUPPRESS")
    r = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": "kit", "PASSWORD": "Temp0rary!pw"})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    srv.advance_clock(4 * 60)
    with raises("NotAuthorizedException", "Invalid session for the user, session is expired."):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                                    ChallengeResponses={"USERNAME": "kit", "NEW_PASSWORD": OTHER_PASSWORD})
    assert c.admin_get_user(UserPoolId=pid, Username="kit")["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_temporary_password_expires(new_server):
    srv = new_server()
    c, pid, cid = private_pool(srv, Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 1}})
    c.admin_create_user(UserPoolId=pid, Username="lee", TemporaryPassword="Temp0rary!pw", MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": "email", "Value": "lee@example.com"},
                                        {"Name": "email_verified", "Value": "true"}])
    srv.advance_clock(2 * 86400)
    with raises("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."):
        c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": "lee", "PASSWORD": "Temp0rary!pw"})
    # an administrator resends the invitation with a new temporary password: sign-in works again
    c.admin_create_user(UserPoolId=pid, Username="lee", MessageAction="RESEND", TemporaryPassword="Fresh-Temp0rary!")
    r = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": "lee", "PASSWORD": "Fresh-Temp0rary!"})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


# --------------------------------------------------------------------------- password policy on every path


WEAK = "weakpass"  # no upper case, digit or symbol
WEAK_REASON = POLICY_PREFIX + "Password must have uppercase characters"


def _sign_up(pool, cognito):
    pool.sign_up("kai", password=WEAK, attributes={"email": "kai@example.com"})


def _admin_create(pool, cognito):
    cognito.admin_create_user(UserPoolId=pool.id, Username="kai", TemporaryPassword=WEAK, MessageAction="SUPPRESS")


def _admin_set(pool, cognito):
    pool.create_user("kai")
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="kai", Password=WEAK, Permanent=True)


def _admin_set_temporary(pool, cognito):
    pool.create_user("kai")
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="kai", Password=WEAK, Permanent=False)


def _change(pool, cognito):
    pool.create_user("kai")
    at = pool.sign_in("kai")["AccessToken"]
    cognito.change_password(AccessToken=at, PreviousPassword=PASSWORD, ProposedPassword=WEAK)


def _confirm_forgot(pool, cognito):
    pool.create_user("kai", attributes={"email": "kai@example.com", "email_verified": "true"})
    cognito.forgot_password(ClientId=pool.client_id, Username="kai")
    code = pool.last_message("kai", kind="ForgotPassword")["code"]
    cognito.confirm_forgot_password(ClientId=pool.client_id, Username="kai", ConfirmationCode=code, Password=WEAK)


def _new_password_challenge(pool, cognito):
    pool.create_user("kai", password="Temp0rary!pw", status="FORCE_CHANGE_PASSWORD")
    r = password_auth(cognito, pool.client_id, "kai", "Temp0rary!pw")
    cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                                      ChallengeResponses={"USERNAME": "kai", "NEW_PASSWORD": WEAK})


@pytest.mark.parametrize("path", [_sign_up, _admin_create, _admin_set, _admin_set_temporary, _change, _confirm_forgot,
                                  _new_password_challenge],
                         ids=lambda f: f.__name__.strip("_"))
def test_password_policy_on_every_path(pool, cognito, path):
    with raises("InvalidPasswordException", WEAK_REASON):
        path(pool, cognito)
    # the weak password never became valid
    try:
        pool.get_user("kai")
    except Exception:
        return  # the user was never created
    with pytest.raises(Exception) as e:
        password_auth(cognito, pool.client_id, "kai", WEAK)
    assert e.value.response["Error"]["Code"] == "NotAuthorizedException"
