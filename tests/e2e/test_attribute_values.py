"""Attribute values checked against the schema on every write path: SignUp, AdminCreateUser,
UpdateUserAttributes, AdminUpdateUserAttributes and the NEW_PASSWORD_REQUIRED answer. Types,
lengths, number ranges, boolean and date formats; a blank value deletes the attribute."""

import json

import pytest

from conftest import OTHER_PASSWORD, PASSWORD, attr_dict, raises

PREFIX = "Attributes did not conform to the schema: "

SCHEMA = [
    {"Name": "code", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "4"}},
    {"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
    {"Name": "vip", "AttributeDataType": "Boolean"},
    {"Name": "joined", "AttributeDataType": "DateTime"},
    {"Name": "note", "AttributeDataType": "String"},
]

# (attribute, bad value, the line Cognate reports for it)
BAD_VALUES = [
    ("custom:code", "x", "custom:code: String must be no shorter than 2 characters."),
    ("custom:code", "toolong", "custom:code: String must be no longer than 4 characters."),
    ("custom:age", "151", "custom:age: Number must be no greater than 150."),
    ("custom:age", "-1", "custom:age: Number must be no less than 0."),
    ("custom:age", "ten", "custom:age: Attribute value must be a whole number."),
    ("custom:vip", "yes", "custom:vip: Attribute value must be either true or false."),
    ("custom:joined", "last tuesday",
     "custom:joined: Attribute value must be a date and time in ISO 8601 format (YYYY-MM-DDThh:mm:ssZ)."),
    ("birthdate", "31.12.1990", "birthdate: Attribute value must be a date in the format YYYY-MM-DD."),
    ("birthdate", "1990-1-1", "birthdate: String must be no shorter than 10 characters."),
    ("updated_at", "-5", "updated_at: Number must be no less than 0."),
    ("email_verified", "maybe", "email_verified: Attribute value must be either true or false."),
    ("custom:nope", "x", "custom:nope: Attribute does not exist in the schema."),
]
IDS = [f"{a}={v[:12]}" for a, v, _ in BAD_VALUES]
GOOD = {"custom:code": "ab", "custom:age": "42", "custom:vip": "true", "custom:joined": "2024-05-06T07:08:09Z",
        "birthdate": "1990-12-31", "updated_at": "1700000000"}


@pytest.fixture
def vpool(make_pool):
    return make_pool(Schema=SCHEMA, client_kwargs={"flows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})


# Users never write a verified flag themselves (NotAuthorizedException, see test_security.py).
USER_WRITABLE = [(b, i) for b, i in zip(BAD_VALUES, IDS) if not b[0].endswith("_verified")]


@pytest.mark.parametrize("name,value,line", [b for b, _ in USER_WRITABLE], ids=[i for _, i in USER_WRITABLE])
def test_sign_up(vpool, name, value, line):
    with raises("InvalidParameterException", PREFIX + line + "\n"):
        vpool.sign_up("su", attributes={name: value})
    assert vpool.usernames() == []


@pytest.mark.parametrize("name,value,line", BAD_VALUES, ids=IDS)
def test_admin_create_user(vpool, name, value, line):
    with raises("InvalidParameterException", PREFIX + line + "\n"):
        vpool.create_user("ac", attributes={name: value})
    assert vpool.usernames() == []


@pytest.mark.parametrize("name,value,line", BAD_VALUES, ids=IDS)
def test_admin_update_user_attributes(vpool, cognito, name, value, line):
    vpool.create_user("au", attributes=GOOD)
    with raises("InvalidParameterException", PREFIX + line + "\n"):
        cognito.admin_update_user_attributes(UserPoolId=vpool.id, Username="au",
                                             UserAttributes=[{"Name": name, "Value": value}])
    assert {k: v for k, v in vpool.attrs("au").items() if k in GOOD} == GOOD


@pytest.mark.parametrize("name,value,line", [b for b, _ in USER_WRITABLE], ids=[i for _, i in USER_WRITABLE])
def test_update_user_attributes(vpool, cognito, name, value, line):
    vpool.create_user("uu", attributes=GOOD)
    token = vpool.sign_in("uu")["AccessToken"]
    with raises("InvalidParameterException", PREFIX + line + "\n"):
        cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": name, "Value": value}])
    assert {k: v for k, v in vpool.attrs("uu").items() if k in GOOD} == GOOD


def test_good_values_are_accepted_on_every_path(vpool, cognito):
    vpool.sign_up("s1", attributes=GOOD)
    vpool.create_user("a1", attributes=GOOD)
    cognito.admin_update_user_attributes(UserPoolId=vpool.id, Username="a1", UserAttributes=[
        {"Name": "custom:age", "Value": "150"}, {"Name": "custom:code", "Value": "abcd"},
        {"Name": "custom:joined", "Value": "2024-05-06"}])
    assert vpool.attrs("a1")["custom:age"] == "150"


def test_no_value_is_longer_than_2048_characters(vpool):
    """The service model already caps AttributeValueType at 2048 characters, before the schema."""
    for name in ("nickname", "custom:note"):
        with raises("InvalidParameterException", "1 validation error detected: Value at "
                    "'userAttributes.1.member.value' failed to satisfy constraint: Member must have length "
                    "less than or equal to 2048"):
            vpool.create_user("long", attributes={name: "n" * 2049})
    vpool.create_user("long", attributes={"nickname": "n" * 2048, "custom:note": "n" * 2048})


def test_every_offending_attribute_is_named(vpool):
    expected = PREFIX + "custom:code: String must be no longer than 4 characters.\n" \
        "custom:age: Attribute value must be a whole number.\n" \
        "custom:nope: Attribute does not exist in the schema.\n"
    with raises("InvalidParameterException", expected):
        vpool.cognito.admin_create_user(UserPoolId=vpool.id, Username="many", MessageAction="SUPPRESS", UserAttributes=[
            {"Name": "custom:code", "Value": "toolong"}, {"Name": "custom:age", "Value": "ten"},
            {"Name": "custom:nope", "Value": "x"}])


def test_email_and_phone_formats(vpool):
    with raises("InvalidParameterException", "Invalid email address format."):
        vpool.create_user("e1", attributes={"email": "not-an-email"})
    with raises("InvalidParameterException", "Invalid phone number format."):
        vpool.create_user("p1", attributes={"phone_number": "555-1234"})


# --------------------------------------------------------------------------- blank values

def test_blank_value_deletes_the_attribute(vpool, cognito):
    vpool.create_user("bl", attributes={"name": "Bea", "email": "bea@example.com", "email_verified": "true",
                                        "custom:note": "hi"})
    cognito.admin_update_user_attributes(UserPoolId=vpool.id, Username="bl", UserAttributes=[
        {"Name": "name", "Value": ""}, {"Name": "email", "Value": ""}])
    token = vpool.sign_in("bl")["AccessToken"]
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "custom:note", "Value": ""}])
    attrs = vpool.attrs("bl")
    for gone in ("name", "email", "email_verified", "custom:note"):
        assert gone not in attrs, gone


def test_blank_value_of_a_required_attribute_is_refused(make_pool, cognito):
    p = make_pool(Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}])
    p.create_user("req", attributes={"name": "Rex"})
    with raises("InvalidParameterException", PREFIX + "name: the attribute is required\n"):
        cognito.admin_update_user_attributes(UserPoolId=p.id, Username="req",
                                             UserAttributes=[{"Name": "name", "Value": ""}])
    assert p.attrs("req")["name"] == "Rex"


def test_blank_values_are_ignored_on_creation(vpool):
    vpool.create_user("bc", attributes={"name": "", "custom:note": ""})
    attrs = vpool.attrs("bc")
    assert "name" not in attrs and "custom:note" not in attrs


# --------------------------------------------------------------------------- NEW_PASSWORD_REQUIRED

@pytest.fixture
def rpool(make_pool):
    """Required name and family_name, a custom number; users created by an administrator."""
    return make_pool(Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True},
                             {"Name": "family_name", "AttributeDataType": "String", "Required": True},
                             {"Name": "age", "AttributeDataType": "Number",
                              "NumberAttributeConstraints": {"MaxValue": "150"}}])


def challenge(pool, username):
    r = pool.cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    return r


def answer(pool, r, username, **attributes):
    responses = {"USERNAME": username, "NEW_PASSWORD": OTHER_PASSWORD}
    responses.update({f"userAttributes.{k}": v for k, v in attributes.items()})
    return pool.cognito.respond_to_auth_challenge(ClientId=pool.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                                  Session=r["Session"], ChallengeResponses=responses)


def test_admin_create_user_may_leave_required_attributes_to_the_user(rpool):
    rpool.create_user("nr", status="FORCE_CHANGE_PASSWORD", attributes={"name": "Nia"})
    r = challenge(rpool, "nr")
    assert json.loads(r["ChallengeParameters"]["requiredAttributes"]) == ["userAttributes.family_name"]
    assert json.loads(r["ChallengeParameters"]["userAttributes"])["name"] == "Nia"


def test_missing_required_attributes_are_refused(rpool):
    rpool.create_user("nm", status="FORCE_CHANGE_PASSWORD")
    r = challenge(rpool, "nm")
    with raises("InvalidParameterException", "Invalid attributes given, name and family_name is missing"):
        answer(rpool, r, "nm")
    with raises("InvalidParameterException", "Invalid attributes given, family_name is missing"):
        answer(rpool, r, "nm", name="Noa")
    done = answer(rpool, r, "nm", name="Noa", family_name="Moe")
    assert "AuthenticationResult" in done
    assert attr_dict(rpool.get_user("nm")["UserAttributes"])["family_name"] == "Moe"


def test_required_attribute_with_a_value_cannot_be_changed(rpool):
    rpool.create_user("nc", status="FORCE_CHANGE_PASSWORD", attributes={"name": "Ned", "family_name": "Cox"})
    r = challenge(rpool, "nc")
    with raises("InvalidParameterException", "Cannot modify an already provided name"):
        answer(rpool, r, "nc", name="Ted")
    assert "AuthenticationResult" in answer(rpool, r, "nc", name="Ned")


def test_new_password_answer_values_are_checked(rpool):
    rpool.create_user("nv", status="FORCE_CHANGE_PASSWORD", attributes={"name": "Val", "family_name": "Ues"})
    r = challenge(rpool, "nv")
    with raises("InvalidParameterException", PREFIX + "custom:age: Number must be no greater than 150.\n"):
        answer(rpool, r, "nv", **{"custom:age": "200"})
    assert "AuthenticationResult" in answer(rpool, r, "nv", **{"custom:age": "20"})
    assert rpool.attrs("nv")["custom:age"] == "20"
