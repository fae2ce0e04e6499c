# shellcheck shell=bash
# Helpers shared by the benchmark scripts; sourced, not run.
# Every figure is a median over repetitions; times are wall-clock seconds.

SHARED=${SHARED:-../shared}
GEN_CORPUS="$SHARED/bench/gen-corpus"
BENCH_OUT=${BENCH_OUT:-bench-out}
AGENDA=${AGENDA:-${CARGO_TARGET_DIR:-./target}/release/agenda}

die() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
    exit 1
}

require_shared() {
    [ -x "$GEN_CORPUS" ] || [ -f "$GEN_CORPUS" ] ||
        die "$GEN_CORPUS not found: the benchmarks need the shared corpus tools at $SHARED"
}

build_release() {
    echo "==> cargo build --release" >&2
    cargo build --release --quiet
    cargo build --release --quiet --example floor_bench
}

# The floors of a build (examples/floor_bench.rs), built by build_release.
FLOOR_BENCH=${FLOOR_BENCH:-./target/release/examples/floor_bench}

# gen_corpus COUNT: prints the folder of a generated corpus of COUNT releases (seed 1),
# generating it only once (gen-corpus output is a pure function of count and seed).
gen_corpus() {
    local count=$1 dir="$BENCH_OUT/corpus-$1"
    if [ ! -f "$dir/.complete" ]; then
        echo "==> gen-corpus --count $count -> $dir" >&2
        rm -rf "$dir"
        python3 "$GEN_CORPUS" --count "$count" --seed 1 "$dir" >&2
        touch "$dir/.complete"
    fi
    printf '%s\n' "$dir"
}

# md_bytes DIR: total size in bytes of the Markdown files under DIR.
md_bytes() {
    find "$1" -type f \( -name '*.md' -o -name '*.markdown' \) -printf '%s\n' |
        awk '{ s += $1 } END { printf "%d\n", s }'
}

# md_count DIR: number of Markdown files under DIR.
md_count() {
    find "$1" -type f \( -name '*.md' -o -name '*.markdown' \) | wc -l | tr -d ' '
}

# now_ns: a monotonic-enough timestamp in nanoseconds.
now_ns() {
    date +%s%N
}

# median: median of the numbers read on stdin, one per line.
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# have_gnu_time: true when /usr/bin/time is GNU time (it reports the peak resident set size).
have_gnu_time() {
    [ -x /usr/bin/time ] && /usr/bin/time --version 2>&1 | grep -q 'GNU'
}

# ensure_gnu_time: install GNU time with apt when it is missing and we can.
ensure_gnu_time() {
    have_gnu_time && return 0
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo "==> installing GNU time (apt-get install time)" >&2
        apt-get install -y -qq time >/dev/null 2>&1 || true
    fi
    have_gnu_time || echo "note: GNU time is not available: peak memory will not be reported" >&2
}

# single_core: prefix that pins a command to CPU 0 when taskset exists.
single_core() {
    if command -v taskset >/dev/null 2>&1; then
        printf 'taskset -c 0'
    fi
}
