#!/usr/bin/env bash
# Run the fuzz targets of fuzz/ for a while each and report libFuzzer's execution counts.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 600 s, every target)
#   JOBS=2 scripts/fuzz.sh 1800 extract ics              (targets run JOBS at a time)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is used with
# RUSTC_BOOTSTRAP=1 for the sanitizer flags. Builds without a sanitizer (the crate has no
# unsafe code; this keeps the execution rate high) and with debug assertions (overflow checks).
# New inputs go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/, logs to
# fuzz/logs/<target>.log. It builds the working tree as it is: fuzz a clean checkout (for
# example `git archive HEAD`) when others are editing it. After a run, `scripts/fuzz.sh --merge` minimizes every corpus in
# place; commit the corpus and any crash input (tests/fuzz_replay.rs replays them all).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

ALL=(front_matter yaml markdown extract feeds ics events_json)
BIN=target/x86_64-unknown-linux-gnu/release
export RUSTC_BOOTSTRAP=1

build() {
    nice cargo fuzz build -s none -a >/dev/null
}

if [ "${1:-}" = "--merge" ]; then
    # Edge coverage only (-use_counters=0): a small corpus that still reaches every edge.
    build
    mkdir -p logs
    for t in "${ALL[@]}"; do
        mkdir -p "corpus/$t.min"
        nice "$BIN/$t" -merge=1 -use_counters=0 -max_len=16384 "corpus/$t.min" "corpus/$t" >"logs/$t.merge.log" 2>&1 || true
        before=$(find "corpus/$t" -type f | wc -l)
        rm -rf "corpus/$t" && mv "corpus/$t.min" "corpus/$t"
        echo "$t: $before -> $(find "corpus/$t" -type f | wc -l) inputs"
    done
    exit 0
fi

SECONDS_PER_TARGET=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
JOBS=${JOBS:-1}

build
mkdir -p logs
run_one() {
    local t=$1
    mkdir -p "corpus/$t" "artifacts/$t"
    nice "$BIN/$t" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
        "corpus/$t" >"logs/$t.log" 2>&1 || echo "$t: stopped on a finding, see fuzz/logs/$t.log"
}
running=0
for t in "${TARGETS[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

total=0
for t in "${TARGETS[@]}"; do
    n=$(grep -h 'stat::number_of_executed_units' "logs/$t.log" | awk '{print $2}' | tail -1)
    n=${n:-0}
    total=$((total + n))
    printf '%-14s %12s executions\n' "$t" "$n"
done
printf '%-14s %12s executions\n' total "$total"
