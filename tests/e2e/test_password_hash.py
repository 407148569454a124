"""The password hash cost is a setting (`--password-hash-profile`), stored with each hash: a
change of profile never breaks existing users, and a user's hash moves to the current profile at
their next successful sign-in. The `test` profile is announced at start as not for production."""

from __future__ import annotations

import json
import sqlite3

from conftest import PASSWORD, create_pool, psql, raises, unique

TEST_PREFIX = "$argon2id$v=19$m=8,t=1,p=1$"
PRODUCTION_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def stored_phc(srv, pool_id: str, username: str) -> str:
    """The user's stored password hash, read from the database itself."""
    if srv.database_url:
        raw = psql(f"SELECT data FROM users WHERE pool_id = '{pool_id}' AND username = '{username}'",
                   url=srv.database_url)
    else:
        with sqlite3.connect(f"file:{srv.data_dir / 'cognate.db'}?mode=ro", uri=True) as db:
            raw = db.execute("SELECT data FROM users WHERE pool_id = ? AND username = ?",
                             (pool_id, username)).fetchone()[0]
    return json.loads(raw)["password"]["phc"]


def with_profile(srv, profile: str):
    srv.extra_args = [a for a in srv.extra_args if not a.startswith("--password-hash-profile")]
    srv.extra_args.append(f"--password-hash-profile={profile}")
    return srv.restart()


def test_profiles_switch_both_ways_without_breaking_sign_in(new_server):
    srv = new_server(extra_args=["--password-hash-profile=test"])
    assert "NOT FOR PRODUCTION" in srv.log_tail(200)
    c = srv.client()
    pool = create_pool(c, srv)
    pool.client_id = pool.create_client()["ClientId"]
    a, b = unique("a"), unique("b")
    pool.create_user(a)
    pool.create_user(b)
    assert stored_phc(srv, pool.id, a).startswith(TEST_PREFIX)

    # production now: test-cost hashes still verify, and the one who signs in is upgraded
    with_profile(srv, "production")
    assert "NOT FOR PRODUCTION" not in srv.log_tail(200)
    pool.sign_in(a)
    assert stored_phc(srv, pool.id, a).startswith(PRODUCTION_PREFIX)
    assert stored_phc(srv, pool.id, b).startswith(TEST_PREFIX)
    pool.sign_in(a)  # the upgraded hash verifies
    # a wrong password upgrades nothing
    with raises("NotAuthorizedException", "Incorrect username or password."):
        pool.sign_in(b, password=PASSWORD + "x")
    assert stored_phc(srv, pool.id, b).startswith(TEST_PREFIX)

    # and back: a production hash verifies under the test profile, and moves down
    with_profile(srv, "test")
    pool.sign_in(a)
    assert stored_phc(srv, pool.id, a).startswith(TEST_PREFIX)
    # a new password is hashed at the current profile
    c.admin_set_user_password(UserPoolId=pool.id, Username=b, Password=PASSWORD + "2", Permanent=True)
    assert stored_phc(srv, pool.id, b).startswith(TEST_PREFIX)
    pool.sign_in(b, password=PASSWORD + "2")


def test_the_default_profile_is_owasp_argon2id(new_server):
    srv = new_server()
    c = srv.client()
    pool = create_pool(c, srv)
    name = unique("d")
    pool.create_user(name)
    assert stored_phc(srv, pool.id, name).startswith(PRODUCTION_PREFIX)


def test_an_unknown_profile_is_refused_at_start(tmp_path):
    from test_storage import run_cognate
    r = run_cognate("serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"),
                    "--password-hash-profile", "fast")
    assert r.returncode != 0 and "fast" in r.stderr
