"""Bounded work: CPU-heavy calls beyond the queue are refused at once, the rest of the API keeps
answering, threads stay bounded; slow or idle clients are disconnected; connections are capped.

Each test starts its own server with small limits. No assertion is about how fast something
happens: waits are generous upper bounds, and the one "not yet" check (a connection over the cap
is not served while the cap is reached) cannot pass by being slow.
"""

from __future__ import annotations

import signal
import socket
import threading
from pathlib import Path

from botocore.exceptions import ClientError

from conftest import PASSWORD, unique

BURST = 48
THROTTLED = "TooManyRequestsException"


def thread_count(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads line")


class PeakThreads:
    """Samples the server's thread count in the background; `peak` is the highest seen."""

    def __init__(self, pid: int):
        self.pid, self.peak = pid, thread_count(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, thread_count(self.pid))
            except (OSError, ValueError):
                return
            self._stop.wait(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def password_pool(c):
    pid = c.create_user_pool(PoolName=unique("limits-"))["UserPool"]["Id"]
    cid = c.create_user_pool_client(
        UserPoolId=pid, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pid, cid


def sign_in(c, cid, username):
    return c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})


def burst(srv, admin, pid, cid, token, attempt):
    """Signs in BURST new users at once; returns each call's outcome, the peak thread count and
    the GetUser answered during the burst."""
    # One user per call: parallel attempts on one user are the lockout's business (in-flight
    # attempts count), not this test's.
    users = [f"burst{attempt}-{i}" for i in range(BURST)]
    for name in users:
        admin.admin_create_user(UserPoolId=pid, Username=name, MessageAction="SUPPRESS")
        admin.admin_set_user_password(UserPoolId=pid, Username=name, Password=PASSWORD, Permanent=True)
    clients = [srv.client(read_timeout=120) for _ in range(BURST)]
    barrier = threading.Barrier(BURST + 1)
    results: list = [None] * BURST

    def worker(i):
        barrier.wait()
        try:
            r = sign_in(clients[i], cid, users[i])
            results[i] = ("ok", r["AuthenticationResult"]["AccessToken"])
        except ClientError as e:
            results[i] = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                          e.response["Error"]["Message"])
        except Exception as e:  # noqa: BLE001
            results[i] = ("exception", repr(e))

    with PeakThreads(srv.proc.pid) as threads:
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(BURST)]
        for t in workers:
            t.start()
        barrier.wait()
        # A call that needs no CPU worker, sent while the burst is in flight, is answered.
        during = admin.get_user(AccessToken=token)
        for t in workers:
            t.join(300)
    return users, results, threads.peak, during


def test_a_burst_of_sign_ins_beyond_the_cpu_queue_is_refused_and_the_rest_succeeds(new_server):
    # One CPU worker, two waiting jobs: of a burst of password checks, at most three are in the
    # server at once; the others are refused. Two runtime threads make the thread bound exact.
    srv = new_server(extra_args=["--cpu-workers", "1", "--cpu-queue", "2"],
                     env={"TOKIO_WORKER_THREADS": "2"})
    admin = srv.client()
    pid, cid = password_pool(admin)
    admin.admin_create_user(UserPoolId=pid, Username="first", MessageAction="SUPPRESS")
    admin.admin_set_user_password(UserPoolId=pid, Username="first", Password=PASSWORD, Permanent=True)
    # Sign in once first: the pool's signing keys exist before the burst.
    token = sign_in(admin, cid, "first")["AuthenticationResult"]["AccessToken"]

    # Whether the calls of one burst reach the CPU queue together depends on timing: each
    # sign-in first reads the store and durably reserves its attempt. Twice in CI (once on
    # PostgreSQL) the 48 arrived spread out enough that no more than three hashes overlapped
    # (the cause was not pinned down). A queue that is not bounded never refuses, however many
    # bursts; so up to four bursts, each with new users, and the first that sees a refusal is
    # checked in full.
    for attempt in range(4):
        users, results, peak, during = burst(srv, admin, pid, cid, token, attempt)
        ok = [i for i, r in enumerate(results) if r and r[0] == "ok"]
        refused = [i for i, r in enumerate(results) if r and r[0] == THROTTLED]
        others = [results[i] for i in range(BURST) if i not in ok and i not in refused]
        assert not others, f"unexpected outcomes: {others}"
        assert ok, "no sign-in of the burst was accepted"
        assert during["Username"] == "first"
        # main, 2 runtime workers, 1 CPU worker, the SQLite writer and its 4 readers (threads of
        # their own), a few blocking-pool threads for the outbox; before the bounded pool, every
        # queued hash held a thread of its own.
        assert peak <= 16, f"{peak} threads during a burst of {BURST}"
        if refused:
            break
    assert refused, f"all {BURST} sign-ins of 4 bursts were accepted: the queue is not bounded"
    assert all(results[i][1:] == (400, "Too many requests") for i in refused), results
    # Every accepted sign-in produced working tokens.
    for i in ok:
        assert admin.get_user(AccessToken=results[i][1])["Username"] == users[i]

    # A refusal did nothing: every refused user signs in now.
    for i in refused:
        assert "AuthenticationResult" in sign_in(admin, cid, users[i])


# --------------------------------------------------------------------------- raw sockets


def address(srv):
    host, port = srv.url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def host_header(srv) -> bytes:
    """The `Host` the server answers to (others are refused: DNS rebinding)."""
    return srv.url.removeprefix("http://").encode()


def read_until_closed(sock: socket.socket, wait: float = 10.0) -> bytes:
    """Everything the server sends until it closes the connection; fails if it stays open."""
    sock.settimeout(wait)
    data = b""
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return data
            data += chunk
    except ConnectionResetError:
        return data
    except socket.timeout:
        raise AssertionError(f"connection still open after {wait} s (received {data!r})") from None


def get_health(sock: socket.socket, wait: float = 10.0) -> bytes:
    """Sends GET /health on a keep-alive connection and reads the whole response."""
    # /health answers whatever the Host (load balancers probe it by address)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: cognate\r\n\r\n")
    sock.settimeout(wait)
    data = b""
    while not (b"\r\n\r\n" in data and data.endswith(b"ok")):
        chunk = sock.recv(4096)
        assert chunk, f"closed before the response was complete: {data!r}"
        data += chunk
    return data


def test_headers_that_never_finish_are_cut_off(new_server):
    srv = new_server(extra_args=["--header-timeout", "1"])
    with socket.create_connection(address(srv), timeout=10) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: cognate\r\nX-Amz-Target: AWSCognito")
        read_until_closed(s)
    # The server itself is fine.
    with socket.create_connection(address(srv), timeout=10) as s:
        assert get_health(s).startswith(b"HTTP/1.1 200")


def test_an_idle_keep_alive_connection_is_closed(new_server):
    srv = new_server(extra_args=["--header-timeout", "1"])
    with socket.create_connection(address(srv), timeout=10) as s:
        assert get_health(s).startswith(b"HTTP/1.1 200")
        assert read_until_closed(s) == b""


def test_a_body_that_never_finishes_is_answered_408_and_closed(new_server):
    srv = new_server(extra_args=["--body-timeout", "1"])
    with socket.create_connection(address(srv), timeout=10) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: " + host_header(srv) + b"\r\n"
                  b"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
                  b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"Max")
        response = read_until_closed(s)
    assert response.startswith(b"HTTP/1.1 408"), response
    assert b"RequestTimeoutException" in response


def test_connections_beyond_the_limit_wait_until_one_closes(new_server):
    srv = new_server(extra_args=["--max-connections", "2", "--header-timeout", "60"])
    held = [socket.create_connection(address(srv), timeout=10) for _ in range(2)]
    try:
        for s in held:  # both are being served: they hold the two slots
            assert get_health(s).startswith(b"HTTP/1.1 200")
        with socket.create_connection(address(srv), timeout=10) as third:
            # The kernel completes the handshake (the backlog), but the server does not take
            # the connection while two are open...
            third.sendall(b"GET /health HTTP/1.1\r\nHost: " + host_header(srv) + b"\r\n\r\n")
            third.settimeout(1.0)
            try:
                early = third.recv(4096)
            except socket.timeout:
                early = None
            assert early is None, f"served beyond the limit: {early!r}"
            # ...and serves it once one of them closes.
            held.pop().close()
            third.settimeout(10)
            data = b""
            while not data.endswith(b"ok"):
                chunk = third.recv(4096)
                assert chunk, f"closed instead of served: {data!r}"
                data += chunk
            assert data.startswith(b"HTTP/1.1 200"), data
    finally:
        for s in held:
            s.close()


def test_shutdown_closes_idle_connections_and_exits_cleanly(new_server):
    srv = new_server(extra_args=["--header-timeout", "60"])
    with socket.create_connection(address(srv), timeout=10) as idle:
        assert get_health(idle).startswith(b"HTTP/1.1 200")
        # SIGTERM with a keep-alive connection open: the server closes it and exits with 0,
        # without waiting for the 60 s header timeout.
        srv.proc.send_signal(signal.SIGTERM)
        assert read_until_closed(idle, wait=30) == b""
        assert srv.proc.wait(30) == 0
