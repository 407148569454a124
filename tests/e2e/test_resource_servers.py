"""Resource servers through boto3: CRUD with replace semantics, pagination, errors, and
deletion with the pool."""

import pytest

from conftest import raises

API = "https://api.example.com"
SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "Read things"},
    {"ScopeName": "write", "ScopeDescription": "Write things"},
]


def test_create_and_describe(pool, cognito):
    rs = cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="My API",
                                        Scopes=SCOPES)["ResourceServer"]
    assert rs == {"UserPoolId": pool.id, "Identifier": API, "Name": "My API", "Scopes": SCOPES}
    got = cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)["ResourceServer"]
    assert got == rs


def test_without_scopes(pool, cognito):
    rs = cognito.create_resource_server(UserPoolId=pool.id, Identifier="plain", Name="Plain")["ResourceServer"]
    assert rs["Scopes"] == []
    assert cognito.describe_resource_server(UserPoolId=pool.id, Identifier="plain")["ResourceServer"]["Scopes"] == []


def test_duplicate_identifier(pool, cognito):
    cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="first")
    with raises("InvalidParameterException", f"{API} already exists in user pool {pool.id}."):
        cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="second")
    got = cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)["ResourceServer"]
    assert got["Name"] == "first"


def test_same_identifier_in_two_pools(make_pool, cognito):
    a, b = make_pool(with_client=False), make_pool(with_client=False)
    cognito.create_resource_server(UserPoolId=a.id, Identifier=API, Name="a")
    cognito.create_resource_server(UserPoolId=b.id, Identifier=API, Name="b")
    cognito.delete_resource_server(UserPoolId=a.id, Identifier=API)
    assert cognito.describe_resource_server(UserPoolId=b.id, Identifier=API)["ResourceServer"]["Name"] == "b"


def test_duplicate_scope_names(pool, cognito):
    with raises("InvalidParameterException", contains="read"):
        cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="x",
                                       Scopes=[SCOPES[0], SCOPES[0]])
    with raises("ResourceNotFoundException"):
        cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)


def test_invalid_names_are_refused_by_the_model(pool, cognito_unvalidated):
    # A scope name may not contain '/', an identifier no spaces or quotes.
    with raises("InvalidParameterException"):
        cognito_unvalidated.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="x",
                                                   Scopes=[{"ScopeName": "a/b", "ScopeDescription": "d"}])
    with raises("InvalidParameterException"):
        cognito_unvalidated.create_resource_server(UserPoolId=pool.id, Identifier="has space", Name="x")
    with raises("InvalidParameterException"):
        cognito_unvalidated.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="x",
                                                   Scopes=[{"ScopeName": "read"}])


def test_update_replaces_name_and_scopes(pool, cognito):
    cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="old", Scopes=SCOPES)
    new = [{"ScopeName": "admin", "ScopeDescription": "Everything"}]
    rs = cognito.update_resource_server(UserPoolId=pool.id, Identifier=API, Name="new", Scopes=new)["ResourceServer"]
    assert rs == {"UserPoolId": pool.id, "Identifier": API, "Name": "new", "Scopes": new}
    assert cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)["ResourceServer"] == rs
    # Scopes left out are removed.
    rs = cognito.update_resource_server(UserPoolId=pool.id, Identifier=API, Name="new")["ResourceServer"]
    assert rs["Scopes"] == []
    assert cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)["ResourceServer"]["Scopes"] == []


def test_missing_resource_server(pool, cognito):
    msg = "Resource server nope does not exist."
    with raises("ResourceNotFoundException", msg):
        cognito.describe_resource_server(UserPoolId=pool.id, Identifier="nope")
    with raises("ResourceNotFoundException", msg):
        cognito.update_resource_server(UserPoolId=pool.id, Identifier="nope", Name="x")
    with raises("ResourceNotFoundException", msg):
        cognito.delete_resource_server(UserPoolId=pool.id, Identifier="nope")


def test_missing_pool(cognito):
    missing = "us-east-1_Missing1"
    msg = f"User pool {missing} does not exist."
    for call in [
        lambda: cognito.create_resource_server(UserPoolId=missing, Identifier=API, Name="x"),
        lambda: cognito.describe_resource_server(UserPoolId=missing, Identifier=API),
        lambda: cognito.update_resource_server(UserPoolId=missing, Identifier=API, Name="x"),
        lambda: cognito.delete_resource_server(UserPoolId=missing, Identifier=API),
        lambda: cognito.list_resource_servers(UserPoolId=missing, MaxResults=10),
    ]:
        with raises("ResourceNotFoundException", msg):
            call()


def test_delete(pool, cognito):
    cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="x")
    cognito.delete_resource_server(UserPoolId=pool.id, Identifier=API)
    with raises("ResourceNotFoundException"):
        cognito.describe_resource_server(UserPoolId=pool.id, Identifier=API)
    assert cognito.list_resource_servers(UserPoolId=pool.id, MaxResults=10)["ResourceServers"] == []
    # The identifier can be used again.
    cognito.create_resource_server(UserPoolId=pool.id, Identifier=API, Name="again")


def test_list_pagination(pool, cognito):
    ids = [f"api-{n:02d}" for n in range(7)]
    for i in reversed(ids):
        cognito.create_resource_server(UserPoolId=pool.id, Identifier=i, Name=i, Scopes=SCOPES[:1])
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = cognito.list_resource_servers(UserPoolId=pool.id, MaxResults=3, **kwargs)
        assert len(page["ResourceServers"]) <= 3
        seen += page["ResourceServers"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert [s["Identifier"] for s in seen] == ids
    assert seen[0] == {"UserPoolId": pool.id, "Identifier": "api-00", "Name": "api-00", "Scopes": SCOPES[:1]}
    everything = cognito.list_resource_servers(UserPoolId=pool.id, MaxResults=50)
    assert [s["Identifier"] for s in everything["ResourceServers"]] == ids
    assert "NextToken" not in everything
    # boto3's paginator follows NextToken too.
    paged = cognito.get_paginator("list_resource_servers").paginate(
        UserPoolId=pool.id, PaginationConfig={"PageSize": 2})
    assert [s["Identifier"] for p in paged for s in p["ResourceServers"]] == ids


def test_list_is_per_pool(make_pool, cognito):
    a, b = make_pool(with_client=False), make_pool(with_client=False)
    cognito.create_resource_server(UserPoolId=a.id, Identifier="only-a", Name="a")
    assert cognito.list_resource_servers(UserPoolId=b.id, MaxResults=10)["ResourceServers"] == []


def test_bad_pagination_token(pool, cognito):
    with raises("InvalidParameterException"):
        cognito.list_resource_servers(UserPoolId=pool.id, MaxResults=10, NextToken="!!not-ours!!")


def test_deleted_with_the_pool(make_pool, cognito):
    p = make_pool(with_client=False)
    cognito.create_resource_server(UserPoolId=p.id, Identifier=API, Name="x")
    cognito.delete_user_pool(UserPoolId=p.id)
    with raises("ResourceNotFoundException", f"User pool {p.id} does not exist."):
        cognito.describe_resource_server(UserPoolId=p.id, Identifier=API)
