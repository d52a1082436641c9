#!/usr/bin/env bash
# The HTML audit report in a real browser: headless Chromium loads the page written by
# `check --format html` (the sample reports plus a hostile one), and the DOM it ends up
# with must hold the scorecard tables, the SVG bar chart, the highlighted spans with
# their messages, our own script's mark (so scripts do run) and none of the hostile
# report's markup as elements (so its <script> and <img onerror> stayed text).
#
#   bash tests/html_chromium.sh                                  # check
#   bash tests/html_chromium.sh --screenshot docs/audit-report.png   # and refresh the picture
#
# Installs Debian's chromium and a CJK font (fonts-noto-cjk) when they are missing and
# it runs as root (as CI does); elsewhere it skips, except under CI=true where it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

screenshot=""
if [ "${1:-}" = "--screenshot" ]; then
  screenshot="${2:?--screenshot needs a file}"
fi

fail() { echo "html_chromium: $*" >&2; exit 1; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  if can_install; then
    echo "html_chromium: installing chromium" >&2
    apt_install chromium
  elif [ "${CI:-}" = true ]; then
    fail "chromium is missing and cannot be installed (not root, or no apt-get)"
  else
    echo "html_chromium: SKIPPED: chromium is missing (apt-get install chromium as root)" >&2
    exit 0
  fi
fi
# Without a CJK font Chromium draws Chinese as boxes (the DOM checks would still pass).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if can_install; then
    echo "html_chromium: installing fonts-noto-cjk" >&2
    apt_install fonts-noto-cjk
  else
    echo "html_chromium: warning: no CJK font; screenshots will show boxes" >&2
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo build --quiet --locked
bin=target/debug/reportlint

set +e
"$bin" check examples/reports/ tests/fixtures/html/hostile.txt --format html --quiet \
  --output "$tmp/audit.html"
code=$?
set -e
[ "$code" -eq 1 ] || fail "expected exit 1 (findings) from check --format html, got $code"

chrome() {
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" "$@" 2>>"$tmp/chromium.log"
}

chrome --dump-dom "file://$tmp/audit.html" >"$tmp/dom.html" \
  || { cat "$tmp/chromium.log" >&2; fail "chromium could not render the page"; }

count() { grep -o -- "$1" "$tmp/dom.html" | wc -l || true; }
expect() { # expect WHAT PATTERN MIN
  local n
  n=$(count "$2")
  [ "$n" -ge "$3" ] || fail "$1: found $n of \`$2\`, expected at least $3"
  echo "ok: $1 ($n)"
}

expect "our script ran (the CSP hash is current)" '<html lang="zh-CN" data-js="on">' 1
expect "per-report scorecard" '<table class="scorecard" id="scorecard-files">' 1
expect "per-rule scorecard" '<table class="scorecard" id="scorecard-rules">' 1
expect "scorecard rows, one per file" '<tr><td class="n">[0-9]*</td><td><a href="#file-' 6
expect "SVG bar chart" '<svg class="chart" id="chart-rules"' 1
expect "chart bars" '<rect class="bar"' 3
expect "highlighted spans" '<mark class="hl sev-' 20
expect "notes beside the text" '<td class="notes"><div class="note sev-' 10
expect "a message beside its span" '所述比率100%与10/12不一致' 1
expect "the hostile script as text" '&lt;script&gt;document.title=' 1
expect "the hostile img as text" '&lt;img src=x onerror=' 1
[ "$(count '<img')" -eq 0 ] || fail "the hostile <img> became an element"
[ "$(count '<script')" -eq 1 ] || fail "a script element other than ours is in the DOM"
grep -q "<title>合规审查报告</title>" "$tmp/dom.html" || fail "the page title changed (a hostile script ran?)"

# A big batch starts folded; a link to a finding opens its report.
mkdir "$tmp/batch"
for i in $(seq -w 1 25); do cp examples/reports/002_89ac4cf4ed34e821.txt "$tmp/batch/$i.txt"; done
set +e
"$bin" check "$tmp/batch" --format html --quiet --output "$tmp/batch.html"
set -e
chrome --dump-dom "file://$tmp/batch.html#file-24-f1" >"$tmp/dom.html" \
  || { cat "$tmp/chromium.log" >&2; fail "chromium could not render the batch page"; }
expect "25 reports, folded" '<details class="report" id="file-[0-9]*">' 24
expect "the linked report opened" '<details class="report" id="file-24" open="">' 1

chrome --window-size=1280,2000 --screenshot="$tmp/audit.png" "file://$tmp/audit.html" >/dev/null \
  || { cat "$tmp/chromium.log" >&2; fail "chromium could not take a screenshot"; }
size=$(wc -c <"$tmp/audit.png")
[ "$size" -gt 50000 ] || fail "the screenshot is suspiciously small ($size bytes)"
echo "ok: screenshot ($size bytes)"

if [ -n "$screenshot" ]; then
  # The picture for the docs shows the sample reports only.
  set +e
  "$bin" check examples/reports/ --format html --quiet --output "$tmp/samples.html"
  set -e
  chrome --window-size=1280,2000 --screenshot="$tmp/samples.png" "file://$tmp/samples.html" >/dev/null
  cp "$tmp/samples.png" "$screenshot"
  echo "wrote $screenshot"
fi
echo "html_chromium: all checks passed"
