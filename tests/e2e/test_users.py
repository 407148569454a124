"""Users through boto3: sign-up and confirmation, admin creation, attributes, passwords, listing."""

import re

import jwt
import pytest

from conftest import OTHER_PASSWORD, PASSWORD, UUID_RE, attr_dict, raises

CODE_RE = re.compile(r"^\d{6}$")
POLICY_PREFIX = "Password did not conform with policy: "


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def status_of(pool, username):
    return pool.get_user(username)["UserStatus"]


# --------------------------------------------------------------------------- sign-up


def test_sign_up_and_confirm(pool, cognito):
    r = pool.sign_up("alice", attributes={"email": "alice@example.com", "name": "Alice"})
    assert r["UserConfirmed"] is False
    assert UUID_RE.match(r["UserSub"])
    cd = r["CodeDeliveryDetails"]
    assert cd["DeliveryMedium"] == "EMAIL"
    assert cd["AttributeName"] == "email"
    assert cd["Destination"] != "alice@example.com" and "***" in cd["Destination"]
    assert cd["Destination"].startswith("a")

    u = pool.get_user("alice")
    assert u["UserStatus"] == "UNCONFIRMED"
    assert u["Enabled"] is True
    attrs = attr_dict(u["UserAttributes"])
    assert attrs["sub"] == r["UserSub"]
    assert attrs["email"] == "alice@example.com"
    assert attrs["name"] == "Alice"
    assert attrs.get("email_verified", "false") == "false"

    msg = pool.last_message("alice", kind="SignUp")
    assert msg["medium"] == "EMAIL"
    assert msg["destination"] == "alice@example.com"
    assert CODE_RE.match(msg["code"])
    assert msg["code"] in msg["message"]

    cognito.confirm_sign_up(ClientId=pool.client_id, Username="alice", ConfirmationCode=msg["code"])
    u = pool.get_user("alice")
    assert u["UserStatus"] == "CONFIRMED"
    assert attr_dict(u["UserAttributes"])["email_verified"] == "true"
    assert pool.sign_in("alice")["AccessToken"]


def test_sign_up_without_auto_verification_sends_nothing(make_pool):
    p = make_pool(AutoVerifiedAttributes=[])
    r = p.sign_up("quiet", attributes={"email": "quiet@example.com"})
    assert r["UserConfirmed"] is False
    assert "CodeDeliveryDetails" not in r
    assert p.messages("quiet") == []
    assert status_of(p, "quiet") == "UNCONFIRMED"


def test_sign_up_duplicate_username(pool):
    first = pool.sign_up("dup", attributes={"email": "dup@example.com"})
    with raises("UsernameExistsException", "User already exists"):
        pool.sign_up("dup", password=OTHER_PASSWORD, attributes={"email": "other@example.com"})
    u = pool.get_user("dup")
    assert attr_dict(u["UserAttributes"])["sub"] == first["UserSub"]
    assert attr_dict(u["UserAttributes"])["email"] == "dup@example.com"


@pytest.mark.parametrize("password,reason", [
    ("Sh0rt!", "Password not long enough"),
    ("lowercase1!x", "Password must have uppercase characters"),
    ("UPPERCASE1!X", "Password must have lowercase characters"),
    ("NoDigits!!x", "Password must have numeric characters"),
    ("NoSymbols11x", "Password must have symbol characters"),
])
def test_sign_up_password_policy(pool, password, reason):
    with raises("InvalidPasswordException", POLICY_PREFIX + reason):
        pool.sign_up("weak", password=password, attributes={"email": "weak@example.com"})
    assert pool.usernames() == []
    assert pool.messages("weak") == []


def test_sign_up_policy_can_be_relaxed(make_pool):
    p = make_pool(Policies={"PasswordPolicy": {"MinimumLength": 6, "RequireUppercase": False, "RequireLowercase": False,
                                               "RequireNumbers": False, "RequireSymbols": False}})
    assert p.sign_up("easy", password="simple", attributes={"email": "e@example.com"})["UserConfirmed"] is False


def test_confirm_sign_up_wrong_code(pool, cognito):
    pool.sign_up("bob", attributes={"email": "bob@example.com"})
    code = pool.last_message("bob", kind="SignUp")["code"]
    wrong = "000000" if code != "000000" else "111111"
    with raises("CodeMismatchException", "Invalid verification code provided, please try again."):
        cognito.confirm_sign_up(ClientId=pool.client_id, Username="bob", ConfirmationCode=wrong)
    assert status_of(pool, "bob") == "UNCONFIRMED"
    cognito.confirm_sign_up(ClientId=pool.client_id, Username="bob", ConfirmationCode=code)
    assert status_of(pool, "bob") == "CONFIRMED"


def test_confirm_sign_up_wrong_code_when_no_code_was_sent(make_pool, cognito):
    """A pool that verifies no attribute sends no code; a code is still a mismatch, not expired."""
    p = make_pool(AutoVerifiedAttributes=[])
    r = p.sign_up("nocode", attributes={"email": "nocode@example.com"})
    assert "CodeDeliveryDetails" not in r
    with raises("CodeMismatchException", "Invalid verification code provided, please try again."):
        cognito.confirm_sign_up(ClientId=p.client_id, Username="nocode", ConfirmationCode="123456")
    assert status_of(p, "nocode") == "UNCONFIRMED"


def test_confirm_sign_up_twice(pool, cognito):
    pool.sign_up("twice", attributes={"email": "twice@example.com"})
    code = pool.last_message("twice", kind="SignUp")["code"]
    cognito.confirm_sign_up(ClientId=pool.client_id, Username="twice", ConfirmationCode=code)
    with raises("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"):
        cognito.confirm_sign_up(ClientId=pool.client_id, Username="twice", ConfirmationCode=code)


def test_confirm_sign_up_unknown_user(pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.confirm_sign_up(ClientId=pool.client_id, Username="nobody", ConfirmationCode="123456")


def test_expired_confirmation_code(new_server):
    srv = new_server()
    c = srv.client()
    pid = c.create_user_pool(PoolName="exp", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    cid = c.create_user_pool_client(UserPoolId=pid, ClientName="c")["UserPoolClient"]["ClientId"]
    c.sign_up(ClientId=cid, Username="late", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "l@example.com"}])
    code = srv.last_message(pid, "late", kind="SignUp")["code"]
    srv.advance_clock(25 * 3600)  # codes are valid 24 h
    with raises("ExpiredCodeException", "Invalid code provided, please request a code again."):
        c.confirm_sign_up(ClientId=cid, Username="late", ConfirmationCode=code)
    assert c.admin_get_user(UserPoolId=pid, Username="late")["UserStatus"] == "UNCONFIRMED"


def test_resend_confirmation_code(pool, cognito):
    pool.sign_up("carol", attributes={"email": "carol@example.com"})
    first = pool.last_message("carol", kind="SignUp")
    r = cognito.resend_confirmation_code(ClientId=pool.client_id, Username="carol")
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert r["CodeDeliveryDetails"]["AttributeName"] == "email"
    again = pool.last_message("carol", kind="ResendConfirmationCode")
    assert CODE_RE.match(again["code"])
    assert again["destination"] == "carol@example.com"
    assert len(pool.messages("carol")) == 2
    assert first["code"]  # both messages exist
    cognito.confirm_sign_up(ClientId=pool.client_id, Username="carol", ConfirmationCode=again["code"])
    assert status_of(pool, "carol") == "CONFIRMED"
    with raises("InvalidParameterException", "User is already confirmed."):
        cognito.resend_confirmation_code(ClientId=pool.client_id, Username="carol")


def test_resend_confirmation_unknown_user(pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.resend_confirmation_code(ClientId=pool.client_id, Username="ghost")


def test_admin_confirm_sign_up(pool, cognito):
    pool.sign_up("dave", attributes={"email": "dave@example.com"})
    cognito.admin_confirm_sign_up(UserPoolId=pool.id, Username="dave")
    assert status_of(pool, "dave") == "CONFIRMED"
    assert pool.sign_in("dave")["IdToken"]
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_confirm_sign_up(UserPoolId=pool.id, Username="ghost")


# --------------------------------------------------------------------------- admin-created users


def test_admin_create_user_with_invitation(pool, cognito):
    u = cognito.admin_create_user(UserPoolId=pool.id, Username="erin",
                                  UserAttributes=[{"Name": "email", "Value": "erin@example.com"},
                                                  {"Name": "email_verified", "Value": "true"}],
                                  DesiredDeliveryMediums=["EMAIL"])["User"]
    assert u["Username"] == "erin"
    assert u["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert u["Enabled"] is True
    attrs = attr_dict(u["Attributes"])
    assert UUID_RE.match(attrs["sub"])
    assert attrs["email"] == "erin@example.com"
    assert "UserCreateDate" in u and "UserLastModifiedDate" in u

    msg = pool.last_message("erin", kind="AdminCreateUser")
    assert msg["destination"] == "erin@example.com"
    assert msg["medium"] == "EMAIL"
    temp = msg["code"]
    assert temp in msg["message"]
    # the generated temporary password follows the pool policy
    assert len(temp) >= 8 and re.search(r"[A-Z]", temp) and re.search(r"[a-z]", temp) and re.search(r"\d", temp)
    assert re.search(r"[^A-Za-z0-9]", temp)

    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "erin", "PASSWORD": temp})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_admin_create_user_suppress_writes_nothing(pool, cognito):
    u = cognito.admin_create_user(UserPoolId=pool.id, Username="frank", TemporaryPassword=PASSWORD,
                                  UserAttributes=[{"Name": "email", "Value": "frank@example.com"}],
                                  MessageAction="SUPPRESS")["User"]
    assert u["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert pool.messages("frank") == []
    assert pool.messages("frank@example.com") == []


def test_admin_create_user_resend(pool, cognito):
    cognito.admin_create_user(UserPoolId=pool.id, Username="gina",
                              UserAttributes=[{"Name": "email", "Value": "gina@example.com"},
                                              {"Name": "email_verified", "Value": "true"}])
    assert len(pool.messages("gina")) == 1
    cognito.admin_create_user(UserPoolId=pool.id, Username="gina", MessageAction="RESEND")
    assert len(pool.messages("gina")) == 2
    temp = pool.last_message("gina", kind="AdminCreateUser")["code"]
    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "gina", "PASSWORD": temp})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_create_user(UserPoolId=pool.id, Username="nobody", MessageAction="RESEND")


def test_admin_create_user_duplicate(pool, cognito):
    pool.create_user("henry", attributes={"name": "Henry"})
    with raises("UsernameExistsException"):
        cognito.admin_create_user(UserPoolId=pool.id, Username="henry", MessageAction="SUPPRESS",
                                  UserAttributes=[{"Name": "name", "Value": "Impostor"}])
    assert pool.attrs("henry")["name"] == "Henry"
    assert status_of(pool, "henry") == "CONFIRMED"


def test_admin_create_user_weak_temporary_password(pool, cognito):
    with raises("InvalidPasswordException", POLICY_PREFIX + "Password not long enough"):
        cognito.admin_create_user(UserPoolId=pool.id, Username="ivy", TemporaryPassword="Ab1!",
                                  MessageAction="SUPPRESS")
    with raises("UserNotFoundException"):
        pool.get_user("ivy")


def test_admin_get_user_and_get_user(pool, cognito):
    pool.create_user("jack", attributes={"email": "jack@example.com", "email_verified": "true", "name": "Jack"})
    u = pool.get_user("jack")
    assert u["Username"] == "jack"
    assert u["UserStatus"] == "CONFIRMED"
    assert u["Enabled"] is True
    assert u["UserLastModifiedDate"] >= u["UserCreateDate"]
    attrs = attr_dict(u["UserAttributes"])
    assert attrs["email"] == "jack@example.com" and attrs["name"] == "Jack" and attrs["email_verified"] == "true"

    tokens = pool.sign_in("jack")
    me = cognito.get_user(AccessToken=tokens["AccessToken"])
    assert me["Username"] == "jack"
    assert attr_dict(me["UserAttributes"]) == attrs


@pytest.mark.parametrize("call", [
    lambda c, pid: c.admin_get_user(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_delete_user(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_disable_user(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_enable_user(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_set_user_password(UserPoolId=pid, Username="ghost", Password=PASSWORD, Permanent=True),
    lambda c, pid: c.admin_reset_user_password(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_update_user_attributes(UserPoolId=pid, Username="ghost",
                                                  UserAttributes=[{"Name": "name", "Value": "x"}]),
    lambda c, pid: c.admin_delete_user_attributes(UserPoolId=pid, Username="ghost", UserAttributeNames=["name"]),
    lambda c, pid: c.admin_user_global_sign_out(UserPoolId=pid, Username="ghost"),
    lambda c, pid: c.admin_list_groups_for_user(UserPoolId=pid, Username="ghost"),
], ids=["get", "delete", "disable", "enable", "set_password", "reset_password", "update_attrs", "delete_attrs",
        "global_sign_out", "list_groups"])
def test_unknown_user(pool, cognito, call):
    with raises("UserNotFoundException", "User does not exist."):
        call(cognito, pool.id)


# --------------------------------------------------------------------------- attributes


def test_admin_update_and_delete_attributes(pool, cognito):
    pool.create_user("kate", attributes={"email": "kate@example.com", "name": "Kate"})
    sub = pool.attrs("kate")["sub"]
    cognito.admin_update_user_attributes(UserPoolId=pool.id, Username="kate", UserAttributes=[
        {"Name": "name", "Value": "Katherine"}, {"Name": "given_name", "Value": "Kat"}])
    attrs = pool.attrs("kate")
    assert attrs["name"] == "Katherine" and attrs["given_name"] == "Kat"
    assert attrs["sub"] == sub and attrs["email"] == "kate@example.com"
    cognito.admin_delete_user_attributes(UserPoolId=pool.id, Username="kate", UserAttributeNames=["given_name"])
    attrs = pool.attrs("kate")
    assert "given_name" not in attrs and attrs["name"] == "Katherine"


def test_sub_is_immutable(pool, cognito):
    pool.create_user("leo")
    sub = pool.attrs("leo")["sub"]
    with raises("InvalidParameterException"):
        cognito.admin_update_user_attributes(UserPoolId=pool.id, Username="leo", UserAttributes=[
            {"Name": "sub", "Value": "11111111-2222-3333-4444-555555555555"}])
    with raises("InvalidParameterException"):
        cognito.admin_delete_user_attributes(UserPoolId=pool.id, Username="leo", UserAttributeNames=["sub"])
    assert pool.attrs("leo")["sub"] == sub


def test_unknown_standard_attribute_rejected(pool, cognito):
    pool.create_user("mia", attributes={"name": "Mia"})
    with raises("InvalidParameterException"):
        cognito.admin_update_user_attributes(UserPoolId=pool.id, Username="mia", UserAttributes=[
            {"Name": "name", "Value": "Changed"}, {"Name": "favourite_colour", "Value": "red"}])
    assert pool.attrs("mia")["name"] == "Mia"


def test_self_update_and_delete_attributes(pool, cognito):
    pool.create_user("ned", attributes={"email": "ned@example.com", "email_verified": "true", "name": "Ned"})
    token = pool.sign_in("ned")["AccessToken"]
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Edward"},
                                                                     {"Name": "family_name", "Value": "Stark"}])
    attrs = pool.attrs("ned")
    assert attrs["name"] == "Edward" and attrs["family_name"] == "Stark"
    cognito.delete_user_attributes(AccessToken=token, UserAttributeNames=["family_name"])
    assert "family_name" not in pool.attrs("ned")
    me = attr_dict(cognito.get_user(AccessToken=token)["UserAttributes"])
    assert me["name"] == "Edward" and "family_name" not in me


def test_self_update_email_requires_verification(pool, cognito):
    pool.create_user("olga", attributes={"email": "olga@example.com", "email_verified": "true"})
    token = pool.sign_in("olga")["AccessToken"]
    r = cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "olga@new.example"}])
    details = r["CodeDeliveryDetailsList"]
    assert details[0]["AttributeName"] == "email" and details[0]["DeliveryMedium"] == "EMAIL"
    attrs = pool.attrs("olga")
    assert attrs["email"] == "olga@new.example"
    assert attrs["email_verified"] == "false"
    msg = pool.last_message("olga", kind="VerifyUserAttribute")
    assert msg["destination"] == "olga@new.example"
    assert CODE_RE.match(msg["code"])


# --------------------------------------------------------------------------- enable / disable / delete


def test_disable_enable(pool, cognito):
    pool.create_user("pat")
    cognito.admin_disable_user(UserPoolId=pool.id, Username="pat")
    assert pool.get_user("pat")["Enabled"] is False
    with raises("NotAuthorizedException", "User is disabled."):
        pool.sign_in("pat")
    cognito.admin_enable_user(UserPoolId=pool.id, Username="pat")
    assert pool.get_user("pat")["Enabled"] is True
    assert pool.sign_in("pat")["AccessToken"]


def test_admin_delete_user(pool, cognito):
    pool.create_user("quinn")
    pool.create_user("keeper")
    cognito.admin_delete_user(UserPoolId=pool.id, Username="quinn")
    with raises("UserNotFoundException", "User does not exist."):
        pool.get_user("quinn")
    assert pool.usernames() == ["keeper"]
    # the name is free again
    pool.create_user("quinn")
    assert status_of(pool, "quinn") == "CONFIRMED"


def test_delete_user_self(pool, cognito):
    pool.create_user("rita")
    token = pool.sign_in("rita")["AccessToken"]
    cognito.delete_user(AccessToken=token)
    with raises("UserNotFoundException", "User does not exist."):
        pool.get_user("rita")
    with pytest.raises(Exception) as e:
        cognito.get_user(AccessToken=token)
    assert e.value.response["Error"]["Code"] in ("NotAuthorizedException", "UserNotFoundException")


# --------------------------------------------------------------------------- passwords


def test_admin_set_user_password_permanent(pool, cognito):
    cognito.admin_create_user(UserPoolId=pool.id, Username="sam", MessageAction="SUPPRESS")
    assert status_of(pool, "sam") == "FORCE_CHANGE_PASSWORD"
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="sam", Password=PASSWORD, Permanent=True)
    assert status_of(pool, "sam") == "CONFIRMED"
    assert pool.sign_in("sam")["AccessToken"]


def test_admin_set_user_password_temporary(pool, cognito):
    pool.create_user("tina")
    cognito.admin_set_user_password(UserPoolId=pool.id, Username="tina", Password=OTHER_PASSWORD, Permanent=False)
    assert status_of(pool, "tina") == "FORCE_CHANGE_PASSWORD"
    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "tina", "PASSWORD": OTHER_PASSWORD})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with raises("NotAuthorizedException", "Incorrect username or password."):
        pool.sign_in("tina", PASSWORD)


def test_admin_set_user_password_policy(pool, cognito):
    pool.create_user("uma")
    with raises("InvalidPasswordException", POLICY_PREFIX + "Password must have numeric characters"):
        cognito.admin_set_user_password(UserPoolId=pool.id, Username="uma", Password="NoDigitsHere!", Permanent=True)
    assert pool.sign_in("uma")["AccessToken"]  # old password still valid


def test_change_password(pool, cognito):
    pool.create_user("vic")
    token = pool.sign_in("vic")["AccessToken"]
    with raises("NotAuthorizedException", "Incorrect username or password."):
        cognito.change_password(AccessToken=token, PreviousPassword="Wr0ng!Password", ProposedPassword=OTHER_PASSWORD)
    with raises("InvalidPasswordException", POLICY_PREFIX + "Password not long enough"):
        cognito.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="A1!a")
    assert pool.sign_in("vic", PASSWORD)
    cognito.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=OTHER_PASSWORD)
    with raises("NotAuthorizedException", "Incorrect username or password."):
        pool.sign_in("vic", PASSWORD)
    assert pool.sign_in("vic", OTHER_PASSWORD)["AccessToken"]


def test_forgot_password(pool, cognito):
    pool.create_user("walt", attributes={"email": "walt@example.com", "email_verified": "true"})
    r = cognito.forgot_password(ClientId=pool.client_id, Username="walt")
    cd = r["CodeDeliveryDetails"]
    assert cd["DeliveryMedium"] == "EMAIL" and cd["AttributeName"] == "email"
    msg = pool.last_message("walt", kind="ForgotPassword")
    assert msg["destination"] == "walt@example.com" and CODE_RE.match(msg["code"])
    wrong = "000000" if msg["code"] != "000000" else "111111"
    with raises("CodeMismatchException", "Invalid verification code provided, please try again."):
        cognito.confirm_forgot_password(ClientId=pool.client_id, Username="walt", ConfirmationCode=wrong,
                                        Password=OTHER_PASSWORD)
    with raises("InvalidPasswordException", POLICY_PREFIX + "Password not long enough"):
        cognito.confirm_forgot_password(ClientId=pool.client_id, Username="walt", ConfirmationCode=msg["code"],
                                        Password="Ab1!")
    assert pool.sign_in("walt", PASSWORD)  # nothing changed yet
    cognito.confirm_forgot_password(ClientId=pool.client_id, Username="walt", ConfirmationCode=msg["code"],
                                    Password=OTHER_PASSWORD)
    with raises("NotAuthorizedException", "Incorrect username or password."):
        pool.sign_in("walt", PASSWORD)
    assert pool.sign_in("walt", OTHER_PASSWORD)["AccessToken"]


def test_forgot_password_without_verified_contact(pool, cognito):
    pool.create_user("xena", attributes={"email": "xena@example.com"})  # email not verified
    with raises("InvalidParameterException",
                "Cannot reset password for the user as there is no registered/verified email or phone_number"):
        cognito.forgot_password(ClientId=pool.client_id, Username="xena")
    assert pool.messages("xena") == []


def test_forgot_password_unknown_user(pool, cognito):
    with raises("UserNotFoundException", "User does not exist."):
        cognito.forgot_password(ClientId=pool.client_id, Username="ghost")


def test_forgot_password_unknown_user_hidden_when_prevent_enabled(make_pool, cognito):
    p = make_pool(client_kwargs={"PreventUserExistenceErrors": "ENABLED"})
    r = cognito.forgot_password(ClientId=p.client_id, Username="ghost")
    assert r["CodeDeliveryDetails"]["DeliveryMedium"] in ("EMAIL", "SMS")
    assert p.usernames() == []


def test_admin_reset_user_password(pool, cognito):
    pool.create_user("yuri", attributes={"email": "yuri@example.com", "email_verified": "true"})
    cognito.admin_reset_user_password(UserPoolId=pool.id, Username="yuri")
    assert status_of(pool, "yuri") == "RESET_REQUIRED"
    msg = pool.last_message("yuri", kind="AdminResetUserPassword")
    assert CODE_RE.match(msg["code"])
    with raises("PasswordResetRequiredException", "Password reset required for the user"):
        pool.sign_in("yuri", PASSWORD)
    cognito.confirm_forgot_password(ClientId=pool.client_id, Username="yuri", ConfirmationCode=msg["code"],
                                    Password=OTHER_PASSWORD)
    assert status_of(pool, "yuri") == "CONFIRMED"
    assert pool.sign_in("yuri", OTHER_PASSWORD)["AccessToken"]


# --------------------------------------------------------------------------- ListUsers


@pytest.fixture
def populated(pool, cognito):
    pool.create_user("alice", attributes={"email": "alice@example.com", "name": "Alice"})
    pool.create_user("alina", attributes={"email": "alina@example.org", "name": "Alina"})
    pool.create_user("bob", attributes={"email": "bob@example.com", "name": "Bob"})
    cognito.admin_disable_user(UserPoolId=pool.id, Username="bob")
    pool.sign_up("carl", attributes={"email": "carl@example.com"})
    return pool


@pytest.mark.parametrize("flt,expected", [
    ('email = "alice@example.com"', ["alice"]),
    ('email ^= "ali"', ["alice", "alina"]),
    ('email ^= "nobody"', []),
    ('username = "bob"', ["bob"]),
    ('username ^= "al"', ["alice", "alina"]),
    ('name = "Alina"', ["alina"]),
    ('status = "Disabled"', ["bob"]),
    ('status = "Enabled"', ["alice", "alina", "carl"]),
    ('cognito:user_status = "UNCONFIRMED"', ["carl"]),
    ('cognito:user_status = "CONFIRMED"', ["alice", "alina", "bob"]),
    ("", ["alice", "alina", "bob", "carl"]),
])
def test_list_users_filter(populated, cognito, flt, expected):
    r = cognito.list_users(UserPoolId=populated.id, Filter=flt)
    assert sorted(u["Username"] for u in r["Users"]) == expected


def test_list_users_filter_by_sub(populated, cognito):
    sub = populated.attrs("alina")["sub"]
    r = cognito.list_users(UserPoolId=populated.id, Filter=f'sub = "{sub}"')
    assert [u["Username"] for u in r["Users"]] == ["alina"]


@pytest.mark.parametrize("flt", ['email = alice@example.com', 'email ~ "a"', 'custom:nope = "x"', 'email = "a" and name = "b"'])
def test_list_users_bad_filter(populated, cognito, flt):
    with raises("InvalidParameterException"):
        cognito.list_users(UserPoolId=populated.id, Filter=flt)


def test_list_users_shape(populated, cognito):
    users = {u["Username"]: u for u in cognito.list_users(UserPoolId=populated.id)["Users"]}
    assert users["bob"]["Enabled"] is False
    assert users["carl"]["UserStatus"] == "UNCONFIRMED"
    assert users["alice"]["UserStatus"] == "CONFIRMED"
    assert attr_dict(users["alice"]["Attributes"])["email"] == "alice@example.com"
    assert {"UserCreateDate", "UserLastModifiedDate"} <= set(users["alice"])


def test_list_users_pagination(populated, cognito):
    seen, token, pages = [], None, 0
    while True:
        kw = {"PaginationToken": token} if token else {}
        r = cognito.list_users(UserPoolId=populated.id, Limit=3, **kw)
        assert len(r["Users"]) <= 3
        seen += [u["Username"] for u in r["Users"]]
        pages += 1
        token = r.get("PaginationToken")
        if not token:
            break
        assert pages < 10
    assert sorted(seen) == ["alice", "alina", "bob", "carl"]
    assert pages == 2


def test_list_users_attributes_to_get(populated, cognito):
    r = cognito.list_users(UserPoolId=populated.id, AttributesToGet=["email"])
    for u in r["Users"]:
        assert [a["Name"] for a in u["Attributes"]] == ["email"]
    with raises("InvalidParameterException"):
        cognito.list_users(UserPoolId=populated.id, AttributesToGet=["no_such_attribute"])


# --------------------------------------------------------------------------- email as username / aliases


def test_email_as_username(make_pool, cognito):
    p = make_pool(UsernameAttributes=["email"])
    r = p.sign_up("eve@example.com")
    assert r["UserConfirmed"] is False
    u = p.get_user("eve@example.com")
    assert UUID_RE.match(u["Username"]), u["Username"]
    assert u["Username"] != "eve@example.com"
    assert attr_dict(u["UserAttributes"])["email"] == "eve@example.com"
    assert attr_dict(u["UserAttributes"])["sub"] == r["UserSub"]
    assert p.usernames() == [u["Username"]]

    msg = p.last_message(destination="eve@example.com", kind="SignUp")
    cognito.confirm_sign_up(ClientId=p.client_id, Username="eve@example.com", ConfirmationCode=msg["code"])
    tokens = p.sign_in("eve@example.com")
    idc = claims(tokens["IdToken"])
    assert idc["cognito:username"] == u["Username"]
    assert idc["email"] == "eve@example.com"
    assert claims(tokens["AccessToken"])["username"] == u["Username"]

    with raises("UsernameExistsException"):
        p.sign_up("eve@example.com", password=OTHER_PASSWORD)
    with raises("InvalidParameterException"):
        p.sign_up("not-an-email")
    assert len(p.usernames()) == 1


def test_email_as_username_admin_create(make_pool, cognito):
    p = make_pool(UsernameAttributes=["email"])
    u = cognito.admin_create_user(UserPoolId=p.id, Username="fay@example.com", TemporaryPassword=PASSWORD,
                                  MessageAction="SUPPRESS")["User"]
    assert UUID_RE.match(u["Username"])
    assert attr_dict(u["Attributes"])["email"] == "fay@example.com"
    cognito.admin_set_user_password(UserPoolId=p.id, Username="fay@example.com", Password=PASSWORD, Permanent=True)
    assert p.sign_in("fay@example.com")["AccessToken"]
    r = cognito.list_users(UserPoolId=p.id, Filter='email = "fay@example.com"')
    assert [x["Username"] for x in r["Users"]] == [u["Username"]]


def test_alias_sign_in(make_pool, cognito):
    p = make_pool(AliasAttributes=["email"])
    p.create_user("gus", attributes={"email": "gus@example.com", "email_verified": "true"})
    tokens = p.sign_in("gus@example.com")
    assert claims(tokens["IdToken"])["cognito:username"] == "gus"
    assert p.get_user("gus@example.com")["Username"] == "gus"


def test_unverified_alias_cannot_sign_in(make_pool):
    p = make_pool(AliasAttributes=["email"])
    p.create_user("hal", attributes={"email": "hal@example.com"})  # not verified
    with raises("UserNotFoundException", "User does not exist."):
        p.sign_in("hal@example.com")
    assert p.sign_in("hal")["AccessToken"]
