"""Attacks on sign-in and one-time codes, tried through boto3 and pycognito: brute force
through reissued codes, parallel guesses against the lockout, user enumeration, and the
smaller holes (disabled users finishing a challenge, stale reset codes, same-second
sign-out, attribute writes a client may not make), plus what is on disk."""

import base64
import json
import os
import stat
import threading

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from conftest import OTHER_PASSWORD, PASSWORD, create_pool, enable_totp, raises, sqlite_only, totp_code

LIMIT = "Attempt limit exceeded, please try after some time."
INCORRECT = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]


def error_code(fn) -> tuple[str, str] | None:
    try:
        fn()
        return None
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]


def burst(n: int, fn) -> list:
    """Runs `fn(i)` in `n` threads released at once; returns what each returned."""
    barrier = threading.Barrier(n)
    out = [None] * n

    def run(i):
        barrier.wait()
        out[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


@pytest.fixture
def own(new_server):
    """A private server (its clock can be moved) with a pool whose email is auto-verified."""
    srv = new_server()
    cognito = srv.client()
    pool = create_pool(cognito, srv)
    pool.client_id = pool.create_client(flows=SRP_FLOWS)["ClientId"]
    return srv, cognito, pool


def verified_user(pool, name):
    pool.create_user(name, attributes={"email": f"{name}@example.com", "email_verified": "true"})


# --------------------------------------------------------------------------- one-time codes


def test_reset_codes_cannot_be_brute_forced_by_asking_for_new_ones(own):
    srv, cognito, pool = own
    verified_user(pool, "victim")
    wrong = lambda code: "000000" if code != "000000" else "111111"  # noqa: E731
    for _ in range(5):
        cognito.forgot_password(ClientId=pool.client_id, Username="victim")
        code = pool.last_message("victim", kind="ForgotPassword")["code"]
        # one guess per fresh code; the failures add up across codes
        if error_code(lambda: cognito.confirm_forgot_password(
                ClientId=pool.client_id, Username="victim", ConfirmationCode=wrong(code),
                Password=OTHER_PASSWORD)) == ("LimitExceededException", LIMIT):
            break
    # five codes an hour at most
    with raises("LimitExceededException", LIMIT):
        cognito.forgot_password(ClientId=pool.client_id, Username="victim")
    # the fifth failure locked guessing: even the right code is refused for now
    with raises("LimitExceededException", LIMIT):
        cognito.confirm_forgot_password(ClientId=pool.client_id, Username="victim", ConfirmationCode=code,
                                        Password=OTHER_PASSWORD)
    srv.advance_clock(2)
    cognito.confirm_forgot_password(ClientId=pool.client_id, Username="victim", ConfirmationCode=code,
                                    Password=OTHER_PASSWORD)
    pool.sign_in("victim", OTHER_PASSWORD)
    # an hour later codes can be sent again
    srv.advance_clock(3600)
    cognito.forgot_password(ClientId=pool.client_id, Username="victim")


def test_confirmation_codes_are_limited_across_resends(own):
    srv, cognito, pool = own
    pool.sign_up("newbie", attributes={"email": "newbie@example.com"})
    for _ in range(4):
        cognito.resend_confirmation_code(ClientId=pool.client_id, Username="newbie")
    with raises("LimitExceededException", LIMIT):
        cognito.resend_confirmation_code(ClientId=pool.client_id, Username="newbie")
    code = pool.last_message("newbie", kind="ResendConfirmationCode")["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with raises("CodeMismatchException"):
            cognito.confirm_sign_up(ClientId=pool.client_id, Username="newbie", ConfirmationCode=wrong)
    with raises("LimitExceededException", LIMIT):
        cognito.confirm_sign_up(ClientId=pool.client_id, Username="newbie", ConfirmationCode=code)
    srv.advance_clock(2)
    cognito.confirm_sign_up(ClientId=pool.client_id, Username="newbie", ConfirmationCode=code)


def test_attribute_verification_is_limited(own):
    srv, cognito, pool = own
    verified_user(pool, "mallory")
    token = pool.sign_in("mallory")["AccessToken"]
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "ceo@example.com"}])
    code = pool.last_message("mallory", kind="VerifyUserAttribute")["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with raises("CodeMismatchException"):
            cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=wrong)
    cognito.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    fresh = pool.last_message("mallory", kind="VerifyUserAttribute")["code"]
    with raises("LimitExceededException", LIMIT):
        cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=fresh)
    assert pool.attrs("mallory")["email_verified"] == "false"


def test_parallel_code_guesses_are_evaluated_at_most_five_times(own):
    srv, _, pool = own
    verified_user(pool, "racer")
    srv.client().forgot_password(ClientId=pool.client_id, Username="racer")
    code = pool.last_message("racer", kind="ForgotPassword")["code"]
    guesses = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 25)]
    clients = [srv.client() for _ in guesses]
    results = burst(len(guesses), lambda i: error_code(lambda: clients[i].confirm_forgot_password(
        ClientId=pool.client_id, Username="racer", ConfirmationCode=guesses[i], Password=OTHER_PASSWORD)))
    evaluated = [r for r in results if r and r[0] == "CodeMismatchException"]
    assert len(evaluated) <= 5, results
    assert all(r and r[0] in ("CodeMismatchException", "LimitExceededException",
                              "ConcurrentModificationException") for r in results), results


# --------------------------------------------------------------------------- passwords


def test_parallel_password_guesses_cannot_outrun_the_lockout(own):
    srv, cognito, pool = own
    verified_user(pool, "target")
    for _ in range(4):
        with raises("NotAuthorizedException", INCORRECT):
            pool.sign_in("target", "Wr0ng!Password")
    # 4 failures: one more is allowed before the lock. Of 24 parallel guesses at most one is
    # evaluated, and afterwards even the right password is refused.
    clients = [srv.client() for _ in range(24)]

    def attempt(i):
        return error_code(lambda: clients[i].initiate_auth(
            ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "target", "PASSWORD": f"Wr0ng!Password{i}"}))

    results = burst(len(clients), attempt)
    evaluated = [r for r in results if r == ("NotAuthorizedException", INCORRECT)]
    assert len(evaluated) <= 1, results
    assert all(r and r[0] == "NotAuthorizedException" for r in results), results
    with raises("NotAuthorizedException", LOCKED):
        pool.sign_in("target", PASSWORD)


def test_srp_blocks_collected_in_advance_cannot_outrun_the_lockout(own):
    srv, cognito, pool = own
    verified_user(pool, "srpuser")
    for _ in range(4):
        with raises("NotAuthorizedException", INCORRECT):
            AWSSRP("srpuser", "Wr0ng!Password", pool.id, pool.client_id, client=cognito).authenticate_user()
    # Collect SECRET_BLOCKs first (one per guess, the right password among them), then answer
    # them all at once: the fifth failure locks, so at most one answer is evaluated.
    passwords = [f"Wr0ng!Password{i}" for i in range(12)]
    prepared = []
    for pw in passwords:
        aws = AWSSRP("srpuser", pw, pool.id, pool.client_id, client=cognito)
        params = aws.get_auth_params()
        r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
        prepared.append(aws.process_challenge(r["ChallengeParameters"], params))
    clients = [srv.client() for _ in prepared]
    results = burst(len(prepared), lambda i: error_code(lambda: clients[i].respond_to_auth_challenge(
        ClientId=pool.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=prepared[i])))
    evaluated = [r for r in results if r is None or r == ("NotAuthorizedException", INCORRECT)]
    assert len(evaluated) <= 1, results
    with raises("NotAuthorizedException", LOCKED):
        AWSSRP("srpuser", PASSWORD, pool.id, pool.client_id, client=cognito).authenticate_user()


def test_parallel_change_password_guesses_cannot_outrun_the_lockout(own):
    srv, cognito, pool = own
    verified_user(pool, "changer")
    token = pool.sign_in("changer")["AccessToken"]
    for _ in range(4):
        with raises("NotAuthorizedException", INCORRECT):
            cognito.change_password(AccessToken=token, PreviousPassword="Wr0ng!Password",
                                    ProposedPassword=OTHER_PASSWORD)
    previous = [f"Wr0ng!Password{i}" for i in range(12)]
    clients = [srv.client() for _ in previous]
    results = burst(len(previous), lambda i: error_code(lambda: clients[i].change_password(
        AccessToken=token, PreviousPassword=previous[i], ProposedPassword=OTHER_PASSWORD)))
    evaluated = [r for r in results if r is None or r == ("NotAuthorizedException", INCORRECT)]
    assert len(evaluated) <= 1, results
    with raises("NotAuthorizedException", LOCKED):
        cognito.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=OTHER_PASSWORD)


# --------------------------------------------------------------------------- enumeration


def test_unknown_users_get_the_same_srp_shape(own):
    srv, cognito, pool = own
    hidden = pool.create_client(name="hidden", flows=SRP_FLOWS, PreventUserExistenceErrors="ENABLED")["ClientId"]
    verified_user(pool, "real")
    shapes = {}
    for name in ["real", "ghost"]:
        aws = AWSSRP(name, PASSWORD, pool.id, hidden, client=cognito)
        r = cognito.initiate_auth(ClientId=hidden, AuthFlow="USER_SRP_AUTH",
                                  AuthParameters=aws.get_auth_params())
        assert r["ChallengeName"] == "PASSWORD_VERIFIER"
        shapes[name] = sorted(r["ChallengeParameters"])
        again = cognito.initiate_auth(ClientId=hidden, AuthFlow="USER_SRP_AUTH",
                                      AuthParameters=aws.get_auth_params())
        assert again["ChallengeParameters"]["SALT"] == r["ChallengeParameters"]["SALT"]
    assert shapes["real"] == shapes["ghost"]
    with raises("NotAuthorizedException", INCORRECT):
        AWSSRP("ghost", PASSWORD, pool.id, hidden, client=cognito).authenticate_user()
    with raises("NotAuthorizedException", INCORRECT):
        cognito.initiate_auth(ClientId=hidden, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "ghost", "PASSWORD": PASSWORD})


# --------------------------------------------------------------------------- smaller holes


def test_a_user_disabled_during_sign_in_gets_no_tokens(own):
    srv, cognito, pool = own
    enable_totp(cognito, pool.id, "ON")
    verified_user(pool, "leaver")
    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "leaver", "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "MFA_SETUP"
    secret = cognito.associate_software_token(Session=r["Session"])
    t = srv.clock()
    verified = cognito.verify_software_token(Session=secret["Session"], UserCode=totp_code(secret["SecretCode"], t))
    cognito.admin_disable_user(UserPoolId=pool.id, Username="leaver")
    with raises("NotAuthorizedException", "User is disabled."):
        cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="MFA_SETUP",
                                          Session=verified["Session"], ChallengeResponses={"USERNAME": "leaver"})


def test_a_pending_reset_code_dies_with_a_new_password(own):
    srv, cognito, pool = own
    verified_user(pool, "reset")
    cognito.forgot_password(ClientId=pool.client_id, Username="reset")
    code = pool.last_message("reset", kind="ForgotPassword")["code"]
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="reset", Password=OTHER_PASSWORD, Permanent=True)
    with raises("ExpiredCodeException"):
        cognito.confirm_forgot_password(ClientId=pool.client_id, Username="reset", ConfirmationCode=code,
                                        Password="An0ther!Password")
    cognito.forgot_password(ClientId=pool.client_id, Username="reset")
    code = pool.last_message("reset", kind="ForgotPassword")["code"]
    token = pool.sign_in("reset", OTHER_PASSWORD)["AccessToken"]
    cognito.change_password(AccessToken=token, PreviousPassword=OTHER_PASSWORD, ProposedPassword=PASSWORD)
    with raises("ExpiredCodeException"):
        cognito.confirm_forgot_password(ClientId=pool.client_id, Username="reset", ConfirmationCode=code,
                                        Password="An0ther!Password")
    pool.sign_in("reset", PASSWORD)


def test_sign_out_revokes_tokens_from_the_same_second(own):
    srv, cognito, pool = own
    client = pool.create_client(name="norevoke", flows=SRP_FLOWS, EnableTokenRevocation=False)["ClientId"]
    verified_user(pool, "quick")
    token = pool.sign_in("quick", client_id=client)["AccessToken"]
    # the test clock stands still: sign-in and sign-out fall in one second
    cognito.global_sign_out(AccessToken=token)
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=token)


def test_new_password_required_honours_write_attributes(own):
    srv, cognito, pool = own
    limited = pool.create_client(name="limited", flows=SRP_FLOWS, WriteAttributes=["name"])["ClientId"]
    for attrs, name in [({"userAttributes.email_verified": "true"}, "fresh1"),
                        ({"userAttributes.family_name": "X"}, "fresh2")]:
        pool.create_user(name, attributes={"email": f"{name}@example.com"}, status="FORCE_CHANGE_PASSWORD")
        r = cognito.initiate_auth(ClientId=limited, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})
        assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
        with raises("NotAuthorizedException", "A client attempted to write unauthorized attribute"):
            cognito.respond_to_auth_challenge(
                ClientId=limited, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"],
                ChallengeResponses={"USERNAME": name, "NEW_PASSWORD": OTHER_PASSWORD, **attrs})
        assert pool.attrs(name).get("email_verified") != "true"


def test_self_service_attribute_deletion_has_the_admin_checks(own):
    srv, cognito, pool = own
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
        {"Name": "tenant", "AttributeDataType": "String", "Mutable": False}])
    limited = pool.create_client(name="limited", flows=SRP_FLOWS, WriteAttributes=["name", "custom:tenant"])["ClientId"]
    pool.create_user("del", attributes={"email": "del@example.com", "name": "Del", "custom:tenant": "acme"})
    token = pool.sign_in("del", client_id=limited)["AccessToken"]
    with raises("InvalidParameterException", "Cannot delete required or immutable attribute custom:tenant."):
        cognito.delete_user_attributes(AccessToken=token, UserAttributeNames=["custom:tenant"])
    with raises("NotAuthorizedException", "A client attempted to write unauthorized attribute"):
        cognito.delete_user_attributes(AccessToken=token, UserAttributeNames=["email"])
    cognito.delete_user_attributes(AccessToken=token, UserAttributeNames=["name"])
    attrs = pool.attrs("del")
    assert "name" not in attrs and attrs["custom:tenant"] == "acme" and attrs["email"] == "del@example.com"


# --------------------------------------------------------------------------- on disk


@sqlite_only
def test_secrets_on_disk_are_private(new_server, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "master.key").write_text(base64.b64encode(os.urandom(32)).decode())
    os.chmod(data / "master.key", 0o644)
    srv = new_server(data_dir=data)
    pool = create_pool(srv.client(), srv)
    pool.client_id = pool.create_client(flows=SRP_FLOWS)["ClientId"]
    pool.sign_up("disk", attributes={"email": "disk@example.com"})

    def mode(p):
        return stat.S_IMODE(os.stat(p).st_mode)

    assert mode(data) == 0o700
    for name in ["cognate.db", "cognate.db-wal", "outbox.jsonl"]:
        assert mode(data / name) == 0o600, name
    assert "master key file can be read by other users" in srv.log_tail(200)
    line = (data / "outbox.jsonl").read_text().splitlines()[-1]
    msg = json.loads(line)
    assert set(msg) == {"time", "pool_id", "username", "kind", "medium", "destination", "message"}
