"""SMS delivery through the webhook: each message is a JSON POST signed with HMAC-SHA256 over
the body, received here by a real HTTP server that checks the signature. E-mail still goes to
the outbox file when only the hook is configured."""

from __future__ import annotations

import pytest

from conftest import PASSWORD, create_pool, raises
from delivery_support import SmsHook, SmtpSink, sign, sms_code

SECRET = "hook-secret-for-tests"


@pytest.fixture
def hook():
    h = SmsHook(SECRET).start()
    yield h
    h.stop()


@pytest.fixture
def sms_server(new_server, hook):
    return new_server(extra_args=["--sms-webhook-url", hook.url], env={"COGNATE_SMS_WEBHOOK_SECRET": SECRET})


@pytest.fixture
def cognito(sms_server):
    return sms_server.client()


def make_pool(cognito, server, **kwargs):
    kwargs.setdefault("AutoVerifiedAttributes", ["phone_number"])
    p = create_pool(cognito, server, **kwargs)
    p.client_id = p.create_client()["ClientId"]
    return p


def test_start_log_names_each_channel(sms_server, hook):
    log = sms_server.log_path.read_text()
    assert "SMS messages go to the webhook" in log and hook.url in log
    assert "e-mail messages go to the outbox file" in log
    assert SECRET not in log


def test_sign_up_code_is_posted_signed_with_the_pools_message(cognito, sms_server, hook):
    p = make_pool(
        cognito, sms_server,
        SmsVerificationMessage="Example code: {####}",
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::000000000000:role/sms", "ExternalId": "ext-1",
                          "SnsRegion": "eu-west-1"},
    )
    r = p.sign_up("alice", attributes={"phone_number": "+12065551212"})
    assert r["CodeDeliveryDetails"] == {"Destination": "+*******1212", "DeliveryMedium": "SMS",
                                        "AttributeName": "phone_number"}
    assert hook.bad_signatures == 0
    msg = hook.last_to("+12065551212")
    code = sms_code(msg)
    assert msg["message"] == f"Example code: {code}"
    assert msg["kind"] == "SignUp"
    assert msg["pool_id"] == p.id
    assert msg["username"] == "alice"
    assert msg["user_sub"] == r["UserSub"]
    assert msg["sms_configuration"] == {"SnsCallerArn": "arn:aws:iam::000000000000:role/sms",
                                        "ExternalId": "ext-1", "SnsRegion": "eu-west-1"}
    assert msg["_content_type"] == "application/json"
    assert isinstance(msg["time"], float)
    # The SMS went to the hook, not the outbox.
    assert sms_server.outbox() == []
    cognito.confirm_sign_up(ClientId=p.client_id, Username="alice", ConfirmationCode=code)
    assert p.attrs("alice")["phone_number_verified"] == "true"
    assert code not in sms_server.log_path.read_text()


def test_signature_is_checked_by_the_receiver(new_server, hook):
    # A server signing with another secret: the receiver refuses (401, permanent), the call fails.
    srv = new_server(extra_args=["--sms-webhook-url", hook.url], env={"COGNATE_SMS_WEBHOOK_SECRET": "wrong"})
    cognito = srv.client()
    p = make_pool(cognito, srv)
    with raises("CodeDeliveryFailureException"):
        p.sign_up("bob", attributes={"phone_number": "+12065550000"})
    assert hook.bad_signatures == 1 and hook.received == []
    assert sign(SECRET, b"{}") != sign("wrong", b"{}")


def test_secret_from_a_file(new_server, hook, tmp_path):
    secret_file = tmp_path / "hook.secret"
    secret_file.write_text(SECRET + "\n")
    srv = new_server(extra_args=["--sms-webhook-url", hook.url, "--sms-webhook-secret-file", str(secret_file)])
    cognito = srv.client()
    p = make_pool(cognito, srv)
    p.sign_up("carl", attributes={"phone_number": "+12065550001"})
    assert hook.bad_signatures == 0 and sms_code(hook.last_to("+12065550001"))


def test_email_still_goes_to_the_outbox(cognito, sms_server, hook):
    p = make_pool(cognito, sms_server, AutoVerifiedAttributes=["email"])
    p.sign_up("dora", attributes={"email": "dora@example.com"})
    assert p.last_message("dora", kind="SignUp")["code"]
    assert hook.received == []


def test_invitation_by_sms_resend_and_suppress(cognito, sms_server, hook):
    p = make_pool(cognito, sms_server, AdminCreateUserConfig={"InviteMessageTemplate": {
        "SMSMessage": "User {username}, temporary password is {####}"}})
    cognito.admin_create_user(UserPoolId=p.id, Username="eve", DesiredDeliveryMediums=["SMS"],
                              UserAttributes=[{"Name": "phone_number", "Value": "+12065550002"},
                                              {"Name": "email", "Value": "eve@example.com"}])
    msg = hook.last_to("+12065550002")
    assert msg["kind"] == "AdminCreateUser"
    temporary = sms_code(msg)
    assert msg["message"] == f"User eve, temporary password is {temporary}"
    # SMS only: no e-mail in the outbox.
    assert p.messages("eve") == []
    r = cognito.initiate_auth(ClientId=p.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "eve", "PASSWORD": temporary})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    cognito.admin_create_user(UserPoolId=p.id, Username="eve", MessageAction="RESEND",
                              DesiredDeliveryMediums=["SMS", "EMAIL"])
    assert len(hook.to("+12065550002")) == 2
    again = sms_code(hook.last_to("+12065550002"))
    assert again != temporary
    # Both mediums: the e-mail (outbox here) carries the same temporary password.
    assert p.last_message("eve", kind="AdminCreateUser")["code"] == again
    cognito.admin_create_user(UserPoolId=p.id, Username="fay", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "phone_number", "Value": "+12065550003"}])
    assert hook.to("+12065550003") == []


def test_phone_update_sends_a_code(cognito, sms_server, hook):
    p = make_pool(cognito, sms_server)
    p.create_user("gus", attributes={"phone_number": "+12065550004", "phone_number_verified": "true"})
    cognito.admin_update_user_attributes(UserPoolId=p.id, Username="gus",
                                         UserAttributes=[{"Name": "phone_number", "Value": "+12065550005"}])
    msg = hook.last_to("+12065550005")
    assert msg["kind"] == "VerifyUserAttribute"
    tokens = p.sign_in("gus", PASSWORD)
    cognito.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="phone_number",
                                  Code=sms_code(msg))
    assert p.attrs("gus")["phone_number_verified"] == "true"


def test_failing_hook_is_retried_then_fails_leaving_no_user(cognito, sms_server, hook):
    p = make_pool(cognito, sms_server)
    hook.status = 503
    with raises("CodeDeliveryFailureException", "Unable to send the SMS message"):
        p.sign_up("hal", attributes={"phone_number": "+12065550006"})
    assert hook.attempts == 3
    with raises("UserNotFoundException"):
        p.get_user("hal")
    # A 4xx answer is not retried.
    hook.status = 400
    with raises("CodeDeliveryFailureException"):
        cognito.admin_create_user(UserPoolId=p.id, Username="ida", DesiredDeliveryMediums=["SMS"],
                                  UserAttributes=[{"Name": "phone_number", "Value": "+12065550007"}])
    assert hook.attempts == 4
    with raises("UserNotFoundException"):
        p.get_user("ida")
    hook.status = 200
    p.sign_up("hal", attributes={"phone_number": "+12065550006"})
    assert sms_code(hook.last_to("+12065550006"))


def test_both_channels_together(new_server, hook):
    smtp = SmtpSink().start()
    try:
        srv = new_server(extra_args=["--sms-webhook-url", hook.url, "--smtp-url", smtp.url],
                         env={"COGNATE_SMS_WEBHOOK_SECRET": SECRET})
        cognito = srv.client()
        p = make_pool(cognito, srv)
        cognito.admin_create_user(UserPoolId=p.id, Username="jo", DesiredDeliveryMediums=["EMAIL", "SMS"],
                                  UserAttributes=[{"Name": "phone_number", "Value": "+12065550008"},
                                                  {"Name": "email", "Value": "jo@example.com"}])
        by_sms = sms_code(hook.last_to("+12065550008"))
        assert smtp.last_to("jo@example.com").code == by_sms
        assert srv.outbox() == []
    finally:
        smtp.stop()
