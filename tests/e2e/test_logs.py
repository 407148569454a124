"""The server never logs a password, code, TOTP secret or token, even at trace level."""

from conftest import PASSWORD, totp_code, enable_totp


def test_secrets_never_reach_the_log(new_server):
    srv = new_server(env={"COGNATE_LOG": "trace"})
    c = srv.client()
    pool = c.create_user_pool(PoolName="logs", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    enable_totp(c, pool, mfa="OPTIONAL")
    cid = c.create_user_pool_client(
        UserPoolId=pool, ClientName="a",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    secrets = [PASSWORD]

    c.sign_up(ClientId=cid, Username="sam", Password=PASSWORD,
              UserAttributes=[{"Name": "email", "Value": "sam@example.com"}])
    code = srv.last_message(pool, "sam", kind="SignUp")["code"]
    secrets.append(code)
    c.confirm_sign_up(ClientId=cid, Username="sam", ConfirmationCode=code)

    c.admin_create_user(UserPoolId=pool, Username="tia",
                        UserAttributes=[{"Name": "email", "Value": "tia@example.com"}])
    secrets.append(srv.last_message(pool, "tia", kind="AdminCreateUser")["code"])

    auth = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "sam", "PASSWORD": PASSWORD})["AuthenticationResult"]
    secrets += [auth["AccessToken"], auth["IdToken"], auth["RefreshToken"]]
    secret = c.associate_software_token(AccessToken=auth["AccessToken"])["SecretCode"]
    user_code = totp_code(secret, srv.clock())
    c.verify_software_token(AccessToken=auth["AccessToken"], UserCode=user_code)
    secrets += [secret, user_code]

    log = srv.log_path.read_text(errors="replace")
    assert "TRACE" in log or "DEBUG" in log, "the server should have logged at trace level"
    for s in secrets:
        assert s not in log, f"a secret value appears in the server log: {s[:6]}..."
