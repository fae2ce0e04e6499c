#!/usr/bin/env bash
# Extraction throughput of the release binary on one core, in MB/s
# (total bytes of the .md files / median wall time of `agenda extract --format jsonl`).
#
# usage: scripts/bench-extract.sh
# env:   BENCH_REPS (default 7), BENCH_COUNT (generated corpus size, default 10000),
#        SHARED (default ../shared), BENCH_OUT (default bench-out, gitignored)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

REPS=${BENCH_REPS:-7}
COUNT=${BENCH_COUNT:-10000}

require_shared
build_release
mkdir -p "$BENCH_OUT"

pin=$(single_core)
if [ -n "$pin" ]; then
    echo "==> pinned to one core: $pin" >&2
else
    echo "note: taskset is not available: the run is not pinned to one core" >&2
fi

gen_dir=$(gen_corpus "$COUNT")

rows=()
for spec in "dev:$SHARED/corpus/dev" "gen-$COUNT:$gen_dir"; do
    name=${spec%%:*}
    dir=${spec#*:}
    bytes=$(md_bytes "$dir")
    files=$(md_count "$dir")
    out="$BENCH_OUT/extract-$name.jsonl"
    err="$BENCH_OUT/extract-$name.stderr"

    echo "==> $name: $files files, $bytes bytes; warm-up run" >&2
    status=0
    # shellcheck disable=SC2086
    $pin "$AGENDA" extract --format jsonl "$dir" >"$out" 2>"$err" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "agenda extract failed on $dir (exit $status): $(head -n 1 "$err")" >&2
        rows+=("$(printf '%-12s %8s %9.2f %10s %9s %10s %11s %8s' "$name" "$files" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "failed" "-" "-" "-" "-")")
        continue
    fi
    events=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line:
        n += len(json.loads(line).get("events") or [])
print(n)' "$out")

    times=()
    cpus=()
    for _ in $(seq "$REPS"); do
        t0=$(now_ns)
        if have_gnu_time; then
            # shellcheck disable=SC2086
            /usr/bin/time -f '%U %S' -o "$BENCH_OUT/extract.time" \
                $pin "$AGENDA" extract --format jsonl "$dir" >/dev/null 2>&1 || true
        else
            # shellcheck disable=SC2086
            $pin "$AGENDA" extract --format jsonl "$dir" >/dev/null 2>&1 || true
        fi
        t1=$(now_ns)
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }')")
        if have_gnu_time; then
            cpus+=("$(tail -n 1 "$BENCH_OUT/extract.time" | awk '{ printf "%.6f\n", $1 + $2 }')")
        fi
    done
    med=$(printf '%s\n' "${times[@]}" | median)
    cpu=nan
    if [ "${#cpus[@]}" -gt 0 ]; then
        cpu=$(printf '%s\n' "${cpus[@]}" | median)
    fi
    rows+=("$(awk -v n="$name" -v f="$files" -v b="$bytes" -v m="$med" -v c="$cpu" -v e="$events" \
        'BEGIN {
            ok = (c != "nan" && c + 0 > 0)
            cr = ok ? sprintf("%.1f", b / 1e6 / c) : "n/a"
            cs = ok ? sprintf("%.3f", c) : "n/a"
            printf "%-12s %8d %9.2f %10.4f %9.1f %10s %11s %8d", n, f, b / 1e6, m, b / 1e6 / m, cs, cr, e
        }')")
done

echo
echo "agenda extract --format jsonl, one core, median of $REPS runs (MB = 10^6 bytes of .md files)"
echo "MB/s: bytes / median wall time; MB/cpu_s: bytes / median user+system CPU time (less sensitive to a busy machine)"
printf '%-12s %8s %9s %10s %9s %10s %11s %8s\n' corpus files MB median_s MB/s cpu_s MB/cpu_s events
for r in "${rows[@]}"; do
    printf '%s\n' "$r"
done
