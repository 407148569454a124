"""Identity providers through boto3: the rules per provider type, the keys Cognito adds, the
default username mapping, IdpIdentifiers, errors, pagination, secrets sealed at rest, and
SupportedIdentityProviders of app clients. Federated sign-in itself is not implemented."""

import sqlite3

import pytest

from conftest import ON_POSTGRES, psql, raises

GOOGLE = {"client_id": "g-id.apps.googleusercontent.com", "client_secret": "g-secret-123",
          "authorize_scopes": "email profile openid"}
OIDC = {"client_id": "oidc-id", "client_secret": "oidc-secret-456", "authorize_scopes": "openid email",
        "oidc_issuer": "https://idp.example.com"}
APPLE = {"client_id": "com.example.app", "team_id": "TEAM1", "key_id": "KEY1",
         "private_key": "apple-private-key-789", "authorize_scopes": "email name"}


def create(cognito, pool, name, kind, details, **kwargs):
    return cognito.create_identity_provider(UserPoolId=pool.id, ProviderName=name, ProviderType=kind,
                                            ProviderDetails=details, **kwargs)["IdentityProvider"]


def test_google(pool, cognito):
    idp = create(cognito, pool, "Google", "Google", GOOGLE, AttributeMapping={"email": "email"})
    assert idp["ProviderName"] == "Google" and idp["ProviderType"] == "Google"
    assert idp["UserPoolId"] == pool.id
    assert idp["ProviderDetails"] == {
        **GOOGLE,
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    }
    assert idp["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert idp["IdpIdentifiers"] == []
    assert idp["CreationDate"] == idp["LastModifiedDate"]
    got = cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName="Google")["IdentityProvider"]
    assert got == idp


def test_facebook_amazon_and_apple_endpoints(pool, cognito):
    fb = create(cognito, pool, "Facebook", "Facebook", {**GOOGLE, "authorize_scopes": "public_profile, email",
                                                        "api_version": "v17.0"})
    d = fb["ProviderDetails"]
    assert d["authorize_url"] == "https://www.facebook.com/v17.0/dialog/oauth"
    assert d["token_url"] == "https://graph.facebook.com/v17.0/oauth/access_token"
    assert d["attributes_url"] == "https://graph.facebook.com/v17.0/me?fields="
    assert d["token_request_method"] == "GET"
    assert fb["AttributeMapping"] == {"username": "id"}
    amzn = create(cognito, pool, "LoginWithAmazon", "LoginWithAmazon", {**GOOGLE, "authorize_scopes": "profile"})
    assert amzn["ProviderDetails"]["token_url"] == "https://api.amazon.com/auth/o2/token"
    assert amzn["ProviderDetails"]["authorize_url"] == "https://www.amazon.com/ap/oa"
    assert amzn["AttributeMapping"] == {"username": "user_id"}
    apple = create(cognito, pool, "SignInWithApple", "SignInWithApple", APPLE)
    d = apple["ProviderDetails"]
    assert "private_key" not in d  # never returned
    assert d["team_id"] == "TEAM1" and d["key_id"] == "KEY1"
    assert d["authorize_url"] == "https://appleid.apple.com/auth/authorize"
    assert d["oidc_issuer"] == "https://appleid.apple.com"
    assert apple["AttributeMapping"] == {"username": "sub"}


def test_oidc_and_saml(pool, cognito):
    oidc = create(cognito, pool, "MyOIDC", "OIDC", OIDC, IdpIdentifiers=["example.com", "corp"],
                  AcrMapping={"Level1": "urn:loa:1"})
    assert oidc["ProviderDetails"] == {**OIDC, "attributes_request_method": "GET",
                                       "attributes_url_add_attributes": "false"}
    assert oidc["IdpIdentifiers"] == ["example.com", "corp"]
    assert oidc["AcrMapping"] == {"Level1": "urn:loa:1"}
    saml = create(cognito, pool, "MySAML", "SAML", {"MetadataURL": "https://idp.example.com/metadata",
                                                    "IDPSignout": "true"},
                  AttributeMapping={"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"})
    assert saml["ProviderDetails"] == {"MetadataURL": "https://idp.example.com/metadata", "IDPSignout": "true"}
    assert saml["AttributeMapping"] == {"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}


@pytest.mark.parametrize("kind,details,missing", [
    ("Google", {"client_id": "x", "authorize_scopes": "openid"}, "client_secret"),
    ("Facebook", {"client_id": "x", "client_secret": "s"}, "authorize_scopes"),
    ("LoginWithAmazon", {"client_secret": "s", "authorize_scopes": "profile"}, "client_id"),
    ("SignInWithApple", {k: v for k, v in APPLE.items() if k != "private_key"}, "private_key"),
    ("OIDC", {k: v for k, v in OIDC.items() if k != "oidc_issuer"}, "oidc_issuer"),
])
def test_required_details(pool, cognito, kind, details, missing):
    name = kind if kind != "OIDC" else "MyOIDC"
    with raises("InvalidParameterException", contains=missing):
        create(cognito, pool, name, kind, details)
    with raises("ResourceNotFoundException"):
        cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName=name)


def test_saml_needs_one_metadata_source(pool, cognito):
    for details in ({}, {"MetadataURL": "https://x.example.com/m", "MetadataFile": "<EntityDescriptor/>"}):
        with raises("InvalidParameterException", contains="MetadataURL"):
            create(cognito, pool, "MySAML", "SAML", details)


def test_oidc_attributes_request_method(pool, cognito):
    with raises("InvalidParameterException", contains="attributes_request_method"):
        create(cognito, pool, "MyOIDC", "OIDC", {**OIDC, "attributes_request_method": "PUT"})


def test_names_of_social_providers(pool, cognito):
    with raises("InvalidParameterException", "Provider example cannot be of type Google."):
        create(cognito, pool, "example", "Google", GOOGLE)
    with raises("InvalidParameterException", "Provider Google cannot be of type OIDC."):
        create(cognito, pool, "Google", "OIDC", OIDC)


def test_duplicate_provider(pool, cognito):
    create(cognito, pool, "Google", "Google", GOOGLE)
    with raises("DuplicateProviderException", f"Google already exists in user pool {pool.id}"):
        create(cognito, pool, "Google", "Google", GOOGLE)


def test_attribute_mapping_needs_pool_attributes(pool, cognito):
    with raises("InvalidParameterException", contains="custom:nope"):
        create(cognito, pool, "Google", "Google", GOOGLE, AttributeMapping={"custom:nope": "x"})
    idp = create(cognito, pool, "Google", "Google", GOOGLE,
                 AttributeMapping={"username": "email", "given_name": "given_name"})
    assert idp["AttributeMapping"] == {"username": "email", "given_name": "given_name"}


def test_acr_mapping_is_for_oidc_only(pool, cognito):
    with raises("InvalidParameterException", contains="AcrMapping"):
        create(cognito, pool, "Google", "Google", GOOGLE, AcrMapping={"Level1": "x"})


def test_idp_identifiers_are_unique_in_the_pool(pool, cognito):
    create(cognito, pool, "OneIdP", "OIDC", OIDC, IdpIdentifiers=["corp"])
    with raises("InvalidParameterException", contains="corp"):
        create(cognito, pool, "TwoIdP", "OIDC", OIDC, IdpIdentifiers=["other", "corp"])
    with raises("InvalidParameterException", contains="twice"):
        create(cognito, pool, "TwoIdP", "OIDC", OIDC, IdpIdentifiers=["twice", "twice"])
    create(cognito, pool, "TwoIdP", "OIDC", OIDC, IdpIdentifiers=["other"])
    with raises("InvalidParameterException", contains="corp"):
        cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="TwoIdP", IdpIdentifiers=["corp"])
    # A provider may keep its own identifiers on update.
    cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="OneIdP", IdpIdentifiers=["corp", "x"])


def test_get_by_identifier(pool, cognito):
    create(cognito, pool, "OneIdP", "OIDC", OIDC, IdpIdentifiers=["corp", "example.com"])
    create(cognito, pool, "TwoIdP", "OIDC", OIDC, IdpIdentifiers=["other"])
    got = cognito.get_identity_provider_by_identifier(UserPoolId=pool.id, IdpIdentifier="example.com")
    assert got["IdentityProvider"]["ProviderName"] == "OneIdP"
    assert got["IdentityProvider"]["ProviderDetails"]["client_secret"] == OIDC["client_secret"]
    with raises("ResourceNotFoundException", "Identity provider with identifier nope does not exist."):
        cognito.get_identity_provider_by_identifier(UserPoolId=pool.id, IdpIdentifier="nope")


def test_update(pool, cognito):
    before = create(cognito, pool, "SignInWithApple", "SignInWithApple", APPLE)
    cognito_now = before["CreationDate"]
    pool.server.advance_clock(60)
    # Details are merged: the private key, never returned, need not be sent again.
    u = cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="SignInWithApple",
                                         ProviderDetails={"key_id": "KEY2"},
                                         AttributeMapping={"email": "email"})["IdentityProvider"]
    assert u["ProviderDetails"]["key_id"] == "KEY2" and u["ProviderDetails"]["team_id"] == "TEAM1"
    assert u["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert u["CreationDate"] == cognito_now and u["LastModifiedDate"] > cognito_now
    assert cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName="SignInWithApple")["IdentityProvider"] == u
    # Left out: kept.
    again = cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="SignInWithApple")["IdentityProvider"]
    assert again["ProviderDetails"] == u["ProviderDetails"] and again["AttributeMapping"] == u["AttributeMapping"]
    # Derived endpoints cannot be overridden for social providers.
    g = create(cognito, pool, "Google", "Google", GOOGLE)
    g2 = cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="Google",
                                          ProviderDetails={"token_url": "https://evil.example.com",
                                                           "client_secret": "rotated"})["IdentityProvider"]
    assert g2["ProviderDetails"]["token_url"] == g["ProviderDetails"]["token_url"]
    assert g2["ProviderDetails"]["client_secret"] == "rotated"
    with raises("InvalidParameterException", contains="client_id"):
        cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="Google",
                                         ProviderDetails={"client_id": ""})


def test_missing_provider(pool, cognito):
    msg = "Identity provider Nope does not exist."
    with raises("ResourceNotFoundException", msg):
        cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName="Nope")
    with raises("ResourceNotFoundException", msg):
        cognito.update_identity_provider(UserPoolId=pool.id, ProviderName="Nope", AttributeMapping={})
    with raises("ResourceNotFoundException", msg):
        cognito.delete_identity_provider(UserPoolId=pool.id, ProviderName="Nope")


def test_missing_pool(cognito):
    missing = "us-east-1_Missing1"
    msg = f"User pool {missing} does not exist."
    for call in [
        lambda: cognito.create_identity_provider(UserPoolId=missing, ProviderName="Google", ProviderType="Google",
                                                 ProviderDetails=GOOGLE),
        lambda: cognito.describe_identity_provider(UserPoolId=missing, ProviderName="Google"),
        lambda: cognito.update_identity_provider(UserPoolId=missing, ProviderName="Google"),
        lambda: cognito.delete_identity_provider(UserPoolId=missing, ProviderName="Google"),
        lambda: cognito.list_identity_providers(UserPoolId=missing),
        lambda: cognito.get_identity_provider_by_identifier(UserPoolId=missing, IdpIdentifier="x"),
    ]:
        with raises("ResourceNotFoundException", msg):
            call()


def test_delete_and_list(pool, cognito):
    names = [f"IdP{n:02d}" for n in range(5)]
    for n in reversed(names):
        create(cognito, pool, n, "OIDC", OIDC)
    create(cognito, pool, "Google", "Google", GOOGLE)
    everything = sorted(names + ["Google"])
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = cognito.list_identity_providers(UserPoolId=pool.id, MaxResults=2, **kwargs)
        seen += page["Providers"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert [p["ProviderName"] for p in seen] == everything
    assert set(seen[0]) == {"ProviderName", "ProviderType", "LastModifiedDate", "CreationDate"}
    assert {p["ProviderName"]: p["ProviderType"] for p in seen}["Google"] == "Google"
    paged = cognito.get_paginator("list_identity_providers").paginate(UserPoolId=pool.id)
    assert [p["ProviderName"] for page in paged for p in page["Providers"]] == everything
    cognito.delete_identity_provider(UserPoolId=pool.id, ProviderName="IdP02")
    left = cognito.list_identity_providers(UserPoolId=pool.id)["Providers"]
    assert "IdP02" not in [p["ProviderName"] for p in left] and len(left) == 5
    with raises("ResourceNotFoundException"):
        cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName="IdP02")


def test_deleted_with_the_pool(make_pool, cognito):
    p = make_pool(with_client=False)
    create(cognito, p, "Google", "Google", GOOGLE)
    cognito.delete_user_pool(UserPoolId=p.id)
    with raises("ResourceNotFoundException", f"User pool {p.id} does not exist."):
        cognito.describe_identity_provider(UserPoolId=p.id, ProviderName="Google")


def stored_documents(server) -> str:
    """Every stored identity-provider document, as the database holds it."""
    if ON_POSTGRES:
        return psql("SELECT string_agg(data::text, ' ') FROM resources WHERE kind = 'identity_provider'",
                    server.database_url)
    with sqlite3.connect(f"file:{server.data_dir / 'cognate.db'}?mode=ro", uri=True) as db:
        return " ".join(r[0] for r in db.execute("SELECT data FROM resources WHERE kind = 'identity_provider'"))


def test_secrets_are_sealed_at_rest(pool, cognito, server):
    create(cognito, pool, "Google", "Google", GOOGLE)
    create(cognito, pool, "SignInWithApple", "SignInWithApple", APPLE)
    stored = stored_documents(server)
    assert "g-id.apps.googleusercontent.com" in stored  # the document is there ...
    assert GOOGLE["client_secret"] not in stored         # ... but not its secrets
    assert APPLE["private_key"] not in stored
    got = cognito.describe_identity_provider(UserPoolId=pool.id, ProviderName="Google")["IdentityProvider"]
    assert got["ProviderDetails"]["client_secret"] == GOOGLE["client_secret"]


def test_secrets_survive_a_restart(new_server):
    srv = new_server()
    c = srv.client()
    pool_id = c.create_user_pool(PoolName="restart")["UserPool"]["Id"]
    c.create_identity_provider(UserPoolId=pool_id, ProviderName="Google", ProviderType="Google",
                               ProviderDetails=GOOGLE)
    srv.restart()
    got = srv.client().describe_identity_provider(UserPoolId=pool_id, ProviderName="Google")["IdentityProvider"]
    assert got["ProviderDetails"]["client_secret"] == GOOGLE["client_secret"]


def test_clients_may_name_existing_providers(pool, cognito):
    create(cognito, pool, "Google", "Google", GOOGLE)
    create(cognito, pool, "MyOIDC", "OIDC", OIDC)
    c = pool.create_client(name="web", SupportedIdentityProviders=["COGNITO", "Google", "MyOIDC"],
                           AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
                           AllowedOAuthScopes=["openid"], CallbackURLs=["https://app.example.com/cb"])
    assert c["SupportedIdentityProviders"] == ["COGNITO", "Google", "MyOIDC"]
    with raises("InvalidParameterException", f"The provider Facebook does not exist for User Pool {pool.id}."):
        pool.create_client(name="web2", SupportedIdentityProviders=["Facebook"])
    # Deleting a provider a client names is allowed; the client keeps the name.
    cognito.delete_identity_provider(UserPoolId=pool.id, ProviderName="MyOIDC")
    d = cognito.describe_user_pool_client(UserPoolId=pool.id, ClientId=c["ClientId"])["UserPoolClient"]
    assert d["SupportedIdentityProviders"] == ["COGNITO", "Google", "MyOIDC"]
