"""E-mail delivery over SMTP: a real SMTP server (aiosmtpd) receives what Cognate sends for
sign-up confirmation, password reset, invitations and attribute verification, with the pool's
templates, subjects and sender; failures answer CodeDeliveryFailureException and leave nothing
behind."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import OTHER_PASSWORD, PASSWORD, cognate_binary, create_pool, raises
from delivery_support import SmtpSink, free_port

FROM = "Cognate Test <noreply@cognate.test>"


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def mail_server(new_server, smtp):
    return new_server(extra_args=["--smtp-url", smtp.url, "--email-from", FROM])


@pytest.fixture
def cognito(mail_server):
    return mail_server.client()


def make_pool(cognito, server, **kwargs):
    p = create_pool(cognito, server, **kwargs)
    p.client_id = p.create_client()["ClientId"]
    return p


def test_start_log_names_each_channel(mail_server, smtp):
    log = mail_server.log_path.read_text()
    assert "e-mail messages go to SMTP" in log and smtp.url in log
    assert "SMS messages go to the outbox file" in log


def test_sign_up_code_arrives_with_the_pools_html_template_and_sender(cognito, mail_server, smtp):
    p = make_pool(
        cognito, mail_server,
        VerificationMessageTemplate={
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailSubject": "Welcome to Example",
            "EmailMessage": "<p>Hello,</p><p>your code is <b>{####}</b>&nbsp;!</p>",
        },
        EmailConfiguration={
            "EmailSendingAccount": "DEVELOPER",
            "From": "Example <hello@example.org>",
            "ReplyToEmailAddress": "support@example.org",
            "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.org",
        },
    )
    # SourceArn and the sender are stored and echoed.
    ec = p.describe()["EmailConfiguration"]
    assert ec["SourceArn"] == "arn:aws:ses:us-east-1:000000000000:identity/example.org"
    assert ec["From"] == "Example <hello@example.org>"

    r = p.sign_up("alice", attributes={"email": "alice@example.com"})
    assert r["CodeDeliveryDetails"] == {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL",
                                        "AttributeName": "email"}
    mail = smtp.last_to("alice@example.com")
    assert mail.rcpt_tos == ["alice@example.com"]
    assert mail.mail_from == "hello@example.org"
    assert mail.header("From") == "Example <hello@example.org>"
    assert mail.header("Reply-To") == "support@example.org"
    assert mail.subject == "Welcome to Example"
    code = mail.code
    assert code and len(code) == 6 and code.isdigit()
    assert mail.html == f"<p>Hello,</p><p>your code is <b>{code}</b>&nbsp;!</p>"
    assert mail.text == f"Hello,\n\nyour code is {code} !"
    # A real channel is configured for e-mail: the outbox keeps no copy of the code.
    assert mail_server.outbox() == []
    cognito.confirm_sign_up(ClientId=p.client_id, Username="alice", ConfirmationCode=code)
    assert p.get_user("alice")["UserStatus"] == "CONFIRMED"
    assert code not in mail_server.log_path.read_text()


def test_defaults_and_forgot_password(cognito, mail_server, smtp):
    p = make_pool(cognito, mail_server)
    p.create_user("bob", attributes={"email": "bob@example.com", "email_verified": "true"})
    r = cognito.forgot_password(ClientId=p.client_id, Username="bob")
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    mail = smtp.last_to("bob@example.com")
    assert mail.header("From") == FROM
    assert mail.header("Reply-To") is None
    assert mail.subject == "Your verification code"
    assert mail.text == f"Your verification code is {mail.code}."
    assert mail.html is None
    assert mail.msg.get_content_type() == "text/plain"
    cognito.confirm_forgot_password(ClientId=p.client_id, Username="bob", ConfirmationCode=mail.code,
                                    Password=OTHER_PASSWORD)
    p.sign_in("bob", OTHER_PASSWORD)
    # ResendConfirmationCode and GetUserAttributeVerificationCode go the same way.
    p.sign_up("carol", attributes={"email": "carol@example.com"})
    first = smtp.last_to("carol@example.com").code
    cognito.resend_confirmation_code(ClientId=p.client_id, Username="carol")
    second = smtp.last_to("carol@example.com").code
    assert len(smtp.to("carol@example.com")) == 2
    cognito.confirm_sign_up(ClientId=p.client_id, Username="carol", ConfirmationCode=second)
    assert first is not None


def test_invitation_send_resend_suppress(cognito, mail_server, smtp):
    p = make_pool(
        cognito, mail_server,
        AdminCreateUserConfig={"InviteMessageTemplate": {
            "EmailSubject": "You are invited",
            "EmailMessage": "Hi {username}, your temporary password is {####}",
        }},
    )
    cognito.admin_create_user(UserPoolId=p.id, Username="dave",
                              UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
                              DesiredDeliveryMediums=["EMAIL"])
    mail = smtp.last_to("dave@example.com")
    assert mail.subject == "You are invited"
    temporary = mail.text.rsplit(" ", 1)[1]
    assert mail.text == f"Hi dave, your temporary password is {temporary}"
    r = cognito.initiate_auth(ClientId=p.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "dave", "PASSWORD": temporary})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    cognito.admin_create_user(UserPoolId=p.id, Username="dave", MessageAction="RESEND",
                              DesiredDeliveryMediums=["EMAIL"])
    mails = smtp.to("dave@example.com")
    assert len(mails) == 2
    again = mails[-1].text.rsplit(" ", 1)[1]
    assert again != temporary
    with raises("NotAuthorizedException"):
        p.sign_in("dave", temporary)

    # SUPPRESS sends nothing.
    cognito.admin_create_user(UserPoolId=p.id, Username="erin", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": "erin@example.com"}])
    assert smtp.to("erin@example.com") == []
    # RESEND for a user who is not in FORCE_CHANGE_PASSWORD.
    p.create_user("frank", attributes={"email": "frank@example.com"})
    with raises("UnsupportedUserStateException",
                "Resend not possible. frank status is not FORCE_CHANGE_PASSWORD"):
        cognito.admin_create_user(UserPoolId=p.id, Username="frank", MessageAction="RESEND")
    assert smtp.to("frank@example.com") == []


def test_attribute_updates_send_a_verification_code(cognito, mail_server, smtp):
    p = make_pool(cognito, mail_server)
    p.create_user("gina", attributes={"email": "gina@example.com", "email_verified": "true"})
    # Administrator: a changed email is sent a code...
    cognito.admin_update_user_attributes(UserPoolId=p.id, Username="gina",
                                         UserAttributes=[{"Name": "email", "Value": "gina2@example.com"}])
    mail = smtp.last_to("gina2@example.com")
    assert mail.subject == "Your verification code"
    assert p.attrs("gina")["email_verified"] == "false"
    tokens = p.sign_in("gina")
    cognito.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="email", Code=mail.code)
    assert p.attrs("gina")["email_verified"] == "true"
    # ...unless the same call marks it verified.
    cognito.admin_update_user_attributes(UserPoolId=p.id, Username="gina", UserAttributes=[
        {"Name": "email", "Value": "gina3@example.com"}, {"Name": "email_verified", "Value": "true"}])
    assert smtp.to("gina3@example.com") == []
    # The user changing it: a code, through the same channel.
    r = cognito.update_user_attributes(AccessToken=tokens["AccessToken"],
                                       UserAttributes=[{"Name": "email", "Value": "gina4@example.com"}])
    assert r["CodeDeliveryDetailsList"][0]["Destination"] == "g***@e***.com"
    code = smtp.last_to("gina4@example.com").code
    cognito.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="email", Code=code)
    # GetUserAttributeVerificationCode.
    cognito.get_user_attribute_verification_code(AccessToken=tokens["AccessToken"], AttributeName="email")
    assert len(smtp.to("gina4@example.com")) == 2
    # A pool that does not verify email automatically sends nothing on a change.
    q = make_pool(cognito, mail_server, AutoVerifiedAttributes=[])
    q.create_user("hank", attributes={"email": "hank@example.com"})
    cognito.admin_update_user_attributes(UserPoolId=q.id, Username="hank",
                                         UserAttributes=[{"Name": "email", "Value": "hank2@example.com"}])
    assert smtp.to("hank2@example.com") == []


def test_transient_failures_are_retried(cognito, mail_server, smtp):
    p = make_pool(cognito, mail_server)
    smtp.fail_data = 2
    p.sign_up("ivan", attributes={"email": "ivan@example.com"})
    assert smtp.data_attempts == 3
    code = smtp.last_to("ivan@example.com").code
    cognito.confirm_sign_up(ClientId=p.client_id, Username="ivan", ConfirmationCode=code)


def test_refused_mail_fails_and_leaves_nothing_behind(cognito, mail_server, smtp):
    p = make_pool(cognito, mail_server)
    smtp.refuse_rcpt = True
    with raises("CodeDeliveryFailureException", "Invalid email provided/Unable to send the email"):
        p.sign_up("judy", attributes={"email": "judy@example.com"})
    with raises("UserNotFoundException"):
        p.get_user("judy")
    with raises("CodeDeliveryFailureException"):
        cognito.admin_create_user(UserPoolId=p.id, Username="kim", DesiredDeliveryMediums=["EMAIL"],
                                  UserAttributes=[{"Name": "email", "Value": "kim@example.com"}])
    with raises("UserNotFoundException"):
        p.get_user("kim")
    # A permanent refusal is not retried.
    assert smtp.data_attempts == 0
    # Once mail goes through, the same sign-up works.
    smtp.refuse_rcpt = False
    p.sign_up("judy", attributes={"email": "judy@example.com"})
    assert smtp.last_to("judy@example.com").code


def test_unreachable_smtp_server_fails_and_withdraws_the_code(new_server):
    srv = new_server(extra_args=["--smtp-url", f"smtp://127.0.0.1:{free_port()}", "--delivery-timeout", "2"])
    cognito = srv.client()
    p = make_pool(cognito, srv)
    p.create_user("lena", attributes={"email": "lena@example.com", "email_verified": "true"})
    with raises("CodeDeliveryFailureException", "Invalid email provided/Unable to send the email"):
        cognito.forgot_password(ClientId=p.client_id, Username="lena")
    # No code was left: any code is "expired", not "mismatched".
    with raises("ExpiredCodeException"):
        cognito.confirm_forgot_password(ClientId=p.client_id, Username="lena", ConfirmationCode="123456",
                                        Password=OTHER_PASSWORD)
    with raises("CodeDeliveryFailureException"):
        p.sign_up("mia", attributes={"email": "mia@example.com"})
    with raises("UserNotFoundException"):
        p.get_user("mia")
    log = srv.log_path.read_text()
    assert "delivery failed, retrying" in log
    assert srv.outbox() == []
    p.sign_in("lena", PASSWORD)


def test_smtp_login_with_the_password_from_a_file(new_server, tmp_path):
    sink = SmtpSink(require_auth=("cognate", "smtp-pass-123")).start()
    try:
        pw = tmp_path / "smtp.pw"
        pw.write_text("smtp-pass-123\n")
        srv = new_server(extra_args=["--smtp-url", sink.url, "--smtp-username", "cognate",
                                     "--smtp-password-file", str(pw)])
        cognito = srv.client()
        p = make_pool(cognito, srv)
        p.sign_up("nina", attributes={"email": "nina@example.com"})
        assert sink.logins[-1] == ("cognate", "smtp-pass-123")
        assert sink.last_to("nina@example.com").code
        assert "smtp-pass-123" not in srv.log_path.read_text()
        # The wrong password: this server then stops answering, so the attempt times out (one
        # attempt, as it used the whole --delivery-timeout); the sign-up leaves no user.
        pw.write_text("wrong\n")
        srv.extra_args += ["--delivery-timeout", "2"]
        srv.restart()
        cognito = srv.client()
        with raises("CodeDeliveryFailureException"):
            p.sign_up("olga", attributes={"email": "olga@example.com"})
        with raises("UserNotFoundException"):
            p.get_user("olga")
    finally:
        sink.stop()


def test_starttls_required_is_enforced(new_server, smtp):
    # The test server offers no STARTTLS: with ?tls=required nothing is sent in clear.
    srv = new_server(extra_args=["--smtp-url", smtp.url + "?tls=required"])
    cognito = srv.client()
    p = make_pool(cognito, srv)
    with raises("CodeDeliveryFailureException"):
        p.sign_up("pat", attributes={"email": "pat@example.com"})
    assert smtp.mails == []


def test_credentials_in_the_url_are_refused(tmp_path):
    out = subprocess.run([str(cognate_binary()), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path),
                          "--smtp-url", "smtp://user:secret@127.0.0.1:25"],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                         env={k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")})
    assert out.returncode != 0
    assert "must not carry credentials" in out.stderr
    assert "user:secret" not in out.stderr
