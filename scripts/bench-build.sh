#!/usr/bin/env bash
# Full build (`agenda build`: extraction and every output) on generated corpora,
# against `cat` of the same files as the floor, in the same run.
# Reports the median wall time, its ratio to cat, the CPU time, and the peak resident memory
# of a first build (empty output folder), then the same for a rebuild of unchanged content.
#
# Each first build (and each floor) writes into a new folder; the folders are removed only
# when the script ends. Removing one just before the next build would measure ext4 rather than the build:
# without a journal (as here), ext4 skips inodes freed less than a minute ago when it
# allocates new ones, and each skipped inode costs a lookup, so creating 10,000 files right
# after deleting 10,000 costs several times more kernel time than in a fresh folder.
#
# usage: scripts/bench-build.sh [COUNT...]        (default: 1000 10000 100000)
# env:   BENCH_REPS (default 5), BENCH_TODAY (the build's --today, default 2020-01-01),
#        SHARED (default ../shared), BENCH_OUT (default bench-out, gitignored)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

REPS=${BENCH_REPS:-5}
TODAY=${BENCH_TODAY:-2020-01-01}
if [ "$#" -gt 0 ]; then
    COUNTS=("$@")
else
    COUNTS=(1000 10000 100000)
fi

require_shared
ensure_gnu_time
build_release
mkdir -p "$BENCH_OUT"
# Output folders of an interrupted earlier run; this run's are removed at the very end.
rm -rf "$BENCH_OUT"/feeds-*
trap 'rm -rf "$BENCH_OUT"/feeds-*' EXIT

# cat_floor DIR: read every Markdown file under DIR once, as the build has to.
cat_floor() {
    find "$1" -type f \( -name '*.md' -o -name '*.markdown' \) -print0 | xargs -0 cat >/dev/null
}

rows=()
for count in "${COUNTS[@]}"; do
    dir=$(gen_corpus "$count")
    bytes=$(md_bytes "$dir")
    out="$BENCH_OUT/feeds-$count"
    err="$BENCH_OUT/build-$count.stderr"
    rss_file="$BENCH_OUT/build-$count.rss"

    echo "==> $count releases ($bytes bytes): cat floor, $REPS runs" >&2
    cat_floor "$dir" # warm the page cache
    cat_times=()
    for _ in $(seq "$REPS"); do
        t0=$(now_ns)
        cat_floor "$dir"
        t1=$(now_ns)
        cat_times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }')")
    done
    cat_med=$(printf '%s\n' "${cat_times[@]}" | median)

    echo "==> $count releases: agenda build --content $dir --out $out --today $TODAY, $REPS runs" >&2
    build_times=()
    build_cpus=()
    re_times=()
    re_cpus=()
    peak_kb=0
    status=0
    # timed_build TIMES_VAR CPUS_VAR OUT: one build, its wall and CPU time appended.
    timed_build() {
        local -n times=$1 cpus=$2
        local t0 t1 kb user sys
        status=0
        t0=$(now_ns)
        if have_gnu_time; then
            /usr/bin/time -f '%M %U %S' -o "$rss_file" \
                "$AGENDA" build --content "$dir" --out "$3" --today "$TODAY" >/dev/null 2>"$err" || status=$?
        else
            "$AGENDA" build --content "$dir" --out "$3" --today "$TODAY" >/dev/null 2>"$err" || status=$?
        fi
        t1=$(now_ns)
        [ "$status" -gt 1 ] && return 0
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }')")
        if have_gnu_time; then
            read -r kb user sys < <(tail -n 1 "$rss_file")
            [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
            cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f\n", u + s }')")
        fi
    }
    for i in $(seq "$REPS"); do
        timed_build build_times build_cpus "$out.run$i"
        [ "$status" -gt 1 ] && break
    done
    if [ "$status" -le 1 ]; then
        echo "==> $count releases: rebuild of unchanged content, $REPS runs" >&2
        for _ in $(seq "$REPS"); do
            timed_build re_times re_cpus "$out.run1"
            [ "$status" -gt 1 ] && break
        done
    fi
    # The floors, on the same files: loading every document as the build does, and
    # writing every file of the finished build through a temporary file and a rename.
    load_times=()
    write_times=()
    if [ "$status" -le 1 ]; then
        echo "==> $count releases: floors (load the documents, write the outputs), $REPS runs" >&2
        for i in $(seq "$REPS"); do
            floor=$("$FLOOR_BENCH" "$dir" "$out.run1" "$out.floor$i")
            load_times+=("$(awk '/^load documents/ { print $(NF - 4) }' <<<"$floor")")
            write_times+=("$(awk '/^write outputs/ { print $(NF - 4) }' <<<"$floor")")
        done
    fi

    if [ "$status" -gt 1 ]; then
        echo "agenda build failed on $dir (exit $status): $(head -n 1 "$err")" >&2
        rows+=("$(awk -v c="$count" -v b="$bytes" -v k="$cat_med" \
            'BEGIN { printf "%9d %9.1f %9.4f %10s %7s %7s %10s %7s %7s %9s %5s %7s %7s %7s", c, b / 1e6, k, "failed", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-" }')")
        continue
    fi
    build_med=$(printf '%s\n' "${build_times[@]}" | median)
    re_med=$(printf '%s\n' "${re_times[@]}" | median)
    cpu_med=n/a
    re_cpu=n/a
    if [ "${#build_cpus[@]}" -gt 0 ]; then
        cpu_med=$(printf '%s\n' "${build_cpus[@]}" | median | awk '{ printf "%.2f", $1 }')
        re_cpu=$(printf '%s\n' "${re_cpus[@]}" | median | awk '{ printf "%.2f", $1 }')
    fi
    load_med=$(printf '%s\n' "${load_times[@]}" | median)
    write_med=$(printf '%s\n' "${write_times[@]}" | median)
    rss_mb=$(awk -v k="$peak_kb" 'BEGIN { if (k > 0) printf "%.1f", k / 1024; else print "n/a" }')
    rows+=("$(awk -v c="$count" -v b="$bytes" -v k="$cat_med" -v m="$build_med" -v u="$cpu_med" \
        -v rm="$re_med" -v ru="$re_cpu" -v r="$rss_mb" -v s="$status" -v l="$load_med" -v w="$write_med" \
        'BEGIN { printf "%9d %9.1f %9.4f %10.4f %7.2f %7s %10.4f %7.2f %7s %9s %5d %7.3f %7.3f %7.2f", c, b / 1e6, k, m, m / k, u, rm, rm / k, ru, r, s, l, w, (l + w) / k }')")
done

echo
echo "agenda build (both cores) vs cat of the same files; median of $REPS runs; --today $TODAY"
printf '%9s %9s %9s %10s %7s %7s %10s %7s %7s %9s %5s %7s %7s %7s\n' releases MB cat_s build_s ratio cpu_s rebuild_s ratio cpu_s peak_MB exit load_s write_s floor
for r in "${rows[@]}"; do
    printf '%s\n' "$r"
done
echo "goals: ratio <= 2 at 10,000 releases; ratio <= 2.5 and peak <= 300 MB at 100,000."
echo "build: first build into an empty folder; rebuild: the same content again (nothing to write)."
echo "cpu_s: median user+system CPU time (both cores); peak_MB: the highest of all runs; exit: 0 clean, 1 built with skipped documents."
echo "load_s: loading every document (front matter, Markdown) without extracting; write_s: writing every output file of"
echo "the build (temporary file, rename) without rendering; floor: (load_s + write_s) / cat_s, what any build of these"
echo "outputs costs before extraction and rendering (examples/floor_bench.rs, both cores, medians)."
