"""The OAuth 2.0 authorization-code flow through Cognate's managed login, driven by a real OIDC
client library (authlib's OAuth2Session, PKCE S256) with the pages completed in headless
Chromium (Selenium + Debian's chromium/chromedriver): sign-in, TOTP enrolment from the page's
secret, sign-out, sign-in again with a TOTP code, tokens verified against the JWKS. Error
paths (redirect_uri, PKCE, reused and expired codes, CSRF) go through `requests`.

Screenshots of the enrolment page go to .cache/artifacts/ (git-ignored)."""

import base64
import hashlib
import html
import http.server
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import jwt
import pyotp
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from jwt import PyJWKClient

from conftest import PASSWORD, CognateServer, unique, with_code


def _app_server() -> int:
    """The app's side: a local page that answers the redirects (the browser must land somewhere)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>app</title><p>back at the app</p>")

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


APP_PORT = _app_server()
CALLBACK = f"http://localhost:{APP_PORT}/callback"
SIGNED_OUT = f"http://localhost:{APP_PORT}/signed-out"
ARTIFACTS = Path(__file__).resolve().parents[2] / ".cache" / "artifacts"
# The server runs on a test clock that tests move forward: its `iat` may be ahead of this machine.
NO_IAT = {"verify_iat": False}


# --------------------------------------------------------------------------- set-up


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of this module's own: its tests move the test clock, which other modules' tests
    on the shared server must not see."""
    base = tmp_path_factory.mktemp("cognate-oauth")
    srv = CognateServer(base / "data", base / "logs").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def cognito(server):
    return server.client()



class App:
    """A pool with a prefix domain, a confidential client set up for the code flow, one user."""

    def __init__(self, server, cognito, mfa: str):
        self.server = server
        self.cognito = cognito
        self.pool_id = cognito.create_user_pool(PoolName=unique("oidc-"), MfaConfiguration="OFF",
                                                AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        if mfa != "OFF":
            cognito.set_user_pool_mfa_config(UserPoolId=self.pool_id, MfaConfiguration=mfa,
                                              SoftwareTokenMfaConfiguration={"Enabled": True})
        self.domain = unique("app-")
        cognito.create_user_pool_domain(UserPoolId=self.pool_id, Domain=self.domain)
        client = cognito.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="web", GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email", "profile"], CallbackURLs=[CALLBACK],
            LogoutURLs=[SIGNED_OUT], SupportedIdentityProviders=["COGNITO"],
        )["UserPoolClient"]
        self.client_id, self.client_secret = client["ClientId"], client["ClientSecret"]
        self.username = unique("alice")
        cognito.admin_create_user(UserPoolId=self.pool_id, Username=self.username, MessageAction="SUPPRESS",
                                  UserAttributes=[{"Name": "email", "Value": f"{self.username}@example.com"},
                                                  {"Name": "email_verified", "Value": "true"}])
        cognito.admin_set_user_password(UserPoolId=self.pool_id, Username=self.username,
                                        Password=PASSWORD, Permanent=True)
        self.base = f"{server.url}/domains/{self.domain}"
        self.issuer = server.issuer(self.pool_id)

    def session(self, **kwargs) -> OAuth2Session:
        return OAuth2Session(self.client_id, self.client_secret, scope="openid email",
                             redirect_uri=CALLBACK, code_challenge_method="S256", **kwargs)

    def authorization_url(self, sess: OAuth2Session, **extra):
        verifier = base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()
        nonce = unique("n")
        url, state = sess.create_authorization_url(f"{self.base}/oauth2/authorize",
                                                   code_verifier=verifier, nonce=nonce, **extra)
        return url, state, verifier, nonce

    def exchange(self, sess: OAuth2Session, callback_url: str, verifier: str) -> dict:
        return sess.fetch_token(f"{self.base}/oauth2/token", authorization_response=callback_url,
                                code_verifier=verifier)


def totp_now(server, secret: str) -> str:
    """The code for the server's (test) clock, never the machine's."""
    return pyotp.TOTP(secret).at(int(server.clock()))


def verify_tokens(app: App, tokens: dict, nonce: str) -> dict:
    jwks = PyJWKClient(f"{app.issuer}/.well-known/jwks.json")
    id_token = tokens["id_token"]
    claims = jwt.decode(id_token, jwks.get_signing_key_from_jwt(id_token).key, algorithms=["RS256"],
                        audience=app.client_id, issuer=app.issuer, options=NO_IAT)
    assert claims["nonce"] == nonce
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == app.username
    assert claims["email"] == f"{app.username}@example.com"
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    access = tokens["access_token"]
    a = jwt.decode(access, jwks.get_signing_key_from_jwt(access).key, algorithms=["RS256"], issuer=app.issuer, options=NO_IAT)
    assert a["token_use"] == "access" and a["client_id"] == app.client_id
    assert sorted(a["scope"].split()) == ["email", "openid"]
    assert a["auth_time"] == claims["auth_time"] and isinstance(a["auth_time"], int)
    assert tokens["refresh_token"] and tokens["token_type"].lower() == "bearer"
    return claims


# --------------------------------------------------------------------------- the browser


def _chromium_or_skip():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium/chromedriver are not installed (scripts/test installs them with "
                    "apt-get install chromium chromium-driver)")


@pytest.fixture
def browser():
    _chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cognate-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--window-size=420,900", f"--user-data-dir={profile}"]:
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def callback_url(driver) -> str:
    """The URL the browser was sent back to (nothing listens there: the address is enough)."""
    url = driver.current_url
    assert url.startswith(CALLBACK), f"not redirected to the app: {url}\n{driver.page_source[:2000]}"
    return url


def fill(driver, **fields):
    from selenium.webdriver.common.by import By
    for name, value in fields.items():
        el = driver.find_element(By.NAME, name)
        el.clear()
        el.send_keys(value)
    # Mark the current document, then wait for a loaded document without the mark: the click
    # returns before the navigation. (EC.staleness_of is not enough: while the old document is torn
    # down, Chromium can answer the element query with a plain WebDriverException, "Node with given
    # id does not belong to the document", instead of a stale-element error.)
    driver.execute_script("window.__cognateOldPage = true;")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def next_page_loaded(d):
        try:
            return d.execute_script(
                "return !window.__cognateOldPage && document.readyState === 'complete';")
        except WebDriverException:
            return False  # mid-navigation: ask again

    WebDriverWait(driver, 15).until(next_page_loaded)


def test_code_flow_with_totp_enrolment_in_chromium(server, cognito, browser):
    from selenium.webdriver.common.by import By

    app = App(server, cognito, mfa="ON")
    sess = app.session()

    # 1. First sign-in: the pool requires MFA and the user has none, so the page enrols TOTP.
    url, state, verifier, nonce = app.authorization_url(sess)
    browser.get(url)
    assert "/login" in browser.current_url and "Sign in" in browser.title
    fill(browser, username=app.username, password=PASSWORD)
    assert "Set up your authenticator app" in browser.title, browser.page_source[:2000]
    secret = browser.find_element(By.ID, "totp-secret").text.strip()
    assert re.fullmatch(r"[A-Z2-7]{32,}", secret)
    assert browser.find_element(By.CSS_SELECTOR, "img.qr").get_attribute("src").startswith("data:image/svg+xml")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "totp-enrolment.png"))
    # A wrong code keeps the page (and the same secret).
    fill(browser, code="000000" if totp_now(server, secret) != "000000" else "111111")
    assert "not right" in browser.find_element(By.ID, "error").text
    assert browser.find_element(By.ID, "totp-secret").text.strip() == secret
    fill(browser, code=totp_now(server, secret))
    back = callback_url(browser)
    assert parse_qs(urlparse(back).query)["state"] == [state]
    tokens = app.exchange(sess, back, verifier)
    first = verify_tokens(app, tokens, nonce)

    # userInfo with the access token.
    info = requests.get(f"{app.base}/oauth2/userInfo",
                        headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5).json()
    assert info["username"] == app.username and info["email"] == f"{app.username}@example.com"

    # 2. While the managed-login session lives, authorize signs in without a page.
    url, state, verifier, nonce = app.authorization_url(sess)
    browser.get(url)
    tokens = app.exchange(sess, callback_url(browser), verifier)
    assert verify_tokens(app, tokens, nonce)["auth_time"] == first["auth_time"]

    # 3. Sign out, then sign in again: password, then a TOTP code (a later time step: the
    # enrolment's code cannot be replayed).
    browser.get(f"{app.base}/logout?client_id={app.client_id}&logout_uri={SIGNED_OUT}")
    assert browser.current_url.startswith(SIGNED_OUT)
    server.advance_clock(60)
    url, state, verifier, nonce = app.authorization_url(sess)
    browser.get(url)
    assert "Sign in" in browser.title, "the session should have ended with /logout"
    fill(browser, username=app.username, password=PASSWORD)
    assert "Enter your code" in browser.title, browser.page_source[:2000]
    fill(browser, code=totp_now(server, secret))
    tokens = app.exchange(sess, callback_url(browser), verifier)
    again = verify_tokens(app, tokens, nonce)
    assert again["auth_time"] >= first["auth_time"] + 60

    # 4. The refresh token works at the token endpoint and keeps the scope.
    refreshed = sess.refresh_token(f"{app.base}/oauth2/token", refresh_token=tokens["refresh_token"])
    a = jwt.decode(refreshed["access_token"], options={"verify_signature": False})
    assert sorted(a["scope"].split()) == ["email", "openid"]


# --------------------------------------------------------------------------- without a browser


def code_without_browser(app: App, sess: OAuth2Session, **extra):
    """The same pages through `requests` (pool without MFA): returns (callback URL, verifier,
    nonce)."""
    url, state, verifier, nonce = app.authorization_url(sess, **extra)
    web = requests.Session()
    r = web.get(url, allow_redirects=True, timeout=5)
    assert r.status_code == 200 and "Sign in" in r.text, r.text[:500]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', r.text))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    fields.update(username=app.username, password=PASSWORD)
    r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
    assert r.status_code == 302, r.text[:1000]
    return r.headers["Location"], verifier, nonce


@pytest.fixture
def plain_app(server, cognito):
    return App(server, cognito, mfa="OFF")


def test_domain_operations_and_discovery(server, cognito, plain_app):
    app = plain_app
    d = cognito.describe_user_pool_domain(Domain=app.domain)["DomainDescription"]
    assert d["UserPoolId"] == app.pool_id and d["Domain"] == app.domain and d["Status"] == "ACTIVE"
    assert cognito.describe_user_pool(UserPoolId=app.pool_id)["UserPool"]["Domain"] == app.domain
    doc = requests.get(f"{app.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == app.issuer
    assert doc["authorization_endpoint"] == f"{app.base}/oauth2/authorize"
    assert doc["token_endpoint"] == f"{app.base}/oauth2/token"
    assert doc["end_session_endpoint"] == f"{app.base}/logout"
    # one domain per pool; a taken domain is refused
    with pytest.raises(cognito.exceptions.InvalidParameterException):
        cognito.create_user_pool_domain(UserPoolId=app.pool_id, Domain=unique("other-"))
    other = cognito.create_user_pool(PoolName=unique("p-"))["UserPool"]["Id"]
    with pytest.raises(cognito.exceptions.InvalidParameterException):
        cognito.create_user_pool_domain(UserPoolId=other, Domain=app.domain)
    assert cognito.describe_user_pool_domain(Domain="nobody-has-this")["DomainDescription"] == {}
    cognito.delete_user_pool_domain(UserPoolId=app.pool_id, Domain=app.domain)
    assert cognito.describe_user_pool_domain(Domain=app.domain)["DomainDescription"] == {}
    assert "authorization_endpoint" not in requests.get(
        f"{app.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert requests.get(f"{app.base}/oauth2/authorize", timeout=5).status_code == 404


def test_custom_domain_is_served_by_host(server, cognito):
    pool_id = cognito.create_user_pool(PoolName=unique("p-"))["UserPool"]["Id"]
    name = f"{unique('auth')}.example.test"
    out = cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=name,
                                          CustomDomainConfig={"CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/x"})
    assert out["CloudFrontDomain"]
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["CustomDomain"] == name
    port = urlparse(server.url).port
    r = requests.get(f"{server.url}/oauth2/authorize", headers={"Host": f"{name}:{port}"}, timeout=5)
    assert r.status_code == 400 and "client_id" in r.text  # reached the endpoint, not the Host check
    r = requests.get(f"{server.url}/oauth2/authorize", headers={"Host": f"other.example.test:{port}"}, timeout=5)
    assert r.status_code == 403
    doc = requests.get(f"{server.issuer(pool_id)}/.well-known/openid-configuration", timeout=5).json()
    assert doc["authorization_endpoint"] == f"http://{name}:{port}/oauth2/authorize"


def test_wrong_redirect_uri_is_an_error_page(plain_app):
    app = plain_app
    sess = OAuth2Session(app.client_id, app.client_secret, scope="openid", redirect_uri=CALLBACK + "/x")
    url, _ = sess.create_authorization_url(f"{app.base}/oauth2/authorize")
    r = requests.get(url, allow_redirects=False, timeout=5)
    assert r.status_code == 400 and "redirect_mismatch" in r.text


def test_errors_after_the_redirect_uri_go_back_to_the_app(plain_app):
    app = plain_app
    sess = app.session()
    url, state, _, _ = app.authorization_url(sess, scope="openid phone")
    r = requests.get(url, allow_redirects=False, timeout=5)
    assert r.status_code == 302
    q = parse_qs(urlparse(r.headers["Location"]).query)
    assert q["error"] == ["invalid_scope"] and q["state"] == [state]


def test_pkce_mismatch_and_reused_code(plain_app):
    app = plain_app
    sess = app.session()
    back, verifier, nonce = code_without_browser(app, sess)
    code = parse_qs(urlparse(back).query)["code"][0]
    token_url = f"{app.base}/oauth2/token"
    auth = (app.client_id, app.client_secret)
    wrong = dict(grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                 code_verifier=verifier[:-1] + ("A" if verifier[-1] != "A" else "B"))
    r = requests.post(token_url, data=wrong, auth=auth, timeout=5)
    assert (r.status_code, r.json()) == (400, {"error": "invalid_grant"})
    # the failed attempt used the code up
    r = requests.post(token_url, data=dict(wrong, code_verifier=verifier), auth=auth, timeout=5)
    assert r.json() == {"error": "invalid_grant"}

    back, verifier, nonce = code_without_browser(app, sess)
    code = parse_qs(urlparse(back).query)["code"][0]
    good = dict(grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier=verifier)
    # client secret in the form this time
    r = requests.post(token_url, data=dict(good, client_id=app.client_id, client_secret=app.client_secret), timeout=5)
    assert r.status_code == 200 and r.json()["id_token"]
    r = requests.post(token_url, data=good, auth=auth, timeout=5)
    assert (r.status_code, r.json()) == (400, {"error": "invalid_grant"})
    r = requests.post(token_url, data=good, auth=(app.client_id, "wrong"), timeout=5)
    assert r.json() == {"error": "invalid_client"}
    r = requests.post(token_url, data=dict(good, grant_type="password"), auth=auth, timeout=5)
    assert r.json() == {"error": "unsupported_grant_type"}


def test_expired_code(server, plain_app):
    app = plain_app
    sess = app.session()
    back, verifier, _ = code_without_browser(app, sess)
    server.advance_clock(301)
    with pytest.raises(Exception, match="invalid_grant"):
        app.exchange(sess, back, verifier)


def test_csrf_token_is_required(plain_app):
    app = plain_app
    sess = app.session()
    url, _, _, _ = app.authorization_url(sess)
    web = requests.Session()
    r = web.get(url, timeout=5)
    fields = {k: html.unescape(v) for k, v in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', r.text)}
    fields.update(username=app.username, password=PASSWORD)
    missing = {k: v for k, v in fields.items() if k != "_csrf"}
    r = web.post(f"{app.base}/login", data=missing, allow_redirects=False, timeout=5)
    assert r.status_code == 403
    # a token without its cookie (another browser) is refused too
    r = requests.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
    assert r.status_code == 403
    r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].startswith(CALLBACK)
    assert "httponly" in r.headers["Set-Cookie"].lower() and "samesite=lax" in r.headers["Set-Cookie"].lower()


def test_wrong_password_shows_a_message_and_keeps_no_password(plain_app):
    app = plain_app
    sess = app.session()
    url, _, _, _ = app.authorization_url(sess)
    web = requests.Session()
    r = web.get(url, timeout=5)
    fields = {k: html.unescape(v) for k, v in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', r.text)}
    fields.update(username=app.username, password="Wrong-Passw0rd!")
    r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
    assert r.status_code == 400 and "Incorrect username or password." in r.text
    assert "Wrong-Passw0rd!" not in r.text


# --------------------------------------------------------------------------- client_credentials


def test_client_credentials_through_authlib(server, cognito):
    pool_id = cognito.create_user_pool(PoolName=unique("m2m-"))["UserPool"]["Id"]
    domain = unique("m2m-")
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="https://api.example.test", Name="api",
                                   Scopes=[{"ScopeName": "read", "ScopeDescription": "read"},
                                           {"ScopeName": "write", "ScopeDescription": "write"}])
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="service", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["https://api.example.test/read", "https://api.example.test/write"],
    )["UserPoolClient"]
    base = f"{server.url}/domains/{domain}"
    issuer = server.issuer(pool_id)
    sess = OAuth2Session(client["ClientId"], client["ClientSecret"], scope="https://api.example.test/read")
    token = sess.fetch_token(f"{base}/oauth2/token", grant_type="client_credentials")
    assert "id_token" not in token and "refresh_token" not in token
    access = token["access_token"]
    key = PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(access).key
    claims = jwt.decode(access, key, algorithms=["RS256"], issuer=issuer, options=NO_IAT)
    assert claims["sub"] == client["ClientId"] and claims["client_id"] == client["ClientId"]
    assert claims["scope"] == "https://api.example.test/read" and claims["token_use"] == "access"
    # no scope asked: every allowed one
    every = OAuth2Session(client["ClientId"], client["ClientSecret"]).fetch_token(
        f"{base}/oauth2/token", grant_type="client_credentials")
    scopes = jwt.decode(every["access_token"], options={"verify_signature": False})["scope"].split()
    assert sorted(scopes) == ["https://api.example.test/read", "https://api.example.test/write"]
    # a scope the client is not allowed
    r = requests.post(f"{base}/oauth2/token", data={"grant_type": "client_credentials", "scope": "openid"},
                      auth=(client["ClientId"], client["ClientSecret"]), timeout=5)
    assert (r.status_code, r.json()) == (400, {"error": "invalid_scope"})
    r = requests.post(f"{base}/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(client["ClientId"], "not-the-secret"), timeout=5)
    assert r.json() == {"error": "invalid_client"}


# --------------------------------------------------------------------------- account pages


def hidden_fields(page: str) -> dict:
    return {k: html.unescape(v) for k, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}


def test_sign_up_with_confirmation_then_sign_in(server, plain_app):
    app = plain_app
    sess = app.session()
    url, _, verifier, nonce = app.authorization_url(sess)
    web = requests.Session()
    login = web.get(url, timeout=5)
    link = html.unescape(re.search(r'href="([^"]*/signup\?[^"]*)"', login.text).group(1))
    page = web.get(f"{server.url}{link}", timeout=5)
    assert page.status_code == 200 and "Create an account" in page.text
    name = unique("bob")
    fields = dict(hidden_fields(page.text), username=name, email=f"{name}@example.com", password="short")
    r = web.post(f"{app.base}/signup", data=fields, timeout=5)
    assert r.status_code == 400 and "That password cannot be used." in r.text
    fields["password"] = PASSWORD
    r = web.post(f"{app.base}/signup", data=fields, timeout=5)
    assert "Confirm your account" in r.text, r.text[:1000]
    code = with_code(server.last_message(app.pool_id, name))["code"]
    confirm = dict(hidden_fields(r.text), code="000000" if code != "000000" else "111111")
    r = web.post(f"{app.base}/signup", data=confirm, timeout=5)
    assert r.status_code == 400 and "code is not right" in r.text
    r = web.post(f"{app.base}/signup", data=dict(confirm, code=code), timeout=5)
    assert "Your account is confirmed" in r.text
    fields = dict(hidden_fields(r.text), username=name, password=PASSWORD)
    r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].startswith(CALLBACK)
    tokens = app.exchange(sess, r.headers["Location"], verifier)
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["cognito:username"] == name and claims["nonce"] == nonce


def test_forgot_password_then_sign_in(server, plain_app):
    app = plain_app
    sess = app.session()
    url, _, verifier, _ = app.authorization_url(sess)
    web = requests.Session()
    login = web.get(url, timeout=5)
    link = html.unescape(re.search(r'href="([^"]*/forgotPassword\?[^"]*)"', login.text).group(1))
    page = web.get(f"{server.url}{link}", timeout=5)
    assert "Reset your password" in page.text
    r = web.post(f"{app.base}/forgotPassword", data=dict(hidden_fields(page.text), username=app.username), timeout=5)
    assert "Choose a new password" in r.text, r.text[:1000]
    code = with_code(server.last_message(app.pool_id, app.username))["code"]
    new_password = PASSWORD + "x"
    r = web.post(f"{app.base}/forgotPassword",
                 data=dict(hidden_fields(r.text), code=code, new_password=new_password), timeout=5)
    assert "Your password has been changed" in r.text, r.text[:1000]
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), username=app.username,
                                                password=new_password), allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].startswith(CALLBACK)


def test_optional_mfa_offers_totp_enrolment(server, cognito):
    app = App(server, cognito, mfa="OPTIONAL")
    sess = app.session()
    url, _, verifier, _ = app.authorization_url(sess)
    web = requests.Session()
    r = web.get(url, timeout=5)
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), username=app.username, password=PASSWORD),
                 allow_redirects=False, timeout=5)
    assert r.status_code == 200 and "Protect your account" in r.text, r.text[:800]
    offer = hidden_fields(r.text)
    # "Not now" goes on to the app
    r2 = web.post(f"{app.base}/login", data=dict(offer, choice="skip"), allow_redirects=False, timeout=5)
    assert r2.status_code == 302 and r2.headers["Location"].startswith(CALLBACK)
    # next sign-in: set it up this time
    url, _, verifier, _ = app.authorization_url(sess, prompt="login")
    r = web.get(url, timeout=5)
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), username=app.username, password=PASSWORD),
                 allow_redirects=False, timeout=5)
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), choice="setup"), timeout=5)
    assert "Set up your authenticator app" in r.text
    secret = html.unescape(re.search(r'id="totp-secret">([^<]+)<', r.text).group(1))
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), code=totp_now(server, secret)),
                 allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].startswith(CALLBACK), r.text[:800]
    assert app.exchange(sess, r.headers["Location"], verifier)["id_token"]
    assert cognito.admin_get_user(UserPoolId=app.pool_id, Username=app.username)["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    # from now on the sign-in asks for a code
    server.advance_clock(60)
    url, _, _, _ = app.authorization_url(sess, prompt="login")
    r = web.get(url, timeout=5)
    r = web.post(f"{app.base}/login", data=dict(hidden_fields(r.text), username=app.username, password=PASSWORD),
                 allow_redirects=False, timeout=5)
    assert "Enter your code" in r.text


# --------------------------------------------------------------------------- SMS and e-mail MFA


def _form_fields(page: str) -> dict:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    return {k: html.unescape(v) for k, v in fields.items()}


def test_select_mfa_type_then_sms_and_email_codes_in_the_pages(server, cognito):
    """A user with SMS and e-mail MFA and no preferred factor chooses one on the page, then enters
    the code sent (read from the outbox, as the person would read the text or e-mail)."""
    from test_mfa_factors import DEVELOPER_EMAIL, EMAIL_BLOCK, MASKED_PHONE, PHONE, SMS_BLOCK, wrong
    app = App(server, cognito, mfa="OFF")
    cognito.update_user_pool(UserPoolId=app.pool_id, EmailConfiguration=DEVELOPER_EMAIL,
                             AutoVerifiedAttributes=["email"])
    cognito.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="OPTIONAL",
                                      SmsMfaConfiguration=SMS_BLOCK, EmailMfaConfiguration=EMAIL_BLOCK)
    cognito.admin_update_user_attributes(UserPoolId=app.pool_id, Username=app.username,
                                         UserAttributes=[{"Name": "phone_number", "Value": PHONE}])
    cognito.admin_set_user_mfa_preference(UserPoolId=app.pool_id, Username=app.username,
                                          SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True})
    sess = app.session()

    for choice, label in [("SMS_MFA", "text message"), ("EMAIL_OTP", "e-mail")]:
        url, state, verifier, nonce = app.authorization_url(sess)
        web = requests.Session()
        r = web.get(url, timeout=5)
        fields = _form_fields(r.text)
        fields.update(username=app.username, password=PASSWORD)
        r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
        assert r.status_code == 200 and "Choose a sign-in method" in r.text, r.text[:1500]
        assert 'value="SMS_MFA"' in r.text and 'value="EMAIL_OTP"' in r.text
        fields = _form_fields(r.text)
        fields["answer"] = choice
        r = web.post(f"{app.base}/login", data=fields, allow_redirects=False, timeout=5)
        assert r.status_code == 200 and "Enter your code" in r.text and label in r.text, r.text[:1500]
        shown = re.search(r'id="code-destination">([^<]*)<', r.text).group(1)
        assert shown == (MASKED_PHONE if choice == "SMS_MFA" else html.escape(f"{app.username[0]}***@e***"))
        code = server.last_message(app.pool_id, username=app.username, kind="Authentication")["code"]
        assert code not in r.text
        # a wrong code keeps the page, with a message a person understands
        fields = _form_fields(r.text)
        r = web.post(f"{app.base}/login", data={**fields, "code": wrong(code)}, allow_redirects=False, timeout=5)
        assert r.status_code == 400 and 'id="error"' in r.text and "Enter your code" in r.text
        fields = _form_fields(r.text)
        r = web.post(f"{app.base}/login", data={**fields, "code": code}, allow_redirects=False, timeout=5)
        assert r.status_code == 302, r.text[:1500]
        tokens = app.exchange(sess, r.headers["Location"], verifier)
        verify_tokens(app, tokens, nonce)
