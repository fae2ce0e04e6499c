#!/usr/bin/env bash
# One-release edit reaching the served agenda.ics under `agenda serve`, against a full
# `agenda build` of the same content, in the same run, on a generated site.
#
# For each repetition one release announcing events gets a new chapeau (it is in that
# event's DESCRIPTION in agenda.ics), then:
# - serve: the rebuild time `/healthz` reports (from the watcher's report, debounce
#   excluded, to the new snapshot swapped in), and the time from writing the file to the
#   first HEAD /agenda.ics with the new ETag (watcher, debounce and polling included; a
#   GET of the whole calendar at each poll would load the server being measured);
# - build: `agenda build` of the same content after the same kind of edit, with the
#   extraction cache (what a cron job runs) and with --no-cache.
# Reports medians and the ratio of each to the serve rebuild.
#
# usage: scripts/bench-serve-edit.sh [COUNT]      (default: 10000)
# env:   BENCH_REPS (default 5), BENCH_TODAY (default 2020-01-01), BENCH_PORT (default 18090),
#        SHARED (default ../shared), BENCH_OUT (default bench-out, gitignored)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

COUNT=${1:-10000}
REPS=${BENCH_REPS:-5}
TODAY=${BENCH_TODAY:-2020-01-01}
PORT=${BENCH_PORT:-18090}
DEBOUNCE=20ms

require_shared
echo "==> cargo build --release" >&2
cargo build --release --quiet
command -v curl >/dev/null || die "curl is needed"
dir=$(gen_corpus "$COUNT")
# The site is edited: work on a copy.
site="$BENCH_OUT/edit-site-$COUNT"
rm -rf "$site" "$BENCH_OUT/edit-serve" "$BENCH_OUT/edit-build"
mkdir -p "$site"
cp -r "$dir/communiques" "$site/"
content="$site/communiques"
# Releases that announce events, from the generator's expectations.
# Only those with an event in agenda.ics (ending less than 300 days before --today; the
# calendar keeps 365), whose chapeau is a quoted string (the edit keeps the YAML valid).
mapfile -t targets < <(python3 - "$dir/expected.jsonl" "$REPS" "$dir" "$TODAY" <<'PY'
import datetime, json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
since = (datetime.date.fromisoformat(sys.argv[4]) - datetime.timedelta(days=300)).isoformat()
def quoted(doc):
    with open(os.path.join(sys.argv[3], doc), encoding="utf-8") as f:
        return any(l.startswith("chapeau-text: '") for l in f)
# Only releases whose events no other release announces on the same days: a merged
# event may keep another announcement's text, and the edit would change nothing.
days = {}
for r in rows:
    for e in r["events"]:
        days[(e["start"], e["end"])] = days.get((e["start"], e["end"]), 0) + 1
picked = [r["doc"].split("/", 1)[1] for r in rows
          if r["events"] and max(e["end"] for e in r["events"]) >= since and quoted(r["doc"])
          and all(days[(e["start"], e["end"])] == 1 for e in r["events"])]
step = max(1, len(picked) // (2 * int(sys.argv[2])))
for p in picked[::step][: 2 * int(sys.argv[2])]:
    print(p)
PY
)

# edit FILE N: a new chapeau for FILE (the Nth edit).
edit() {
    sed -i "0,/^chapeau-text: '/s//chapeau-text: 'Édition $2. /" "$content/$1"
}

url="http://127.0.0.1:$PORT"
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$site" "$BENCH_OUT/edit-serve" "$BENCH_OUT/edit-build"
}
trap cleanup EXIT

echo "==> agenda serve on $COUNT releases ($url)" >&2
"$AGENDA" serve --content "$content" --out "$BENCH_OUT/edit-serve" --addr "127.0.0.1:$PORT" \
    --today "$TODAY" --debounce "$DEBOUNCE" 2>"$BENCH_OUT/edit-serve.log" &
pid=$!
for _ in $(seq 600); do
    curl -sf "$url/healthz" | grep -q '"status": "ok"' && break
    sleep 0.2
done
curl -sf "$url/healthz" | grep -q '"status": "ok"' || die "agenda serve did not start (see $BENCH_OUT/edit-serve.log)"

field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
etag_of() { curl -sI "$url/agenda.ics" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }

rebuild_ms=()
served_ms=()
for i in $(seq "$REPS"); do
    before=$(etag_of)
    builds=$(curl -s "$url/healthz" | field builds)
    t0=$(now_ns)
    edit "${targets[$((i - 1))]}" "$i"
    deadline=$((t0 + 120000000000))
    until [ "$(etag_of)" != "$before" ]; do
        [ "$(now_ns)" -lt "$deadline" ] || die "edit $i never reached agenda.ics"
        sleep 0.005
    done
    t1=$(now_ns)
    until [ "$(curl -s "$url/healthz" | field builds)" -gt "$builds" ]; do sleep 0.01; done
    served_ms+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }')")
    rebuild_ms+=("$(curl -s "$url/healthz" | field last_rebuild_ms)")
    sleep 0.5
done
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

# full_build MS_ARRAY ARGS...: one edit then one timed build per repetition.
build_times() {
    local n=$1
    shift
    "$AGENDA" build --content "$content" --out "$BENCH_OUT/edit-build" --today "$TODAY" "$@" 2>/dev/null || true
    for i in $(seq "$REPS"); do
        edit "${targets[$((REPS + i - 1))]}" "$n$i"
        t0=$(now_ns)
        "$AGENDA" build --content "$content" --out "$BENCH_OUT/edit-build" --today "$TODAY" "$@" 2>/dev/null || true
        t1=$(now_ns)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'
    done
}
echo "==> agenda build after one edit, $REPS runs, with and without the extraction cache" >&2
mapfile -t cached < <(build_times c)
mapfile -t uncached < <(build_times n --no-cache)

med() { printf '%s\n' "$@" | median; }
rebuild=$(med "${rebuild_ms[@]}")
served=$(med "${served_ms[@]}")
cached_med=$(med "${cached[@]}")
uncached_med=$(med "${uncached[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "one-release edit, $COUNT releases, median of $REPS (ms):"
printf '  %-52s %8.1f  1.00x\n' "serve: watcher report -> snapshot swapped (/healthz)" "$rebuild"
printf '  %-52s %8.1f  %sx\n' "serve: file written -> new ETag on HEAD /agenda.ics" "$served" "$(ratio "$served" "$rebuild")"
printf '  %-52s %8.1f  %sx\n' "agenda build (extraction cache)" "$cached_med" "$(ratio "$cached_med" "$rebuild")"
printf '  %-52s %8.1f  %sx\n' "agenda build --no-cache" "$uncached_med" "$(ratio "$uncached_med" "$rebuild")"
echo "  (serve rebuilds: ${rebuild_ms[*]}; served: ${served_ms[*]})"
