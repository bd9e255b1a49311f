#!/usr/bin/env python3
"""Page allocator benchmarks (part of `make bench`).

1. Instructions per alloc+free pair, counted by callgrind on the host build
   of the real mm/ sources (-O2, no sanitizers, page poisoning off), side by
   side with a plain free-list allocator in the same run
   (tools/testing/mm/bench/bench.c):
     order 0: the buddy allocator's per-CPU list hit   (target: <= 2x the free list)
     order 3: split on allocation, merge on free
2. Fragmentation: the share of free memory left in pageblock-sized blocks
   (order >= 9) after a fixed random workload mixing movable and unmovable
   allocations, once all movable pages are freed, with grouping by mobility
   and with it switched off (page_group_by_mobility_disabled).

Options: --pairs N (default 20000), --steps N (fragmentation workload, 200000).
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import callgrind as callgrind_lib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MM = os.path.join(ROOT, "tools", "testing", "mm")
SRCS = ["mm/memblock.c", "mm/mm_init.c", "mm/page_alloc.c", "mm/vmstat.c", "mm/vmscan.c",
        "kernel/seq_buf.c"]
FUNCS = ["bench_freelist_order0", "bench_buddy_order0", "bench_freelist_order3",
         "bench_buddy_order3"]


def build(out):
    cmd = ["gcc", "-O2", "-g", "-fno-builtin", "-Wall", "-Wno-unused-parameter",
           "-I" + os.path.join(MM, "stubs"), "-I" + os.path.join(ROOT, "tools/testing/stubs"),
           "-I" + os.path.join(ROOT, "tools/testing/lib"), "-I" + os.path.join(ROOT, "mm"),
           "-I" + os.path.join(ROOT, "include"), "-o", out,
           os.path.join(MM, "bench", "bench.c"), os.path.join(MM, "mm-host.c")]
    cmd += [os.path.join(ROOT, s) for s in SRCS]
    subprocess.run(cmd, check=True)


def callgrind(binary, pairs):
    return callgrind_lib.inclusive_counts([binary, str(pairs)], FUNCS)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=20000)
    ap.add_argument("--steps", type=int, default=200000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        binary = os.path.join(d, "buddy-bench")
        build(binary)
        print("== page allocator: instructions per alloc+free (callgrind, host build, -O2)")
        try:
            c = callgrind(binary, args.pairs)
        except (OSError, subprocess.CalledProcessError) as e:
            print("  callgrind not available (%s): apt-get install valgrind" % e)
            c = {}
        # the warm-up calls (10 pairs) are included in the inclusive counts
        n = args.pairs + 10
        if all(f in c for f in FUNCS):
            print("  %-26s %12s %12s %8s" % ("", "free list", "buddy", "ratio"))
            for order in (0, 3):
                fl = c["bench_freelist_order%d" % order] / n
                bd = c["bench_buddy_order%d" % order] / n
                note = "  (per-CPU list hit; target <= 2x)" if order == 0 else \
                    "  (split + merge every time)"
                print("  %-26s %12.1f %12.1f %7.2fx%s" % ("order-%d alloc+free" % order, fl, bd,
                                                          bd / fl, note))
        elif c is not None:
            print("  could not find the benchmark functions in callgrind's output")
        print("== fragmentation: free memory in blocks of order >= 9 after a mixed workload"
              " (128 MiB, %d steps, then all movable pages freed)" % args.steps)
        r = subprocess.run([binary, "7", str(args.steps)], check=True, capture_output=True,
                           text=True).stdout
        for line in r.splitlines():
            w = line.split()
            share = int(w[2])
            print("  %-28s %6.2f%%   (%s fallbacks, %s pageblocks stolen)"
                  % ("grouping by mobility " + ("on" if w[1] == "grouped" else "off") + ":",
                     share / 100.0, w[4], w[6]))


if __name__ == "__main__":
    main()
