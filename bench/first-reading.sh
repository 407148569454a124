#!/usr/bin/env bash
# A first throughput reading of Cognate alone (not the comparative benchmark): starts a release
# build on a free port, creates a pool, a client and a user with boto3, then runs wrk against
# GetUser and InitiateAuth (USER_PASSWORD_AUTH) for DURATION seconds each.
# Usage: bench/first-reading.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNS=${2:-16}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cognate-target}"
cargo build --release -p cognate-server --quiet
data=$(mktemp -d)
"$CARGO_TARGET_DIR/release/cognate" serve --listen 127.0.0.1:0 --data-dir "$data" > "$data/stdout" 2>"$data/stderr" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do grep -q listening "$data/stdout" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^cognate listening on //p' "$data/stdout")
read -r client token < <(python3 - "$url" <<'PY'
import sys, boto3
c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="x", aws_secret_access_key="x")
pool = c.create_user_pool(PoolName="bench")["UserPool"]["Id"]
cid = c.create_user_pool_client(UserPoolId=pool, ClientName="b",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
c.admin_create_user(UserPoolId=pool, Username="bench", MessageAction="SUPPRESS")
c.admin_set_user_password(UserPoolId=pool, Username="bench", Password="Bench-Passw0rd!", Permanent=True)
t = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bench", "PASSWORD": "Bench-Passw0rd!"})["AuthenticationResult"]["AccessToken"]
print(cid, t)
PY
)
echo "== GetUser, $CONNS connections, ${DURATION}s"
TARGET=GetUser BODY="{\"AccessToken\":\"$token\"}" wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s bench/post.lua "$url/"
echo "== InitiateAuth USER_PASSWORD_AUTH (argon2id per call), $CONNS connections, ${DURATION}s"
TARGET=InitiateAuth BODY="{\"ClientId\":\"$client\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"bench\",\"PASSWORD\":\"Bench-Passw0rd!\"}}" \
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s bench/post.lua "$url/"
