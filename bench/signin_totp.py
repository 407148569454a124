#!/usr/bin/env python3
"""Sign-in with TOTP throughput: InitiateAuth (USER_PASSWORD_AUTH) then RespondToAuthChallenge
(SOFTWARE_TOKEN_MFA), on SQLite, on one PostgreSQL instance and on two PostgreSQL instances
behind a round-robin (the load alternates instances call by call, so a challenge issued by one
is often answered by the other), one after the other in the same run with the same settings.

All setups are started and populated first; then they take turns, round after round. Every
server runs with --test-clock, frozen during a measurement, so each user signs in once per
measurement with the code of that step and no code is replayed; the clocks move on by a minute
between measurements. Needs the release binary, psql, and the e2e venv's requests and pyotp:

    .cache/venv/bin/python bench/signin_totp.py --bin $CARGO_TARGET_DIR/release/cognate \
        --database-url postgres://postgres@127.0.0.1:5432/test --users 300 --threads 16
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pyotp
import requests

PASSWORD = "Passw0rd!Bench"
TARGET = "AWSCognitoIdentityProviderService."


class Server:
    def __init__(self, binary, data_dir, database_url=None, env=None):
        args = [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--test-clock"]
        if database_url:
            args += ["--database-url", database_url]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
        full_env["COGNATE_LOG"] = "warn"
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=full_env)
        line = self.proc.stdout.readline().decode()
        m = re.match(r"cognate listening on (http://\S+)", line)
        if not m:
            self.proc.kill()
            raise SystemExit(f"server did not start: {line!r}")
        self.url = m.group(1)

    def set_clock(self, t):
        requests.post(f"{self.url}/_cognate/clock", json={"now": t}, timeout=10).raise_for_status()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(15)


def call(session, url, op, body):
    r = session.post(url + "/", json=body, timeout=60, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + op})
    if r.status_code != 200:
        raise RuntimeError(f"{op}: {r.status_code} {r.text[:200]}")
    return r.json()


def psql(url, sql):
    subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   capture_output=True)


def schema_url(base, schema):
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-c%20search_path%3D{schema}&application_name=cognate_{schema}"


def setup(servers, users, threads, t):
    """A pool with TOTP on, and `users` users with a verified, preferred software token."""
    url = servers[0].url
    s = requests.Session()
    pid = call(s, url, "CreateUserPool", {"PoolName": "bench"})["UserPool"]["Id"]
    call(s, url, "SetUserPoolMfaConfig", {"UserPoolId": pid, "MfaConfiguration": "OPTIONAL",
                                          "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    cid = call(s, url, "CreateUserPoolClient", {"UserPoolId": pid, "ClientName": "bench",
                                                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH",
                                                                      "ALLOW_REFRESH_TOKEN_AUTH"]})["UserPoolClient"]["ClientId"]
    local = threading.local()

    def enrol(i):
        s = getattr(local, "s", None) or requests.Session()
        local.s = s
        name = f"user{i:05d}"
        call(s, url, "AdminCreateUser", {"UserPoolId": pid, "Username": name, "MessageAction": "SUPPRESS"})
        call(s, url, "AdminSetUserPassword", {"UserPoolId": pid, "Username": name, "Password": PASSWORD,
                                              "Permanent": True})
        at = call(s, url, "InitiateAuth", {"ClientId": cid, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {
            "USERNAME": name, "PASSWORD": PASSWORD}})["AuthenticationResult"]["AccessToken"]
        secret = call(s, url, "AssociateSoftwareToken", {"AccessToken": at})["SecretCode"]
        call(s, url, "VerifySoftwareToken", {"AccessToken": at, "UserCode": pyotp.TOTP(secret).at(t)})
        call(s, url, "SetUserMFAPreference", {"AccessToken": at, "SoftwareTokenMfaSettings": {
            "Enabled": True, "PreferredMfa": True}})
        return name, secret

    with ThreadPoolExecutor(threads) as ex:
        return pid, cid, list(ex.map(enrol, range(users)))


def measure(servers, cid, accounts, threads, t):
    """Every account signs in once (password, then the TOTP code of step t); returns
    (sign-ins per second, p50 and p99 of one whole sign-in in ms, errors)."""
    for srv in servers:
        srv.set_clock(t)
    queue = list(accounts)
    lock = threading.Lock()
    counter = iter(range(10**9))
    latencies, errors = [], []

    def target():
        with lock:
            return servers[next(counter) % len(servers)].url

    def worker():
        s = requests.Session()
        while True:
            with lock:
                if not queue:
                    return
                name, secret = queue.pop()
            start = time.perf_counter()
            try:
                r = call(s, target(), "InitiateAuth", {"ClientId": cid, "AuthFlow": "USER_PASSWORD_AUTH",
                                                       "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}})
                assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA", r
                r = call(s, target(), "RespondToAuthChallenge", {
                    "ClientId": cid, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": r["Session"],
                    "ChallengeResponses": {"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret).at(t)}})
                assert r["AuthenticationResult"]["AccessToken"]
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
            except Exception as e:  # counted, reported
                with lock:
                    errors.append(str(e)[:200])

    begun = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    elapsed = time.perf_counter() - begun
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    return len(latencies) / elapsed, statistics.median(latencies) if latencies else float("nan"), p99, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the release cognate binary")
    ap.add_argument("--database-url", required=True, help="PostgreSQL URL (a schema per setup is made in it)")
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=2, help="measurements per setup (each user once per round)")
    args = ap.parse_args()

    t0 = (int(time.time()) // 30) * 30 + 5
    key = base64.b64encode(os.urandom(32)).decode()
    schemas = []
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        def pg(n):
            schema = f"cognate_bench_{uuid.uuid4().hex[:10]}"
            psql(args.database_url, f"CREATE SCHEMA {schema}")
            schemas.append(schema)
            url = schema_url(args.database_url, schema)
            return [Server(args.bin, f"{tmp}/{schema}-{i}", url, {"COGNATE_MASTER_KEY": key}) for i in range(n)]

        setups = {
            "SQLite, 1 instance": lambda: [Server(args.bin, f"{tmp}/sqlite")],
            "PostgreSQL, 1 instance": lambda: pg(1),
            "PostgreSQL, 2 instances (round-robin)": lambda: pg(2),
        }
        running, started = {}, []
        try:
            for label, make in setups.items():
                servers = make()
                started += servers
                for srv in servers:
                    srv.set_clock(t0)
                _, cid, accounts = setup(servers, args.users, args.threads, t0)
                running[label] = (servers, cid, accounts)
            # the setups take turns, round after round, so that load from elsewhere on the
            # machine falls on all of them alike
            for r in range(args.rounds):
                for label, (servers, cid, accounts) in running.items():
                    reading = measure(servers, cid, accounts, args.threads, t0 + 60 * (r + 1))
                    results.setdefault(label, []).append(reading)
                    rate, p50, p99, errors = reading
                    print(f"round {r + 1}, {label}: {rate:.1f} sign-ins/s, p50 {p50:.0f} ms, "
                          f"p99 {p99:.0f} ms, {len(errors)} errors {errors[:2]}", flush=True)
        finally:
            for srv in started:
                srv.stop()
            for schema in schemas:
                psql(args.database_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    print(f"\n{args.users} users, {args.threads} client threads, {args.rounds} rounds each "
          "(median round by throughput):\n")
    print("| setup | sign-ins/s | p50 | p99 | errors |\n|---|---|---|---|---|")
    for label, readings in results.items():
        rate, p50, p99, _ = sorted(readings, key=lambda r: r[0])[len(readings) // 2]
        errors = sum(len(r[3]) for r in readings)
        print(f"| {label} | {rate:.1f} | {p50:.0f} ms | {p99:.0f} ms | {errors} |")


if __name__ == "__main__":
    main()
