"""Bulk user import: GetCSVHeader, the import jobs (CreateUserImportJob, the CSV PUT to the
job's PreSignedUrl, StartUserImportJob, DescribeUserImportJob, ListUserImportJobs,
StopUserImportJob), the imported users (RESET_REQUIRED, no password) and `cognate import`."""

from __future__ import annotations

import subprocess
import time

import requests

from conftest import (OTHER_PASSWORD, ALL_PASSWORD_FLOWS, attr_dict, cognate_binary, create_pool,
                      raises)

ROLE = "arn:aws:iam::123456789012:role/CognitoImport"
STANDARD_HEADER = [
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
    "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
    "cognito:mfa_enabled", "cognito:username",
]


def csv_text(header: list[str], rows: list[dict]) -> str:
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(col, "")) for col in header))
    return "\n".join(lines) + "\n"


def row(username: str, email: str | None = None, verified: str = "true", **attrs) -> dict:
    r = {"cognito:username": username, "cognito:mfa_enabled": "false"}
    if email is not None:
        r.update({"email": email, "email_verified": verified})
    r.update(attrs)
    return r


def wait_finished(cognito, pool_id: str, job_id: str, timeout: float = 60.0) -> dict:
    deadline = time.time() + timeout
    while True:
        job = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
        if job["Status"] in ("Succeeded", "Failed", "Stopped", "Expired"):
            return job
        assert time.time() < deadline, f"job still {job['Status']}"
        time.sleep(0.2)


def test_csv_header_lists_the_pools_attributes(make_pool, cognito):
    p = make_pool(with_client=False)
    r = cognito.get_csv_header(UserPoolId=p.id)
    assert r["UserPoolId"] == p.id
    assert r["CSVHeader"] == STANDARD_HEADER
    cognito.add_custom_attributes(UserPoolId=p.id, CustomAttributes=[
        {"Name": "plan", "AttributeDataType": "String", "Mutable": True}])
    header = cognito.get_csv_header(UserPoolId=p.id)["CSVHeader"]
    assert "custom:plan" in header and header[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    with raises("ResourceNotFoundException"):
        cognito.get_csv_header(UserPoolId="us-east-1_nothere")


def test_import_job_end_to_end(pool, cognito, server):
    cognito.add_custom_attributes(UserPoolId=pool.id, CustomAttributes=[
        {"Name": "plan", "AttributeDataType": "String", "Mutable": True}])
    pool.create_user("taken", attributes={"email": "taken@example.com", "email_verified": "true"})
    header = cognito.get_csv_header(UserPoolId=pool.id)["CSVHeader"]

    job = cognito.create_user_import_job(UserPoolId=pool.id, JobName="first import",
                                         CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    assert job["JobName"] == "first import" and job["UserPoolId"] == pool.id
    assert job["CloudWatchLogsRoleArn"] == ROLE and "CreationDate" in job
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    url = job["PreSignedUrl"]
    assert url.startswith(server.url + "/import-jobs/" + job["JobId"] + "?")

    with raises("PreconditionNotMetException"):  # nothing uploaded yet
        cognito.start_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])

    rows = [
        row("alice", "alice@example.com", name="Alice Liddell", **{"custom:plan": "gold"}),
        row("bob", "bob@example.com", phone_number="+15555550100", phone_number_verified="true"),
        row("carol", "not-an-email"),                # invalid attribute value
        row("taken", "someone@example.com"),         # the username exists
        row("dave", "dave@example.com", verified="false"),  # no auto-verified attribute verified
        row("erin", "taken@example.com"),  # imported: email is no sign-in alias in this pool
    ]
    text = csv_text(header, rows)

    # Only the URL's token authorises the upload.
    bad = url.rsplit("=", 1)[0] + "=" + "0" * 64
    assert requests.put(bad, data=text, timeout=10).status_code == 403
    assert requests.put(url.split("?")[0], data=text, timeout=10).status_code == 403
    r = requests.put(url, data=text.encode(), timeout=10)
    assert r.status_code == 200, r.text

    started = cognito.start_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] in ("Pending", "InProgress") and "StartDate" in started
    with raises("PreconditionNotMetException"):
        cognito.start_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])

    done = wait_finished(cognito, pool.id, job["JobId"])
    assert done["Status"] == "Succeeded", done
    assert done["ImportedUsers"] == 3 and done["FailedUsers"] == 3, done
    assert "CompletionDate" in done and done["CompletionMessage"]
    # A started job takes no more files.
    assert requests.put(url, data=text, timeout=10).status_code == 403
    with raises("PreconditionNotMetException"):
        cognito.stop_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])

    alice = pool.get_user("alice")
    assert alice["UserStatus"] == "RESET_REQUIRED" and alice["Enabled"]
    attrs = attr_dict(alice["UserAttributes"])
    assert attrs["email"] == "alice@example.com" and attrs["email_verified"] == "true"
    assert attrs["name"] == "Alice Liddell" and attrs["custom:plan"] == "gold" and attrs["sub"]
    bob = attr_dict(pool.get_user("bob")["UserAttributes"])
    assert bob["phone_number"] == "+15555550100" and bob["phone_number_verified"] == "true"
    for missing in ("carol", "dave"):
        with raises("UserNotFoundException"):
            pool.get_user(missing)
    assert attr_dict(pool.get_user("taken")["UserAttributes"])["email"] == "taken@example.com"

    # An imported user has no password: sign-in asks for a reset, the reset works, then sign-in.
    with raises("PasswordResetRequiredException"):
        pool.sign_in("alice", "Whatever1!")
    cognito.forgot_password(ClientId=pool.client_id, Username="alice")
    code = pool.last_message("alice", kind="ForgotPassword")["code"]
    cognito.confirm_forgot_password(ClientId=pool.client_id, Username="alice",
                                    ConfirmationCode=code, Password=OTHER_PASSWORD)
    assert pool.sign_in("alice", OTHER_PASSWORD)["AccessToken"]
    assert pool.get_user("alice")["UserStatus"] == "CONFIRMED"


def test_unknown_jobs_and_listing(pool, cognito):
    for op in (cognito.describe_user_import_job, cognito.start_user_import_job,
               cognito.stop_user_import_job):
        with raises("ResourceNotFoundException"):
            op(UserPoolId=pool.id, JobId="import-doesnotexist")
    ids = [cognito.create_user_import_job(UserPoolId=pool.id, JobName=f"job{i}",
                                          CloudWatchLogsRoleArn=ROLE)["UserImportJob"]["JobId"]
           for i in range(3)]
    # A job of another pool is not found through this one.
    other = create_pool(cognito, pool.server)
    try:
        with raises("ResourceNotFoundException"):
            cognito.describe_user_import_job(UserPoolId=other.id, JobId=ids[0])
    finally:
        cognito.delete_user_pool(UserPoolId=other.id)
    seen, token = [], None
    while True:
        kw = {"PaginationToken": token} if token else {}
        r = cognito.list_user_import_jobs(UserPoolId=pool.id, MaxResults=2, **kw)
        assert len(r["UserImportJobs"]) <= 2
        seen += [j["JobId"] for j in r["UserImportJobs"]]
        token = r.get("PaginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(ids)
    with raises("PreconditionNotMetException"):  # a Created job is not running
        cognito.stop_user_import_job(UserPoolId=pool.id, JobId=ids[0])


def test_stop_a_started_job(pool, cognito):
    header = cognito.get_csv_header(UserPoolId=pool.id)["CSVHeader"]
    rows = [row(f"user{i:05d}", f"user{i}@example.com") for i in range(5000)]
    job = cognito.create_user_import_job(UserPoolId=pool.id, JobName="big",
                                         CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    assert requests.put(job["PreSignedUrl"], data=csv_text(header, rows), timeout=30).status_code == 200
    cognito.start_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])
    stopped = cognito.stop_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])["UserImportJob"]
    assert stopped["Status"] in ("Stopping", "Stopped")
    done = wait_finished(cognito, pool.id, job["JobId"])
    assert done["Status"] == "Stopped" and done["ImportedUsers"] < 5000, done


def test_an_unstarted_job_expires(new_server):
    srv = new_server()
    cognito = srv.client()
    p = create_pool(cognito, srv)
    job = cognito.create_user_import_job(UserPoolId=p.id, JobName="late",
                                         CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    srv.advance_clock(24 * 3600 + 1)
    assert requests.put(job["PreSignedUrl"], data="x", timeout=10).status_code == 403
    got = cognito.describe_user_import_job(UserPoolId=p.id, JobId=job["JobId"])["UserImportJob"]
    assert got["Status"] == "Expired"
    with raises("PreconditionNotMetException"):
        cognito.start_user_import_job(UserPoolId=p.id, JobId=job["JobId"])


def test_a_bad_header_fails_the_job(pool, cognito):
    job = cognito.create_user_import_job(UserPoolId=pool.id, JobName="bad",
                                         CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    text = "cognito:username,email,shoe_size\nx,x@example.com,42\n"
    assert requests.put(job["PreSignedUrl"], data=text, timeout=10).status_code == 200
    cognito.start_user_import_job(UserPoolId=pool.id, JobId=job["JobId"])
    done = wait_finished(cognito, pool.id, job["JobId"])
    assert done["Status"] == "Failed" and done["ImportedUsers"] == 0, done
    assert "shoe_size" in done["CompletionMessage"]


def test_cli_import(new_server, tmp_path):
    srv = new_server()
    cognito = srv.client()
    p = create_pool(cognito, srv)
    client_id = cognito.create_user_pool_client(UserPoolId=p.id, ClientName="app",
                                                ExplicitAuthFlows=ALL_PASSWORD_FLOWS)["UserPoolClient"]["ClientId"]
    header = cognito.get_csv_header(UserPoolId=p.id)["CSVHeader"]
    rows = [row(f"cli{i:04d}", f"cli{i}@example.com", name=f"Name\\, {i}") for i in range(2500)]
    rows.append(row("broken", "nope"))
    path = tmp_path / "users.csv"
    path.write_text(csv_text(header, rows))
    srv.stop()
    args = [str(cognate_binary()), "import", "--pool-id", p.id, "--file", str(path),
            "--data-dir", str(srv.data_dir)]
    if srv.database_url:
        args += ["--database-url", srv.database_url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "imported 2500 users, 1 failed" in out.stdout, out.stdout
    assert "line 2502" in out.stderr  # the failed record, by line
    srv.start()
    cognito = srv.client()
    u = cognito.admin_get_user(UserPoolId=p.id, Username="cli0042")
    assert u["UserStatus"] == "RESET_REQUIRED"
    assert attr_dict(u["UserAttributes"])["name"] == "Name, 42"
    assert cognito.describe_user_pool(UserPoolId=p.id)["UserPool"]["EstimatedNumberOfUsers"] == 2500
    # The batch insert writes the ListUsers search index like a single insert does.
    found = cognito.list_users(UserPoolId=p.id, Filter='email = "cli42@example.com"')["Users"]
    assert [u["Username"] for u in found] == ["cli0042"]
    found = cognito.list_users(UserPoolId=p.id, Filter='cognito:user_status = "RESET_REQUIRED"', Limit=60)
    assert len(found["Users"]) == 60 and "PaginationToken" in found
    with raises("PasswordResetRequiredException"):
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "cli0001", "PASSWORD": "Whatever1!"})
