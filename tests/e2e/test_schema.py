"""Schema rules of CreateUserPool and AddCustomAttributes, one test per rule, with Cognito's
exception types and messages (as Cognito words them; see docs/compatibility.md for the few
Cognate had to choose)."""

import pytest

from conftest import PASSWORD, raises, unique


def attr(describe, name):
    return next(a for a in describe["SchemaAttributes"] if a["Name"] == name)


@pytest.fixture
def create(cognito_unvalidated):
    """CreateUserPool with a Schema; the pool is deleted afterwards."""
    made = []

    def factory(schema, **kwargs):
        p = cognito_unvalidated.create_user_pool(PoolName=unique("schema-"), Schema=schema, **kwargs)["UserPool"]
        made.append(p["Id"])
        return p

    yield factory
    for pid in made:
        cognito_unvalidated.delete_user_pool(UserPoolId=pid)


def refused(cognito, schema, message):
    name = unique("refused-")
    with raises("InvalidParameterException", message):
        cognito.create_user_pool(PoolName=name, Schema=schema)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert name not in [p["Name"] for p in pools], "a refused pool was created"


# --------------------------------------------------------------------------- types

def test_custom_attribute_needs_a_data_type(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "tier"}],
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")


def test_unknown_data_type_is_a_validation_error(cognito_unvalidated):
    with raises("InvalidParameterException", contains="Member must satisfy enum value set"):
        cognito_unvalidated.create_user_pool(PoolName=unique("enum-"),
                                             Schema=[{"Name": "tier", "AttributeDataType": "Banana"}])


def test_standard_attribute_keeps_its_data_type(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "email", "AttributeDataType": "Number"}],
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email")


def test_standard_attribute_cannot_be_developer_only(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "family_name", "DeveloperOnlyAttribute": True}],
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute family_name")


def test_custom_attribute_cannot_be_required(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "tier", "AttributeDataType": "String", "Required": True}],
            "Required custom attributes are not supported currently.")


# --------------------------------------------------------------------------- constraints

def test_string_length_over_2048_is_refused(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "tier", "AttributeDataType": "String",
                                   "StringAttributeConstraints": {"MaxLength": "2049"}}],
            "user.custom:tier: String attributes cannot have a length of more than 2048")


def test_min_length_above_max_length_is_refused(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "email", "AttributeDataType": "String",
                                   "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "4"}}],
            "user.email: Max length cannot be less than min length.")


def test_lengths_must_be_whole_numbers(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "tier", "AttributeDataType": "String",
                                   "StringAttributeConstraints": {"MinLength": "one"}}],
            "Invalid StringAttributeConstraints for schema attribute custom:tier")


def test_min_value_above_max_value_is_refused(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "score", "AttributeDataType": "Number",
                                   "NumberAttributeConstraints": {"MinValue": "10", "MaxValue": "1"}}],
            "user.custom:score: Max value cannot be less than min value.")


def test_number_bounds_must_be_integers(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "updated_at", "AttributeDataType": "Number",
                                   "NumberAttributeConstraints": {"MaxValue": "1.5"}}],
            "Invalid NumberAttributeConstraints for schema attribute updated_at")


def test_constraints_are_returned_as_strings_and_only_for_their_type(create, cognito):
    p = create([
        {"Name": "tier", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "20"},
         "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "2"}},
        {"Name": "score", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "-5", "MaxValue": "99"},
         "StringAttributeConstraints": {"MinLength": "1"}},
        {"Name": "plain", "AttributeDataType": "String"},
        {"Name": "count", "AttributeDataType": "Number"},
        {"Name": "flag", "AttributeDataType": "Boolean", "StringAttributeConstraints": {"MaxLength": "5"}},
        {"Name": "when", "AttributeDataType": "DateTime", "NumberAttributeConstraints": {"MinValue": "0"}},
        {"Name": "short", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "8"}},
    ])
    d = cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
    base = {"DeveloperOnlyAttribute": False, "Mutable": True, "Required": False}
    assert attr(d, "custom:tier") == {**base, "Name": "custom:tier", "AttributeDataType": "String",
                                      "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "20"}}
    assert attr(d, "custom:score") == {**base, "Name": "custom:score", "AttributeDataType": "Number",
                                       "NumberAttributeConstraints": {"MinValue": "-5", "MaxValue": "99"}}
    # a custom string without constraints shows an empty block; a number shows none
    assert attr(d, "custom:plain")["StringAttributeConstraints"] == {}
    assert "NumberAttributeConstraints" not in attr(d, "custom:count")
    for name in ("custom:flag", "custom:when"):
        assert "StringAttributeConstraints" not in attr(d, name)
        assert "NumberAttributeConstraints" not in attr(d, name)
    assert attr(d, "custom:short")["StringAttributeConstraints"] == {"MaxLength": "8"}


# --------------------------------------------------------------------------- names and prefixes

def test_custom_prefix_is_always_added(create, cognito):
    p = create([{"Name": "tier", "AttributeDataType": "String"},
                {"Name": "custom:plan", "AttributeDataType": "String"}])
    names = [a["Name"] for a in cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"]["SchemaAttributes"]]
    assert "custom:tier" in names and "custom:custom:plan" in names
    assert len(names) == 22 and names[:20][0] == "sub"


def test_developer_only_attributes_get_the_dev_prefix(create, cognito):
    p = create([{"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}])
    a = attr(cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"], "dev:custom:secret")
    assert a["DeveloperOnlyAttribute"] is True


def test_verified_flags_in_a_schema_are_custom_attributes(create, cognito):
    p = create([{"Name": "email_verified", "AttributeDataType": "Boolean"}])
    d = cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
    assert attr(d, "custom:email_verified")["AttributeDataType"] == "Boolean"
    assert attr(d, "email_verified")["Mutable"] is True


def test_duplicate_names_are_refused(cognito_unvalidated):
    refused(cognito_unvalidated, [{"Name": "tier", "AttributeDataType": "String"},
                                  {"Name": "tier", "AttributeDataType": "Number"}],
            "custom:tier: Existing attribute already has name custom:tier.")


# --------------------------------------------------------------------------- standard attributes

def test_standard_attributes_may_be_required_immutable_and_constrained(create, cognito):
    p = create([{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": False},
                {"Name": "given_name", "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "100"}}])
    d = cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"]
    email = attr(d, "email")
    assert email["Required"] is True and email["Mutable"] is False
    assert email["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
    assert attr(d, "given_name")["StringAttributeConstraints"] == {"MinLength": "2", "MaxLength": "100"}
    assert len(d["SchemaAttributes"]) == 20


def test_sub_keeps_its_definition(create, cognito):
    p = create([{"Name": "sub", "AttributeDataType": "String", "Mutable": True, "Required": False,
                 "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "10"}}])
    sub = attr(cognito.describe_user_pool(UserPoolId=p["Id"])["UserPool"], "sub")
    assert sub["Mutable"] is False and sub["Required"] is True
    assert sub["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "2048"}


def test_required_attribute_is_enforced_on_sign_up(create, cognito):
    p = create([{"Name": "name", "AttributeDataType": "String", "Required": True}])
    cid = cognito.create_user_pool_client(UserPoolId=p["Id"], ClientName="c")["UserPoolClient"]["ClientId"]
    with raises("InvalidParameterException", "Attributes did not conform to the schema: name: the attribute is required"):
        cognito.sign_up(ClientId=cid, Username="nameless", Password=PASSWORD)
    cognito.sign_up(ClientId=cid, Username="named", Password=PASSWORD, UserAttributes=[{"Name": "name", "Value": "N"}])


# --------------------------------------------------------------------------- mutability

def test_immutable_attribute_is_set_at_creation_only(create, cognito):
    p = create([{"Name": "tenant", "AttributeDataType": "String", "Mutable": False}])
    cognito.admin_create_user(UserPoolId=p["Id"], Username="t1", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "custom:tenant", "Value": "acme"}])
    cognito.admin_create_user(UserPoolId=p["Id"], Username="t2", MessageAction="SUPPRESS")
    for user in ("t1", "t2"):
        with raises("InvalidParameterException", "user.custom:tenant: Attribute cannot be updated."):
            cognito.admin_update_user_attributes(UserPoolId=p["Id"], Username=user,
                                                 UserAttributes=[{"Name": "custom:tenant", "Value": "evil"}])
    got = cognito.admin_get_user(UserPoolId=p["Id"], Username="t1")["UserAttributes"]
    assert {"Name": "custom:tenant", "Value": "acme"} in got


def test_developer_only_attribute_is_written_by_administrators_only(create, cognito):
    p = create([{"Name": "level", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}])
    pid = p["Id"]
    cid = cognito.create_user_pool_client(UserPoolId=pid, ClientName="c",
                                          ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    with raises("NotAuthorizedException", "A client attempted to write unauthorized attribute"):
        cognito.sign_up(ClientId=cid, Username="u1", Password=PASSWORD,
                        UserAttributes=[{"Name": "dev:custom:level", "Value": "9"}])
    cognito.admin_create_user(UserPoolId=pid, Username="u2", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "dev:custom:level", "Value": "1"}])
    cognito.admin_set_user_password(UserPoolId=pid, Username="u2", Password=PASSWORD, Permanent=True)
    token = cognito.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "u2", "PASSWORD": PASSWORD}
                                  )["AuthenticationResult"]["AccessToken"]
    with raises("NotAuthorizedException", "A client attempted to write unauthorized attribute"):
        cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "dev:custom:level", "Value": "9"}])
    cognito.admin_update_user_attributes(UserPoolId=pid, Username="u2",
                                         UserAttributes=[{"Name": "dev:custom:level", "Value": "2"}])
    assert {"Name": "dev:custom:level", "Value": "2"} in cognito.get_user(AccessToken=token)["UserAttributes"]


# --------------------------------------------------------------------------- AddCustomAttributes

def test_add_custom_attributes_follows_the_same_rules(pool, cognito_unvalidated):
    c = cognito_unvalidated
    with raises("InvalidParameterException",
                "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."):
        c.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[{"Name": "x"}])
    with raises("InvalidParameterException", "Required custom attributes are not supported currently."):
        c.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
            {"Name": "x", "AttributeDataType": "String", "Required": True}])
    with raises("InvalidParameterException", "user.custom:x: String attributes cannot have a length of more than 2048"):
        c.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
            {"Name": "x", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "4096"}}])
    assert not [a for a in pool.describe()["SchemaAttributes"] if a["Name"].startswith("custom:")]


def test_add_custom_attributes_refuses_an_existing_name(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[{"Name": "plan", "AttributeDataType": "String"}])
    with raises("InvalidParameterException", "custom:plan: Existing attribute already has name custom:plan."):
        cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String"}, {"Name": "plan", "AttributeDataType": "Number"}])
    names = [a["Name"] for a in pool.describe()["SchemaAttributes"]]
    assert "custom:tier" not in names  # nothing of a refused request is added


def test_add_custom_attributes_makes_standard_names_custom(pool, cognito):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[{"Name": "email", "AttributeDataType": "String"}])
    d = pool.describe()
    assert attr(d, "custom:email")["AttributeDataType"] == "String"
    assert attr(d, "email")["Required"] is False


def test_at_most_fifty_custom_attributes(pool, cognito):
    for batch in range(2):
        cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
            {"Name": f"a{batch}_{i}", "AttributeDataType": "String"} for i in range(25)])
    with raises("InvalidParameterException", "A user pool can have at most 50 custom attributes."):
        cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[{"Name": "one_more", "AttributeDataType": "String"}])
    assert len([a for a in pool.describe()["SchemaAttributes"] if a["Name"].startswith("custom:")]) == 50
