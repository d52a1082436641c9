#!/usr/bin/env bash
# Benchmark `reportlint check` over a generated corpus: wall, CPU, peak memory, files/s
# and MB/s for the three mission rules and for the whole built-in pack, single-file
# latency (seed 002), the Python reference script in the same pass when it is at hand,
# then per-stage costs (benches/stages.rs: decode, fold, document, evaluate, render).
#
#   benches/bench.sh [N_FILES]      default 2000; CI runs `bash benches/bench.sh 20`
#
# Knobs (environment): CORPUS (an existing corpus folder; default: a fresh one built by
# benches/make_corpus.py), RUNS (runs per row, median reported; default 5, 1 when
# N_FILES < 100), PEERS (folder holding py_check.py; default ../shared/bench),
# STAGES=0 to skip the per-stage table.
# Timing is reported, never asserted: CI runs this in short mode only so it cannot rot.
# docs/performance.md explains the rows and has the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${RUNS:-$([ "$n" -lt 100 ] && echo 1 || echo 5)}
corpus=${CORPUS:-$(mktemp -d)/corpus}
peers=${PEERS:-../shared/bench}
cargo build --release --quiet
bin=target/release/reportlint
[ -d "$corpus" ] || python3 benches/make_corpus.py "$corpus" "$n" >/dev/null
if [ ! -x /usr/bin/time ]; then echo "needs /usr/bin/time (apt-get install time)"; exit 0; fi

# measure LABEL FILES BYTES CMD...: median wall of $runs runs (with that run's CPU and
# the largest peak RSS seen), from /usr/bin/time.
measure() {
  local label=$1 files=$2 bytes=$3; shift 3
  local tf all=""
  tf=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
    all+="$(tail -1 "$tf")"$'\n'
  done
  rm -f "$tf"
  sort -n <<<"${all%$'\n'}" | awk -v l="$label" -v f="$files" -v b="$bytes" '
    { w[NR]=$1; c[NR]=$2+$3; if ($4>m) m=$4 }
    END { k=int((NR+1)/2); printf "%-40s wall %7.3fs  cpu %7.3fs  peak %6.1f MiB  %8.0f files/s  %7.1f MB/s\n",
          l, w[k], c[k], m/1024, (w[k]>0?f/w[k]:0), (w[k]>0?b/1e6/w[k]:0) }'
}

bytes=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -type f | wc -l)
echo "corpus: $files files, $((bytes/1000)) kB ($corpus); median of $runs run(s); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
mission=ogi/fees-section,ogi/reply-rate,ogi/publication-year
measure "mission rules (3)" "$files" "$bytes" "$bin" check --quiet --select "$mission" "$corpus"
measure "whole built-in pack" "$files" "$bytes" "$bin" check --quiet "$corpus"
measure "whole built-in pack, --format concise" "$files" "$bytes" "$bin" check --quiet --format concise "$corpus"
measure "whole built-in pack, --format json" "$files" "$bytes" "$bin" check --format json "$corpus"
if [ -f "$peers/py_check.py" ] && [ -x /usr/bin/python3 ]; then
  measure "python py_check.py (3 checks)" "$files" "$bytes" /usr/bin/python3 "$peers/py_check.py" "$corpus"
fi
one=$(ls examples/reports/002_*.txt)
one_bytes=$(stat -c %s "$one")
measure "one file (seed 002), whole pack" 1 "$one_bytes" "$bin" check --quiet "$one"
measure "one file (seed 002), mission rules" 1 "$one_bytes" "$bin" check --quiet --select "$mission" "$one"
if [ -f "$peers/py_check.py" ] && [ -x /usr/bin/python3 ]; then
  measure "one file, python py_check.py" 1 "$one_bytes" /usr/bin/python3 "$peers/py_check.py" "$one"
fi
if [ "${STAGES:-1}" != 0 ]; then
  echo
  echo "per-stage costs (one thread; benches/stages.rs):"
  cargo bench --quiet --bench stages -- "$corpus"
fi
