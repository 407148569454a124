"""Tokens verified the way apps verify them: PyJWT + the pool's JWKS URL; discovery documents."""

import base64
import re

import jwt
import pytest
import requests
from jwt import PyJWKClient

from conftest import PASSWORD, UUID_RE, attr_dict

SCOPE = "aws.cognito.signin.user.admin"


def verify_id(token, issuer, audience):
    key = PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=issuer)


def verify_access(token, issuer):
    key = PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, options={"verify_aud": False})


@pytest.fixture
def signed_in(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
        {"Name": "tier", "AttributeDataType": "String", "Mutable": True}])
    pool.create_user("alice", attributes={"email": "alice@example.com", "email_verified": "true",
                                          "name": "Alice", "custom:tier": "gold"})
    return pool, pool.sign_in("alice")


def test_id_token_verifies(signed_in):
    pool, auth = signed_in
    c = verify_id(auth["IdToken"], pool.issuer, pool.client_id)
    sub = pool.attrs("alice")["sub"]
    assert c["iss"] == pool.issuer
    assert c["aud"] == pool.client_id
    assert c["token_use"] == "id"
    assert c["sub"] == sub
    assert c["cognito:username"] == "alice"
    assert c["email"] == "alice@example.com"
    assert c["email_verified"] is True
    assert c["name"] == "Alice"
    assert c["custom:tier"] == "gold"
    for k in ("jti", "origin_jti", "event_id"):
        assert UUID_RE.match(c[k]), k
    assert isinstance(c["auth_time"], int) and isinstance(c["iat"], int) and isinstance(c["exp"], int)
    assert c["exp"] - c["iat"] == 3600
    assert c["auth_time"] <= c["iat"]


def test_access_token_verifies(signed_in):
    pool, auth = signed_in
    c = verify_access(auth["AccessToken"], pool.issuer)
    assert "aud" not in c
    assert c["token_use"] == "access"
    assert c["client_id"] == pool.client_id
    assert c["scope"] == SCOPE
    assert c["username"] == "alice"
    assert c["sub"] == pool.attrs("alice")["sub"]
    assert c["iss"] == pool.issuer
    for k in ("jti", "origin_jti", "event_id"):
        assert UUID_RE.match(c[k]), k
    assert c["exp"] - c["iat"] == 3600
    assert "email" not in c  # attributes live in the ID token only


def test_id_and_access_tokens_share_origin_but_not_jti(signed_in):
    _, auth = signed_in
    i = jwt.decode(auth["IdToken"], options={"verify_signature": False})
    a = jwt.decode(auth["AccessToken"], options={"verify_signature": False})
    assert i["origin_jti"] == a["origin_jti"]
    assert i["event_id"] == a["event_id"]
    assert i["jti"] != a["jti"]
    assert i["auth_time"] == a["auth_time"]


def test_different_signing_keys(signed_in):
    pool, auth = signed_in
    hi = jwt.get_unverified_header(auth["IdToken"])
    ha = jwt.get_unverified_header(auth["AccessToken"])
    assert hi["alg"] == ha["alg"] == "RS256"
    assert hi["kid"] != ha["kid"]
    jwks = requests.get(f"{pool.issuer}/.well-known/jwks.json", timeout=5).json()
    kids = [k["kid"] for k in jwks["keys"]]
    assert hi["kid"] in kids and ha["kid"] in kids
    # the ID token does not verify with the access key (and vice versa)
    keys = {k["kid"]: jwt.PyJWK(k).key for k in jwks["keys"]}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(auth["IdToken"], keys[ha["kid"]], algorithms=["RS256"], audience=pool.client_id)


def test_jwks_document(pool):
    r = requests.get(f"{pool.issuer}/.well-known/jwks.json", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    keys = r.json()["keys"]
    assert len(keys) == 2
    for k in keys:
        assert k["kty"] == "RSA" and k["alg"] == "RS256" and k["use"] == "sig" and k["e"] == "AQAB"
        n = base64.urlsafe_b64decode(k["n"] + "=" * (-len(k["n"]) % 4))
        assert len(n) * 8 >= 2048
        assert "d" not in k and "p" not in k, "private key material must never be published"
    assert keys[0]["kid"] != keys[1]["kid"]


def test_pools_have_distinct_keys(make_pool):
    a, b = make_pool(with_client=False), make_pool(with_client=False)
    ka = {k["kid"] for k in requests.get(f"{a.issuer}/.well-known/jwks.json", timeout=5).json()["keys"]}
    kb = {k["kid"] for k in requests.get(f"{b.issuer}/.well-known/jwks.json", timeout=5).json()["keys"]}
    assert ka.isdisjoint(kb)


def test_token_of_pool_a_does_not_verify_with_pool_b(make_pool):
    a, b = make_pool(), make_pool()
    a.create_user("x")
    tok = a.sign_in("x")["IdToken"]
    with pytest.raises(jwt.PyJWKClientError):
        PyJWKClient(f"{b.issuer}/.well-known/jwks.json").get_signing_key_from_jwt(tok)


def test_validity_from_client(pool, cognito):
    cid = pool.create_client(name="v", IdTokenValidity=2, AccessTokenValidity=10,
                             TokenValidityUnits={"IdToken": "hours", "AccessToken": "minutes"})["ClientId"]
    pool.create_user("bob")
    auth = pool.sign_in("bob", client_id=cid)
    i = verify_id(auth["IdToken"], pool.issuer, cid)
    a = verify_access(auth["AccessToken"], pool.issuer)
    assert i["exp"] - i["iat"] == 7200
    assert a["exp"] - a["iat"] == 600
    assert auth["ExpiresIn"] == 600


def test_openid_configuration(pool):
    r = requests.get(f"{pool.issuer}/.well-known/openid-configuration", timeout=5)
    assert r.status_code == 200
    d = r.json()
    assert d["issuer"] == pool.issuer
    assert d["jwks_uri"] == f"{pool.issuer}/.well-known/jwks.json"
    assert d["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "public" in d["subject_types_supported"]
    assert isinstance(d["response_types_supported"], list) and d["response_types_supported"]
    # the advertised jwks_uri is reachable
    assert requests.get(d["jwks_uri"], timeout=5).json()["keys"]


@pytest.mark.parametrize("path", ["jwks.json", "openid-configuration"])
@pytest.mark.parametrize("pool_id", ["us-east-1_Missing99", "not-a-pool"])
def test_unknown_pool_is_404(server, path, pool_id):
    r = requests.get(f"{server.url}/{pool_id}/.well-known/{path}", timeout=5)
    assert r.status_code == 404


def test_deleted_pool_is_404(cognito, server):
    pid = cognito.create_user_pool(PoolName="short-lived")["UserPool"]["Id"]
    assert requests.get(f"{server.url}/{pid}/.well-known/jwks.json", timeout=5).status_code == 200
    cognito.delete_user_pool(UserPoolId=pid)
    assert requests.get(f"{server.url}/{pid}/.well-known/jwks.json", timeout=5).status_code == 404


def test_tokens_after_refresh_verify(pool, cognito):
    pool.create_user("carol", attributes={"email": "carol@example.com"})
    auth = pool.sign_in("carol")
    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"]})["AuthenticationResult"]
    i = verify_id(r["IdToken"], pool.issuer, pool.client_id)
    assert i["email"] == "carol@example.com"
    assert verify_access(r["AccessToken"], pool.issuer)["username"] == "carol"


def test_refresh_token_is_opaque(signed_in):
    _, auth = signed_in
    rt = auth["RefreshToken"]
    assert rt not in (auth["AccessToken"], auth["IdToken"])
    assert re.fullmatch(r"[A-Za-z0-9\-_=.]+", rt)


def test_aws_issuer_style(new_server):
    srv = new_server(extra_args=["--issuer-style", "aws"])
    c = srv.client()
    pid = c.create_user_pool(PoolName="aws-style")["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    c.admin_create_user(UserPoolId=pid, Username="dan", MessageAction="SUPPRESS")
    c.admin_set_user_password(UserPoolId=pid, Username="dan", Password=PASSWORD, Permanent=True)
    auth = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "dan", "PASSWORD": PASSWORD})["AuthenticationResult"]
    aws_iss = f"https://cognito-idp.us-east-1.amazonaws.com/{pid}"
    doc = requests.get(f"{srv.url}/{pid}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == aws_iss
    key = PyJWKClient(f"{srv.url}/{pid}/.well-known/jwks.json").get_signing_key_from_jwt(auth["IdToken"])
    claims = jwt.decode(auth["IdToken"], key.key, algorithms=["RS256"], audience=cid, issuer=aws_iss)
    assert claims["cognito:username"] == "dan"
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "dan"


def test_public_url_sets_issuer(new_server):
    srv = new_server(extra_args=["--public-url", "https://auth.example.test"])
    c = srv.client()
    pid = c.create_user_pool(PoolName="public-url")["UserPool"]["Id"]
    doc = requests.get(f"{srv.url}/{pid}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == f"https://auth.example.test/{pid}"
    assert doc["jwks_uri"] == f"https://auth.example.test/{pid}/.well-known/jwks.json"


def test_id_token_attribute_types(pool):
    pool.create_user("erin", attributes={"email": "erin@example.com", "email_verified": "false",
                                         "phone_number": "+15555550100", "phone_number_verified": "true"})
    c = verify_id(pool.sign_in("erin")["IdToken"], pool.issuer, pool.client_id)
    assert c["email_verified"] is False
    assert c["phone_number"] == "+15555550100"
    assert c["phone_number_verified"] is True
    assert attr_dict(pool.get_user("erin")["UserAttributes"])["phone_number_verified"] == "true"
