"""The SMS and e-mail MFA factors: SMS_MFA and EMAIL_OTP challenges after USER_PASSWORD_AUTH,
ADMIN_USER_PASSWORD_AUTH and USER_SRP_AUTH, SELECT_MFA_TYPE choosing each factor, code lifecycle
(wrong, expired, reused, bound to the session), the lockout, masking, the user's preferences and
the pool's configuration rules.

Codes are read from the outbox (kind "Authentication"), as a person would read the SMS or e-mail.
Tests that move the clock run their own server.
"""

import json

import pytest

from conftest import PASSWORD, TOTP_STEP, raises, totp_code
from test_srp import claim, srp_start, verifier

PHONE = "+15555550123"
MASKED_PHONE = "+*******0123"
SMS_BLOCK = {"SmsAuthenticationMessage": "Your SMS code is {####}",
             "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "cognate"}}
EMAIL_BLOCK = {"Message": "Your e-mail code is {####}", "Subject": "Your sign-in code"}
DEVELOPER_EMAIL = {"EmailSendingAccount": "DEVELOPER", "From": "noreply@example.com",
                   "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com"}

MISMATCH = "Invalid code or auth state for the user."
EXPIRED = "Invalid code provided, please request a code again."
LOCKED = "Password attempts exceeded"
SESSION_USED = "Invalid session for the user, session can only be used once."
SESSION_EXPIRED = "Invalid session for the user, session is expired."
EMAIL_DEFAULT_ACCOUNT = ("Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an "
                         "EmailSendingAccount of COGNITO_DEFAULT.Update the value of EmailSendingAccount")
MFA_NEEDS_SMS = "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
         "ALLOW_REFRESH_TOKEN_AUTH"]


# --------------------------------------------------------------------------- helpers


def configure_factors(c, pid, mfa="OPTIONAL"):
    return c.set_user_pool_mfa_config(UserPoolId=pid, MfaConfiguration=mfa,
                                      SoftwareTokenMfaConfiguration={"Enabled": True},
                                      SmsMfaConfiguration=SMS_BLOCK, EmailMfaConfiguration=EMAIL_BLOCK)


@pytest.fixture
def fpool(make_pool, cognito):
    """OPTIONAL pool with TOTP, SMS and e-mail MFA (a DEVELOPER e-mail sender)."""
    p = make_pool(EmailConfiguration=DEVELOPER_EMAIL, client_kwargs={"flows": FLOWS})
    configure_factors(cognito, p.id)
    return p


def make_user(c, pid, username, **attrs):
    c.admin_create_user(UserPoolId=pid, Username=username, MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()])
    c.admin_set_user_password(UserPoolId=pid, Username=username, Password=PASSWORD, Permanent=True)


def factor_user(c, pid, username, sms=False, email=False, preferred=None):
    make_user(c, pid, username, email=f"{username}@example.com", email_verified="true", phone_number=PHONE)
    kw = {}
    if sms:
        kw["SMSMfaSettings"] = {"Enabled": True, "PreferredMfa": preferred == "SMS_MFA"}
    if email:
        kw["EmailMfaSettings"] = {"Enabled": True, "PreferredMfa": preferred == "EMAIL_OTP"}
    c.admin_set_user_mfa_preference(UserPoolId=pid, Username=username, **kw)


def password_auth(c, cid, username, password=PASSWORD):
    return c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": username, "PASSWORD": password})


def answer(c, cid, name, session, username, code):
    key = "SMS_MFA_CODE" if name == "SMS_MFA" else "EMAIL_OTP_CODE"
    return c.respond_to_auth_challenge(ClientId=cid, ChallengeName=name, Session=session,
                                       ChallengeResponses={"USERNAME": username, key: code})


def last_code(p_or_srv, pid, username) -> dict:
    srv = getattr(p_or_srv, "server", p_or_srv)
    return srv.last_message(pid, username=username, kind="Authentication")


def codes_sent(srv, pid, username) -> int:
    return sum(1 for m in srv.messages(pid, username) if m.get("kind") == "Authentication")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def assert_tokens(resp) -> dict:
    assert "ChallengeName" not in resp, resp
    auth = resp["AuthenticationResult"]
    assert auth["AccessToken"] and auth["IdToken"] and auth["RefreshToken"]
    return auth


# --------------------------------------------------------------------------- SMS_MFA and EMAIL_OTP sign-in


def test_sms_mfa_sign_in(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "sam", sms=True, preferred="SMS_MFA")
    assert fpool.attrs("sam").get("phone_number_verified") is None
    r = password_auth(c, cid, "sam")
    assert r["ChallengeName"] == "SMS_MFA"
    assert "AuthenticationResult" not in r
    assert r["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                                        "CODE_DELIVERY_DESTINATION": MASKED_PHONE, "USER_ID_FOR_SRP": "sam"}
    msg = last_code(fpool, pid, "sam")
    assert (msg["medium"], msg["destination"]) == ("SMS", PHONE)
    assert msg["message"] == f"Your SMS code is {msg['code']}", "the pool's SmsAuthenticationMessage"
    auth = assert_tokens(answer(c, cid, "SMS_MFA", r["Session"], "sam", msg["code"]))
    assert c.get_user(AccessToken=auth["AccessToken"])["Username"] == "sam"
    # a code that arrived by SMS proves the number
    assert fpool.attrs("sam")["phone_number_verified"] == "true"


def test_email_otp_sign_in_admin_flow(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "erin", email=True, preferred="EMAIL_OTP")
    r = c.admin_initiate_auth(UserPoolId=pid, ClientId=cid, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "erin", "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "EMAIL_OTP"
    assert r["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                                        "CODE_DELIVERY_DESTINATION": "e***@e***", "USER_ID_FOR_SRP": "erin"}
    msg = last_code(fpool, pid, "erin")
    assert (msg["medium"], msg["destination"]) == ("EMAIL", "erin@example.com")
    assert msg["message"] == f"Your e-mail code is {msg['code']}"
    assert_tokens(c.admin_respond_to_auth_challenge(
        UserPoolId=pid, ClientId=cid, ChallengeName="EMAIL_OTP", Session=r["Session"],
        ChallengeResponses={"USERNAME": "erin", "EMAIL_OTP_CODE": msg["code"]}))


@pytest.mark.parametrize("factor", ["SMS_MFA", "EMAIL_OTP"])
def test_code_challenge_after_srp(fpool, cognito, factor):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    name = f"srp{factor[:3].lower()}"
    factor_user(c, pid, name, sms=factor == "SMS_MFA", email=factor == "EMAIL_OTP", preferred=factor)
    aws, _, r = srp_start(c, pid, cid, name)
    r = verifier(c, cid, r, claim(aws, r["ChallengeParameters"]))
    assert r["ChallengeName"] == factor
    assert r["ChallengeParameters"]["USER_ID_FOR_SRP"] == name
    assert_tokens(answer(c, cid, factor, r["Session"], name, last_code(fpool, pid, name)["code"]))


def test_on_pool_user_with_phone_gets_sms_mfa(make_pool, cognito):
    """MFA ON through CreateUserPool with an SmsConfiguration: SMS MFA is the pool's factor, and a user with a
    phone number and no factor set is challenged by SMS."""
    p = make_pool(MfaConfiguration="ON", SmsConfiguration=SMS_BLOCK["SmsConfiguration"],
                  SmsAuthenticationMessage="Code {####}", client_kwargs={"flows": FLOWS})
    cfg = cognito.get_user_pool_mfa_config(UserPoolId=p.id)
    assert cfg["MfaConfiguration"] == "ON"
    assert cfg["SmsMfaConfiguration"] == {"SmsAuthenticationMessage": "Code {####}",
                                          "SmsConfiguration": SMS_BLOCK["SmsConfiguration"]}
    make_user(cognito, p.id, "olga", phone_number=PHONE)
    r = password_auth(cognito, p.client_id, "olga")
    assert r["ChallengeName"] == "SMS_MFA"
    msg = last_code(p, p.id, "olga")
    assert msg["message"] == f"Code {msg['code']}"
    assert_tokens(answer(cognito, p.client_id, "SMS_MFA", r["Session"], "olga", msg["code"]))


# --------------------------------------------------------------------------- code lifecycle


def test_wrong_code_keeps_the_session_and_a_used_code_is_gone(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "wes", sms=True)
    r = password_auth(c, cid, "wes")
    assert r["ChallengeName"] == "SMS_MFA", "one enabled factor is challenged without a preference"
    code = last_code(fpool, pid, "wes")["code"]
    with raises("CodeMismatchException", MISMATCH):
        answer(c, cid, "SMS_MFA", r["Session"], "wes", wrong(code))
    # the same session still works with the right code
    assert_tokens(answer(c, cid, "SMS_MFA", r["Session"], "wes", code))
    # the session and the code are used up
    with raises("NotAuthorizedException", SESSION_USED):
        answer(c, cid, "SMS_MFA", r["Session"], "wes", code)
    # and the old code does not open a new sign-in
    r2 = password_auth(c, cid, "wes")
    with raises("CodeMismatchException", MISMATCH):
        answer(c, cid, "SMS_MFA", r2["Session"], "wes", code if code != last_code(fpool, pid, "wes")["code"]
               else wrong(code))


def test_code_is_bound_to_its_session(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "bo", email=True)
    r1 = password_auth(c, cid, "bo")
    code1 = last_code(fpool, pid, "bo")["code"]
    r2 = password_auth(c, cid, "bo")
    code2 = last_code(fpool, pid, "bo")["code"]
    # the first code does not answer the second session, and the newer challenge replaced the first code
    if code1 != code2:
        with raises("CodeMismatchException", MISMATCH):
            answer(c, cid, "EMAIL_OTP", r2["Session"], "bo", code1)
    with raises("CodeMismatchException", MISMATCH):
        answer(c, cid, "EMAIL_OTP", r1["Session"], "bo", code2)
    with raises("CodeMismatchException", MISMATCH):
        answer(c, cid, "EMAIL_OTP", r1["Session"], "bo", code1)
    assert_tokens(answer(c, cid, "EMAIL_OTP", r2["Session"], "bo", code2))


def test_code_challenge_names_must_match_the_session(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "cy", sms=True)
    r = password_auth(c, cid, "cy")
    code = last_code(fpool, pid, "cy")["code"]
    with raises("NotAuthorizedException", "Invalid session for the user."):
        answer(c, cid, "EMAIL_OTP", r["Session"], "cy", code)
    with raises("InvalidParameterException", "Missing required parameter SMS_MFA_CODE"):
        c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SMS_MFA", Session=r["Session"],
                                    ChallengeResponses={"USERNAME": "cy"})
    assert_tokens(answer(c, cid, "SMS_MFA", r["Session"], "cy", code))


def test_wrong_codes_lock_the_user(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "lou", sms=True)
    r = password_auth(c, cid, "lou")
    code = last_code(fpool, pid, "lou")["code"]
    for _ in range(5):
        with raises("CodeMismatchException", MISMATCH):
            answer(c, cid, "SMS_MFA", r["Session"], "lou", wrong(code))
    # the fifth failure locked the user: even the right code is refused now, and so is the password
    with raises("NotAuthorizedException", LOCKED):
        answer(c, cid, "SMS_MFA", r["Session"], "lou", code)
    with raises("NotAuthorizedException", LOCKED):
        password_auth(c, cid, "lou")


def private_pool(srv, validity=None):
    c = srv.client()
    pid = c.create_user_pool(PoolName="factors", EmailConfiguration=DEVELOPER_EMAIL)["UserPool"]["Id"]
    configure_factors(c, pid)
    kw = {"AuthSessionValidity": validity} if validity else {}
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c", ExplicitAuthFlows=FLOWS,
                                    **kw)["UserPoolClient"]["ClientId"]
    return c, pid, cid


def test_codes_expire_after_three_minutes(new_server):
    srv = new_server()
    c, pid, cid = private_pool(srv, validity=15)
    factor_user(c, pid, "exp", sms=True)
    r = password_auth(c, cid, "exp")
    code = last_code(srv, pid, "exp")["code"]
    srv.advance_clock(181)
    with raises("ExpiredCodeException", EXPIRED):
        answer(c, cid, "SMS_MFA", r["Session"], "exp", code)
    # a new sign-in sends a new code that works
    r = password_auth(c, cid, "exp")
    srv.advance_clock(170)
    assert_tokens(answer(c, cid, "SMS_MFA", r["Session"], "exp", last_code(srv, pid, "exp")["code"]))


def test_default_session_ends_with_the_code(new_server):
    srv = new_server()
    c, pid, cid = private_pool(srv)
    factor_user(c, pid, "ses", email=True)
    r = password_auth(c, cid, "ses")
    code = last_code(srv, pid, "ses")["code"]
    srv.advance_clock(180)
    with raises("NotAuthorizedException", SESSION_EXPIRED):
        answer(c, cid, "EMAIL_OTP", r["Session"], "ses", code)


def test_codes_are_not_in_the_log(new_server):
    srv = new_server()
    c, pid, cid = private_pool(srv)
    factor_user(c, pid, "quiet", sms=True)
    r = password_auth(c, cid, "quiet")
    code = last_code(srv, pid, "quiet")["code"]
    with raises("CodeMismatchException", MISMATCH):
        answer(c, cid, "SMS_MFA", r["Session"], "quiet", wrong(code))
    assert_tokens(answer(c, cid, "SMS_MFA", r["Session"], "quiet", code))
    srv.stop()
    log = srv.log_tail(100_000)
    assert code not in log and wrong(code) not in log


# --------------------------------------------------------------------------- SELECT_MFA_TYPE


def totp_user(c, pid, cid, username, now):
    """Enrols a software token (enabled, not preferred); returns its secret."""
    at = password_auth(c, cid, username)
    if "AuthenticationResult" not in at:
        pytest.fail(f"expected tokens before TOTP enrolment, got {at.get('ChallengeName')}")
    token = at["AuthenticationResult"]["AccessToken"]
    secret = c.associate_software_token(AccessToken=token)["SecretCode"]
    c.verify_software_token(AccessToken=token, UserCode=totp_code(secret, now - TOTP_STEP))
    c.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})
    return secret


def select(c, cid, session, username, choice):
    return c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SELECT_MFA_TYPE", Session=session,
                                       ChallengeResponses={"USERNAME": username, "ANSWER": choice})


@pytest.mark.parametrize("choice,expected", [("SMS_MFA", "SMS_MFA"), ("EMAIL_OTP", "EMAIL_OTP"),
                                             ("EMAIL_MFA", "EMAIL_OTP"),
                                             ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA")])
def test_select_mfa_type_each_factor(fpool, cognito, choice, expected):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    now = fpool.server.clock()
    name = f"sel{choice[:5].lower().replace('_', '')}"
    make_user(c, pid, name, email=f"{name}@example.com", phone_number=PHONE)
    secret = totp_user(c, pid, cid, name, now)
    c.admin_set_user_mfa_preference(UserPoolId=pid, Username=name,
                                    SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True})
    u = c.admin_get_user(UserPoolId=pid, Username=name)
    assert sorted(u["UserMFASettingList"]) == ["EMAIL_OTP", "SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert "PreferredMfaSetting" not in u
    sent_before = codes_sent(fpool.server, pid, name)
    r = password_auth(c, cid, name)
    assert r["ChallengeName"] == "SELECT_MFA_TYPE"
    assert sorted(json.loads(r["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == \
        ["EMAIL_OTP", "SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert codes_sent(fpool.server, pid, name) == sent_before, "no code is sent before the choice"
    r2 = select(c, cid, r["Session"], name, choice)
    assert r2["ChallengeName"] == expected
    assert r2["Session"] != r["Session"]
    if expected == "SOFTWARE_TOKEN_MFA":
        assert codes_sent(fpool.server, pid, name) == sent_before
        out = c.respond_to_auth_challenge(
            ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r2["Session"],
            ChallengeResponses={"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE": totp_code(secret, now)})
    else:
        medium = "SMS" if expected == "SMS_MFA" else "EMAIL"
        assert r2["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == medium
        msg = last_code(fpool, pid, name)
        assert msg["medium"] == medium
        out = answer(c, cid, expected, r2["Session"], name, msg["code"])
    assert_tokens(out)
    # the SELECT_MFA_TYPE session was used by the choice
    with raises("NotAuthorizedException", SESSION_USED):
        select(c, cid, r["Session"], name, choice)


def test_select_mfa_type_refuses_a_factor_not_offered(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "tw", sms=True, email=True)
    r = password_auth(c, cid, "tw")
    assert r["ChallengeName"] == "SELECT_MFA_TYPE"
    assert sorted(json.loads(r["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == ["EMAIL_OTP", "SMS_MFA"]
    with raises("SoftwareTokenMFANotFoundException", "Software Token MFA does not exist for the user."):
        select(c, cid, r["Session"], "tw", "SOFTWARE_TOKEN_MFA")
    with raises("InvalidParameterException"):
        select(c, cid, r["Session"], "tw", "PIGEON")
    # a refused answer leaves the session usable
    assert select(c, cid, r["Session"], "tw", "SMS_MFA")["ChallengeName"] == "SMS_MFA"


# --------------------------------------------------------------------------- preferences and user views


def test_preferences_errors(make_pool, fpool, cognito):
    c, pid = cognito, fpool.id
    make_user(c, pid, "nophone", email="np@example.com")
    with raises("InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA"):
        c.admin_set_user_mfa_preference(UserPoolId=pid, Username="nophone",
                                        SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    make_user(c, pid, "nomail", phone_number=PHONE)
    with raises("InvalidParameterException", "User does not have delivery config set to turn on EMAIL_OTP"):
        c.admin_set_user_mfa_preference(UserPoolId=pid, Username="nomail", EmailMfaSettings={"Enabled": True})
    with raises("InvalidParameterException", "EMAIL_OTP cannot be preferred because it is not enabled for the user."):
        c.admin_set_user_mfa_preference(UserPoolId=pid, Username="nomail",
                                        EmailMfaSettings={"Enabled": False, "PreferredMfa": True})
    # a pool without e-mail MFA refuses the e-mail factor
    plain = make_pool()
    make_user(c, plain.id, "pm", email="pm@example.com")
    with raises("InvalidParameterException", contains="Email MFA is not enabled"):
        c.admin_set_user_mfa_preference(UserPoolId=plain.id, Username="pm", EmailMfaSettings={"Enabled": True})
    assert "UserMFASettingList" not in c.admin_get_user(UserPoolId=plain.id, Username="pm")


def test_user_views_of_the_factors(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "vi", sms=True, email=True, preferred="EMAIL_OTP")
    u = c.admin_get_user(UserPoolId=pid, Username="vi")
    assert u["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert u["PreferredMfaSetting"] == "EMAIL_OTP"
    assert u["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    r = password_auth(c, cid, "vi")
    assert r["ChallengeName"] == "EMAIL_OTP", "the preferred factor is challenged"
    token = assert_tokens(answer(c, cid, "EMAIL_OTP", r["Session"], "vi",
                                 last_code(fpool, pid, "vi")["code"]))["AccessToken"]
    g = c.get_user(AccessToken=token)
    assert (g["UserMFASettingList"], g["PreferredMfaSetting"]) == (["SMS_MFA", "EMAIL_OTP"], "EMAIL_OTP")
    assert g["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    f = c.get_user_auth_factors(AccessToken=token)
    assert (f["Username"], f["UserMFASettingList"], f["PreferredMfaSetting"]) == \
        ("vi", ["SMS_MFA", "EMAIL_OTP"], "EMAIL_OTP")
    assert f["ConfiguredUserAuthFactors"] == ["PASSWORD"]
    a = c.admin_get_user_auth_factors(UserPoolId=pid, Username="vi")
    assert a["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    # the user switches the preference to SMS and turns e-mail off
    c.set_user_mfa_preference(AccessToken=token, SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
                              EmailMfaSettings={"Enabled": False})
    g = c.get_user(AccessToken=token)
    assert (g["UserMFASettingList"], g["PreferredMfaSetting"]) == (["SMS_MFA"], "SMS_MFA")
    assert password_auth(c, cid, "vi")["ChallengeName"] == "SMS_MFA"
    # with SMS off too, MFAOptions disappears and the OPTIONAL pool signs in without MFA
    c.set_user_mfa_preference(AccessToken=token, SMSMfaSettings={"Enabled": False})
    g = c.get_user(AccessToken=token)
    assert not any(k in g for k in ("UserMFASettingList", "PreferredMfaSetting", "MFAOptions"))
    assert_tokens(password_auth(c, cid, "vi"))


def test_factor_the_pool_turned_off_is_not_challenged(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    factor_user(c, pid, "off", sms=True, email=True)
    assert password_auth(c, cid, "off")["ChallengeName"] == "SELECT_MFA_TYPE"
    c.set_user_pool_mfa_config(UserPoolId=pid, MfaConfiguration="OPTIONAL", SmsMfaConfiguration=SMS_BLOCK)
    r = password_auth(c, cid, "off")
    assert r["ChallengeName"] == "SMS_MFA", "only SMS is left on the pool"


# --------------------------------------------------------------------------- pool configuration rules


def test_email_mfa_needs_a_developer_sender(make_pool, cognito):
    p = make_pool()
    with raises("InvalidParameterException", EMAIL_DEFAULT_ACCOUNT):
        cognito.set_user_pool_mfa_config(UserPoolId=p.id, MfaConfiguration="OPTIONAL",
                                         EmailMfaConfiguration=EMAIL_BLOCK)
    p2 = make_pool(EmailConfiguration={"EmailSendingAccount": "COGNITO_DEFAULT"})
    with raises("InvalidParameterException", EMAIL_DEFAULT_ACCOUNT):
        cognito.set_user_pool_mfa_config(UserPoolId=p2.id, MfaConfiguration="OPTIONAL",
                                         EmailMfaConfiguration=EMAIL_BLOCK)
    assert cognito.get_user_pool_mfa_config(UserPoolId=p2.id)["MfaConfiguration"] == "OFF"
    p3 = make_pool(EmailConfiguration=DEVELOPER_EMAIL)
    r = cognito.set_user_pool_mfa_config(UserPoolId=p3.id, MfaConfiguration="ON", EmailMfaConfiguration=EMAIL_BLOCK)
    assert r["EmailMfaConfiguration"] == EMAIL_BLOCK
    cfg = cognito.get_user_pool_mfa_config(UserPoolId=p3.id)
    assert (cfg["MfaConfiguration"], cfg["EmailMfaConfiguration"]) == ("ON", EMAIL_BLOCK)
    assert "SmsMfaConfiguration" not in cfg


def test_sms_mfa_needs_an_sms_configuration(make_pool, cognito):
    p = make_pool()
    with raises("InvalidParameterException", contains="SMS configuration is required"):
        cognito.set_user_pool_mfa_config(UserPoolId=p.id, MfaConfiguration="OPTIONAL",
                                         SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}"})
    # the pool's own SmsConfiguration is enough
    p2 = make_pool(SmsConfiguration=SMS_BLOCK["SmsConfiguration"])
    r = cognito.set_user_pool_mfa_config(UserPoolId=p2.id, MfaConfiguration="OPTIONAL",
                                         SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}"})
    assert r["SmsMfaConfiguration"] == {"SmsAuthenticationMessage": "Code {####}",
                                        "SmsConfiguration": SMS_BLOCK["SmsConfiguration"]}
    # the block's SmsConfiguration and message become the pool's
    p3 = make_pool()
    cognito.set_user_pool_mfa_config(UserPoolId=p3.id, MfaConfiguration="OPTIONAL", SmsMfaConfiguration=SMS_BLOCK)
    d = p3.describe()
    assert d["SmsConfiguration"] == SMS_BLOCK["SmsConfiguration"]
    assert d["SmsAuthenticationMessage"] == SMS_BLOCK["SmsAuthenticationMessage"]


def test_messages_need_the_code_placeholder(make_pool, cognito_unvalidated):
    p = make_pool(EmailConfiguration=DEVELOPER_EMAIL)
    with raises("InvalidParameterException"):
        cognito_unvalidated.set_user_pool_mfa_config(
            UserPoolId=p.id, MfaConfiguration="OPTIONAL",
            SmsMfaConfiguration={**SMS_BLOCK, "SmsAuthenticationMessage": "no placeholder"})
    with raises("InvalidParameterException"):
        cognito_unvalidated.set_user_pool_mfa_config(
            UserPoolId=p.id, MfaConfiguration="OPTIONAL",
            EmailMfaConfiguration={"Message": "no placeholder", "Subject": "s"})
    assert cognito_unvalidated.get_user_pool_mfa_config(UserPoolId=p.id)["MfaConfiguration"] == "OFF"


@pytest.mark.parametrize("mfa", ["ON", "OPTIONAL"])
def test_create_user_pool_with_mfa_needs_sms(cognito, mfa):
    with raises("InvalidParameterException", MFA_NEEDS_SMS):
        cognito.create_user_pool(PoolName="mfa-no-sms", MfaConfiguration=mfa)


def test_update_user_pool_mfa_and_sms(make_pool, cognito):
    p = make_pool()
    with raises("InvalidParameterException", MFA_NEEDS_SMS):
        cognito.update_user_pool(UserPoolId=p.id, MfaConfiguration="OPTIONAL")
    cognito.update_user_pool(UserPoolId=p.id, MfaConfiguration="OPTIONAL",
                             SmsConfiguration=SMS_BLOCK["SmsConfiguration"])
    cfg = cognito.get_user_pool_mfa_config(UserPoolId=p.id)
    assert cfg["MfaConfiguration"] == "OPTIONAL"
    assert cfg["SmsMfaConfiguration"]["SmsConfiguration"] == SMS_BLOCK["SmsConfiguration"]
    # UpdateUserPool without the SmsConfiguration (replace semantics) cannot keep SMS as the only factor
    with raises("InvalidParameterException", MFA_NEEDS_SMS):
        cognito.update_user_pool(UserPoolId=p.id, MfaConfiguration="OPTIONAL")
    cognito.update_user_pool(UserPoolId=p.id, MfaConfiguration="OFF")
    assert cognito.get_user_pool_mfa_config(UserPoolId=p.id)["MfaConfiguration"] == "OFF"


# --------------------------------------------------------------------------- legacy SetUserSettings


SMS_OPTION = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]


def test_legacy_user_settings_turn_sms_mfa_on_and_off(fpool, cognito):
    c, pid, cid = cognito, fpool.id, fpool.client_id
    make_user(c, pid, "leg", phone_number=PHONE)
    token = assert_tokens(password_auth(c, cid, "leg"))["AccessToken"]
    c.admin_set_user_settings(UserPoolId=pid, Username="leg", MFAOptions=SMS_OPTION)
    u = c.admin_get_user(UserPoolId=pid, Username="leg")
    assert (u["MFAOptions"], u["UserMFASettingList"]) == (SMS_OPTION, ["SMS_MFA"])
    assert "PreferredMfaSetting" not in u
    r = password_auth(c, cid, "leg")
    assert r["ChallengeName"] == "SMS_MFA"
    # the user turns it off with an empty list
    c.set_user_settings(AccessToken=token, MFAOptions=[])
    u = c.admin_get_user(UserPoolId=pid, Username="leg")
    assert not any(k in u for k in ("MFAOptions", "UserMFASettingList"))
    assert_tokens(password_auth(c, cid, "leg"))


def test_legacy_user_settings_errors(fpool, cognito):
    c, pid = cognito, fpool.id
    make_user(c, pid, "legerr", email="le@example.com")
    with raises("InvalidParameterException", "Only phone_number attribute is currently supported as a MFA option."):
        c.admin_set_user_settings(UserPoolId=pid, Username="legerr",
                                  MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    with raises("InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA"):
        c.admin_set_user_settings(UserPoolId=pid, Username="legerr", MFAOptions=SMS_OPTION)
    with raises("UserNotFoundException"):
        c.admin_set_user_settings(UserPoolId=pid, Username="nobody-here", MFAOptions=SMS_OPTION)
