#!/usr/bin/env bash
# The agenda page in a real browser: builds the shipped content/ into a scratch folder,
# opens its index.html and tag pages in headless Chromium, runs axe-core in them (fails on
# any serious or critical violation, or on a request to another host), runs the W3C Nu
# HTML Checker on them (fails on any error) and writes phone and desktop screenshots.
#
# Installs what it needs: Debian's chromium (apt-get, when missing) and the npm packages
# pinned in scripts/page-check/package-lock.json (into scripts/page-check/node_modules).
# The Nu HTML Checker runs on the Java already on the machine.
#
# usage: scripts/check-page.sh
# env:   PAGE_TODAY (the build's --today, default 2026-12-01: past, ongoing and upcoming
#        events of the sample site), PAGE_CHECK_OUT (default target/page-check: the built
#        site and the screenshots, never committed)
set -euo pipefail
cd "$(dirname "$0")/.."

TODAY=${PAGE_TODAY:-2026-12-01}
OUT=${PAGE_CHECK_OUT:-target/page-check}
NODE_DIR=scripts/page-check

say() {
    printf '==> %s\n' "$*" >&2
}

if ! command -v chromium >/dev/null 2>&1; then
    say "installing Debian's chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
command -v java >/dev/null 2>&1 || { echo "check-page: java is needed by the Nu HTML Checker" >&2; exit 1; }

if ! (cd "$NODE_DIR" && npm ls --depth=0 >/dev/null 2>&1); then
    say "installing the pinned npm packages into $NODE_DIR/node_modules (npm ci)"
    # --ignore-scripts: vnu-jar's install step fetches a Java runtime; the machine's is used.
    (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

say "agenda build of content/ --today $TODAY -> $OUT/site"
rm -rf "$OUT"
mkdir -p "$OUT"
cargo run --release --quiet -- build --content content --out "$OUT/site" --today "$TODAY"

pages=("$OUT/site/index.html" "$OUT"/site/tags/*.html)

say "axe-core in headless Chromium ($(chromium --version 2>/dev/null | head -n 1))"
status=0
node "$NODE_DIR/check-page.mjs" "$OUT" "${pages[@]}" || status=1

say "Nu HTML Checker (vnu-jar), errors only"
if java -jar "$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only "${pages[@]}"; then
    echo "vnu: ${#pages[@]} page(s), no error"
else
    echo "FAIL vnu: errors above"
    status=1
fi

exit "$status"
