#!/usr/bin/env bash
# Benchmark `reportlint check` over a generated corpus: wall, CPU, peak memory,
# files/s and MB/s, for the three mission rules and for the whole built-in pack,
# plus single-file latency. Usage: benches/bench.sh [N_FILES] (default 2000; CI uses 20).
# Timing is reported, never asserted: CI runs this in short mode only so it cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
corpus=${CORPUS:-$(mktemp -d)/corpus}
cargo build --release --quiet
bin=target/release/reportlint
[ -d "$corpus" ] || python3 benches/make_corpus.py "$corpus" "$n" >/dev/null
bytes=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -type f | wc -l)
measure() { # label, args...
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    local out tf
    tf=$(mktemp)
    /usr/bin/time -o "$tf" -f "%e %U %S %M" "$bin" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$tf"); rm -f "$tf"
    [ -z "$best" ] && best=$out
    # keep the run with the smallest wall time
    if awk -v a="$out" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," "); exit !(x[1]<y[1])}'; then best=$out; fi
  done
  read -r wall user sys rss <<<"$best"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v f="$files" -v b="$bytes" \
    'BEGIN{printf "%-34s wall %6.3fs  cpu %6.3fs  peak %5.1f MiB  %8.0f files/s  %7.1f MB/s\n", l, w, u+s, r/1024, (w>0?f/w:0), (w>0?b/1e6/w:0)}'
}
echo "corpus: $files files, $((bytes/1000)) kB ($corpus)"
if ! command -v /usr/bin/time >/dev/null 2>&1 && [ ! -x /usr/bin/time ]; then echo "needs /usr/bin/time (apt-get install time)"; exit 0; fi
measure "mission rules (3)" check --quiet --select ogi/fees-section,ogi/reply-rate,ogi/publication-year "$corpus"
measure "whole built-in pack" check --quiet "$corpus"
one=$(ls examples/reports/002_*.txt)
files=1; bytes=$(stat -c %s "$one")
measure "one file (seed 002), whole pack" check --quiet "$one"
