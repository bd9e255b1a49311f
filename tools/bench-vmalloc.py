#!/usr/bin/env python3
"""vmalloc benchmarks (part of `make bench`).

1. vmap_area allocation cost with 1,000 vs 10,000 live areas, counted in
   instructions by callgrind on the host build of mm/vmap_area.c (repeatable,
   unlike a timer): the ratio must stay far below 10 (sub-linear growth).
(vmalloc(1 MiB)+vfree in the kernel: tools/bench-kernel.py.)
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pagoda_qemu as pq  # noqa: E402
import callgrind as callgrind_lib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def callgrind_counts(binary, funcs):
    return callgrind_lib.inclusive_counts([binary], funcs, toggle_collect=funcs)


def main():
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode != 0:
        print("bench-vmalloc: valgrind not installed; skipping")
        return 0
    with tempfile.TemporaryDirectory() as d:
        exe = os.path.join(d, "vmap_area_bench")
        subprocess.run(["gcc", "-O2", "-g", "-fno-ipa-icf", "-fno-optimize-sibling-calls", "-I", os.path.join(ROOT, "include"),
                        "-I", os.path.join(ROOT, "mm"),
                        os.path.join(ROOT, "tools/bench/vmap_area_bench.c"),
                        os.path.join(ROOT, "mm/vmap_area.c"),
                        os.path.join(ROOT, "kernel/rbtree.c"), "-o", exe], check=True)
        rounds = int(subprocess.run([exe], capture_output=True, text=True,
                                    check=True).stdout.split()[1])
        c = callgrind_counts(exe, ["measure_1000", "measure_10000"])
    a, b = c.get("measure_1000"), c.get("measure_10000")
    if not a or not b:
        print("bench-vmalloc: could not read callgrind's counts: %s" % c)
        return 1
    print("vmap_area alloc+free pair (instructions, callgrind, host):")
    print("  %-22s %10s" % ("live areas", "instr/pair"))
    print("  %-22s %10.0f" % ("1,000", a / rounds))
    print("  %-22s %10.0f" % ("10,000", b / rounds))
    print("  ratio 10,000 / 1,000:  %.2f  (linear scan would be ~10; log2 ratio ~1.3)" % (b / a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
