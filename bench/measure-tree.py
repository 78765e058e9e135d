#!/usr/bin/env python3
"""Runs a command and prints, as one JSON object, its wall time and the peak
of the summed proportional set size (PSS) of the command and every process
it starts: a browser is many processes, and PSS shares each shared page
fairly among them, so the sum is what the machine really spends.

    measure-tree.py [--stdout FILE] -- COMMAND [ARGS...]
"""
import json
import os
import subprocess
import sys
import time


def children_of(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def tree(pid):
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children_of(p))
    return seen


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    args = sys.argv[1:]
    out = None
    if args[:1] == ["--stdout"]:
        out, args = args[1], args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    stdout = open(out, "w") if out else subprocess.DEVNULL
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(pss_kib(p) for p in tree(proc.pid)))
        time.sleep(0.02)
    wall = time.monotonic() - start
    print(json.dumps({"wall_s": round(wall, 3), "peak_pss_kib": peak, "exit": proc.returncode}))


if __name__ == "__main__":
    main()
