"""The MFA factors through the real channels: EMAIL_OTP codes read from a real SMTP server
(aiosmtpd), SMS_MFA codes from the signed SMS webhook, each chosen through SELECT_MFA_TYPE, with
nothing left in the outbox file."""

from __future__ import annotations

import pytest

from conftest import PASSWORD, create_pool, raises
from delivery_support import SmsHook, SmtpSink, sms_code
from test_mfa_factors import (DEVELOPER_EMAIL, EMAIL_BLOCK, FLOWS, MASKED_PHONE, PHONE, SMS_BLOCK, answer,
                              assert_tokens, password_auth, select, wrong)

SECRET = "mfa-hook-secret"


@pytest.fixture
def channels(new_server):
    smtp, hook = SmtpSink().start(), SmsHook(SECRET).start()
    srv = new_server(extra_args=["--smtp-url", smtp.url, "--sms-webhook-url", hook.url],
                     env={"COGNATE_SMS_WEBHOOK_SECRET": SECRET})
    yield srv, smtp, hook
    smtp.stop()
    hook.stop()


def test_select_mfa_type_then_codes_from_smtp_and_the_sms_hook(channels):
    srv, smtp, hook = channels
    c = srv.client()
    p = create_pool(c, srv, EmailConfiguration=DEVELOPER_EMAIL)
    p.client_id = p.create_client(flows=FLOWS)["ClientId"]
    c.set_user_pool_mfa_config(UserPoolId=p.id, MfaConfiguration="OPTIONAL",
                               SmsMfaConfiguration=SMS_BLOCK, EmailMfaConfiguration=EMAIL_BLOCK)
    email = "mia@example.com"
    c.admin_create_user(UserPoolId=p.id, Username="mia", MessageAction="SUPPRESS",
                        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"},
                                        {"Name": "phone_number", "Value": PHONE}])
    c.admin_set_user_password(UserPoolId=p.id, Username="mia", Password=PASSWORD, Permanent=True)
    c.admin_set_user_mfa_preference(UserPoolId=p.id, Username="mia", SMSMfaSettings={"Enabled": True},
                                    EmailMfaSettings={"Enabled": True})

    # E-mail: the code arrives at the SMTP server, from the pool's sender, with the pool's text.
    r = password_auth(c, p.client_id, "mia")
    assert r["ChallengeName"] == "SELECT_MFA_TYPE"
    r = select(c, p.client_id, r["Session"], "mia", "EMAIL_OTP")
    assert r["ChallengeName"] == "EMAIL_OTP"
    assert r["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    mail = smtp.last_to(email)
    assert mail.header("From") == DEVELOPER_EMAIL["From"]
    assert mail.subject == EMAIL_BLOCK["Subject"]
    code = mail.code
    assert code and f"Your e-mail code is {code}" in (mail.text or "")
    with raises("CodeMismatchException"):
        answer(c, p.client_id, "EMAIL_OTP", r["Session"], "mia", wrong(code))
    assert_tokens(answer(c, p.client_id, "EMAIL_OTP", r["Session"], "mia", code))

    # SMS: the code is POSTed to the hook, signed (the receiver checks the HMAC), masked in the
    # challenge as Cognito masks it, and signs in.
    r = password_auth(c, p.client_id, "mia")
    r = select(c, p.client_id, r["Session"], "mia", "SMS_MFA")
    assert r["ChallengeName"] == "SMS_MFA"
    assert r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == MASKED_PHONE
    sms = hook.last_to(PHONE)
    assert sms["kind"] == "Authentication" and hook.bad_signatures == 0
    code = sms_code(sms)
    assert sms["message"] == SMS_BLOCK["SmsAuthenticationMessage"].replace("{####}", code)
    assert_tokens(answer(c, p.client_id, "SMS_MFA", r["Session"], "mia", code))

    # Nothing went to the development outbox, and no code reached the log.
    assert srv.outbox() == []
    log = srv.log_path.read_text()
    assert mail.code not in log and code not in log
