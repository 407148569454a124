#!/usr/bin/env bash
# Cognate against moto and cognito-local (and a hello-world server: the machine's ceiling),
# the same workload in one run, with cognate-bench; writes the section between the
# "compare.sh" markers of BENCHMARKS.md. Not part of CI.
#
#   bench/compare.sh                # 2 s per point, concurrency 1,8,32: about 8 minutes (up to
#                                   # 30 s waits for a fresh TOTP step on moto and cognito-local)
#   SECONDS_PER_POINT=5 bench/compare.sh
#   PERF=1 bench/compare.sh         # also a perf profile of Cognate (top symbols in the report)
#   REPORT_ONLY=1 bench/compare.sh  # rewrite the section from the last run's results (.cache/bench-out)
#   RUN_ONLY="moto hello-world" bench/compare.sh  # run these again, keep the others' results
#   ANALYSIS="$(cat notes.md)" bench/compare.sh     # text placed under the table (what bounds what)
#
# Installs moto into .cache/bench-venv and cognito-local into .cache/bench-node (once).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cognate-target}"
SECS="${SECONDS_PER_POINT:-2}"
CONC="${CONCURRENCY:-1,8,32}"
OUT="${OUT:-$ROOT/.cache/bench-out}"
mkdir -p "$OUT"

echo "==> moto (.cache/bench-venv)"
if [ ! -x .cache/bench-venv/bin/moto_server ]; then
    "${PYTHON:-python3}" -m venv .cache/bench-venv
    .cache/bench-venv/bin/pip install --quiet --disable-pip-version-check 'moto[server]'
fi
echo "==> cognito-local (.cache/bench-node)"
if [ ! -f .cache/bench-node/node_modules/cognito-local/package.json ]; then
    mkdir -p .cache/bench-node
    (cd .cache/bench-node && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --silent cognito-local)
fi
CL_DIR="$OUT/cognito-local"
mkdir -p "$CL_DIR/.cognito"
echo '{"UserPoolDefaults":{"UsernameAttributes":[]}}' > "$CL_DIR/.cognito/config.json"
rm -rf "$CL_DIR/.cognito/db"

echo "==> cargo build --release -p cognate-server -p cognate-bench"
cargo build --release -p cognate-server -p cognate-bench
BENCH="$CARGO_TARGET_DIR/release/cognate-bench"
COGNATE="$CARGO_TARGET_DIR/release/cognate"

run() { # name, totp users, extra args...
    local name=$1 totp=$2
    shift 2
    if [ "${REPORT_ONLY:-0}" = 1 ]; then
        return
    fi
    if [ -n "${RUN_ONLY:-}" ] && [[ " $RUN_ONLY " != *" $name "* ]]; then
        return # kept from the last run
    fi
    echo "==> $name"
    "$BENCH" run --name "$name" --seconds "$SECS" --concurrency "${RUN_CONC:-$CONC}" --totp-users "$totp" \
        --json "$OUT/$name.json" "$@" > "$OUT/$name.md"
}
COGNATE_CMD="$COGNATE serve --listen 127.0.0.1:{port} --data-dir {dir} --test-clock"
MOTO_CMD="env MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true $ROOT/.cache/bench-venv/bin/moto_server -H 127.0.0.1 -p {port}"
CL_CMD="sh -c 'cd $CL_DIR && exec env HOST=127.0.0.1 PORT={port} node $ROOT/.cache/bench-node/node_modules/cognito-local/lib/bin/start.js'"

run cognate-test 100 --spawn "$COGNATE_CMD --password-hash-profile test"
run cognate-production 100 --spawn "$COGNATE_CMD --password-hash-profile production"
# GetUser while USER_PASSWORD_AUTH sign-ins keep the argon2id workers busy (8 in flight: the
# two workers and part of the queue, so none is refused), next to GetUser alone.
RUN_CONC=8 run cognate-production-loaded 0 --ops get-user \
    --background password-sign-in:8 --spawn "$COGNATE_CMD --password-hash-profile production"
run moto 300 --spawn "$MOTO_CMD"
run cognito-local 300 --spawn "$CL_CMD"
run hello-world 0 --ops hello --spawn "$BENCH hello --listen 127.0.0.1:{port}"

PROFILE=""
if [ "${PERF:-0}" = 1 ] && command -v perf >/dev/null; then
    echo "==> perf profile of Cognate (test profile): GetUser and USER_PASSWORD_AUTH at concurrency 8"
    for op in get-user password-sign-in; do
        "$COGNATE" serve --listen 127.0.0.1:19331 --data-dir "$(mktemp -d)" --test-clock \
            --password-hash-profile test > /dev/null 2>&1 &
        pid=$!
        sleep 1
        rm -f "$OUT/ready"
        # The profile starts once the bench's setup (pool key generation, sign-ins) is done.
        "$BENCH" run --url http://127.0.0.1:19331 --ops "$op" --seconds "$SECS" --concurrency 8 \
            --totp-users 0 --ready-file "$OUT/ready" > /dev/null 2>&1 &
        benchpid=$!
        while [ ! -f "$OUT/ready" ] && kill -0 "$benchpid" 2>/dev/null; do sleep 0.05; done
        perf record -F 499 -g -o "$OUT/perf-$op.data" -p "$pid" -- sleep "$SECS" > /dev/null 2>&1 || true
        wait "$benchpid" || true
        kill "$pid"; wait "$pid" 2>/dev/null || true
        PROFILE+=$'\n'"Top of \`perf report --no-children\` for $op (Cognate, test profile, concurrency 8):"$'\n\n```\n'
        PROFILE+=$(perf report -i "$OUT/perf-$op.data" --no-children --sort symbol --stdio 2>/dev/null \
            | grep -E '^ +[0-9]+\.[0-9]+%' | sed 's/  *-  *- *$//; s/ *$//' | head -15 || true)
        PROFILE+=$'\n```\n'
    done
fi

version() { "$@" 2>/dev/null | head -1 || echo unknown; }
SECTION="$OUT/section.md"
{
    echo "<!-- compare.sh begin -->"
    echo "## Cognate, moto and cognito-local side by side ($(date -u +%Y-%m-%d))"
    echo
    echo "Command: \`SECONDS_PER_POINT=$SECS CONCURRENCY=$CONC bench/compare.sh\` (closed loop, one"
    echo "keep-alive connection per worker, $SECS s per point, loopback). Every target starts fresh"
    echo "and gets its own pool, client and users through the API (32 signed-in users; TOTP users:"
    echo "100 for Cognate, which runs \`--test-clock\` so that the bench moves its clock 30 s on"
    echo "when every user has used a step; 300 for moto and cognito-local on the wall clock). Every"
    echo "failed call is counted by type; an operation a server refuses is shown as unsupported."
    echo
    echo "Versions: Cognate $(git rev-parse --short HEAD) ($(version "$COGNATE" --version)), moto"
    echo "$(.cache/bench-venv/bin/pip show moto 2>/dev/null | sed -n 's/^Version: //p'), cognito-local"
    echo "$(sed -n 's/^ *"version": "\(.*\)",/\1/p' .cache/bench-node/node_modules/cognito-local/package.json | head -1),"
    echo "node $(node --version), $(rustc --version)."
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
    echo "$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load average before the run: ${LOADAVG:-$(cut -d' ' -f1-3 /proc/loadavg)}."
    echo
    echo "Requests/s (sign-ins/s for the two-call sign-ins) and p99; the ratio columns divide"
    echo "Cognate with the test password-hash profile by the peer. (†): see the note in the run's"
    echo "own table below."
    echo
    "$BENCH" compare "$OUT/cognate-test.json" "$OUT/cognate-production.json" "$OUT/moto.json" \
        "$OUT/cognito-local.json" "$OUT/hello-world.json"
    echo
    echo "(*) VerifySoftwareToken: each timed call follows an untimed AssociateSoftwareToken (a"
    echo "verified secret cannot be verified again), so its requests/s are pairs per second."
    echo
    echo "${ANALYSIS:-}"
    echo "$PROFILE"
    echo "<details><summary>Each run in full (RSS, start-up time, errors with an example)</summary>"
    echo
    for name in cognate-test cognate-production cognate-production-loaded moto cognito-local hello-world; do
        cat "$OUT/$name.md"
        echo
    done
    echo "</details>"
    echo "<!-- compare.sh end -->"
} > "$SECTION"

# Replace the previous section, or append.
python3 bench/put-section.py compare.sh "$SECTION"
echo "==> BENCHMARKS.md updated (raw results in $OUT)"
