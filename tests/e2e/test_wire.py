"""AWS JSON 1.1 wire shape, checked with raw HTTP (requests), not an SDK."""

import json
import socket

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import UUID_RE, raw_call, unique

JSON11 = "application/x-amz-json-1.1"
VALIDATION = "1 validation error detected: "


def assert_error_envelope(r: requests.Response, code: str, status: int = 400):
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["__type"] == code, body
    assert isinstance(body.get("message"), str) and body["message"], body
    assert r.headers.get("x-amzn-ErrorType") == f"{code}:"
    assert UUID_RE.match(r.headers.get("x-amzn-RequestId", "")), r.headers
    assert r.headers.get("Content-Type", "").startswith(JSON11)
    return body


def test_health(server):
    r = requests.get(f"{server.url}/health", timeout=5)
    assert r.status_code == 200
    assert r.text.strip() == "ok"


def test_error_envelope_shape(server):
    r = raw_call(server.url, "DescribeUserPool", {"UserPoolId": "us-east-1_Nope12345"})
    body = assert_error_envelope(r, "ResourceNotFoundException")
    assert set(body) <= {"__type", "message"}
    assert "us-east-1_Nope12345" in body["message"]


def test_success_has_request_id_and_content_type(server):
    ids = set()
    for _ in range(3):
        r = raw_call(server.url, "ListUserPools", {"MaxResults": 5})
        assert r.status_code == 200, r.text
        assert r.headers.get("Content-Type", "").startswith(JSON11)
        assert UUID_RE.match(r.headers.get("x-amzn-RequestId", ""))
        ids.add(r.headers["x-amzn-RequestId"])
        assert isinstance(r.json()["UserPools"], list)
    assert len(ids) == 3, "request ids must be unique"


@pytest.mark.parametrize("content_type", [JSON11, "application/json"])
def test_content_types_accepted(server, content_type):
    name = unique("ct-")
    r = raw_call(server.url, "CreateUserPool", {"PoolName": name}, content_type=content_type)
    assert r.status_code == 200, r.text
    pool_id = r.json()["UserPool"]["Id"]
    r = raw_call(server.url, "DescribeUserPool", {"UserPoolId": pool_id}, content_type=content_type)
    assert r.status_code == 200
    assert r.json()["UserPool"]["Name"] == name
    raw_call(server.url, "DeleteUserPool", {"UserPoolId": pool_id})


def test_any_post_path_is_accepted(server):
    r = requests.post(f"{server.url}/some/path", data=json.dumps({"MaxResults": 1}),
                      headers={"Content-Type": JSON11, "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools"},
                      timeout=10)
    assert r.status_code == 200, r.text
    assert "UserPools" in r.json()


@pytest.mark.parametrize("body", ["{not json", '{"MaxResults": }', "{\"MaxResults\": 1", "\x00\x01", "[1, 2]", '"text"'])
def test_malformed_json_is_serialization_exception(server, body):
    r = raw_call(server.url, "ListUserPools", body)
    assert_error_envelope(r, "SerializationException")


@pytest.mark.parametrize("target", [
    "AWSCognitoIdentityProviderService.NoSuchOperation",
    "AWSCognitoIdentityProviderService.",
    "SomeOtherService.ListUserPools",
    "ListUserPools",
    "",
])
def test_unknown_target(server, target):
    r = raw_call(server.url, "ListUserPools", {"MaxResults": 1}, target=target)
    assert_error_envelope(r, "UnknownOperationException")


def test_missing_target_header(server):
    r = requests.post(server.url + "/", data="{}", headers={"Content-Type": JSON11}, timeout=10)
    assert_error_envelope(r, "UnknownOperationException")


def test_unimplemented_model_operation_is_named(server, pool):
    r = raw_call(server.url, "DescribeRiskConfiguration", {"UserPoolId": pool.id})
    body = assert_error_envelope(r, "UnsupportedOperationException")
    assert body["message"] == "Cognate does not implement DescribeRiskConfiguration yet."


def test_unimplemented_operation_through_boto3(cognito, pool):
    with pytest.raises(ClientError) as e:
        cognito.set_risk_configuration(UserPoolId=pool.id)
    assert e.value.response["Error"]["Code"] == "UnsupportedOperationException"
    assert "SetRiskConfiguration" in e.value.response["Error"]["Message"]


def test_oversized_body_is_413(server, pool):
    big = {"UserPoolId": pool.id, "Username": "big", "UserAttributes": [{"Name": "name", "Value": "x" * (2 * 1024 * 1024)}]}
    r = raw_call(server.url, "AdminCreateUser", big)
    assert r.status_code == 413, r.status_code
    assert r.json()["__type"] == "RequestEntityTooLargeException"
    # nothing was created
    r = raw_call(server.url, "ListUsers", {"UserPoolId": pool.id})
    assert r.status_code == 200, r.text
    assert r.json()["Users"] == []


def _raw_exchange(url: str, request: bytes) -> tuple[bytes, dict[bytes, bytes], bytes]:
    """Sends raw bytes and reads one answer (status line, lower-cased headers, body), even if
    the server answered and closed before reading all of the request."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        try:
            s.sendall(request)
        except OSError:
            pass  # answered and closed early: the answer is still there to read
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            assert chunk, f"connection closed without an answer: {answer!r}"
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status, *lines = head.split(b"\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(b":", 1) for l in lines)}
        while len(body) < int(headers.get(b"content-length", b"0")):
            chunk = s.recv(65536)
            assert chunk, "connection closed mid-body"
            body += chunk
        return status, headers, body


@pytest.mark.parametrize(
    "target,content_type,code",
    [
        ("AWSCognitoIdentityProviderService.ListUserPools", ";", "SerializationException"),
        ("AWSCognitoIdentityProviderService.", JSON11, "UnknownOperationException"),
    ],
)
def test_early_error_before_a_large_chunked_body(server, target, content_type, code):
    # From cognate-fuzz: a chunked body over 1 MiB with a bad content type or an unknown
    # operation is answered at once with the error envelope, before the body is read.
    body = b'{"MaxResults":60}' + b" " * (1024 * 1024 + 100)
    step = 60000
    chunks = b"".join(
        b"%x\r\n" % len(body[i : i + step]) + body[i : i + step] + b"\r\n"
        for i in range(0, len(body), step)
    )
    head = (
        f"POST / HTTP/1.1\r\nHost: {server.url.removeprefix('http://')}\r\nX-Amz-Target: {target}\r\n"
        f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    status, headers, payload = _raw_exchange(server.url, head + chunks + b"0\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 400"), (status, payload)
    assert headers.get(b"x-amzn-errortype") == f"{code}:".encode(), headers
    assert UUID_RE.match(headers.get(b"x-amzn-requestid", b"").decode())
    assert json.loads(payload)["__type"] == code


def test_body_under_limit_with_unknown_member_is_accepted(server):
    # ~900 KiB is within the 1 MiB limit, and unknown members are ignored (forward compatibility)
    r = raw_call(server.url, "ListUserPools", {"MaxResults": 1, "Padding": "x" * (900 * 1024)})
    assert r.status_code == 200, r.text[:300]
    assert "UserPools" in r.json()


@pytest.mark.parametrize("op,body", [
    ("ListUserPools", {"MaxResults": "ten"}),
    ("ListUserPools", {"MaxResults": 1.5}),
    ("DescribeUserPool", {"UserPoolId": 12345}),
    ("DescribeUserPool", {"UserPoolId": ["us-east-1_abc"]}),
    ("CreateUserPool", {"PoolName": {"a": 1}}),
    ("CreateUserPool", {"PoolName": "x", "Policies": "strict"}),
    ("CreateUserPool", {"PoolName": "x", "AutoVerifiedAttributes": "email"}),
    ("CreateUserPoolClient", {"UserPoolId": "us-east-1_abc", "ClientName": "c", "GenerateSecret": "yes"}),
    ("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "abc", "AuthParameters": "USERNAME=x"}),
    ("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "abc", "AuthParameters": {"USERNAME": 5}}),
    ("AdminCreateUser", {"UserPoolId": "us-east-1_abc", "Username": "u", "UserAttributes": {"email": "a@b.c"}}),
])
def test_wrong_json_types_are_serialization_exception(server, op, body):
    r = raw_call(server.url, op, body)
    assert_error_envelope(r, "SerializationException")


def test_wrong_type_leaves_data_unchanged(server, pool):
    before = raw_call(server.url, "DescribeUserPool", {"UserPoolId": pool.id}).json()["UserPool"]
    r = raw_call(server.url, "UpdateUserPool", {"UserPoolId": pool.id, "Policies": {"PasswordPolicy": {"MinimumLength": "six"}}})
    assert_error_envelope(r, "SerializationException")
    after = raw_call(server.url, "DescribeUserPool", {"UserPoolId": pool.id}).json()["UserPool"]
    assert after["Policies"] == before["Policies"]


@pytest.mark.parametrize("op,body,field", [
    ("DescribeUserPool", {}, "userPoolId"),
    ("CreateUserPool", {}, "poolName"),
    ("ListUserPools", {}, "maxResults"),
    ("DescribeUserPoolClient", {"UserPoolId": "us-east-1_abc123"}, "clientId"),
    ("AdminGetUser", {"UserPoolId": "us-east-1_abc123"}, "username"),
    ("InitiateAuth", {"ClientId": "abc"}, "authFlow"),
    ("SignUp", {"ClientId": "abc"}, "username"),
    ("ConfirmSignUp", {"ClientId": "abc", "Username": "u"}, "confirmationCode"),
    ("GetUser", {}, "accessToken"),
    ("CreateGroup", {"UserPoolId": "us-east-1_abc123"}, "groupName"),
])
def test_missing_required_member(server, op, body, field):
    r = raw_call(server.url, op, body)
    b = assert_error_envelope(r, "InvalidParameterException")
    assert b["message"] == f"{VALIDATION}Value null at '{field}' failed to satisfy constraint: Member must not be null"


def test_null_member_counts_as_missing(server):
    r = raw_call(server.url, "DescribeUserPool", {"UserPoolId": None})
    b = assert_error_envelope(r, "InvalidParameterException")
    assert b["message"] == f"{VALIDATION}Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"


@pytest.mark.parametrize("op,body,expected", [
    ("DescribeUserPool", {"UserPoolId": "bad id!"},
     "Value 'bad id!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"),
    ("DescribeUserPool", {"UserPoolId": "us-east-1_" + "a" * 46},
     "Value '" + "us-east-1_" + "a" * 46 + "' at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55"),
    ("ListUserPools", {"MaxResults": 0},
     "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    ("ListUserPools", {"MaxResults": 61},
     "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"),
    ("CreateUserPool", {"PoolName": "p" * 129},
     "Value '" + "p" * 129 + "' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128"),
    ("CreateUserPool", {"PoolName": "bad/name"},
     "Value 'bad/name' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"),
    ("CreateUserPool", {"PoolName": "ok", "Policies": {"PasswordPolicy": {"MinimumLength": 5}}},
     "Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"),
    ("ListUsers", {"UserPoolId": "us-east-1_abc123", "Limit": 61},
     "Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"),
])
def test_constraint_violation_wording(server, op, body, expected):
    r = raw_call(server.url, op, body)
    b = assert_error_envelope(r, "InvalidParameterException")
    assert b["message"] == VALIDATION + expected


def test_enum_violation_wording(server):
    r = raw_call(server.url, "InitiateAuth", {"AuthFlow": "BOGUS", "ClientId": "abc", "AuthParameters": {}})
    b = assert_error_envelope(r, "InvalidParameterException")
    assert b["message"].startswith(
        VALIDATION + "Value 'BOGUS' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [")
    for v in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"):
        assert v in b["message"]


def test_two_violations_are_counted(server):
    r = raw_call(server.url, "ListUsers", {"UserPoolId": "bad id!", "Limit": 61})
    b = assert_error_envelope(r, "InvalidParameterException")
    assert b["message"].startswith("2 validation errors detected: ")
    assert "'userPoolId'" in b["message"] and "'limit'" in b["message"]


def test_sensitive_value_not_echoed(server):
    secret = "has a space"
    r = raw_call(server.url, "SignUp", {"ClientId": "abc", "Username": "u", "Password": secret})
    b = assert_error_envelope(r, "InvalidParameterException")
    assert secret not in b["message"]
    assert "at 'password' failed to satisfy constraint" in b["message"]


def test_confirmation_code_pattern(server):
    r = raw_call(server.url, "ConfirmSignUp", {"ClientId": "abc", "Username": "u", "ConfirmationCode": "12 34"})
    b = assert_error_envelope(r, "InvalidParameterException")
    assert "at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+" in b["message"]


def test_invalid_input_creates_nothing(server):
    name = unique("never-")
    before = raw_call(server.url, "ListUserPools", {"MaxResults": 60}).json()["UserPools"]
    r = raw_call(server.url, "CreateUserPool", {"PoolName": name, "Policies": {"PasswordPolicy": {"MinimumLength": 100}}})
    assert_error_envelope(r, "InvalidParameterException")
    r = raw_call(server.url, "CreateUserPool", {"PoolName": name, "MfaConfiguration": "SOMETIMES"})
    assert_error_envelope(r, "InvalidParameterException")
    after = raw_call(server.url, "ListUserPools", {"MaxResults": 60}).json()["UserPools"]
    assert name not in [p["Name"] for p in after]
    assert len(after) == len(before)


def test_not_authorized_is_http_400(server, pool):
    r = raw_call(server.url, "GetUser", {"AccessToken": "abc.def.ghi"})
    assert_error_envelope(r, "NotAuthorizedException", status=400)


def test_unknown_user_is_http_400(server, pool):
    r = raw_call(server.url, "AdminGetUser", {"UserPoolId": pool.id, "Username": "ghost"})
    b = assert_error_envelope(r, "UserNotFoundException", status=400)
    assert b["message"] == "User does not exist."


def test_test_clock_endpoint(server):
    r = requests.get(f"{server.url}/_cognate/clock", timeout=5)
    assert r.status_code == 200
    assert isinstance(r.json()["now"], (int, float))


def test_test_clock_absent_without_flag(new_server):
    srv = new_server(test_clock=False)
    assert requests.get(f"{srv.url}/_cognate/clock", timeout=5).status_code == 404
    assert requests.post(f"{srv.url}/_cognate/clock", json={"advance": 10}, timeout=5).status_code == 404
