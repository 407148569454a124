"""DescribeUserPool of a pool created with only a name, member by member against what AWS
documents and returns, and UpdateUserPool's replace semantics.

Sources named in the comments:
  [model]   the service model's documentation strings (shared/reference/cognito-idp.service-2.json)
  [cli]     the AWS CLI's own examples, awscli/examples/cognito-idp/create-user-pool.rst
            ("To create a minimally configured user pool") and describe-user-pool.rst
  [api]     CreateUserPool / DescribeUserPool responses of pools created through the API with
            only a few settings, as published in AWS CLI and boto3 output (2024-2025)
"""

import datetime as dt
import re

import pytest

from conftest import PASSWORD, raw_call, unique

POOL_ID_RE = re.compile(r"^us-east-1_[0-9A-Za-z]{9}$")


def string_attr(name, min_len="0", max_len="2048", mutable=True, required=False):
    return {"Name": name, "AttributeDataType": "String", "DeveloperOnlyAttribute": False,
            "Mutable": mutable, "Required": required,
            "StringAttributeConstraints": {"MinLength": min_len, "MaxLength": max_len}}


def boolean_attr(name):
    return {"Name": name, "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": False,
            "Mutable": True, "Required": False}


# [cli] create-user-pool.rst, minimal pool: all 20 standard attributes in this order; [api] the
# same list in every DescribeUserPool of an API-created pool. `sub` is 1-2048, immutable and
# required; birthdate is exactly 10 characters (YYYY-MM-DD); the verified flags are booleans
# without constraints; updated_at is a number with MinValue "0". Constraint values are strings
# [model: StringAttributeConstraintsType, NumberAttributeConstraintsType].
STANDARD_SCHEMA = [
    string_attr("sub", min_len="1", mutable=False, required=True),
    string_attr("name"),
    string_attr("given_name"),
    string_attr("family_name"),
    string_attr("middle_name"),
    string_attr("nickname"),
    string_attr("preferred_username"),
    string_attr("profile"),
    string_attr("picture"),
    string_attr("website"),
    string_attr("email"),
    boolean_attr("email_verified"),
    string_attr("gender"),
    string_attr("birthdate", min_len="10", max_len="10"),
    string_attr("zoneinfo"),
    string_attr("locale"),
    string_attr("phone_number"),
    boolean_attr("phone_number_verified"),
    string_attr("address"),
    {"Name": "updated_at", "AttributeDataType": "Number", "DeveloperOnlyAttribute": False,
     "Mutable": True, "Required": False, "NumberAttributeConstraints": {"MinValue": "0"}},
]

# Every member of DescribeUserPool for a pool created with only PoolName, besides Id, Name,
# Arn, CreationDate and LastModifiedDate (checked separately).
DEFAULT_POOL = {
    "Policies": {
        # [cli] minimal pool: 8 characters, all four character classes; [model]
        # TemporaryPasswordValidityDays "Defaults to 7"; [api] it is returned
        "PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                           "RequireNumbers": True, "RequireSymbols": True,
                           "TemporaryPasswordValidityDays": 7},
        # [api] DescribeUserPool (2025) reports the password as the only allowed first factor
        "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]},
    },
    "DeletionProtection": "INACTIVE",                       # [api]
    "LambdaConfig": {},                                     # [cli] [api]
    "SchemaAttributes": STANDARD_SCHEMA,
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},   # [api]
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},  # [api]
    "MfaConfiguration": "OFF",                              # [cli] [api]
    "EstimatedNumberOfUsers": 0,                            # [cli] [api]
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},   # [api]
    "UserPoolTags": {},                                     # [cli] describe-user-pool.rst, [api]
    # [cli] [api]; [model] UnusedAccountValidityDays "The default value for this parameter is 7"
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "UserPoolTier": "ESSENTIALS",                           # [model] UserPoolTier "Defaults to ESSENTIALS"
}
# Not returned for such a pool [cli] [api]: AutoVerifiedAttributes, UsernameAttributes,
# AliasAttributes, UsernameConfiguration, AccountRecoverySetting ([model] "In the absence of
# this setting, Amazon Cognito uses the legacy behavior"), SmsConfiguration, DeviceConfiguration.
IDENTITY = {"Id", "Name", "Arn", "CreationDate", "LastModifiedDate"}


@pytest.fixture
def bare_pool(cognito):
    name = unique("bare-")
    pool = cognito.create_user_pool(PoolName=name)["UserPool"]
    yield name, pool
    cognito.delete_user_pool(UserPoolId=pool["Id"])


def assert_default_pool(pool, name):
    assert set(pool) == set(DEFAULT_POOL) | IDENTITY, set(pool) ^ (set(DEFAULT_POOL) | IDENTITY)
    for member, expected in DEFAULT_POOL.items():
        assert pool[member] == expected, member
    assert POOL_ID_RE.match(pool["Id"])
    assert pool["Name"] == name
    assert re.match(rf"^arn:aws:cognito-idp:us-east-1:\d{{12}}:userpool/{pool['Id']}$", pool["Arn"])
    assert isinstance(pool["CreationDate"], dt.datetime)
    assert pool["LastModifiedDate"] == pool["CreationDate"]


def test_describe_user_pool_of_a_name_only_pool(cognito, bare_pool):
    name, created = bare_pool
    assert_default_pool(cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"], name)


def test_create_user_pool_returns_the_same_document(bare_pool):
    name, created = bare_pool
    assert_default_pool(created, name)


def test_username_configuration_is_shown_when_given(cognito):
    p = cognito.create_user_pool(PoolName=unique("ci-"), UsernameConfiguration={"CaseSensitive": False})["UserPool"]
    try:
        assert p["UsernameConfiguration"] == {"CaseSensitive": False}
        cognito.admin_create_user(UserPoolId=p["Id"], Username="MiXed", MessageAction="SUPPRESS")
        assert cognito.admin_get_user(UserPoolId=p["Id"], Username="mixed")["Username"] == "MiXed"
    finally:
        cognito.delete_user_pool(UserPoolId=p["Id"])


def test_given_blocks_keep_their_defaults_filled_in(cognito):
    p = cognito.create_user_pool(
        PoolName=unique("blocks-"),
        EmailConfiguration={"ReplyToEmailAddress": "help@example.com"},
        VerificationMessageTemplate={"EmailMessage": "Code {####}", "EmailSubject": "Your code"},
        UserPoolTags={"team": "auth"},
    )["UserPool"]
    try:
        assert p["EmailConfiguration"] == {"ReplyToEmailAddress": "help@example.com",
                                           "EmailSendingAccount": "COGNITO_DEFAULT"}
        assert p["VerificationMessageTemplate"] == {"EmailMessage": "Code {####}", "EmailSubject": "Your code",
                                                    "DefaultEmailOption": "CONFIRM_WITH_CODE"}
        # the legacy members mirror the template
        assert p["EmailVerificationMessage"] == "Code {####}"
        assert p["EmailVerificationSubject"] == "Your code"
        assert p["UserPoolTags"] == {"team": "auth"}
    finally:
        cognito.delete_user_pool(UserPoolId=p["Id"])


# --------------------------------------------------------------------------- UpdateUserPool

FULL_CONFIG = dict(
    Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireUppercase": False, "RequireLowercase": True,
                                 "RequireNumbers": False, "RequireSymbols": False,
                                 "TemporaryPasswordValidityDays": 3}},
    DeletionProtection="ACTIVE",
    LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:f"},
    AutoVerifiedAttributes=["email"],
    VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK",
                                 "EmailMessageByLink": "Click {##here##}"},
    MfaConfiguration="OFF",
    EmailConfiguration={"EmailSendingAccount": "DEVELOPER",
                        "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/a@example.com"},
    UserPoolTags={"env": "test"},
    AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
    UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
)


def test_update_with_only_the_id_resets_everything_to_the_defaults(cognito):
    """[model] UpdateUserPool: "If you don't provide a value for an attribute, Amazon Cognito
    sets it to its default value." """
    name = unique("reset-")
    pid = cognito.create_user_pool(PoolName=name, **FULL_CONFIG)["UserPool"]["Id"]
    try:
        configured = cognito.describe_user_pool(UserPoolId=pid)["UserPool"]
        assert configured["DeletionProtection"] == "ACTIVE"
        assert configured["AccountRecoverySetting"]["RecoveryMechanisms"][0]["Name"] == "verified_email"
        cognito.update_user_pool(UserPoolId=pid)
        after = cognito.describe_user_pool(UserPoolId=pid)["UserPool"]
        assert_default_pool({**after, "LastModifiedDate": after["CreationDate"]}, name)
        assert after["LastModifiedDate"] >= configured["LastModifiedDate"]
    finally:
        cognito.update_user_pool(UserPoolId=pid)
        cognito.delete_user_pool(UserPoolId=pid)


def test_update_replaces_a_block_instead_of_merging_it(cognito, make_pool):
    p = make_pool(with_client=False, EmailConfiguration={"ReplyToEmailAddress": "a@example.com"},
                  UserPoolTags={"a": "1", "b": "2"})
    cognito.update_user_pool(UserPoolId=p.id, UserPoolTags={"c": "3"},
                             EmailConfiguration={"SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/b@example.com"})
    d = p.describe()
    assert d["UserPoolTags"] == {"c": "3"}
    assert d["EmailConfiguration"] == {"SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/b@example.com",
                                       "EmailSendingAccount": "COGNITO_DEFAULT"}
    # make_pool set AutoVerifiedAttributes and a password policy; the update left both out
    assert "AutoVerifiedAttributes" not in d
    assert d["Policies"]["PasswordPolicy"] == DEFAULT_POOL["Policies"]["PasswordPolicy"]


def test_update_leaves_out_policy_requirements_means_off(cognito, make_pool):
    p = make_pool(with_client=False)
    cognito.update_user_pool(UserPoolId=p.id, Policies={"PasswordPolicy": {"MinimumLength": 6}})
    assert p.describe()["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 6, "RequireUppercase": False, "RequireLowercase": False, "RequireNumbers": False,
        "RequireSymbols": False, "TemporaryPasswordValidityDays": 7}
    cognito.admin_create_user(UserPoolId=p.id, Username="weak", TemporaryPassword="aaaaaa",
                              MessageAction="SUPPRESS")


def test_update_can_rename_and_keeps_the_name_when_left_out(cognito, make_pool):
    p = make_pool(with_client=False)
    cognito.update_user_pool(UserPoolId=p.id, PoolName="renamed")
    assert p.describe()["Name"] == "renamed"
    cognito.update_user_pool(UserPoolId=p.id)
    assert p.describe()["Name"] == "renamed"


def test_what_only_create_sets_survives_an_update(server, cognito, make_pool):
    """UsernameAttributes, AliasAttributes, UsernameConfiguration and the Schema are not members
    of UpdateUserPool [model]; sent anyway, they are ignored and the pool keeps its own."""
    p = make_pool(with_client=False, UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False},
                  Schema=[{"Name": "tier", "AttributeDataType": "String"}])
    before = p.describe()
    r = raw_call(server.url, "UpdateUserPool", {
        "UserPoolId": p.id, "UsernameAttributes": ["phone_number"], "AliasAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": True},
        "Schema": [{"Name": "plan", "AttributeDataType": "String"}]})
    assert r.status_code == 200, r.text
    after = p.describe()
    for member in ("UsernameAttributes", "UsernameConfiguration", "SchemaAttributes"):
        assert after[member] == before[member], member
    assert "AliasAttributes" not in after
    # and the pool still signs users in by email
    cognito.admin_create_user(UserPoolId=p.id, Username="Eve@Example.com", TemporaryPassword=PASSWORD,
                              MessageAction="SUPPRESS")
    assert cognito.admin_get_user(UserPoolId=p.id, Username="eve@example.com")["Username"]


def test_unknown_members_are_not_echoed(server, make_pool):
    p = make_pool(with_client=False)
    r = raw_call(server.url, "UpdateUserPool", {"UserPoolId": p.id, "NotAMember": {"x": 1}})
    assert r.status_code == 200, r.text
    assert "NotAMember" not in p.describe()


def test_default_messages(make_pool):
    """With no templates set, messages use Cognito's default texts ([cli] describe-user-pool.rst
    shows them: "Your verification code is {####}." and "Your username is {username} and
    temporary password is {####}."), by e-mail and by SMS."""
    p = make_pool(AutoVerifiedAttributes=["email", "phone_number"])
    p.sign_up("signer", attributes={"email": "signer@example.com"})
    assert re.fullmatch(r"Your verification code is \d{6}\.", p.last_message("signer", kind="SignUp")["message"])
    p.sign_up("texter", attributes={"phone_number": "+15555550100"})
    sms = p.last_message("texter", kind="SignUp")
    assert sms["medium"] == "SMS" and re.fullmatch(r"Your verification code is \d{6}\.", sms["message"])
    p.cognito.admin_create_user(UserPoolId=p.id, Username="invitee", TemporaryPassword=PASSWORD,
                                UserAttributes=[{"Name": "email", "Value": "invitee@example.com"},
                                                {"Name": "phone_number", "Value": "+15555550101"}],
                                DesiredDeliveryMediums=["EMAIL", "SMS"])
    expected = f"Your username is invitee and temporary password is {PASSWORD}."
    for medium in ("EMAIL", "SMS"):
        invite = next(m for m in p.messages("invitee") if m["kind"] == "AdminCreateUser" and m["medium"] == medium)
        assert invite["message"] == expected, medium
