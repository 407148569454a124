"""ListUsers with a Filter, served by the search index: pages across a filter, the index
following updates and deletes, and the case rules of each field."""

import pytest

from conftest import raises


def names(r) -> list[str]:
    return [u["Username"] for u in r["Users"]]


def pages(cognito, pool, flt, limit) -> tuple[list[str], int]:
    seen, token, count = [], None, 0
    while True:
        kw = {"PaginationToken": token} if token else {}
        r = cognito.list_users(UserPoolId=pool.id, Filter=flt, Limit=limit, **kw)
        assert len(r["Users"]) <= limit
        seen += names(r)
        count += 1
        token = r.get("PaginationToken")
        if not token:
            return seen, count
        assert len(r["Users"]) == limit, "only the last page is short"
        assert count < 50


@pytest.fixture
def crowd(pool):
    """12 users sharing a family name (emails in reverse order of usernames), plus two others."""
    for i in range(12):
        pool.create_user(f"m{i:02}", password=None,
                         attributes={"family_name": "Same", "email": f"p{11 - i:02}@example.com"})
    pool.create_user("other", password=None, attributes={"family_name": "Else", "email": "q@example.com"})
    pool.create_user("Mixed", password=None, attributes={"family_name": "same", "email": "P@example.com"})
    return pool


def test_filter_pages_visit_every_match_once(crowd, cognito):
    same = [f"m{i:02}" for i in range(12)]
    for limit in (1, 5, 12, 60):
        seen, count = pages(cognito, crowd, 'family_name = "Same"', limit)
        assert seen == same, limit  # an exact filter: username order
        assert count == -(-12 // limit)
    # a prefix filter: value order (p00@ belongs to m11), the same users on every page size
    by_email = list(reversed(same))
    for limit in (1, 5, 60):
        seen, _ = pages(cognito, crowd, 'email ^= "p"', limit)
        assert seen == by_email, limit
    seen, count = pages(cognito, crowd, 'email ^= "nobody"', 5)
    assert (seen, count) == ([], 1)


def test_filter_token_is_checked(crowd, cognito):
    r = cognito.list_users(UserPoolId=crowd.id, Filter='family_name = "Same"', Limit=5)
    token = r["PaginationToken"]
    nxt = cognito.list_users(UserPoolId=crowd.id, Filter='family_name = "Same"', Limit=5, PaginationToken=token)
    assert names(nxt) == ["m05", "m06", "m07", "m08", "m09"]
    for bad in ("not-a-token!", "bm90IGpzb24"):  # not base64; base64 of "not json"
        with raises("InvalidParameterException", "Invalid pagination token."):
            cognito.list_users(UserPoolId=crowd.id, Filter='family_name = "Same"', PaginationToken=bad)


def test_filter_follows_updates_and_deletes(crowd, cognito):
    cognito.admin_update_user_attributes(UserPoolId=crowd.id, Username="m03",
                                         UserAttributes=[{"Name": "email", "Value": "new@example.com"},
                                                         {"Name": "family_name", "Value": "Other"}])
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='email = "p08@example.com"')) == []
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='email = "new@example.com"')) == ["m03"]
    seen, _ = pages(cognito, crowd, 'family_name = "Same"', 4)
    assert "m03" not in seen and len(seen) == 11
    cognito.admin_delete_user_attributes(UserPoolId=crowd.id, Username="m04", UserAttributeNames=["family_name"])
    cognito.admin_disable_user(UserPoolId=crowd.id, Username="m05")
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='status = "Disabled"')) == ["m05"]
    cognito.admin_enable_user(UserPoolId=crowd.id, Username="m05")
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='status = "Disabled"')) == []
    cognito.admin_delete_user(UserPoolId=crowd.id, Username="m06")
    seen, _ = pages(cognito, crowd, 'family_name = "Same"', 4)
    assert seen == ["m00", "m01", "m02", "m05", "m07", "m08", "m09", "m10", "m11"]
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='email ^= "p05"')) == []
    # the same name again is a new user, found by its own values only
    crowd.create_user("m06", password=None, attributes={"email": "again@example.com"})
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='email = "again@example.com"')) == ["m06"]
    assert names(cognito.list_users(UserPoolId=crowd.id, Filter='family_name = "Same"', Limit=60)) == \
        ["m00", "m01", "m02", "m05", "m07", "m08", "m09", "m10", "m11"]


def test_filter_case_rules(make_pool, cognito):
    loose = make_pool(UsernameConfiguration={"CaseSensitive": False})
    strict = make_pool(UsernameConfiguration={"CaseSensitive": True})
    for p in (loose, strict):
        p.create_user("Alice", password=None, attributes={"email": "Alice@Example.com", "name": "Alice"})
        p.create_user("bob", password=None, attributes={"email": "bob@example.com"})
    ls = cognito.list_users
    # usernames follow the pool's case setting
    assert names(ls(UserPoolId=loose.id, Filter='username = "ALICE"')) == ["Alice"]
    assert names(ls(UserPoolId=loose.id, Filter='username ^= "al"')) == ["Alice"]
    assert names(ls(UserPoolId=strict.id, Filter='username = "ALICE"')) == []
    assert names(ls(UserPoolId=strict.id, Filter='username ^= "Al"')) == ["Alice"]
    for p in (loose, strict):
        # attribute values compare exactly
        assert names(ls(UserPoolId=p.id, Filter='email = "alice@example.com"')) == []
        assert names(ls(UserPoolId=p.id, Filter='email ^= "Alice@"')) == ["Alice"]
        assert names(ls(UserPoolId=p.id, Filter='name ^= "ali"')) == []
        # cognito:user_status ignores case; status does not
        assert names(ls(UserPoolId=p.id, Filter='cognito:user_status = "force_change_password"')) == ["Alice", "bob"]
        assert names(ls(UserPoolId=p.id, Filter='cognito:user_status ^= "Force"')) == ["Alice", "bob"]
        assert names(ls(UserPoolId=p.id, Filter='status = "enabled"')) == []
        assert names(ls(UserPoolId=p.id, Filter='status = "Enabled"')) == ["Alice", "bob"]
