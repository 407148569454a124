"""The OAuth members of Create/UpdateUserPoolClient through boto3: what Cognito accepts, what it
refuses and with which exception, and that the accepted members are stored and echoed."""

import pytest

from conftest import raises

API = "https://api.example.com"
CB = "https://app.example.com/callback"


@pytest.fixture
def api(pool, cognito):
    """A resource server with scopes read and write."""
    cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="API", Scopes=[
        {"ScopeName": "read", "ScopeDescription": "r"}, {"ScopeName": "write", "ScopeDescription": "w"}])
    return API


def web_client(pool, **overrides):
    args = dict(AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                AllowedOAuthScopes=["openid", "email"], CallbackURLs=[CB],
                SupportedIdentityProviders=["COGNITO"])
    args.update(overrides)
    return pool.create_client(name="web", **args)


def test_code_flow_client_is_stored_and_echoed(pool, cognito, api):
    c = web_client(pool, AllowedOAuthFlows=["code", "implicit"],
                   AllowedOAuthScopes=["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin",
                                       f"{api}/read"],
                   CallbackURLs=[CB, "http://localhost:3000/cb", "myapp://callback"],
                   LogoutURLs=["https://app.example.com/bye", "http://127.0.0.1:8080/"],
                   DefaultRedirectURI=CB)
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    for got in (c, d):
        assert got["AllowedOAuthFlowsUserPoolClient"] is True
        assert got["AllowedOAuthFlows"] == ["code", "implicit"]
        assert got["AllowedOAuthScopes"] == ["openid", "email", "phone", "profile",
                                             "aws.cognito.signin.user.admin", f"{api}/read"]
        assert got["CallbackURLs"] == [CB, "http://localhost:3000/cb", "myapp://callback"]
        assert got["LogoutURLs"] == ["https://app.example.com/bye", "http://127.0.0.1:8080/"]
        assert got["DefaultRedirectURI"] == CB
        assert got["SupportedIdentityProviders"] == ["COGNITO"]


def test_client_credentials_client(pool, cognito, api):
    c = pool.create_client(name="m2m", flows=[], GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                           AllowedOAuthFlows=["client_credentials"],
                           AllowedOAuthScopes=[f"{api}/read", f"{api}/write"])
    assert c["AllowedOAuthFlows"] == ["client_credentials"]
    assert c["AllowedOAuthScopes"] == [f"{api}/read", f"{api}/write"]
    assert "CallbackURLs" not in c


def test_client_credentials_needs_a_secret(pool, cognito, api):
    with raises("InvalidOAuthFlowException",
                "client_credentials flow can not be selected if client does not have a client secret."):
        pool.create_client(name="m2m", AllowedOAuthFlowsUserPoolClient=True,
                           AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=[f"{api}/read"])
    # A client created without a secret cannot switch to it either.
    with raises("InvalidOAuthFlowException", contains="client secret"):
        cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=pool.client_id,
                                        AllowedOAuthFlowsUserPoolClient=True,
                                        AllowedOAuthFlows=["client_credentials"],
                                        AllowedOAuthScopes=[f"{api}/read"])
    # ... while one with a secret can.
    c = pool.create_client(name="s", GenerateSecret=True)
    u = cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"],
                                        AllowedOAuthFlowsUserPoolClient=True,
                                        AllowedOAuthFlows=["client_credentials"],
                                        AllowedOAuthScopes=[f"{api}/read"])["UserPoolClient"]
    assert u["AllowedOAuthFlows"] == ["client_credentials"]


def test_client_credentials_is_not_mixed_with_other_flows(pool, api):
    for other in (["code"], ["implicit"], ["code", "implicit"]):
        with raises("InvalidOAuthFlowException",
                    "client_credentials flow can not be selected along with code flow or implicit flow."):
            pool.create_client(name="mixed", GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                               AllowedOAuthFlows=["client_credentials", *other],
                               AllowedOAuthScopes=[f"{api}/read"], CallbackURLs=[CB])


def test_unknown_scopes(pool, api):
    for scope in ("Cognito", "admin", f"{api}/delete", "https://other.example.com/read", "read", f"{api}/"):
        with raises("ScopeDoesNotExistException", f"Invalid scope requested: {scope}"):
            web_client(pool, AllowedOAuthScopes=["openid", scope])


def test_scopes_are_checked_against_the_current_resource_servers(pool, cognito, api):
    cognito.update_resource_server(UserPoolId=pool.id, Identifier=api, Name="API",
                                   Scopes=[{"ScopeName": "admin", "ScopeDescription": "a"}])
    with raises("ScopeDoesNotExistException", f"Invalid scope requested: {api}/read"):
        web_client(pool, AllowedOAuthScopes=[f"{api}/read"])
    web_client(pool, AllowedOAuthScopes=[f"{api}/admin"])


def test_enabled_client_needs_flows_and_scopes(pool):
    msg = "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
    with raises("InvalidOAuthFlowException", msg):
        pool.create_client(name="x", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid"],
                           CallbackURLs=[CB])
    with raises("InvalidOAuthFlowException", msg):
        pool.create_client(name="x", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                           CallbackURLs=[CB])


def test_code_and_implicit_need_callback_urls(pool):
    for flows in (["code"], ["implicit"]):
        with raises("InvalidOAuthFlowException",
                    "CallbackUrls can not be empty when code flow or implicit flow is selected"):
            web_client(pool, AllowedOAuthFlows=flows, CallbackURLs=[])


@pytest.mark.parametrize("url", [
    "http://app.example.com/callback",   # plain HTTP off loopback
    "http://localhost.example.com/cb",
    "https://app.example.com/cb#token",  # fragment
    "/relative/callback",                 # not absolute
    "app.example.com/cb",
])
def test_callback_and_logout_url_rules(pool, url):
    with raises("InvalidParameterException", contains=url):
        web_client(pool, CallbackURLs=[CB, url])
    with raises("InvalidParameterException", contains=url):
        web_client(pool, LogoutURLs=[url])


def test_default_redirect_uri_must_be_a_callback_url(pool):
    with raises("InvalidParameterException", "DefaultRedirectURI must be one of the CallbackURLs."):
        web_client(pool, DefaultRedirectURI="https://elsewhere.example.com/cb")
    c = web_client(pool, CallbackURLs=[CB, "https://b.example.com/cb"], DefaultRedirectURI="https://b.example.com/cb")
    assert c["DefaultRedirectURI"] == "https://b.example.com/cb"


def test_unknown_identity_provider(pool):
    with raises("InvalidParameterException", f"The provider Salesforce does not exist for User Pool {pool.id}."):
        web_client(pool, SupportedIdentityProviders=["COGNITO", "Salesforce"])
    # Social provider names are names like any other: they must exist in the pool.
    with raises("InvalidParameterException", f"The provider Google does not exist for User Pool {pool.id}."):
        web_client(pool, SupportedIdentityProviders=["Google"])


def test_refused_requests_change_nothing(pool, cognito):
    before = cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"]
    with raises("ScopeDoesNotExistException"):
        web_client(pool, AllowedOAuthScopes=["nope"])
    assert cognito.list_user_pool_clients(UserPoolId=pool.id, MaxResults=60)["UserPoolClients"] == before
    c = web_client(pool)
    with raises("InvalidParameterException"):
        cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"], ClientName="web",
                                        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                                        AllowedOAuthScopes=["openid"], CallbackURLs=["http://evil.example.com"])
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert d["CallbackURLs"] == [CB]


def test_update_validates_and_replaces(pool, cognito, api):
    c = web_client(pool, LogoutURLs=["https://app.example.com/bye"])
    u = cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"],
                                        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["implicit"],
                                        AllowedOAuthScopes=[f"{api}/write"],
                                        CallbackURLs=["https://new.example.com/cb"])["UserPoolClient"]
    assert u["AllowedOAuthFlows"] == ["implicit"]
    assert u["AllowedOAuthScopes"] == [f"{api}/write"]
    assert u["CallbackURLs"] == ["https://new.example.com/cb"]
    assert "LogoutURLs" not in u and "SupportedIdentityProviders" not in u
    with raises("ScopeDoesNotExistException", "Invalid scope requested: x/y"):
        cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"],
                                        AllowedOAuthScopes=["x/y"])
    # Leaving everything out turns OAuth off.
    u = cognito.update_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert u["AllowedOAuthFlowsUserPoolClient"] is False
    assert "AllowedOAuthFlows" not in u and "CallbackURLs" not in u


def test_deleting_a_resource_server_leaves_client_scopes(pool, cognito, api):
    c = web_client(pool, AllowedOAuthScopes=["openid", f"{api}/read"])
    cognito.delete_resource_server(UserPoolId=pool.id, Identifier=api)
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert d["AllowedOAuthScopes"] == ["openid", f"{api}/read"]
    # ... but the scope cannot be given again until the server exists again.
    with raises("ScopeDoesNotExistException"):
        web_client(pool, AllowedOAuthScopes=[f"{api}/read"])
