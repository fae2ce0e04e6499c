#!/usr/bin/env bash
# What the agenda pages cost a build: `agenda build` of a generated corpus by this commit
# and by the commit before the pages landed (same machine, same run, runs alternated),
# first builds into empty folders and rebuilds of unchanged content; medians and ratios.
#
# usage: scripts/bench-page.sh [COUNT]            (default 10000 releases)
# env:   BENCH_REPS (default 5), BENCH_TODAY (default 2020-01-01), BASE_REV (default: the
#        parent of the commit that added src/publish/page.rs), SHARED, BENCH_OUT
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

COUNT=${1:-10000}
REPS=${BENCH_REPS:-5}
TODAY=${BENCH_TODAY:-2020-01-01}
BASE_REV=${BASE_REV:-$(git log --format=%H --diff-filter=A -- src/publish/page.rs | tail -n 1)^}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

require_shared
mkdir -p "$BENCH_OUT"
bins="$BENCH_OUT/page-bench-bin"
mkdir -p "$bins"
base_tree=$(mktemp -d)
trap 'git worktree remove --force "$base_tree" >/dev/null 2>&1 || true; rm -rf "$BENCH_OUT"/page-bench-feeds-*' EXIT

base_commit=$(git rev-parse "$BASE_REV")
if [ "$(cat "$bins/agenda-base.commit" 2>/dev/null)" != "$base_commit" ]; then
    echo "==> release build of $BASE_REV (without the pages)" >&2
    git worktree add --detach --force "$base_tree" "$base_commit" >/dev/null 2>&1
    cargo build --release --quiet --manifest-path "$base_tree/Cargo.toml"
    cp "$CARGO_TARGET_DIR/release/agenda" "$bins/agenda-base"
    echo "$base_commit" >"$bins/agenda-base.commit"
fi
echo "==> release build of this tree (with the pages)" >&2
cargo build --release --quiet
cp "$CARGO_TARGET_DIR/release/agenda" "$bins/agenda-page"

dir=$(gen_corpus "$COUNT")
rm -rf "$BENCH_OUT"/page-bench-feeds-*

# run BIN OUT: wall seconds of one build.
run() {
    local t0 t1 status=0
    t0=$(now_ns)
    "$1" build --content "$dir" --out "$2" --today "$TODAY" >/dev/null 2>"$BENCH_OUT/page-bench.stderr" || status=$?
    t1=$(now_ns)
    [ "$status" -le 1 ] || die "$1 failed on $dir: $(head -n 1 "$BENCH_OUT/page-bench.stderr")"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }'
}

declare -A first rebuild
for v in base page; do first[$v]=""; rebuild[$v]=""; done
echo "==> $COUNT releases: $REPS first builds and $REPS rebuilds each, alternated" >&2
for i in $(seq "$REPS"); do
    for v in base page; do
        first[$v]+="$(run "$bins/agenda-$v" "$BENCH_OUT/page-bench-feeds-$v-$i") "
    done
done
for i in $(seq "$REPS"); do
    for v in base page; do
        rebuild[$v]+="$(run "$bins/agenda-$v" "$BENCH_OUT/page-bench-feeds-$v-1") "
    done
done
med() { tr ' ' '\n' | grep . | median; }
fb=$(med <<<"${first[base]}"); fp=$(med <<<"${first[page]}")
rb=$(med <<<"${rebuild[base]}"); rp=$(med <<<"${rebuild[page]}")
pages=$(find "$BENCH_OUT/page-bench-feeds-page-1" -name '*.html' | wc -l)
bytes=$(find "$BENCH_OUT/page-bench-feeds-page-1" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s }')
index=$(stat -c %s "$BENCH_OUT/page-bench-feeds-page-1/index.html")
echo
echo "agenda build of $COUNT generated releases, --today $TODAY, median of $REPS runs (wall seconds)"
printf '%-10s %12s %12s %7s\n' "" "without" "with pages" ratio
awk -v a="$fb" -v b="$fp" 'BEGIN { printf "%-10s %12.4f %12.4f %7.3f\n", "first", a, b, b / a }'
awk -v a="$rb" -v b="$rp" 'BEGIN { printf "%-10s %12.4f %12.4f %7.3f\n", "rebuild", a, b, b / a }'
echo "pages written: $pages ($bytes bytes in all; index.html $index bytes)"
