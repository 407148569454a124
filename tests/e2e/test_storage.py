"""The storage as an operator meets it: a damaged SQLite file is noticed at start and by
`cognate check`; an unusable data directory is named with the reason; on PostgreSQL, a database
that goes away answers InternalErrorException (500) and /ready 503 while /health stays up, and
the server recovers by itself when the database is back."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import (E2E_DATABASE_URL, PASSWORD, cognate_binary, new_schema, postgres_only, psql, raises,
                      schema_url, sqlite_only, unique)


def run_cognate(*args, timeout=60) -> subprocess.CompletedProcess:
    """Runs the binary to completion (a start that must fail, or a command)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
    return subprocess.run([str(cognate_binary()), *args], capture_output=True, text=True, timeout=timeout,
                          env=env, stdin=subprocess.DEVNULL)


def fill(srv, users=150):
    """A pool with enough users that the database spans many pages."""
    c = srv.client()
    pid = c.create_user_pool(PoolName="fill")["UserPool"]["Id"]
    for i in range(users):
        c.admin_create_user(UserPoolId=pid, Username=f"user{i:04d}", MessageAction="SUPPRESS",
                            UserAttributes=[{"Name": "name", "Value": "x" * 200}])
    return pid


# --------------------------------------------------------------------------- damaged SQLite file


@sqlite_only
def test_damaged_database_is_refused_at_start_and_reported_by_check(new_server):
    srv = new_server()
    fill(srv)
    srv.stop()
    db = srv.data_dir / "cognate.db"
    assert not (srv.data_dir / "cognate.db-wal").exists() or (srv.data_dir / "cognate.db-wal").stat().st_size == 0
    size = db.stat().st_size
    assert size > 64 * 1024, size
    with open(db, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\0" * 4096)

    started = run_cognate("serve", "--listen", "127.0.0.1:0", "--data-dir", str(srv.data_dir))
    assert started.returncode != 0
    assert "cognate listening" not in started.stdout
    assert str(db) in started.stderr and "damaged" in started.stderr, started.stderr

    check = run_cognate("check", "--data-dir", str(srv.data_dir))
    assert check.returncode != 0
    assert str(db) in check.stderr and "damaged" in check.stderr, check.stderr


@sqlite_only
def test_check_passes_on_a_sound_database(new_server):
    srv = new_server()
    fill(srv, users=3)
    srv.stop()
    check = run_cognate("check", "--data-dir", str(srv.data_dir))
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("ok: ")
    migrate = run_cognate("migrate", "--data-dir", str(srv.data_dir))
    assert migrate.returncode == 0 and "current" in migrate.stdout, migrate


# --------------------------------------------------------------------------- unusable data directory


def test_data_dir_that_is_a_file(tmp_path):
    path = tmp_path / "not-a-dir"
    path.write_text("x")
    r = run_cognate("serve", "--listen", "127.0.0.1:0", "--data-dir", str(path))
    assert r.returncode != 0
    assert str(path) in r.stderr and "not a directory" in r.stderr, r.stderr


def test_data_dir_under_a_file(tmp_path):
    # Tests run as root, which no permission bit stops; a path under a regular file stops anyone.
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    path = blocker / "data"
    r = run_cognate("serve", "--listen", "127.0.0.1:0", "--data-dir", str(path))
    assert r.returncode != 0
    assert str(path) in r.stderr and f"{blocker} is a file" in r.stderr, r.stderr


# --------------------------------------------------------------------------- PostgreSQL goes away


class TcpProxy:
    """A TCP forwarder to the database that can be stopped (the database is gone) and started again
    on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self.running = False

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(64)
        self.conns: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            self.conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        try:
            while self.running:
                ready, _, _ = select.select([a, b], [], [], 0.2)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return
        finally:
            for s in (a, b):
                s.close()

    def stop(self):
        self.running = False
        self.listener.close()
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def through(proxy: TcpProxy, url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{userinfo}127.0.0.1:{proxy.port}"))


def list_pools(c):
    return c.list_user_pools(MaxResults=10)["UserPools"]


def eventually(call, seconds=20.0):
    """The call's result once it stops raising (the server recovers without a restart)."""
    deadline = time.time() + seconds
    while True:
        try:
            return call()
        except ClientError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


@postgres_only
def test_terminated_connections_are_replaced(new_server):
    srv = new_server()
    c = srv.client()
    c.create_user_pool(PoolName="survivor")
    app = srv.database_url.split("application_name=")[1]
    killed = psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                  f"WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = '{app}'")
    assert int(killed) >= 1
    # at most the calls that held a dropped connection fail; the next ones succeed
    assert [p["Name"] for p in eventually(lambda: list_pools(c), seconds=10)] == ["survivor"]
    for _ in range(5):
        assert len(list_pools(c)) == 1
    assert requests.get(f"{srv.url}/ready", timeout=10).status_code == 200


@postgres_only
def test_pool_size_bounds_the_connections(new_server):
    srv = new_server(extra_args=["--database-pool-size", "2"])
    c = srv.client()
    c.create_user_pool(PoolName="small-pool")
    results = []

    def work():
        results.append(len(list_pools(c)))

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [1] * 12
    app = srv.database_url.split("application_name=")[1]
    open_now = int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}'"))
    assert 1 <= open_now <= 2, open_now


@postgres_only
def test_database_outage_answers_500_and_recovers(new_server):
    parts = urllib.parse.urlsplit(E2E_DATABASE_URL)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432)).start()
    srv = new_server(database_url=through(proxy, schema_url(new_schema())))
    c = srv.client()
    pid = c.create_user_pool(PoolName="outage")["UserPool"]["Id"]
    assert requests.get(f"{srv.url}/ready", timeout=10).status_code == 200

    proxy.stop()
    try:
        with raises("InternalErrorException"):
            c.describe_user_pool(UserPoolId=pid)
        r = requests.post(srv.url + "/", json={"UserPoolId": pid}, timeout=30, headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool"})
        assert r.status_code == 500 and r.json()["__type"] == "InternalErrorException", r.text
        assert requests.get(f"{srv.url}/ready", timeout=10).status_code == 503
        assert requests.get(f"{srv.url}/health", timeout=10).status_code == 200
    finally:
        proxy.start()  # the database is back, on the same address

    assert eventually(lambda: c.describe_user_pool(UserPoolId=pid))["UserPool"]["Id"] == pid
    assert requests.get(f"{srv.url}/ready", timeout=10).status_code == 200
    name = unique("back")
    c.admin_create_user(UserPoolId=pid, Username=name, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    assert c.admin_get_user(UserPoolId=pid, Username=name)["Username"] == name
    proxy.stop()


@postgres_only
def test_start_waits_for_a_database_that_is_not_up_yet(new_server):
    """An instance started before its database (containers coming up together) keeps trying for
    a bounded time, then serves; it does not exit at the first refused connection."""
    parts = urllib.parse.urlsplit(E2E_DATABASE_URL)
    proxy = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432)).start()
    proxy.stop()  # the port is known, nothing listens on it: connections are refused
    url = through(proxy, schema_url(new_schema()))
    timer = threading.Timer(1.5, proxy.start)
    timer.start()
    try:
        srv = new_server(database_url=url)
        assert "database not ready, trying again" in srv.log_tail(200)
        c = srv.client()
        assert c.create_user_pool(PoolName="late-db")["UserPool"]["Name"] == "late-db"
        assert requests.get(f"{srv.url}/ready", timeout=10).status_code == 200
    finally:
        timer.join()
        proxy.stop()


@postgres_only
def test_start_gives_up_on_a_database_that_refuses_for_good(tmp_path):
    """A wrong password is not transient: the start fails at once, saying why."""
    parts = urllib.parse.urlsplit(E2E_DATABASE_URL)
    bad = urllib.parse.urlunsplit(parts._replace(netloc=f"no_such_role@{parts.hostname}:{parts.port or 5432}"))
    started = time.monotonic()
    r = run_cognate("serve", "--listen", "127.0.0.1:0", "--data-dir", str(tmp_path / "d"), "--database-url", bad)
    assert r.returncode != 0
    assert "no_such_role" in r.stderr
    assert time.monotonic() - started < 20
