#!/usr/bin/env bash
# Load test of `agenda serve` against nginx serving the same output folder, in the same run,
# on loopback; then 30 content changes, one a second, under load.
#
# 1. Throughput: wrk on GET /agenda.ics, without and with If-None-Match (each server's own
#    ETag, so every answer is a 304), for each server: requests/s, p99 latency, and the
#    ratio of agenda serve to nginx (rps: serve/nginx, higher is better; p99: nginx/serve,
#    higher is better).
# 2. Edits under load: wrk keeps loading agenda serve (half the requests with the first
#    ETag in If-None-Match) while a file of the content changes every second for 30 s and a
#    checker fetches /agenda.ics without pause. Counts the answers other than 200 or 304
#    (wrk and checker) and checks that each 200 body parses as one whole calendar (every
#    BEGIN closed, CRLF lines, length as announced, one body per ETag).
#
# wrk and nginx are installed with apt-get when missing (as root). Not part of .ci/run.
#
# usage: scripts/load-serve.sh [COUNT]      (generated releases, default 1000)
# env:   LOAD_SECONDS (default 10), LOAD_CONNECTIONS (default 64), LOAD_THREADS (default 2),
#        BENCH_TODAY (default 2020-01-01), SHARED, BENCH_OUT, AGENDA (see bench-common.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-common.sh
. scripts/bench-common.sh

COUNT=${1:-1000}
SECONDS_EACH=${LOAD_SECONDS:-10}
CONNS=${LOAD_CONNECTIONS:-64}
THREADS=${LOAD_THREADS:-2}
TODAY=${BENCH_TODAY:-2020-01-01}
SERVE_PORT=18091
NGINX_PORT=18092

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v curl >/dev/null || missing+=(curl)
    [ "${#missing[@]}" -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: run as root, or install them"
    echo "==> apt-get install ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

require_shared
install_tools
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
echo "==> cargo build --release" >&2
cargo build --release --quiet
dir=$(gen_corpus "$COUNT")
work="$BENCH_OUT/load"
rm -rf "$work"
mkdir -p "$work/site" "$work/nginx"
cp -r "$dir/communiques" "$work/site/"
content="$work/site/communiques"
out="$work/feeds"

serve_pid=
nginx_pid=
wrk_pid=
cleanup() {
    for p in $wrk_pid $serve_pid $nginx_pid; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "==> agenda serve ($COUNT releases) on 127.0.0.1:$SERVE_PORT" >&2
"$AGENDA" serve --content "$content" --out "$out" --addr "127.0.0.1:$SERVE_PORT" \
    --today "$TODAY" --debounce 100ms 2>"$work/serve.log" &
serve_pid=$!
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$SERVE_PORT/healthz" | grep -q '"status": "ok"' && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$SERVE_PORT/healthz" | grep -q '"status": "ok"' ||
    die "agenda serve did not start (see $work/serve.log)"

# nginx as a static server of the same folder: sendfile, open file cache, long keep-alive.
abs_out=$(cd "$out" && pwd)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $PWD/$work/nginx/nginx.pid;
error_log $PWD/$work/nginx/error.log warn;
user root;
events { worker_connections 4096; }
http {
    types { text/calendar ics; }
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    open_file_cache max=10000 inactive=60s;
    client_body_temp_path $PWD/$work/nginx;
    proxy_temp_path $PWD/$work/nginx;
    fastcgi_temp_path $PWD/$work/nginx;
    uwsgi_temp_path $PWD/$work/nginx;
    scgi_temp_path $PWD/$work/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $abs_out;
    }
}
NGINX
echo "==> nginx on 127.0.0.1:$NGINX_PORT, root $abs_out" >&2
"$NGINX" -c "$PWD/$work/nginx/nginx.conf" -p "$PWD/$work/nginx" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/agenda.ics" && break
    sleep 0.1
done

etag_of() { curl -s -o /dev/null -D - "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }
size=$(curl -s "http://127.0.0.1:$SERVE_PORT/agenda.ics" | wc -c)
cmp <(curl -s "http://127.0.0.1:$SERVE_PORT/agenda.ics") <(curl -s "http://127.0.0.1:$NGINX_PORT/agenda.ics") ||
    die "the two servers do not serve the same agenda.ics"

# run_wrk URL [ETAG]: prints "rps p99_ms".
run_wrk() {
    local args=(-t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" --latency)
    [ -n "${2:-}" ] && args+=(-H "If-None-Match: $2")
    wrk "${args[@]}" "$1" >"$work/wrk.txt"
    if grep -q 'Non-2xx or 3xx' "$work/wrk.txt"; then
        grep 'Non-2xx or 3xx' "$work/wrk.txt" >&2
    fi
    awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" { v = $2; ms = v + 0
            if (v ~ /us$/) ms = ms / 1000; else if (v ~ /ms$/) ms = ms; else if (v ~ /s$/) ms = ms * 1000
            p99 = ms }
        END { printf "%.0f %.3f\n", rps, p99 }' "$work/wrk.txt"
}

echo "==> wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s on /agenda.ics ($size bytes)" >&2
declare -A rps p99
for server in serve nginx; do
    port=$SERVE_PORT
    [ "$server" = nginx ] && port=$NGINX_PORT
    url="http://127.0.0.1:$port/agenda.ics"
    read -r rps[$server,full] p99[$server,full] < <(run_wrk "$url")
    tag=$(etag_of "$url")
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$url")" = 304 ] ||
        die "$server does not answer 304 to its own ETag"
    read -r rps[$server,cond] p99[$server,cond] < <(run_wrk "$url" "$tag")
done
echo
echo "GET /agenda.ics ($size bytes), wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s, $COUNT releases:"
printf '  %-22s %12s %12s %12s %12s %10s %10s\n' "" "serve rps" "nginx rps" "serve p99" "nginx p99" "rps ratio" "p99 ratio"
for mode in full cond; do
    label="200 (no validator)"
    [ "$mode" = cond ] && label="304 (If-None-Match)"
    printf '  %-22s %12s %12s %10sms %10sms %9sx %9sx\n' "$label" \
        "${rps[serve,$mode]}" "${rps[nginx,$mode]}" "${p99[serve,$mode]}" "${p99[nginx,$mode]}" \
        "$(awk -v a="${rps[serve,$mode]}" -v b="${rps[nginx,$mode]}" 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v a="${p99[nginx,$mode]}" -v b="${p99[serve,$mode]}" 'BEGIN { printf "%.2f", a / b }')"
done
kill "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=

# 2. Edits under load.
url="http://127.0.0.1:$SERVE_PORT/agenda.ics"
first_tag=$(etag_of "$url")
builds_before=$(curl -s "http://127.0.0.1:$SERVE_PORT/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["builds"])')
cat >"$work/edits.lua" <<LUA
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; ok = 0; notmod = 0; other = 0 end
function request()
    n = n + 1
    if n % 2 == 0 then
        return wrk.format("GET", nil, { ["If-None-Match"] = '$first_tag' })
    end
    return wrk.format("GET")
end
function response(status, headers, body)
    if status == 200 then ok = ok + 1 elseif status == 304 then notmod = notmod + 1 else other = other + 1 end
end
function done(summary, latency, requests)
    local a, b, c = 0, 0, 0
    for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("notmod"); c = c + t:get("other") end
    io.write(string.format("wrk: 200=%d 304=%d other=%d socket errors=%d\n", a, b, c,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
LUA
echo "==> 30 edits, one a second, while wrk loads agenda serve and a checker reads agenda.ics" >&2
wrk -t"$THREADS" -c"$CONNS" -d34s -s "$work/edits.lua" "$url" >"$work/wrk-edits.txt" &
wrk_pid=$!
python3 - "$url" 33 >"$work/checker.txt" <<'PY' &
import hashlib, http.client, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
end = time.monotonic() + float(sys.argv[2])
statuses, bad, bodies, tags = {}, [], 0, {}
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
def whole(body):
    if int(len(body)) == 0 or not body.startswith(b"BEGIN:VCALENDAR\r\n") or not body.endswith(b"END:VCALENDAR\r\n"):
        return "not one whole calendar"
    text = body.decode("utf-8")
    lines = text.split("\r\n")[:-1]
    if any("\n" in l or "\r" in l for l in lines):
        return "a line not ended by CRLF"
    stack = []
    for l in lines:
        if l.startswith("BEGIN:"):
            stack.append(l[6:])
        elif l.startswith("END:"):
            if not stack or stack.pop() != l[4:]:
                return "END without its BEGIN: " + l
    return "unclosed " + stack[-1] if stack else None
while time.monotonic() < end:
    try:
        conn.request("GET", u.path)
        r = conn.getresponse()
        body = r.read()
    except Exception as e:
        statuses["error"] = statuses.get("error", 0) + 1
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        continue
    statuses[r.status] = statuses.get(r.status, 0) + 1
    if r.status == 200:
        bodies += 1
        problem = whole(body)
        if problem is None and int(r.getheader("Content-Length", "-1")) != len(body):
            problem = "length differs from Content-Length"
        digest = hashlib.sha256(body).hexdigest()
        if tags.setdefault(r.getheader("ETag"), digest) != digest:
            problem = "two bodies under one ETag"
        if problem:
            bad.append(problem)
other = sum(n for s, n in statuses.items() if s not in (200, 304))
print(f"checker: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items(), key=str))}, "
      f"other than 200/304: {other}; 200 bodies checked: {bodies}, not whole: {len(bad)} {bad[:3]}; "
      f"distinct ETags seen: {len(tags)}")
PY
checker_pid=$!
# Releases with an event in agenda.ics (ending less than 300 days before --today; the
# calendar keeps 365: their chapeau is in it) whose chapeau is a quoted string (the edit
# keeps their YAML valid).
mapfile -t files < <(python3 - "$dir/expected.jsonl" "$content" "$TODAY" <<'PY'
import datetime, json, os, sys
since = (datetime.date.fromisoformat(sys.argv[3]) - datetime.timedelta(days=300)).isoformat()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    path = os.path.join(sys.argv[2], r["doc"].split("/", 1)[1])
    if (r["events"] and max(e["end"] for e in r["events"]) >= since
            and any(l.startswith("chapeau-text: '") for l in open(path, encoding="utf-8"))):
        print(path)
PY
)
[ "${#files[@]}" -ge 30 ] || die "fewer than 30 releases to edit"
sleep 2
for i in $(seq 30); do
    sed -i "0,/^chapeau-text: '/s//chapeau-text: 'Charge $i. /" "${files[$((i - 1))]}"
    sleep 1
done
wait "$checker_pid" || true
wait "$wrk_pid" || true
wrk_pid=
sleep 1
health=$(curl -s "http://127.0.0.1:$SERVE_PORT/healthz")
builds_after=$(printf '%s' "$health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["builds"])')
echo
echo "30 edits under load (wrk -t$THREADS -c$CONNS, half with If-None-Match):"
grep -E '^wrk:|Requests/sec' "$work/wrk-edits.txt" | sed 's/^/  /'
sed 's/^/  /' "$work/checker.txt"
echo "  rebuilds during the run: $((builds_after - builds_before)); last error: $(printf '%s' "$health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_error"])')"
