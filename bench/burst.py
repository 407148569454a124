#!/usr/bin/env python3
"""A burst of concurrent sign-ins against a fresh server: threads and memory during the burst
and after an idle period (issue 8, bounded CPU work). Standard library only.

Usage: bench/burst.py BINARY [N=256] [IDLE_SECONDS=40] [extra `cognate serve` flags...]

Creates N users (one password hash each, sequentially), then sends N InitiateAuth
(USER_PASSWORD_AUTH) calls at once, one per user, plus one GetUser while they run. Prints the
outcomes with their latencies, the server's peak thread count and RSS during the burst
(sampled from /proc every 10 ms), and both again after IDLE_SECONDS.
"""

import http.client
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

binary = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 256
idle = float(sys.argv[3]) if len(sys.argv) > 3 else 40.0
data = Path(tempfile.mkdtemp())
proc = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data), *sys.argv[4:]],
                        stdout=subprocess.PIPE, stderr=open(data / "log", "wb"))
host, port = proc.stdout.readline().decode().split()[-1].removeprefix("http://").rsplit(":", 1)


def call(op, body):
    c = http.client.HTTPConnection(host, int(port), timeout=600)
    c.request("POST", "/", json.dumps(body), {"X-Amz-Target": f"AWSCognitoIdentityProviderService.{op}",
                                              "Content-Type": "application/x-amz-json-1.1"})
    r = c.getresponse()
    out = (r.status, json.loads(r.read() or b"{}"))
    c.close()
    return out


def status():
    text = Path(f"/proc/{proc.pid}/status").read_text()
    field = lambda k: int(re.search(rf"^{k}:\s+(\d+)", text, re.M).group(1))
    return field("Threads"), field("VmRSS") // 1024


def sign_in(i):
    return call("InitiateAuth", {"ClientId": cid, "AuthFlow": "USER_PASSWORD_AUTH",
                                 "AuthParameters": {"USERNAME": f"u{i}", "PASSWORD": "Passw0rd!Good"}})


try:
    pool = call("CreateUserPool", {"PoolName": "burst"})[1]["UserPool"]["Id"]
    cid = call("CreateUserPoolClient", {"UserPoolId": pool, "ClientName": "c",
                                        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]})[1]["UserPoolClient"]["ClientId"]
    for i in range(n):
        call("AdminCreateUser", {"UserPoolId": pool, "Username": f"u{i}", "MessageAction": "SUPPRESS"})
        st, r = call("AdminSetUserPassword", {"UserPoolId": pool, "Username": f"u{i}",
                                              "Password": "Passw0rd!Good", "Permanent": True})
        assert st == 200, r
    st, r = sign_in(0)
    assert st == 200, r
    token = r["AuthenticationResult"]["AccessToken"]
    print("before the burst: threads=%d rss=%d MiB" % status())

    peak = [0, 0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            t, rss = status()
            peak[0], peak[1] = max(peak[0], t), max(peak[1], rss)
            time.sleep(0.01)

    outcomes = []
    lock = threading.Lock()
    barrier = threading.Barrier(n + 1)

    def worker(i):
        barrier.wait()
        t0 = time.monotonic()
        st, r = sign_in(i)
        kind = "ok" if st == 200 else f"{r.get('__type')}: {r.get('message')}"
        with lock:
            outcomes.append((kind, time.monotonic() - t0))

    threading.Thread(target=sample, daemon=True).start()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for w in workers:
        w.start()
    barrier.wait()
    t0 = time.monotonic()
    get_user = call("GetUser", {"AccessToken": token})[0], time.monotonic() - t0
    for w in workers:
        w.join()
    wall = time.monotonic() - t0
    done.set()

    print(f"burst of {n}: wall {wall:.1f} s; GetUser during it: HTTP {get_user[0]} in {get_user[1]:.2f} s")
    for kind in sorted({k for k, _ in outcomes}):
        lat = sorted(l for k, l in outcomes if k == kind)
        print(f"  {len(lat):4d} {kind}: p50 {lat[len(lat) // 2]:.2f} s, max {lat[-1]:.2f} s")
    print("peak during the burst: threads=%d rss=%d MiB" % tuple(peak))
    print("right after: threads=%d rss=%d MiB" % status())
    time.sleep(idle)
    print(f"after {idle:.0f} s idle: threads=%d rss=%d MiB" % status())
finally:
    proc.terminate()
    proc.wait(30)
