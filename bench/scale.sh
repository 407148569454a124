#!/usr/bin/env bash
# Cognate with 1,000 and 1,000,000 users in a pool: the same operations at each size, the
# users filled in through the product's bulk path (user import jobs, `--fill-users`), then the
# server restarted on the same data directory (start-up time, idle RSS) and measured again on
# the filled pool. Writes the section between the "scale.sh" markers of BENCHMARKS.md. Not
# part of CI (CI runs `--fill-users` on a small pool in its short bench step).
#
#   bench/scale.sh                          # 1,000 and 1,000,000 users, 2 s per point: ~10 min
#   SIZES="1000 100000" bench/scale.sh
#   SECONDS_PER_POINT=5 CONCURRENCY=1,8,32 bench/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cognate-target}"
SECS="${SECONDS_PER_POINT:-2}"
CONC="${CONCURRENCY:-8,32}"
SIZES="${SIZES:-1000 1000000}"
OPS="${OPS:-get-user,list-users-filter,associate-software-token,srp-sign-in,password-sign-in,refresh-token,admin-create-user,totp-sign-in}"
OUT="${OUT:-$ROOT/.cache/bench-scale}"
mkdir -p "$OUT"

echo "==> cargo build --release -p cognate-server -p cognate-bench"
cargo build --release -p cognate-server -p cognate-bench
BENCH="$CARGO_TARGET_DIR/release/cognate-bench"
COGNATE="$CARGO_TARGET_DIR/release/cognate"

SECTION="$OUT/section.md"
{
    echo "<!-- scale.sh begin -->"
    echo "## Pool size: 1,000 against 1,000,000 users ($(date -u +%Y-%m-%d))"
    echo
    echo "Command: \`SIZES=\"$SIZES\" SECONDS_PER_POINT=$SECS CONCURRENCY=$CONC bench/scale.sh\`."
    echo "Cognate $(git rev-parse --short HEAD), release build, SQLite, test password-hash profile,"
    echo "\`--test-clock\`. For each size: a fresh server; \`cognate-bench run --fill-users N\` imports"
    echo "N users into its pool with user import jobs (CreateUserImportJob, PUT of the CSV to the"
    echo "PreSignedUrl, StartUserImportJob) and then measures (first table); the server is stopped"
    echo "with SIGKILL, started again on the same data directory (start-up time until the port"
    echo "answers, RSS before any load) and measured again on the same filled pool with new"
    echo "signed-in users (second table, \`--pool-id\`)."
    echo
    echo "${ANALYSIS:-}"
} > "$SECTION"

for n in $SIZES; do
    dir="$OUT/data-$n"
    rm -rf "$dir"
    mkdir -p "$dir"
    cmd="$COGNATE serve --listen 127.0.0.1:{port} --data-dir $dir --test-clock --password-hash-profile test"
    echo "==> $n users: fill and measure"
    "$BENCH" run --name "cognate, $n users (after the import)" --seconds "$SECS" --concurrency "$CONC" \
        --ops "$OPS" --totp-users 100 --fill-users "$n" --json "$OUT/fill-$n.json" \
        --spawn "$cmd" > "$OUT/fill-$n.md" 2> "$OUT/fill-$n.log"
    pool=$(sed -n 's/^pool \([^ ]*\) client .*/\1/p' "$OUT/fill-$n.log" | head -1)
    client=$(sed -n 's/^pool [^ ]* client \(.*\)$/\1/p' "$OUT/fill-$n.log" | head -1)
    imported=$(grep -m1 '^imported' "$OUT/fill-$n.log" || true)
    echo "==> $n users: restart on the same data and measure again"
    "$BENCH" run --name "cognate, $n users (restarted)" --seconds "$SECS" --concurrency "$CONC" \
        --ops "$OPS" --totp-users 100 --pool-id "$pool" --client-id "$client" \
        --json "$OUT/restart-$n.json" --spawn "$cmd" > "$OUT/restart-$n.md" 2> "$OUT/restart-$n.log"
    {
        echo "### $n users"
        echo
        echo "Import: ${imported:-none}. Data directory after the runs: $(du -sh "$dir" | cut -f1)."
        echo
        cat "$OUT/fill-$n.md"
        echo
        cat "$OUT/restart-$n.md"
        echo
    } >> "$SECTION"
done
echo "<!-- scale.sh end -->" >> "$SECTION"

python3 bench/put-section.py scale.sh "$SECTION"
echo "==> BENCHMARKS.md updated (raw results in $OUT)"
