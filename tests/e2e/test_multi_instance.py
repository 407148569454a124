"""Two `cognate serve` processes, one PostgreSQL database, one master key: whatever one instance
starts, the other finishes, and single-use things are used once across both.

PostgreSQL only (COGNATE_E2E_DATABASE_URL). Both instances get the same --public-url, as behind a
load balancer, so tokens from either carry the same issuer; each keeps its own outbox, and a code
is read from the outbox of the instance that sent it. Their test clocks are set to the same time.
"""

from __future__ import annotations

import base64
import os
import threading
import time

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from conftest import (PASSWORD, CognateServer, TOTP_STEP, enable_totp, new_schema, postgres_only, raises, schema_url,
                      totp_code)

pytestmark = postgres_only

PUBLIC_URL = "http://cognate.test"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def at_once(*calls):
    """Runs the calls in threads released together; returns each result or the ClientError raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except ClientError as e:
            results[i] = e
        except BaseException as e:  # noqa: BLE001 - e.g. pytest.fail from a server start, shown by the caller
            results[i] = e

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def outcomes(results) -> list[str]:
    """Sorted error codes of the results, "ok" for each success."""
    return sorted(r.response["Error"]["Code"] if isinstance(r, ClientError) else "ok" for r in results)


@pytest.fixture
def pair(new_server):
    """Instances A and B on one fresh schema, started together."""
    url = schema_url(new_schema())
    env = {"COGNATE_MASTER_KEY": base64.b64encode(os.urandom(32)).decode()}
    # Started at once, as a load balancer's instances are: both migrate the fresh schema.
    a, b = at_once(*[lambda: new_server(database_url=url, env=env, extra_args=["--public-url", PUBLIC_URL])
                     for _ in range(2)])
    assert isinstance(a, CognateServer) and isinstance(b, CognateServer), (a, b)
    # steps in the past, so that tokens issued up to t + 2 steps are not ahead of PyJWT's clock
    t = (time.time() // TOTP_STEP - 3) * TOTP_STEP + 5
    for srv in (a, b):
        srv.set_clock(t)
    return a, b


def set_clocks(servers, t):
    for srv in servers:
        srv.set_clock(t)


def make_pool(c):
    pid = c.create_user_pool(PoolName="shared", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="app",
                                    ExplicitAuthFlows=FLOWS)["UserPoolClient"]["ClientId"]
    return pid, cid


def password_auth(c, cid, username):
    return c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})


def totp_answer(c, cid, session, username, code):
    return c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
                                       ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code})


def verify(srv, pid, cid, auth):
    """Both tokens verify against this instance's JWKS, with the shared issuer."""
    iss = f"{PUBLIC_URL}/{pid}"
    jwks = jwt.PyJWKClient(f"{srv.url}/{pid}/.well-known/jwks.json")
    id_claims = jwt.decode(auth["IdToken"], jwks.get_signing_key_from_jwt(auth["IdToken"]).key,
                           algorithms=["RS256"], audience=cid, issuer=iss)
    access = jwt.decode(auth["AccessToken"], jwks.get_signing_key_from_jwt(auth["AccessToken"]).key,
                        algorithms=["RS256"], issuer=iss, options={"verify_aud": False})
    assert id_claims["token_use"] == "id" and access["token_use"] == "access"
    return id_claims


def test_a_user_moves_between_instances(pair):
    a, b = pair
    ca, cb = a.client(), b.client()
    pid, cid = make_pool(ca)
    enable_totp(cb, pid)
    t = a.clock()

    # sign up on A, confirm on B with the code A sent
    ca.sign_up(ClientId=cid, Username="ann", Password=PASSWORD,
               UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])
    with pytest.raises(AssertionError):
        b.last_message(pid, "ann", kind="SignUp")  # B sent nothing
    cb.confirm_sign_up(ClientId=cid, Username="ann", ConfirmationCode=a.last_message(pid, "ann", kind="SignUp")["code"])

    # sign in on A; enrol TOTP across both
    access = password_auth(ca, cid, "ann")["AuthenticationResult"]["AccessToken"]
    secret = cb.associate_software_token(AccessToken=access)["SecretCode"]
    assert ca.verify_software_token(AccessToken=access, UserCode=totp_code(secret, t))["Status"] == "SUCCESS"
    cb.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})

    # the MFA challenge issued by A is answered on B
    set_clocks(pair, t + TOTP_STEP)
    r = password_auth(ca, cid, "ann")
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    auth = totp_answer(cb, cid, r["Session"], "ann", totp_code(secret, t + TOTP_STEP))["AuthenticationResult"]
    # tokens verify from either JWKS
    assert verify(a, pid, cid, auth)["cognito:username"] == "ann"
    assert verify(b, pid, cid, auth)["cognito:username"] == "ann"

    # one TOTP code, sent to A and B at the same moment: accepted exactly once
    set_clocks(pair, t + 2 * TOTP_STEP)
    code = totp_code(secret, t + 2 * TOTP_STEP)
    sa, sb = password_auth(ca, cid, "ann")["Session"], password_auth(cb, cid, "ann")["Session"]
    results = at_once(lambda: totp_answer(ca, cid, sa, "ann", code), lambda: totp_answer(cb, cid, sb, "ann", code))
    assert outcomes(results) == ["ExpiredCodeException", "ok"], results

    # GlobalSignOut on A revokes on B
    ca.global_sign_out(AccessToken=auth["AccessToken"])
    with raises("NotAuthorizedException"):
        cb.get_user(AccessToken=auth["AccessToken"])
    with raises("NotAuthorizedException"):
        cb.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                         AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"]})


def test_secret_block_from_a_answered_on_b_once(pair):
    a, b = pair
    ca, cb = a.client(), b.client()
    pid, cid = make_pool(ca)
    ca.admin_create_user(UserPoolId=pid, Username="srp", MessageAction="SUPPRESS")
    cb.admin_set_user_password(UserPoolId=pid, Username="srp", Password=PASSWORD, Permanent=True)
    aws = AWSSRP("srp", PASSWORD, pid, cid, client=ca)
    r = ca.initiate_auth(ClientId=cid, AuthFlow="USER_SRP_AUTH", AuthParameters=aws.get_auth_params())
    assert r["ChallengeName"] == "PASSWORD_VERIFIER"
    responses = aws.process_challenge(r["ChallengeParameters"], {"USERNAME": "srp"})
    kw = dict(ClientId=cid, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses)
    if r.get("Session"):
        kw["Session"] = r["Session"]
    auth = cb.respond_to_auth_challenge(**kw)["AuthenticationResult"]
    assert verify(a, pid, cid, auth)["cognito:username"] == "srp"
    # the same answer again, on either instance, is refused
    for c in (ca, cb):
        with raises("NotAuthorizedException"):
            c.respond_to_auth_challenge(**kw)


def test_uniqueness_races_have_one_winner(pair):
    a, b = pair
    ca, cb = a.client(), b.client()
    # pools created at once on both get distinct ids
    created = at_once(*[lambda c=c: c.create_user_pool(PoolName="race")["UserPool"]["Id"]
                        for c in (ca, cb) * 4])
    assert not [r for r in created if isinstance(r, ClientError)], created
    assert len(set(created)) == len(created)

    pid, cid = make_pool(ca)
    for i in range(5):
        name = f"twin{i}"
        results = at_once(*[lambda c=c: c.sign_up(ClientId=cid, Username=name, Password=PASSWORD,
                                                  UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}])
                            for c in (ca, cb)])
        assert outcomes(results) == ["UsernameExistsException", "ok"], results
        assert ca.admin_get_user(UserPoolId=pid, Username=name)["Username"] == name


def test_instances_start_at_once(new_server):
    """Three instances released together on a fresh schema, five times: every one migrates or
    waits for the others' migration, and serves."""
    for _ in range(5):
        url = schema_url(new_schema())
        env = {"COGNATE_MASTER_KEY": base64.b64encode(os.urandom(32)).decode()}
        started = at_once(*[lambda: new_server(database_url=url, env=env) for _ in range(3)])
        assert all(isinstance(srv, CognateServer) and srv.running for srv in started), [
            srv.log_tail() if isinstance(srv, CognateServer) else repr(srv) for srv in started]
        pools = [srv.client().list_user_pools(MaxResults=10)["UserPools"] for srv in started]
        assert pools == [[], [], []]
