"""Groups through boto3: CRUD, membership, and the cognito:groups claim."""

import datetime as dt

import jwt
import pytest

from conftest import raises


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def test_create_get_group(pool, cognito):
    g = cognito.create_group(UserPoolId=pool.id, GroupName="admins", Description="Administrators",
                             Precedence=1)["Group"]
    assert g["GroupName"] == "admins"
    assert g["UserPoolId"] == pool.id
    assert g["Description"] == "Administrators"
    assert g["Precedence"] == 1
    assert isinstance(g["CreationDate"], dt.datetime)
    got = cognito.get_group(UserPoolId=pool.id, GroupName="admins")["Group"]
    assert got["GroupName"] == "admins" and got["Description"] == "Administrators" and got["Precedence"] == 1


def test_duplicate_group(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="dup", Description="first")
    with raises("GroupExistsException"):
        cognito.create_group(UserPoolId=pool.id, GroupName="dup", Description="second")
    assert cognito.get_group(UserPoolId=pool.id, GroupName="dup")["Group"]["Description"] == "first"


def test_same_group_name_in_two_pools(make_pool, cognito):
    a, b = make_pool(with_client=False), make_pool(with_client=False)
    cognito.create_group(UserPoolId=a.id, GroupName="staff")
    cognito.create_group(UserPoolId=b.id, GroupName="staff")
    cognito.delete_group(UserPoolId=a.id, GroupName="staff")
    assert cognito.get_group(UserPoolId=b.id, GroupName="staff")["Group"]["UserPoolId"] == b.id


def test_update_group(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="ops", Description="old", Precedence=5)
    g = cognito.update_group(UserPoolId=pool.id, GroupName="ops", Description="new", Precedence=2)["Group"]
    assert g["Description"] == "new" and g["Precedence"] == 2
    got = cognito.get_group(UserPoolId=pool.id, GroupName="ops")["Group"]
    assert got["Description"] == "new" and got["Precedence"] == 2


def test_delete_group(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="gone")
    pool.create_user("member")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="member", GroupName="gone")
    cognito.delete_group(UserPoolId=pool.id, GroupName="gone")
    with raises("ResourceNotFoundException", "Group not found."):
        cognito.get_group(UserPoolId=pool.id, GroupName="gone")
    assert cognito.admin_list_groups_for_user(UserPoolId=pool.id, Username="member")["Groups"] == []
    assert "cognito:groups" not in claims(pool.sign_in("member")["IdToken"])


@pytest.mark.parametrize("call", [
    lambda c, pid: c.get_group(UserPoolId=pid, GroupName="nope"),
    lambda c, pid: c.update_group(UserPoolId=pid, GroupName="nope", Description="x"),
    lambda c, pid: c.delete_group(UserPoolId=pid, GroupName="nope"),
    lambda c, pid: c.list_users_in_group(UserPoolId=pid, GroupName="nope"),
], ids=["get", "update", "delete", "list_users"])
def test_unknown_group(pool, cognito, call):
    with raises("ResourceNotFoundException", "Group not found."):
        call(cognito, pool.id)


def test_list_groups_pagination(pool, cognito):
    names = [f"g{i}" for i in range(5)]
    for n in names:
        cognito.create_group(UserPoolId=pool.id, GroupName=n)
    seen, token = [], None
    for _ in range(10):
        kw = {"NextToken": token} if token else {}
        r = cognito.list_groups(UserPoolId=pool.id, Limit=2, **kw)
        assert len(r["Groups"]) <= 2
        seen += [g["GroupName"] for g in r["Groups"]]
        token = r.get("NextToken")
        if not token:
            break
    assert sorted(seen) == names


def test_membership(pool, cognito):
    for g in ("red", "blue"):
        cognito.create_group(UserPoolId=pool.id, GroupName=g)
    pool.create_user("ann")
    pool.create_user("ben")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="ann", GroupName="red")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="ann", GroupName="blue")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="ben", GroupName="red")
    # adding twice is idempotent
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="ben", GroupName="red")

    groups = cognito.admin_list_groups_for_user(UserPoolId=pool.id, Username="ann")["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["blue", "red"]
    users = cognito.list_users_in_group(UserPoolId=pool.id, GroupName="red")["Users"]
    assert sorted(u["Username"] for u in users) == ["ann", "ben"]

    cognito.admin_remove_user_from_group(UserPoolId=pool.id, Username="ann", GroupName="red")
    users = cognito.list_users_in_group(UserPoolId=pool.id, GroupName="red")["Users"]
    assert [u["Username"] for u in users] == ["ben"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool.id, Username="ann")["Groups"]
    assert [g["GroupName"] for g in groups] == ["blue"]


def test_membership_errors_leave_data_unchanged(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="team")
    pool.create_user("cat")
    with raises("UserNotFoundException", "User does not exist."):
        cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="ghost", GroupName="team")
    with raises("ResourceNotFoundException", "Group not found."):
        cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="cat", GroupName="nope")
    assert cognito.list_users_in_group(UserPoolId=pool.id, GroupName="team")["Users"] == []
    assert cognito.admin_list_groups_for_user(UserPoolId=pool.id, Username="cat")["Groups"] == []


def test_deleted_user_leaves_group(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="club")
    pool.create_user("dan")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="dan", GroupName="club")
    cognito.admin_delete_user(UserPoolId=pool.id, Username="dan")
    assert cognito.list_users_in_group(UserPoolId=pool.id, GroupName="club")["Users"] == []


def test_groups_claim_in_tokens(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="editors", Precedence=2)
    cognito.create_group(UserPoolId=pool.id, GroupName="admins", Precedence=1)
    pool.create_user("eva")
    pool.create_user("fox")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="eva", GroupName="editors")
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="eva", GroupName="admins")
    tokens = pool.sign_in("eva")
    idc, acc = claims(tokens["IdToken"]), claims(tokens["AccessToken"])
    assert sorted(idc["cognito:groups"]) == ["admins", "editors"]
    assert sorted(acc["cognito:groups"]) == ["admins", "editors"]
    # a user in no group has no claim at all
    other = pool.sign_in("fox")
    assert "cognito:groups" not in claims(other["IdToken"])
    assert "cognito:groups" not in claims(other["AccessToken"])


def test_groups_claim_follows_membership_on_refresh(pool, cognito):
    cognito.create_group(UserPoolId=pool.id, GroupName="later")
    pool.create_user("gil")
    refresh = pool.sign_in("gil")["RefreshToken"]
    cognito.admin_add_user_to_group(UserPoolId=pool.id, Username="gil", GroupName="later")
    r = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": refresh})["AuthenticationResult"]
    assert claims(r["IdToken"])["cognito:groups"] == ["later"]
    assert claims(r["AccessToken"])["cognito:groups"] == ["later"]
