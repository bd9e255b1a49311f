#!/usr/bin/env python3
"""Boot-time benchmark: wall time from starting QEMU to the shell prompt.

Runs QEMU --runs times per architecture (fresh disk each time) and prints
the median, min and max wall time until the first "$ " appears on the
console, plus the kernel's own clock (printk time stamp of the last line
before the prompt). Wall time includes QEMU start-up and OpenSBI/firmware.

  tools/bench-boot.py [--arch riscv] [--runs 5] [--cpus 3]
"""
import argparse
import os
import re
import shutil
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pagoda_qemu as pq  # noqa: E402


def bench(arch, runs, cpus):
    img = os.path.join(pq.BUILD, arch, "fs.img")
    tmp = os.path.join(pq.BUILD, arch, "fs-bench.img")
    walls, kernel = [], []
    for _ in range(runs):
        shutil.copyfile(img, tmp)
        cmd = pq.qemu_command(arch, cpus=cpus, fsimg=tmp)
        res = pq.run(cmd, "", timeout=30, watch=["$ "], stop_on="$ ")
        if "$ " not in res.marks:
            print("%s: no prompt within 30 s" % arch)
            return None
        walls.append(res.marks["$ "])
        stamps = re.findall(r"^\[\s*(\d+\.\d+)\]", res.output.split("$ ")[0], re.M)
        if stamps:
            kernel.append(float(stamps[-1]))
    return walls, kernel


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", action="append")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cpus", type=int, default=3)
    args = ap.parse_args()
    arches = args.arch or ["riscv"]
    print("%-8s %8s %8s %8s %14s" % ("arch", "median", "min", "max", "kernel clock"))
    for arch in arches:
        r = bench(arch, args.runs, args.cpus)
        if not r:
            continue
        walls, kernel = r
        print("%-8s %7.3fs %7.3fs %7.3fs %13.3fs" % (
            arch, statistics.median(walls), min(walls), max(walls),
            statistics.median(kernel) if kernel else float("nan")))


if __name__ == "__main__":
    main()
