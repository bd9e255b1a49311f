#!/usr/bin/env python3
"""In-kernel benchmarks (part of `make bench`), side by side on both
architectures.

Runs the in-kernel suites named bench_* under QEMU with -icount shift=0,
where every guest instruction takes exactly 1 ns of virtual time: the
suites convert counter ticks to instructions, so the figures are
repeatable whatever the host is doing. Prints every "# bench:" line.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pagoda_qemu as pq  # noqa: E402

SUITES = "bench_vmalloc,bench_vma"


def main():
    arches = sys.argv[1:] or ["riscv", "arm64"]
    results = {}
    for arch in arches:
        subprocess.run(["make", "-s", "-C", pq.ROOT, "ARCH=" + arch, "kernel"] +
                       pq.make_dirs(arch), check=True, capture_output=True)
        cmd = pq.qemu_command(arch, cpus=1, mem="256M") + ["-icount", "shift=0,sleep=off"]
        res = pq.run(cmd, "ktest=%s panic=-1" % SUITES, timeout=300)
        lines = re.findall(r"# bench: (.*)", res.output)
        if not lines:
            print("%s: no benchmark output (status %s)" % (arch, res.status))
        results[arch] = lines
    print("in-kernel benchmarks (instructions, QEMU -icount shift=0):")
    for i, line in enumerate(results.get(arches[0], [])):
        print("  " + line.split(":")[0] + ":")
        for arch in arches:
            lines = results.get(arch, [])
            print("    %-6s %s" % (arch, lines[i].split(":", 1)[1].strip() if i < len(lines)
                                     else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
