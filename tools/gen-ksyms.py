#!/usr/bin/env python3
"""Turn `nm -n kernel` output (on stdin) into the kernel's symbol table.

Writes assembly for the .ksyms section (see kernel/ksyms.c): only text
symbols (t/T/W), sorted by address, duplicates at one address collapsed.
Empty input gives an empty table (the first link pass).
"""
import sys


def main():
    syms = []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = parts
        if kind not in "tTwW" or name.startswith(".L") or name.startswith("$"):
            continue
        syms.append((int(addr, 16), name))
    syms.sort()
    uniq = []
    for a, n in syms:
        if uniq and uniq[-1][0] == a:
            continue
        uniq.append((a, n))
    out = ['\t.section .ksyms, "a"', "\t.balign 8", "\t.globl ksyms_num", "ksyms_num:",
           "\t.quad %d" % len(uniq), "\t.globl ksyms_addr", "ksyms_addr:"]
    out += ["\t.quad 0x%x" % a for a, _ in uniq]
    out += ["\t.globl ksyms_name_off", "ksyms_name_off:"]
    off = 0
    for _, n in uniq:
        out.append("\t.word %d" % off)
        off += len(n) + 1
    out += ["\t.globl ksyms_names", "ksyms_names:"]
    out += ['\t.asciz "%s"' % n for _, n in uniq]
    out.append("\t.byte 0")
    print("\n".join(out))


if __name__ == "__main__":
    main()
