"""SECRET_HASH on every operation that carries one, through boto3.

For each operation and each mode (missing / wrong / right) against a client created with GenerateSecret:
missing -> NotAuthorizedException "Client <id> is configured for secret but secret was not received",
wrong -> NotAuthorizedException "Unable to verify secret hash for client <id>", right -> success.
A refused call must leave the data as it was (no user created, no code sent, status unchanged, ...).
Set-up steps use the right hash (or a public client in the same pool).
"""

import json

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from conftest import OTHER_PASSWORD, PASSWORD, TOTP_STEP, UUID_RE, enable_totp, raises, secret_hash, totp_code

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
         "ALLOW_USER_SRP_AUTH"]
MODES = ["missing", "wrong", "right"]


class Ctx:
    """A pool with a public client (`pub`) and a confidential one (`cid`, `secret`)."""

    def __init__(self, make_pool, cognito, server, mfa=None, **pool_kwargs):
        self.p = make_pool(client_kwargs={"flows": FLOWS}, **pool_kwargs)
        self.c, self.server, self.pid, self.pub = cognito, server, self.p.id, self.p.client_id
        if mfa:
            enable_totp(cognito, self.pid, mfa)
        conf = self.p.create_client(name="confidential", flows=FLOWS, GenerateSecret=True)
        self.cid, self.secret = conf["ClientId"], conf["ClientSecret"]
        assert len(self.secret) == 52
        self.mode = None

    # the hash for `username` according to the current mode
    def h(self, username) -> str | None:
        if self.mode == "missing":
            return None
        if self.mode == "wrong":
            return secret_hash(self.secret[::-1], username, self.cid)
        return secret_hash(self.secret, username, self.cid)

    def top(self, username) -> dict:
        h = self.h(username)
        return {} if h is None else {"SecretHash": h}

    def param(self, username) -> dict:
        h = self.h(username)
        return {} if h is None else {"SECRET_HASH": h}

    def good(self, username) -> dict:
        return {"SECRET_HASH": secret_hash(self.secret, username, self.cid)}

    def good_top(self, username) -> dict:
        return {"SecretHash": secret_hash(self.secret, username, self.cid)}

    def user(self, name, status="CONFIRMED", **attrs):
        self.p.create_user(name, attributes=attrs or None, status=status)

    def status(self, name):
        return self.p.get_user(name)["UserStatus"]

    def password_works(self, name, password) -> bool:
        try:
            self.p.sign_in(name, password, client_id=self.pub)
            return True
        except ClientError as e:
            assert e.response["Error"]["Code"] == "NotAuthorizedException", e.response
            return False


def expected_error(ctx):
    if ctx.mode == "missing":
        return raises("NotAuthorizedException",
                      f"Client {ctx.cid} is configured for secret but secret was not received")
    return raises("NotAuthorizedException", f"Unable to verify secret hash for client {ctx.cid}")


def assert_tokens(resp) -> dict:
    assert "ChallengeName" not in resp, resp
    auth = resp["AuthenticationResult"]
    for k in ("AccessToken", "IdToken"):
        assert isinstance(auth.get(k), str) and len(auth[k]) > 20, k
    return auth


# --------------------------------------------------------------------------- operations
# each: (setup(ctx) -> state, call(ctx, state) -> response, after(ctx, state, refused: bool, response))


def sign_up_setup(ctx, name):
    ctx.c.sign_up(ClientId=ctx.cid, Username=name, Password=PASSWORD,
                  UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}], **ctx.good_top(name))
    return ctx.server.last_message(ctx.pid, username=name, kind="SignUp")["code"]


def op_sign_up(ctx):
    name = "sue"
    try:
        r = ctx.c.sign_up(ClientId=ctx.cid, Username=name, Password=PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": "sue@example.com"}], **ctx.top(name))
    finally:
        if ctx.mode != "right":
            with raises("UserNotFoundException"):
                ctx.p.get_user(name)
            assert ctx.server.messages(ctx.pid, name) == []
    assert r["UserConfirmed"] is False and UUID_RE.match(r["UserSub"])
    assert ctx.status(name) == "UNCONFIRMED"


def op_confirm_sign_up(ctx):
    name = "cory"
    code = sign_up_setup(ctx, name)
    try:
        ctx.c.confirm_sign_up(ClientId=ctx.cid, Username=name, ConfirmationCode=code, **ctx.top(name))
    finally:
        if ctx.mode != "right":
            assert ctx.status(name) == "UNCONFIRMED"
    assert ctx.status(name) == "CONFIRMED"


def op_resend_confirmation_code(ctx):
    name = "rosa"
    sign_up_setup(ctx, name)
    before = len(ctx.server.messages(ctx.pid, name))
    try:
        r = ctx.c.resend_confirmation_code(ClientId=ctx.cid, Username=name, **ctx.top(name))
    finally:
        if ctx.mode != "right":
            assert len(ctx.server.messages(ctx.pid, name)) == before
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert ctx.server.last_message(ctx.pid, username=name)["kind"] == "ResendConfirmationCode"


def op_forgot_password(ctx):
    name = "fred"
    ctx.user(name, email="fred@example.com", email_verified="true")
    try:
        r = ctx.c.forgot_password(ClientId=ctx.cid, Username=name, **ctx.top(name))
    finally:
        if ctx.mode != "right":
            assert ctx.server.messages(ctx.pid, name) == []
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert ctx.server.last_message(ctx.pid, username=name)["kind"] == "ForgotPassword"


def op_confirm_forgot_password(ctx):
    name = "gail"
    ctx.user(name, email="gail@example.com", email_verified="true")
    ctx.c.forgot_password(ClientId=ctx.cid, Username=name, **ctx.good_top(name))
    code = ctx.server.last_message(ctx.pid, username=name, kind="ForgotPassword")["code"]
    try:
        ctx.c.confirm_forgot_password(ClientId=ctx.cid, Username=name, ConfirmationCode=code,
                                      Password=OTHER_PASSWORD, **ctx.top(name))
    finally:
        if ctx.mode != "right":
            assert ctx.password_works(name, PASSWORD)
            assert not ctx.password_works(name, OTHER_PASSWORD)
    assert ctx.password_works(name, OTHER_PASSWORD)
    assert not ctx.password_works(name, PASSWORD)


def op_initiate_user_password(ctx):
    ctx.user("ivy")
    r = ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": "ivy", "PASSWORD": PASSWORD, **ctx.param("ivy")})
    assert_tokens(r)


def op_initiate_user_srp(ctx):
    ctx.user("sid")
    aws = AWSSRP("sid", PASSWORD, ctx.pid, ctx.cid, client=ctx.c)
    r = ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_SRP_AUTH",
                            AuthParameters={**aws.get_auth_params(), **ctx.param("sid")})
    assert r["ChallengeName"] == "PASSWORD_VERIFIER"
    assert r["ChallengeParameters"]["USER_ID_FOR_SRP"] == "sid"


def op_admin_initiate_password(ctx):
    ctx.user("abe")
    r = ctx.c.admin_initiate_auth(UserPoolId=ctx.pid, ClientId=ctx.cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "abe", "PASSWORD": PASSWORD, **ctx.param("abe")})
    assert_tokens(r)


def _refresh(ctx, admin, flow="REFRESH_TOKEN_AUTH"):
    ctx.user("rex")
    rt = ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "rex", "PASSWORD": PASSWORD, **ctx.good("rex")}
                             )["AuthenticationResult"]["RefreshToken"]
    params = {"REFRESH_TOKEN": rt, **ctx.param("rex")}
    if admin:
        r = ctx.c.admin_initiate_auth(UserPoolId=ctx.pid, ClientId=ctx.cid, AuthFlow=flow, AuthParameters=params)
    else:
        r = ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow=flow, AuthParameters=params)
    auth = assert_tokens(r)
    assert jwt.decode(auth["AccessToken"], options={"verify_signature": False})["username"] == "rex"


def op_initiate_refresh(ctx):
    _refresh(ctx, admin=False)


def op_admin_initiate_refresh(ctx):
    _refresh(ctx, admin=True)


def op_initiate_refresh_alias(ctx):
    _refresh(ctx, admin=False, flow="REFRESH_TOKEN")


# challenges: `admin` selects AdminInitiateAuth/AdminRespondToAuthChallenge for both steps


def _first(ctx, name, admin, password=PASSWORD):
    if admin:
        return ctx.c.admin_initiate_auth(UserPoolId=ctx.pid, ClientId=ctx.cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                         AuthParameters={"USERNAME": name, "PASSWORD": password, **ctx.good(name)})
    return ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": name, "PASSWORD": password, **ctx.good(name)})


def _respond(ctx, admin, challenge, session, responses):
    kw = dict(ClientId=ctx.cid, ChallengeName=challenge, ChallengeResponses=responses)
    if session is not None:
        kw["Session"] = session
    if admin:
        return ctx.c.admin_respond_to_auth_challenge(UserPoolId=ctx.pid, **kw)
    return ctx.c.respond_to_auth_challenge(**kw)


def ch_new_password_required(ctx, admin):
    name = "nora"
    ctx.user(name, status="FORCE_CHANGE_PASSWORD")
    r = _first(ctx, name, admin)
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    try:
        out = _respond(ctx, admin, "NEW_PASSWORD_REQUIRED", r["Session"],
                       {"USERNAME": name, "NEW_PASSWORD": OTHER_PASSWORD, **ctx.param(name)})
    finally:
        if ctx.mode != "right":
            assert ctx.status(name) == "FORCE_CHANGE_PASSWORD"
    assert_tokens(out)
    assert ctx.status(name) == "CONFIRMED"
    assert ctx.password_works(name, OTHER_PASSWORD)


def ch_software_token_mfa(ctx, admin):
    name = "tom"
    ctx.user(name)
    now = ctx.server.clock()
    at = ctx.p.sign_in(name, client_id=ctx.pub)["AccessToken"]
    secret = ctx.c.associate_software_token(AccessToken=at)["SecretCode"]
    ctx.c.verify_software_token(AccessToken=at, UserCode=totp_code(secret, now - TOTP_STEP))
    ctx.c.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    r = _first(ctx, name, admin)
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    out = _respond(ctx, admin, "SOFTWARE_TOKEN_MFA", r["Session"],
                   {"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE": totp_code(secret, now), **ctx.param(name)})
    assert_tokens(out)


def ch_mfa_setup(ctx, admin):
    name = "mia"
    ctx.user(name)
    now = ctx.server.clock()
    r = _first(ctx, name, admin)
    assert r["ChallengeName"] == "MFA_SETUP"
    a = ctx.c.associate_software_token(Session=r["Session"])
    v = ctx.c.verify_software_token(Session=a["Session"], UserCode=totp_code(a["SecretCode"], now - TOTP_STEP))
    out = _respond(ctx, admin, "MFA_SETUP", v["Session"], {"USERNAME": name, **ctx.param(name)})
    assert_tokens(out)


def ch_password_verifier(ctx, admin):
    name = "pete"
    ctx.user(name)
    aws = AWSSRP(name, PASSWORD, ctx.pid, ctx.cid, client=ctx.c, client_secret=ctx.secret)
    params = aws.get_auth_params()
    if admin:
        r = ctx.c.admin_initiate_auth(UserPoolId=ctx.pid, ClientId=ctx.cid, AuthFlow="USER_SRP_AUTH",
                                      AuthParameters=params)
    else:
        r = ctx.c.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    assert r["ChallengeName"] == "PASSWORD_VERIFIER"
    responses = aws.process_challenge(r["ChallengeParameters"], params)
    assert responses.pop("SECRET_HASH") == secret_hash(ctx.secret, name, ctx.cid)
    out = _respond(ctx, admin, "PASSWORD_VERIFIER", r.get("Session"), {**responses, **ctx.param(name)})
    assert_tokens(out)


OPS = {
    "SignUp": (op_sign_up, {}),
    "ConfirmSignUp": (op_confirm_sign_up, {}),
    "ResendConfirmationCode": (op_resend_confirmation_code, {}),
    "ForgotPassword": (op_forgot_password, {}),
    "ConfirmForgotPassword": (op_confirm_forgot_password, {}),
    "InitiateAuth-USER_PASSWORD_AUTH": (op_initiate_user_password, {}),
    "InitiateAuth-USER_SRP_AUTH": (op_initiate_user_srp, {}),
    "InitiateAuth-REFRESH_TOKEN_AUTH": (op_initiate_refresh, {}),
    "InitiateAuth-REFRESH_TOKEN": (op_initiate_refresh_alias, {}),
    "AdminInitiateAuth-ADMIN_USER_PASSWORD_AUTH": (op_admin_initiate_password, {}),
    "AdminInitiateAuth-REFRESH_TOKEN_AUTH": (op_admin_initiate_refresh, {}),
}
for _admin in (False, True):
    _api = "AdminRespondToAuthChallenge" if _admin else "RespondToAuthChallenge"
    OPS[f"{_api}-NEW_PASSWORD_REQUIRED"] = (lambda ctx, a=_admin: ch_new_password_required(ctx, a), {})
    OPS[f"{_api}-SOFTWARE_TOKEN_MFA"] = (lambda ctx, a=_admin: ch_software_token_mfa(ctx, a), {"mfa": "OPTIONAL"})
    OPS[f"{_api}-MFA_SETUP"] = (lambda ctx, a=_admin: ch_mfa_setup(ctx, a), {"mfa": "ON"})
    OPS[f"{_api}-PASSWORD_VERIFIER"] = (lambda ctx, a=_admin: ch_password_verifier(ctx, a), {})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", list(OPS))
def test_secret_hash(make_pool, cognito, server, op, mode):
    fn, ctx_kwargs = OPS[op]
    ctx = Ctx(make_pool, cognito, server, **ctx_kwargs)
    ctx.mode = mode
    if mode == "right":
        fn(ctx)
    else:
        with expected_error(ctx):
            fn(ctx)


# --------------------------------------------------------------------------- details


def test_secret_created_and_described(make_pool, cognito):
    ctx = Ctx(make_pool, cognito, None)
    d = cognito.describe_user_pool_client(UserPoolId=ctx.pid, ClientId=ctx.cid)["UserPoolClient"]
    assert d["ClientSecret"] == ctx.secret
    assert "ClientSecret" not in cognito.describe_user_pool_client(UserPoolId=ctx.pid,
                                                                   ClientId=ctx.pub)["UserPoolClient"]


def test_hash_for_another_username_or_client_refused(make_pool, cognito, server):
    ctx = Ctx(make_pool, cognito, server)
    ctx.user("hal")
    ctx.user("hank")
    bad = [secret_hash(ctx.secret, "hank", ctx.cid),          # another user's hash
           secret_hash(ctx.secret, "hal", ctx.pub),           # over another client id
           secret_hash(ctx.secret, "hal", ctx.cid)[:-2],      # truncated
           "not base64 at all!"]
    for h in bad:
        with raises("NotAuthorizedException", f"Unable to verify secret hash for client {ctx.cid}"):
            cognito.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "hal", "PASSWORD": PASSWORD, "SECRET_HASH": h})
    # secret-hash refusals are not password failures: the user is not locked after more than five
    assert_tokens(cognito.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": "hal", "PASSWORD": PASSWORD, **ctx.good("hal")}))


def test_secret_hash_checked_before_password(make_pool, cognito, server):
    """Precedence: a missing hash is reported even with a wrong password (and is not counted as one)."""
    ctx = Ctx(make_pool, cognito, server)
    ctx.user("olly")
    with raises("NotAuthorizedException", f"Client {ctx.cid} is configured for secret but secret was not received"):
        cognito.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "olly", "PASSWORD": "Wr0ng!Password"})


def test_secret_hash_on_public_client_ignored(make_pool, cognito, server):
    ctx = Ctx(make_pool, cognito, server)
    ctx.user("paula")
    assert_tokens(cognito.initiate_auth(ClientId=ctx.pub, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": "paula", "PASSWORD": PASSWORD,
                                                        "SECRET_HASH": "anything"}))


def test_alias_sign_in_hash_over_typed_username(make_pool, cognito, server):
    """With an alias, InitiateAuth's hash is over the USERNAME sent; the challenge answer's over the
    internal username the challenge returned."""
    ctx = Ctx(make_pool, cognito, server, AliasAttributes=["email"])
    ctx.user("quin", email="quin@example.com", email_verified="true")
    assert_tokens(cognito.initiate_auth(
        ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "quin@example.com", "PASSWORD": PASSWORD, **ctx.good("quin@example.com")}))
    tokens = AWSSRP("quin@example.com", PASSWORD, ctx.pid, ctx.cid, client=cognito,
                    client_secret=ctx.secret).authenticate_user()
    assert_tokens(tokens)


@pytest.mark.parametrize("admin", [False, True], ids=["InitiateAuth", "AdminInitiateAuth"])
@pytest.mark.parametrize("pool_kind", ["username", "email-as-username"])
def test_refresh_hash_uses_token_username(make_pool, cognito, server, pool_kind, admin):
    """REFRESH_TOKEN_AUTH: the hash is over the username the token was issued to (the internal one; in
    email-as-username pools a UUID), or over the sub; not over another user's name."""
    kwargs = {"UsernameAttributes": ["email"]} if pool_kind == "email-as-username" else {}
    ctx = Ctx(make_pool, cognito, server, **kwargs)
    login = "ruth@example.com" if kwargs else "ruth"
    ctx.user(login, email="ruth@example.com", email_verified="true")
    internal = ctx.p.get_user(login)["Username"]
    if kwargs:
        assert UUID_RE.match(internal), internal
    auth = cognito.initiate_auth(ClientId=ctx.cid, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": login, "PASSWORD": PASSWORD, **ctx.good(login)}
                                 )["AuthenticationResult"]
    claims = jwt.decode(auth["AccessToken"], options={"verify_signature": False})
    assert claims["username"] == internal
    sub = claims["sub"]

    def refresh(h):
        params = {"REFRESH_TOKEN": auth["RefreshToken"]}
        if h is not None:
            params["SECRET_HASH"] = h
        if admin:
            return cognito.admin_initiate_auth(UserPoolId=ctx.pid, ClientId=ctx.cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                               AuthParameters=params)
        return cognito.initiate_auth(ClientId=ctx.cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params)

    assert_tokens(refresh(secret_hash(ctx.secret, internal, ctx.cid)))
    assert_tokens(refresh(secret_hash(ctx.secret, sub, ctx.cid)))
    with raises("NotAuthorizedException", f"Unable to verify secret hash for client {ctx.cid}"):
        refresh(secret_hash(ctx.secret, "someone-else", ctx.cid))
    with raises("NotAuthorizedException", f"Client {ctx.cid} is configured for secret but secret was not received"):
        refresh(None)
