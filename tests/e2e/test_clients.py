"""App clients through boto3: create (secrets, flows, validities), describe, update, delete, list."""

import re

import jwt
import pytest

from conftest import PASSWORD, raises

CLIENT_ID_RE = re.compile(r"^[a-z0-9]{26}$")
SECRET_RE = re.compile(r"^[a-z0-9]{52}$")


def test_create_client_shape(pool, cognito):
    c = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="web")["UserPoolClient"]
    assert CLIENT_ID_RE.match(c["ClientId"]), c["ClientId"]
    assert c["ClientName"] == "web"
    assert c["UserPoolId"] == pool.id
    assert "ClientSecret" not in c
    # Cognito leaves out ExplicitAuthFlows it was not given (the defaults apply: see
    # test_client_defaults.py, which signs in with them)
    assert "ExplicitAuthFlows" not in c
    assert c["RefreshTokenValidity"] == 30
    assert c["EnableTokenRevocation"] is True
    assert c["AuthSessionValidity"] == 3
    assert c.get("PreventUserExistenceErrors", "LEGACY") == "LEGACY"
    assert "CreationDate" in c and "LastModifiedDate" in c


def test_generate_secret(pool, cognito):
    c = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="srv", GenerateSecret=True)["UserPoolClient"]
    assert SECRET_RE.match(c["ClientSecret"]), c["ClientSecret"]
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert d["ClientSecret"] == c["ClientSecret"]
    other = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="srv2", GenerateSecret=True)["UserPoolClient"]
    assert other["ClientSecret"] != c["ClientSecret"]
    assert other["ClientId"] != c["ClientId"]


def test_explicit_auth_flows_echoed(pool, cognito):
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    c = cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="c", ExplicitAuthFlows=flows)["UserPoolClient"]
    assert sorted(c["ExplicitAuthFlows"]) == sorted(flows)


def test_legacy_and_allow_flows_cannot_mix(pool, cognito):
    before = cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]
    with raises("InvalidParameterException"):
        cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="mixed",
                                        ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    after = cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]
    assert len(after) == len(before)


def test_token_validity_units_echoed_and_applied(pool, cognito):
    c = cognito.create_user_pool_client(
        UserPoolId=pool.id, ClientName="validity", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=30, IdTokenValidity=2, RefreshTokenValidity=7,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
        AuthSessionValidity=5, PreventUserExistenceErrors="ENABLED", EnableTokenRevocation=True,
    )["UserPoolClient"]
    assert c["AccessTokenValidity"] == 30
    assert c["IdTokenValidity"] == 2
    assert c["RefreshTokenValidity"] == 7
    assert c["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"}
    assert c["AuthSessionValidity"] == 5
    assert c["PreventUserExistenceErrors"] == "ENABLED"
    pool.create_user("val")
    res = pool.sign_in("val", client_id=c["ClientId"])
    assert res["ExpiresIn"] == 1800
    access = jwt.decode(res["AccessToken"], options={"verify_signature": False})
    idt = jwt.decode(res["IdToken"], options={"verify_signature": False})
    assert access["exp"] - access["iat"] == 1800
    assert idt["exp"] - idt["iat"] == 7200


def test_default_validity_is_one_hour(pool):
    pool.create_user("dflt")
    res = pool.sign_in("dflt")
    assert res["ExpiresIn"] == 3600
    assert res["TokenType"] == "Bearer"
    for tok in (res["AccessToken"], res["IdToken"]):
        c = jwt.decode(tok, options={"verify_signature": False})
        assert c["exp"] - c["iat"] == 3600


@pytest.mark.parametrize("kwargs", [
    {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}},   # > 1 day
    {"IdTokenValidity": 1, "TokenValidityUnits": {"IdToken": "minutes"}},        # < 5 minutes
    {"AuthSessionValidity": 20},
    {"PreventUserExistenceErrors": "MAYBE"},
    {"ExplicitAuthFlows": ["ALLOW_EVERYTHING"]},
], ids=["access-too-long", "id-too-short", "session-validity", "prevent-enum", "flow-enum"])
def test_invalid_client_settings_rejected(pool, cognito_unvalidated, kwargs):
    before = cognito_unvalidated.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]
    with raises("InvalidParameterException"):
        cognito_unvalidated.create_user_pool_client(UserPoolId=pool.id, ClientName="bad", **kwargs)
    after = cognito_unvalidated.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]
    assert len(after) == len(before)


def test_describe_update_client(pool, cognito):
    cid = pool.client_id
    before = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=cid)["UserPoolClient"]
    upd = cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=cid, ClientName="renamed",
                                          ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                                          IdTokenValidity=90, TokenValidityUnits={"IdToken": "minutes"})["UserPoolClient"]
    assert upd["ClientName"] == "renamed"
    assert upd["ClientId"] == cid
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=cid)["UserPoolClient"]
    assert d["ClientName"] == "renamed"
    assert sorted(d["ExplicitAuthFlows"]) == ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert d["IdTokenValidity"] == 90
    assert d["CreationDate"] == before["CreationDate"]
    # the update is enforced: USER_PASSWORD_AUTH is no longer allowed
    pool.create_user("upd")
    with raises("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        pool.sign_in("upd")
    res = cognito.admin_initiate_auth(UserPoolId=pool.id, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "upd", "PASSWORD": PASSWORD})["AuthenticationResult"]
    idt = jwt.decode(res["IdToken"], options={"verify_signature": False})
    assert idt["exp"] - idt["iat"] == 90 * 60


def test_delete_client(pool, cognito):
    cid = pool.create_client(name="doomed")["ClientId"]
    cognito.delete_user_pool_client(UserPoolId=pool.id, ClientId=cid)
    with raises("ResourceNotFoundException", f"User pool client {cid} does not exist."):
        cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=cid)
    with raises("ResourceNotFoundException", f"User pool client {cid} does not exist."):
        cognito.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "x", "PASSWORD": PASSWORD})
    ids = [c["ClientId"] for c in cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]]
    assert cid not in ids and pool.client_id in ids


def test_list_clients_pagination(pool, cognito):
    made = {pool.create_client(name=f"c{i}")["ClientId"] for i in range(4)} | {pool.client_id}
    seen, token = [], None
    for _ in range(20):
        kw = {"NextToken": token} if token else {}
        r = cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=2, **kw)
        assert len(r["UserPoolClients"]) <= 2
        for c in r["UserPoolClients"]:
            assert set(c) >= {"ClientId", "ClientName", "UserPoolId"}
            assert "ClientSecret" not in c
        seen += [c["ClientId"] for c in r["UserPoolClients"]]
        token = r.get("NextToken")
        if not token:
            break
    assert sorted(seen) == sorted(made)


def test_client_of_other_pool_is_not_found(make_pool, cognito):
    a, b = make_pool(), make_pool()
    with raises("ResourceNotFoundException"):
        cognito.describe_user_pool_client(UserPoolId=b.id, ClientId=a.client_id)
    with raises("ResourceNotFoundException"):
        cognito.delete_user_pool_client(UserPoolId=b.id, ClientId=a.client_id)
    # still there in its own pool
    assert cognito.describe_user_pool_client(UserPoolId=a.id, ClientId=a.client_id)["UserPoolClient"]["ClientId"] == a.client_id


@pytest.mark.parametrize("call", [
    lambda c, pid, cid: c.describe_user_pool_client(UserPoolId=pid, ClientId=cid),
    lambda c, pid, cid: c.update_user_pool_client(UserPoolId=pid, ClientId=cid, ClientName="x"),
    lambda c, pid, cid: c.delete_user_pool_client(UserPoolId=pid, ClientId=cid),
    lambda c, pid, cid: c.sign_up(ClientId=cid, Username="x", Password=PASSWORD),
    lambda c, pid, cid: c.confirm_sign_up(ClientId=cid, Username="x", ConfirmationCode="123456"),
    lambda c, pid, cid: c.forgot_password(ClientId=cid, Username="x"),
    lambda c, pid, cid: c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": "x", "PASSWORD": PASSWORD}),
    lambda c, pid, cid: c.admin_initiate_auth(UserPoolId=pid, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                              AuthParameters={"USERNAME": "x", "PASSWORD": PASSWORD}),
], ids=["describe", "update", "delete", "sign_up", "confirm_sign_up", "forgot_password", "initiate_auth",
        "admin_initiate_auth"])
def test_unknown_client(pool, cognito, call):
    cid = "abcdefghijklmnopqrstuvwxyz"
    with raises("ResourceNotFoundException", f"User pool client {cid} does not exist."):
        call(cognito, pool.id, cid)
