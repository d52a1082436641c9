#!/usr/bin/env python3
"""Deterministic benchmark corpus: N variants of the sample reports in examples/reports.

Each variant is one sample with its years 2012..2018 shifted by one delta and, for one
file in three, a reply count lowered (so the reply-rate rule has something to find).
Same N and seed → byte-identical corpus. Usage: make_corpus.py OUT_DIR [N] [SEED]
"""
import os
import random
import re
import sys

def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(here, "..", "examples", "reports")
    seeds = [open(os.path.join(src, f), encoding="utf-8").read() for f in sorted(os.listdir(src)) if f.endswith(".txt")]
    os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(n):
        text = seeds[i % len(seeds)]
        delta = rng.randint(-4, 4)
        text = re.sub(r"(?<!\d)(201[2-8])(?!\d)", lambda m: str(int(m.group(1)) + delta), text)
        if i % 3 == 0:
            text = text.replace("回复处理497件", "回复处理%d件" % (497 - rng.randint(3, 40)))
        data = text.encode("utf-8")
        total += len(data)
        with open(os.path.join(out, "r%05d.txt" % i), "wb") as f:
            f.write(data)
    print("%d files, %d bytes -> %s" % (n, total, out))

main()
