#!/usr/bin/env python3
"""Slab allocator benchmarks (part of `make bench`).

1. Instructions per kmalloc(64)+kfree pair on the per-CPU fast path, counted
   by callgrind on the host build of the real mm/ sources (-O2, no
   sanitizers, page poisoning off), side by side with glibc's malloc(64)+free
   in the same run (tools/testing/slab/bench/bench.c). Target: at or below
   glibc.
2. Memory: what 100,000 64-byte objects cost, from a dedicated cache, from
   kmalloc (also when the caller asked for 50 bytes), with slab_debug, and
   from glibc malloc: bytes taken from the allocator below, per object, and
   the part that is not the object (slab metadata, slack, padding; glibc's
   chunk headers).

Options: --pairs N (default 100000).
"""
import argparse
import os
import sys
import re
import subprocess
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import callgrind as callgrind_lib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T = os.path.join(ROOT, "tools", "testing")
SRCS = ["mm/memblock.c", "mm/mm_init.c", "mm/page_alloc.c", "mm/vmstat.c", "mm/vmscan.c",
        "mm/slab.c", "mm/slab_debug.c", "mm/slab_common.c", "kernel/seq_buf.c",
        "kernel/bootargs.c",
        "tools/testing/mm/mm-host.c", "tools/testing/slab/slab-host.c",
        "tools/testing/slab/bench/bench.c"]
FUNCS = ["bench_glibc_malloc64", "bench_kmalloc64"]


def build(out):
    cmd = ["gcc", "-O2", "-g", "-fno-builtin", "-Wall", "-Wno-unused-parameter",
           "-I" + os.path.join(T, "slab", "stubs"), "-I" + os.path.join(T, "mm", "stubs"),
           "-I" + os.path.join(T, "mm"), "-I" + os.path.join(T, "stubs"),
           "-I" + os.path.join(T, "lib"), "-I" + os.path.join(ROOT, "mm"),
           "-I" + os.path.join(ROOT, "include"), "-o", out]
    cmd += [os.path.join(ROOT, s) for s in SRCS]
    subprocess.run(cmd, check=True)


def callgrind(binary, pairs):
    return callgrind_lib.inclusive_counts([binary, str(pairs)], FUNCS)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=100000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        binary = os.path.join(d, "slab-bench")
        build(binary)
        print("== slab: instructions per alloc+free of 64 bytes (callgrind, host build, -O2)")
        try:
            c = callgrind(binary, args.pairs)
        except (OSError, subprocess.CalledProcessError) as e:
            print("  callgrind not available (%s): apt-get install valgrind" % e)
            c = {}
        n = args.pairs + 10  # the warm-up pairs are in the inclusive counts
        if all(f in c for f in FUNCS):
            g = c["bench_glibc_malloc64"] / n
            k = c["bench_kmalloc64"] / n
            print("  %-34s %8.1f" % ("glibc malloc(64) + free", g))
            print("  %-34s %8.1f   %.2fx glibc (target <= 1x)%s"
                  % ("kmalloc(64) + kfree (per-CPU hit)", k, k / g,
                     "" if k <= g else "  ** above target **"))
        elif c is not None:
            print("  could not find the benchmark functions in callgrind's output")
        print("== slab: memory for 100,000 objects of 64 bytes")
        r = subprocess.run([binary, "overhead"], check=True, capture_output=True,
                           text=True).stdout
        print("  %-28s %10s %8s %8s %7s %6s" % ("", "bytes", "per obj", "not obj",
                                                 "share", "slabs"))
        for line in r.splitlines():
            if line.startswith("overhead-meta"):
                w = line.split()
                print("  (metadata outside the slabs: struct kmem_cache %s bytes per cache, "
                      "struct page %s bytes per slab page, %s pages: slab fields live in "
                      "struct pages that exist anyway)" % (w[2], w[4], w[6]))
                continue
            m = re.match(r"overhead (.+?)\s+(\d+)\s+([\d.]+)\s+([-\d.]+)\s+([-\d.]+)%\s+(\d+)",
                         line)
            if m:
                print("  %-28s %10s %8s %8s %6s%% %6s" % m.groups())


if __name__ == "__main__":
    main()
