"""DescribeUserPoolClient of a client created with only a name, member by member against what
AWS documents and returns; token validity units; UpdateUserPoolClient's replace semantics.

Sources named in the comments:
  [model]   the service model's documentation strings (shared/reference/cognito-idp.service-2.json)
  [cli]     the AWS CLI's examples (awscli/examples/cognito-idp/create-user-pool-client.rst)
  [api]     CreateUserPoolClient / DescribeUserPoolClient responses of clients created through
            the API with a name only, as published in AWS CLI output (2024-2025)
"""

import datetime as dt
import re

import jwt
import pytest
from pycognito.aws_srp import AWSSRP

from conftest import PASSWORD, raises

CLIENT_ID_RE = re.compile(r"^[a-z0-9]{26}$")

# Every member for a client created with only ClientName, besides UserPoolId, ClientName,
# ClientId, CreationDate and LastModifiedDate.
DEFAULT_CLIENT = {
    # [model] "If you don't specify otherwise ... your refresh tokens are valid for 30 days";
    # "The default time unit for RefreshTokenValidity in an API request is days"; [cli] [api]
    "RefreshTokenValidity": 30,
    # [api] no units given, none shown; [model] TokenValidityUnits "The default unit for refresh
    # tokens is days, and the default for ID and access tokens are hours"
    "TokenValidityUnits": {},
    # [model] AllowedOAuthFlowsUserPoolClient: "If you don't set a value ... it defaults to false"
    "AllowedOAuthFlowsUserPoolClient": False,
    # [model] EnableTokenRevocation: "If you don't include this parameter, token revocation is
    # automatically activated for the new user pool client"
    "EnableTokenRevocation": True,
    # [model] EnablePropagateAdditionalUserContextData: off unless included; [api]
    "EnablePropagateAdditionalUserContextData": False,
    # [api] three minutes; [model] AuthSessionValidityType 3-15 minutes
    "AuthSessionValidity": 3,
}
# Not returned for such a client [api]: ExplicitAuthFlows (the defaults ALLOW_USER_SRP_AUTH,
# ALLOW_REFRESH_TOKEN_AUTH, ALLOW_CUSTOM_AUTH apply [model]), AccessTokenValidity and
# IdTokenValidity (one hour [model]), PreventUserExistenceErrors ("Defaults to LEGACY" [model]),
# ReadAttributes / WriteAttributes ("only populates ... if you have specified your own" [model]),
# ClientSecret.
IDENTITY = {"UserPoolId", "ClientName", "ClientId", "CreationDate", "LastModifiedDate"}


def assert_default_client(c, pool_id, name):
    assert set(c) == set(DEFAULT_CLIENT) | IDENTITY, set(c) ^ (set(DEFAULT_CLIENT) | IDENTITY)
    for member, expected in DEFAULT_CLIENT.items():
        assert c[member] == expected, member
    assert c["UserPoolId"] == pool_id and c["ClientName"] == name
    assert CLIENT_ID_RE.match(c["ClientId"])
    assert isinstance(c["CreationDate"], dt.datetime)


@pytest.fixture
def bare_client(pool, cognito):
    return cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="bare")["UserPoolClient"]


def test_describe_user_pool_client_of_a_name_only_client(pool, cognito, bare_client):
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=bare_client["ClientId"])["UserPoolClient"]
    assert_default_client(d, pool.id, "bare")


def test_create_user_pool_client_returns_the_same_document(pool, bare_client):
    assert_default_client(bare_client, pool.id, "bare")


def test_default_flows_allow_srp_and_refresh_but_not_passwords(pool, cognito, bare_client):
    cid = bare_client["ClientId"]
    pool.create_user("srp")
    tokens = AWSSRP(username="srp", password=PASSWORD, pool_id=pool.id, client_id=cid,
                    client=cognito).authenticate_user()["AuthenticationResult"]
    # default validity: one hour for access and ID tokens [model]
    for t in (tokens["AccessToken"], tokens["IdToken"]):
        c = jwt.decode(t, options={"verify_signature": False})
        assert c["exp"] - c["iat"] == 3600
    assert tokens["ExpiresIn"] == 3600
    renewed = cognito.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                                    AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    assert "AccessToken" in renewed["AuthenticationResult"]
    with raises("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        pool.sign_in("srp", client_id=cid)


# --------------------------------------------------------------------------- validity units

def test_validity_without_units_is_hours(pool, cognito):
    """[model] "The default time unit for AccessTokenValidity in an API request is hours":
    AccessTokenValidity=2 is two hours (it was refused as 2 minutes before)."""
    c = pool.create_client(name="hours", AccessTokenValidity=2, IdTokenValidity=12)
    assert c["AccessTokenValidity"] == 2 and c["IdTokenValidity"] == 12
    assert c["TokenValidityUnits"] == {}
    pool.create_user("hrs")
    res = pool.sign_in("hrs", client_id=c["ClientId"])
    assert res["ExpiresIn"] == 2 * 3600
    idt = jwt.decode(res["IdToken"], options={"verify_signature": False})
    assert idt["exp"] - idt["iat"] == 12 * 3600


def test_refresh_validity_without_unit_is_days(new_server):
    srv = new_server()
    c = srv.client()
    pid = c.create_user_pool(PoolName="days")["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c", RefreshTokenValidity=2,
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
                                    )["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="rd", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="rd", Password=PASSWORD, Permanent=True)
    res = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "rd", "PASSWORD": PASSWORD})["AuthenticationResult"]
    renew = dict(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})
    srv.advance_clock(2 * 86400 - 60)
    c.initiate_auth(**renew)
    srv.advance_clock(120)
    with raises("NotAuthorizedException", "Refresh Token has expired"):
        c.initiate_auth(**renew)


def test_given_units_are_echoed_alone(pool):
    c = pool.create_client(name="units", IdTokenValidity=30, TokenValidityUnits={"IdToken": "minutes"})
    assert c["TokenValidityUnits"] == {"IdToken": "minutes"}
    assert c["IdTokenValidity"] == 30 and "AccessTokenValidity" not in c


def test_refresh_validity_zero_is_the_default(pool):
    """[model] "You can't set RefreshTokenValidity to 0. If you do, Amazon Cognito overrides
    the value with the default value of 30 days." """
    assert pool.create_client(name="zero", RefreshTokenValidity=0)["RefreshTokenValidity"] == 30


@pytest.mark.parametrize("kwargs", [
    {"AccessTokenValidity": 25},                                                # 25 hours > 1 day
    {"IdTokenValidity": 4, "TokenValidityUnits": {"IdToken": "minutes"}},       # < 5 minutes
    {"RefreshTokenValidity": 3651},                                             # > 10 years
    {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},  # < 1 hour
    {"AccessTokenValidity": 10, "RefreshTokenValidity": 5,
     "TokenValidityUnits": {"RefreshToken": "hours"}},                          # refresh shorter
], ids=["access-25h", "id-4min", "refresh-3651d", "refresh-59min", "refresh-shorter"])
def test_validity_out_of_range(pool, cognito, kwargs):
    with raises("InvalidParameterException", "Invalid range for token validity."):
        cognito.create_user_pool_client(UserPoolId=pool.id, ClientName="bad", **kwargs)


# --------------------------------------------------------------------------- UpdateUserPoolClient

def test_update_with_only_the_ids_resets_the_client(pool, cognito):
    """[model] UpdateUserPoolClient: "If you don't provide a value for an attribute, Amazon
    Cognito sets it to its default value." The name is kept."""
    c = pool.create_client(
        name="full", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=10, IdTokenValidity=10, RefreshTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        ReadAttributes=["email"], WriteAttributes=["name"], PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=False, AuthSessionValidity=10, CallbackURLs=["https://example.com/cb"],
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO"])
    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert_default_client(d, pool.id, "full")
    assert d["LastModifiedDate"] >= c["LastModifiedDate"]


def test_update_replaces_flows_and_settings(pool, cognito):
    cid = pool.client_id
    cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=cid, ClientName="renamed",
                                    AccessTokenValidity=3)
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=cid)["UserPoolClient"]
    assert d["ClientName"] == "renamed"
    assert d["AccessTokenValidity"] == 3
    assert "ExplicitAuthFlows" not in d  # the password flows make_pool gave are gone
    pool.create_user("upd")
    with raises("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        pool.sign_in("upd")


def test_explicit_legacy_prevent_user_existence_errors_is_shown(pool):
    c = pool.create_client(name="legacy", PreventUserExistenceErrors="LEGACY")
    assert c["PreventUserExistenceErrors"] == "LEGACY"


def test_unknown_client_members_are_not_echoed(server, pool):
    from conftest import raw_call

    r = raw_call(server.url, "CreateUserPoolClient", {"UserPoolId": pool.id, "ClientName": "x",
                                                      "GenerateSecretPlease": True})
    assert r.status_code == 200, r.text
    assert "GenerateSecretPlease" not in r.json()["UserPoolClient"]
