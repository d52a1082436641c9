#!/usr/bin/env python3
"""Paired side-by-side timing: reportlint beside the Python reference script (and the
ripgrep floor), runs interleaved round by round, medians and per-round ratios.

    cargo build --release && python3 benches/paired.py [ROUNDS]

CORPUS (default /tmp/perfcorpus) and BENCH (default ../shared/bench) can be set.
Stop anything else running first: the ratios are the point, and noise moves them."""
import subprocess, time, statistics, sys
import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = os.path.join(ROOT, "target/release/reportlint")
B = os.environ.get("BENCH", os.path.join(ROOT, "../shared/bench"))
M = "ogi/fees-section,ogi/reply-rate,ogi/publication-year"
C = os.environ.get("CORPUS", "/tmp/perfcorpus")
S = B + "/../seeds/002_89ac4cf4ed34e821.txt"
rows = {
  "python py_check.py (3 checks)": ["python3", B + "/py_check.py", C],
  "reportlint, 3 mission rules, concise": [R, "check", "--quiet", "--format", "concise", "--select", M, C],
  "reportlint, 3 mission rules, human": [R, "check", "--quiet", "--select", M, C],
  "reportlint, whole pack, concise": [R, "check", "--quiet", "--format", "concise", C],
  "reportlint, whole pack, human": [R, "check", "--quiet", C],
  "rg -c, the 4 patterns once, 2 threads (floor)": ["rg", "-c", "-f", B + "/rg_patterns.txt", C],
}
single = {
  "python py_check.py, one file": ["python3", B + "/py_check.py", S],
  "reportlint, whole pack, one file": [R, "check", "--quiet", S],
  "reportlint, 3 mission rules, one file": [R, "check", "--quiet", "--select", M, S],
}
import shutil
# A peer that is not installed (rg comes from ../shared/bench/setup.sh) is left out.
rows = {k: v for k, v in rows.items() if shutil.which(v[0]) or os.path.exists(v[0])}

def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t
def paired(rows, n):
    res = {k: [] for k in rows}
    for k, c in rows.items(): run(c)  # warm-up
    for i in range(n):
        for k, c in rows.items():
            res[k].append(run(c))
    base = list(rows)[0]
    print(f"{'run':48} {'min s':>8} {'median s':>9} {'median ratio to ' + base.split(',')[0]:>12}")
    for k in rows:
        ratios = [a / b for a, b in zip(res[k], res[base])]
        print(f"{k:48} {min(res[k]):8.3f} {statistics.median(res[k]):9.3f} {statistics.median(ratios):12.2f}")
paired(rows, int(sys.argv[1]) if len(sys.argv) > 1 else 10)
print()
paired(single, 30)
