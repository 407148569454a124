"""User pools through boto3: create, describe, update, delete, list, custom attributes."""

import datetime as dt
import re

import pytest

from conftest import DEFAULT_POLICY, PASSWORD, REGION, raises, unique

POOL_ID_RE = re.compile(r"^us-east-1_[0-9A-Za-z]{9}$")


def test_create_user_pool_shape(cognito):
    name = unique("shape-")
    policy = {"MinimumLength": 10, "RequireUppercase": True, "RequireLowercase": False,
              "RequireNumbers": True, "RequireSymbols": False, "TemporaryPasswordValidityDays": 3}
    p = cognito.create_user_pool(PoolName=name, Policies={"PasswordPolicy": policy},
                                 AutoVerifiedAttributes=["email"])["UserPool"]
    try:
        assert POOL_ID_RE.match(p["Id"]), p["Id"]
        assert re.match(rf"^arn:aws:cognito-idp:{REGION}:\d{{12}}:userpool/{p['Id']}$", p["Arn"]), p["Arn"]
        assert p["Name"] == name
        assert isinstance(p["CreationDate"], dt.datetime)
        assert isinstance(p["LastModifiedDate"], dt.datetime)
        for k, v in policy.items():
            assert p["Policies"]["PasswordPolicy"][k] == v, k
        assert p["AutoVerifiedAttributes"] == ["email"]
        assert p["MfaConfiguration"] == "OFF"
        assert p["EstimatedNumberOfUsers"] == 0
        described = cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
        assert described["Id"] == p["Id"]
        assert described["Arn"] == p["Arn"]
        assert described["Name"] == name
        assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
        assert described["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 3
    finally:
        cognito.delete_user_pool(UserPoolId=p["Id"])


def test_default_password_policy(cognito):
    p = cognito.create_user_pool(PoolName=unique("defaults-"))["UserPool"]
    try:
        pp = p["Policies"]["PasswordPolicy"]
        assert pp["MinimumLength"] == 8
        assert pp["RequireUppercase"] and pp["RequireLowercase"] and pp["RequireNumbers"] and pp["RequireSymbols"]
        assert pp["TemporaryPasswordValidityDays"] == 7
    finally:
        cognito.delete_user_pool(UserPoolId=p["Id"])


def test_pool_ids_are_unique(make_pool):
    ids = {make_pool(with_client=False).id for _ in range(5)}
    assert len(ids) == 5
    assert all(POOL_ID_RE.match(i) for i in ids)


def test_username_attributes_echoed(make_pool):
    p = make_pool(UsernameAttributes=["email"])
    assert p.data["UsernameAttributes"] == ["email"]
    assert p.describe()["UsernameAttributes"] == ["email"]
    assert "AliasAttributes" not in p.describe() or p.describe()["AliasAttributes"] == []


def test_alias_attributes_echoed(make_pool):
    p = make_pool(AliasAttributes=["email", "phone_number"])
    assert sorted(p.describe()["AliasAttributes"]) == ["email", "phone_number"]


def test_username_and_alias_attributes_together_rejected(cognito):
    name = unique("both-")
    with raises("InvalidParameterException"):
        cognito.create_user_pool(PoolName=name, UsernameAttributes=["email"], AliasAttributes=["email"])
    assert name not in [p["Name"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]]


def test_admin_create_user_config_echoed(make_pool):
    p = make_pool(AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    assert p.describe()["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


def test_admin_only_pool_rejects_sign_up(make_pool):
    p = make_pool(AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    with raises("NotAuthorizedException", "SignUp is not permitted for this user pool"):
        p.sign_up("alice", attributes={"email": "alice@example.com"})
    assert p.usernames() == []


def test_schema_with_custom_attributes(make_pool):
    p = make_pool(Schema=[
        {"Name": "tier", "AttributeDataType": "String", "Mutable": True,
         "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "20"}},
        {"Name": "score", "AttributeDataType": "Number", "Mutable": True},
    ])
    names = {a["Name"]: a for a in p.describe()["SchemaAttributes"]}
    assert "custom:tier" in names and names["custom:tier"]["AttributeDataType"] == "String"
    assert "custom:score" in names and names["custom:score"]["AttributeDataType"] == "Number"
    for std in ("sub", "email", "email_verified", "phone_number", "name"):
        assert std in names, std
    p.create_user("alice", attributes={"custom:tier": "gold", "custom:score": "42"})
    attrs = p.attrs("alice")
    assert attrs["custom:tier"] == "gold"
    assert attrs["custom:score"] == "42"


def test_add_custom_attributes(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
        {"Name": "plan", "AttributeDataType": "String", "Mutable": True}])
    names = [a["Name"] for a in pool.describe()["SchemaAttributes"]]
    assert "custom:plan" in names
    pool.create_user("bob", attributes={"custom:plan": "pro"})
    assert pool.attrs("bob")["custom:plan"] == "pro"


def test_add_existing_custom_attribute_rejected(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
        {"Name": "plan", "AttributeDataType": "String"}])
    before = pool.describe()["SchemaAttributes"]
    with raises("InvalidParameterException"):
        cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
            {"Name": "plan", "AttributeDataType": "Number"}])
    assert pool.describe()["SchemaAttributes"] == before


def test_unknown_custom_attribute_rejected(pool, cognito):
    with raises("InvalidParameterException"):
        cognito.admin_create_user(UserPoolId=pool.id, Username="carol", MessageAction="SUPPRESS",
                                  UserAttributes=[{"Name": "custom:nope", "Value": "x"}])
    assert pool.usernames() == []


def test_update_user_pool(pool, cognito):
    before = pool.describe()
    new_policy = dict(DEFAULT_POLICY, MinimumLength=12, RequireSymbols=False)
    cognito.update_user_pool(UserPoolId=pool.id, Policies={"PasswordPolicy": new_policy},
                             AutoVerifiedAttributes=["email"])
    after = pool.describe()
    assert after["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert after["Policies"]["PasswordPolicy"]["RequireSymbols"] is False
    assert after["Name"] == before["Name"]
    assert after["Id"] == before["Id"]
    assert after["CreationDate"] == before["CreationDate"]
    assert after["LastModifiedDate"] >= before["LastModifiedDate"]
    # the new policy applies
    with raises("InvalidPasswordException", "Password did not conform with policy: Password not long enough"):
        cognito.admin_create_user(UserPoolId=pool.id, Username="short", TemporaryPassword="Abcdef1!x",
                                  MessageAction="SUPPRESS")
    cognito.admin_create_user(UserPoolId=pool.id, Username="long", TemporaryPassword="Abcdefgh1xyz",
                              MessageAction="SUPPRESS")


def test_update_user_pool_invalid_input_leaves_pool_unchanged(pool, cognito_unvalidated):
    before = pool.describe()
    with raises("InvalidParameterException"):
        cognito_unvalidated.update_user_pool(UserPoolId=pool.id,
                                             Policies={"PasswordPolicy": dict(DEFAULT_POLICY, MinimumLength=200)})
    assert pool.describe()["Policies"] == before["Policies"]


def test_delete_user_pool(cognito):
    pid = cognito.create_user_pool(PoolName=unique("del-"))["UserPool"]["Id"]
    cognito.delete_user_pool(UserPoolId=pid)
    with raises("ResourceNotFoundException", f"User pool {pid} does not exist."):
        cognito.describe_user_pool(UserPoolId=pid)
    assert pid not in [p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]]
    with raises("ResourceNotFoundException"):
        cognito.delete_user_pool(UserPoolId=pid)


def test_delete_pool_removes_its_users_and_clients(cognito, server):
    pid = cognito.create_user_pool(PoolName=unique("cascade-"))["UserPool"]["Id"]
    cid = cognito.create_user_pool_client(UserPoolId=pid, ClientName="c")["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pid, Username="x", MessageAction="SUPPRESS")
    cognito.delete_user_pool(UserPoolId=pid)
    with raises("ResourceNotFoundException"):
        cognito.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "x", "PASSWORD": PASSWORD})
    with raises("ResourceNotFoundException"):
        cognito.admin_get_user(UserPoolId=pid, Username="x")


def test_list_user_pools_pagination(make_pool, cognito):
    mine = {make_pool(with_client=False).id for _ in range(3)}
    seen, token, pages = [], None, 0
    while True:
        kw = {"NextToken": token} if token else {}
        r = cognito.list_user_pools(MaxResults=1, **kw)
        assert len(r["UserPools"]) <= 1
        seen += [p["Id"] for p in r["UserPools"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
        assert pages < 500
    assert mine <= set(seen)
    assert len(seen) == len(set(seen)), "pagination returned duplicates"
    entry = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Id"] in mine)
    assert set(entry) >= {"Id", "Name", "CreationDate", "LastModifiedDate"}


def test_list_user_pools_bad_token(cognito):
    with raises("InvalidParameterException"):
        cognito.list_user_pools(MaxResults=10, NextToken="garbage-token")


@pytest.mark.parametrize("call", [
    lambda c, pid: c.describe_user_pool(UserPoolId=pid),
    lambda c, pid: c.update_user_pool(UserPoolId=pid),
    lambda c, pid: c.delete_user_pool(UserPoolId=pid),
    lambda c, pid: c.list_user_pool_clients(UserPoolId=pid, MaxResults=10),
    lambda c, pid: c.create_user_pool_client(UserPoolId=pid, ClientName="c"),
    lambda c, pid: c.list_users(UserPoolId=pid),
    lambda c, pid: c.admin_create_user(UserPoolId=pid, Username="u", MessageAction="SUPPRESS"),
    lambda c, pid: c.admin_get_user(UserPoolId=pid, Username="u"),
    lambda c, pid: c.add_custom_attributes(UserPoolId=pid, CustomAttributes=[{"Name": "a", "AttributeDataType": "String"}]),
    lambda c, pid: c.create_group(UserPoolId=pid, GroupName="g"),
    lambda c, pid: c.list_groups(UserPoolId=pid),
], ids=["describe", "update", "delete", "list_clients", "create_client", "list_users", "admin_create_user",
        "admin_get_user", "add_custom_attributes", "create_group", "list_groups"])
def test_unknown_pool(cognito, call):
    pid = "us-east-1_Missing99"
    with raises("ResourceNotFoundException", f"User pool {pid} does not exist."):
        call(cognito, pid)


def test_estimated_number_of_users(pool):
    pool.create_user("a1")
    pool.create_user("a2")
    assert pool.describe()["EstimatedNumberOfUsers"] == 2
