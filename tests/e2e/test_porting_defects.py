"""The defects an app ported from AWS ran into (issue 12), one test each. Token validity units
and DescribeUserPool's defaults have their own files (test_client_defaults.py,
test_pool_defaults.py); the tests here that touch them check the one thing the defect named."""

import jwt
import pytest

from conftest import PASSWORD, attr_dict, raises


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def renew(cognito, client_id, refresh_token):
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                 AuthParameters={"REFRESH_TOKEN": refresh_token})


def test_access_token_validity_is_read_as_hours(pool):
    """AccessTokenValidity=12 without units: 12 hours, not 12 minutes."""
    cid = pool.create_client(name="twelve", AccessTokenValidity=12)["ClientId"]
    pool.create_user("tv")
    res = pool.sign_in("tv", client_id=cid)
    assert res["ExpiresIn"] == 12 * 3600
    c = claims(res["AccessToken"])
    assert c["exp"] - c["iat"] == 12 * 3600


def test_disabling_a_user_revokes_its_tokens(pool, cognito):
    """AdminDisableUser "deactivates a user profile and revokes all access tokens": enabling the
    user again does not bring the old tokens back."""
    pool.create_user("dis")
    old = pool.sign_in("dis")
    cognito.admin_disable_user(UserPoolId=pool.id, Username="dis")
    with raises("NotAuthorizedException", "User is disabled."):
        cognito.get_user(AccessToken=old["AccessToken"])
    cognito.admin_enable_user(UserPoolId=pool.id, Username="dis")
    with raises("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=old["AccessToken"])
    with raises("NotAuthorizedException", "Refresh Token has been revoked"):
        renew(cognito, pool.client_id, old["RefreshToken"])
    fresh = pool.sign_in("dis")
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == "dis"
    assert "AccessToken" in renew(cognito, pool.client_id, fresh["RefreshToken"])["AuthenticationResult"]


def test_get_user_returns_only_readable_attributes(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}])
    cid = pool.create_client(name="reader", ReadAttributes=["email", "custom:tier"])["ClientId"]
    pool.create_user("rd", attributes={"email": "rd@example.com", "name": "Reed", "custom:tier": "gold",
                                       "email_verified": "true"})
    auth = pool.sign_in("rd", client_id=cid)
    got = attr_dict(cognito.get_user(AccessToken=auth["AccessToken"])["UserAttributes"])
    assert set(got) == {"sub", "email", "custom:tier"}
    # the same attributes as the ID token
    id_claims = claims(auth["IdToken"])
    assert "name" not in id_claims and "email_verified" not in id_claims and id_claims["custom:tier"] == "gold"
    # a client without ReadAttributes reads everything
    everything = attr_dict(cognito.get_user(AccessToken=pool.sign_in("rd")["AccessToken"])["UserAttributes"])
    assert {"name", "email_verified"} <= set(everything)


ROLE_A = "arn:aws:iam::123456789012:role/a"
ROLE_B = "arn:aws:iam::123456789012:role/b"


def test_group_roles_in_id_tokens(pool, cognito):
    for name, precedence, role in [("low", 5, ROLE_B), ("high", 1, ROLE_A), ("none", None, None)]:
        kwargs = {"Precedence": precedence} if precedence is not None else {}
        if role:
            kwargs["RoleArn"] = role
        cognito.create_group(UserPoolId=pool.id, GroupName=name, **kwargs)
    pool.create_user("rolf")
    for g in ("low", "high", "none"):
        cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="rolf", GroupName=g)
    auth = pool.sign_in("rolf")
    c = claims(auth["IdToken"])
    assert c["cognito:groups"] == ["high", "low", "none"]
    assert c["cognito:roles"] == [ROLE_A, ROLE_B]
    assert c["cognito:preferred_role"] == ROLE_A
    access = claims(auth["AccessToken"])
    assert "cognito:roles" not in access and "cognito:preferred_role" not in access
    # refreshed ID tokens carry them too
    assert claims(renew(cognito, pool.client_id, auth["RefreshToken"])["AuthenticationResult"]["IdToken"]
                  )["cognito:preferred_role"] == ROLE_A


def test_tied_precedence_with_different_roles_has_no_preferred_role(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="g1", Precedence=2, RoleArn=ROLE_A)
    cognito.create_group(UserPoolId=pool.id, GroupName="g2", Precedence=2, RoleArn=ROLE_B)
    pool.create_user("tie")
    for g in ("g1", "g2"):
        cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="tie", GroupName=g)
    c = claims(pool.sign_in("tie")["IdToken"])
    assert sorted(c["cognito:roles"]) == [ROLE_A, ROLE_B]
    assert "cognito:preferred_role" not in c


def test_no_roles_without_role_arns(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="plain", Precedence=1)
    pool.create_user("plain")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="plain", GroupName="plain")
    c = claims(pool.sign_in("plain")["IdToken"])
    assert "cognito:roles" not in c and "cognito:preferred_role" not in c


@pytest.mark.parametrize("admin", [False, True], ids=["self", "admin"])
def test_blank_value_deletes_instead_of_storing_empty(pool, cognito, admin):
    pool.create_user("blank", attributes={"name": "Blanche", "nickname": "B"})
    change = [{"Name": "name", "Value": ""}]
    if admin:
        cognito.admin_update_user_attributes(UserPoolId=pool.id, Username="blank", UserAttributes=change)
    else:
        cognito.update_user_attributes(AccessToken=pool.sign_in("blank")["AccessToken"], UserAttributes=change)
    attrs = pool.attrs("blank")
    assert "name" not in attrs and attrs["nickname"] == "B"


def test_default_pool_schema_constraints(pool):
    d = pool.describe()
    by_name = {a["Name"]: a for a in d["SchemaAttributes"]}
    assert by_name["birthdate"]["StringAttributeConstraints"] == {"MinLength": "10", "MaxLength": "10"}
    assert by_name["updated_at"]["NumberAttributeConstraints"] == {"MinValue": "0"}
    assert d["LambdaConfig"] == {}
    assert d["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert d["EmailConfiguration"]["EmailSendingAccount"] == "COGNITO_DEFAULT"
    assert d["UserPoolTags"] == {}


def test_verification_code_for_an_attribute_that_cannot_be_verified(pool, cognito):
    pool.create_user("vn", attributes={"name": "Vern"})
    token = pool.sign_in("vn")["AccessToken"]
    with raises("InvalidParameterException", "invalid attribute name. Only phone_number and email can be verified"):
        cognito.get_user_attribute_verification_code(AccessToken=token, AttributeName="name")
    # an attribute that can be verified but that the user lacks is still reported as such
    with raises("InvalidParameterException", "Cannot send a verification code: the user has no email."):
        cognito.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")


def test_refresh_after_the_user_is_deleted(pool, cognito):
    pool.create_user("gone")
    auth = pool.sign_in("gone")
    cognito.admin_delete_user(UserPoolId=pool.id, Username="gone")
    with raises("UserNotFoundException", "User does not exist."):
        renew(cognito, pool.client_id, auth["RefreshToken"])


def test_refresh_after_deletion_hides_the_user_when_the_client_does(pool, cognito):
    cid = pool.create_client(name="hiding", PreventUserExistenceErrors="ENABLED")["ClientId"]
    pool.create_user("hidden")
    auth = pool.sign_in("hidden", client_id=cid)
    cognito.admin_delete_user(UserPoolId=pool.id, Username="hidden")
    with raises("NotAuthorizedException", "Invalid Refresh Token"):
        renew(cognito, cid, auth["RefreshToken"])


def test_password_is_still_needed_after_defects_fixed(pool):
    """Sanity: the fixes above leave ordinary sign-in alone."""
    pool.create_user("ok")
    assert pool.sign_in("ok", PASSWORD)["TokenType"] == "Bearer"
