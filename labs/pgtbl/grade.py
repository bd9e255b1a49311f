#!/usr/bin/env python3
"""labs/pgtbl/grade.py - the pgtbl lab's grader (100 points per architecture).

  make grade LAB=pgtbl [ARCH=arm64]          this tree, with points per test
  labs/pgtbl/grade.py --list                 the tests and their points
  labs/pgtbl/grade.py --submission DIR|ZIP --arch best --results results.json
                                             a hand-in, as the course's autograder does

Tests 1-11 are host unit tests of mm/pgtable.c with the architecture's
asm/pgtable.h (labs/pgtbl/host/; test 11 is hidden); 12-15 boot the kernel
in QEMU: in-kernel suites (labs/pgtbl/ktest/, and "pgtable" in mm/mm_test.c) and the user
program pgtbltest (labs/pgtbl/user/): three boots in all. See labs/pgtbl/README.md, "Grading".
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "lab"))
import grader  # noqa: E402
from grader import Verdict, all_of  # noqa: E402

lab = grader.Lab("pgtbl", "Page tables", answers="labs/pgtbl/answers.txt")

host = lab.host_suite(
    "host", kernel_sources=["mm/pgtable.c", "kernel/bootargs.c"],
    tests=["labs/pgtbl/host/*.c"], hidden_tests=["labs/pgtbl/hidden/host/*.c"],
    include=["labs/pgtbl/host/stubs", "labs/pgtbl/host", "labs/pgtbl/ktest"],
    force_include="labs/pgtbl/host/host-asm.h")
ktest = lab.ktest_boot("ktest", suites=["pgtable", "pgtbl_lab", "pgtbl_vmprint"])
user = lab.user_boot("pgtbltest", "pgtbltest")
# its own boot: a vmprint() that is not written yet must not cost the tests above
vmexec = lab.user_boot("vmprint-exec", "pgtbltest", bootargs="vmprint=pgtbltest")

PROTECTIONS = [
    "can a program write to its own code?",
    "can a program write to its read-only data?",
    "can a program run code from its heap?",
    "can a program run code from its stack?",
    "can a program read the kernel's memory?",
    "can a program write the kernel's memory?",
    "is page 0 unmapped?",
]
MEMORY = [
    "do sbrk()'s pages, across several page-table pages, keep what is written?",
    "is memory given back with sbrk(-n) unmapped?",
    "does fork() give the child its own copy of data, heap and stack?",
    "are data and rodata readable?",
]

ENTRY = re.compile(r"^( *)L(\d)\[(\d{3})\] va 0x([0-9a-f]{10}) pte 0x([0-9a-f]{16}) "
                   r"(?:table 0x([0-9a-f]+)|(\d+)([KMG]) page 0x([0-9a-f]+) "
                   r"([r-][w-][x-]) (user|kernel))$")


def exec_dump(ctx, res):
    """vmprint=pgtbltest printed the program's table after exec, and it matches the ELF."""
    lines = res.lines
    try:
        i = next(k for k, l in enumerate(lines)
                 if re.match(r"^vmprint: pid \d+ \(pgtbltest\) after exec$", l))
    except StopIteration:
        return Verdict(False, "booting with vmprint=pgtbltest printed no page table when "
                       "pgtbltest was exec'd\n" + grader.boot_failure(res))
    if i + 1 >= len(lines) or not re.match(r"^vmprint: page table at pa 0x[0-9a-f]+$",
                                           lines[i + 1]):
        return Verdict(False, "after \"%s\" the next line must be \"vmprint: page table at pa "
                       "0x...\"; got \"%s\"" % (lines[i], lines[i + 1] if i + 1 < len(lines)
                                                 else "(end of output)"))
    entries = []
    for l in lines[i + 2:]:
        m = ENTRY.match(l)
        if not m:
            break
        entries.append((l, m))
    if not entries:
        return Verdict(False, "no entries after the vmprint header; first line was \"%s\""
                       % (lines[i + 2] if i + 2 < len(lines) else ""))
    top = int(entries[0][1].group(2))
    parents = {}
    leaves = {}
    pas = set()
    for l, m in entries:
        indent, level, idx, va = len(m.group(1)), int(m.group(2)), int(m.group(3)), \
            int(m.group(4), 16)
        size = 1 << (12 + 9 * level)
        base = parents.get(level + 1, 0) if level < top else 0
        problems = []
        if indent != 2 * (top - level):
            problems.append("indentation %d, expected %d" % (indent, 2 * (top - level)))
        if va != base + idx * size:
            problems.append("va 0x%x, but index %d under 0x%x is 0x%x"
                            % (va, idx, base, base + idx * size))
        if problems:
            return Verdict(False, "in the dump after exec, line \"%s\": %s"
                           % (l, "; ".join(problems)))
        if m.group(6):
            parents[level] = va
            continue
        unit = {"K": 10, "M": 20, "G": 30}[m.group(8)]
        if int(m.group(7)) << unit != size:
            return Verdict(False, "line \"%s\": a level-%d leaf maps %d bytes" % (l, level, size))
        pa = int(m.group(9), 16)
        if pa in pas:
            return Verdict(False, "line \"%s\": physical page 0x%x appears twice" % (l, pa))
        pas.add(pa)
        for off in range(0, size, 4096):
            leaves[va + off] = m.group(10) + " " + m.group(11)
    # what exec may have mapped: the ELF's segments with their permissions, and stack
    # pages below TASK_SIZE (exec may map lazily: a page may be absent, never wrong)
    want = {}
    elf = os.path.join(ctx.build, "user", "_pgtbltest")
    for vaddr, memsz, flags in grader.elf_segments(elf):
        perm = "r" + ("w" if flags & 2 else "-") + ("x" if flags & 1 else "-") + " user"
        for p in range(vaddr & ~0xfff, vaddr + memsz, 4096):
            want[p] = perm
    task = grader.header_constant(ctx.path("arch", ctx.arch, "include", "asm", "memory.h"),
                                  "TASK_SIZE")
    bad = []
    for p in sorted(leaves):
        if p in want:
            ok = want[p] == leaves[p]
        else:
            ok = task is not None and task - (8 << 20) <= p < task and leaves[p] == "rw- user"
        if not ok:
            bad.append("va 0x%x: the dump says %s; pgtbltest's ELF segments and stack allow %s"
                       % (p, leaves[p], want.get(p, "nothing there")))
    text = [p for p, v in want.items() if "x" in v]
    if not any(p in leaves for p in text):
        bad.append("none of pgtbltest's text pages (0x%x...) is in the dump" % min(text))
    if bad:
        return Verdict(False, "the dump after exec does not match pgtbltest's ELF segments "
                       "and stack:\n" + "\n".join(bad[:8]))
    return Verdict(True, "%d pages, as the ELF file and the stack allow" % len(leaves))


# ---- the grader's own model (labs/pgtbl/host/test_driven.c carries the operations out) ----

WINDOW = 0x40000000 - (4 << 20)  # 8 MiB of user addresses across a 1 GiB boundary
PROT_FLAGS = ["rw--", "r---", "r-x-", "rw-u"]  # classes 0-3 as pte_read/write/exec/user see them


def pgtbl_ops(unmap):
    """Random maps of fresh pages (1-40, each of a random protection class), lookups
    and, with @unmap, unmaps, in an 8 MiB window across a 1 GiB boundary, then
    free_pgtables() (tasks 1-4, or 1-6)."""
    def make(rng):
        ops = ["reset"]
        for _ in range(250):
            first, n = rng.randrange(2048), rng.randint(1, 40)
            n = min(n, 2048 - first)
            va = WINDOW + first * 4096
            r = rng.random()
            if r < 0.4:
                ops.append("m %x %d %d" % (va, n, rng.randrange(4)))
            elif r < 0.6 and unmap:
                ops.append("u %x %d" % (va, n))
            else:
                ops += ["l %x" % (va + i * 4096) for i in range(n)]
        return ops + (["F"] if unmap else [])
    return make


def check_pgtbl(ctx, ops, reports):
    """Every map answers 0, or -EEXIST exactly where a page is mapped; every unmap
    counts the pages that were mapped; every lookup finds the page the model says,
    at level 0, with its protection, in the architecture's PTE format; and
    free_pgtables() gives every page back."""
    it = iter(reports)
    model, prot, before = {}, {}, None

    def bad(why):
        return grader.Verdict(False, "your page tables, driven by the grader with random "
                              "operations (seed %d), went wrong: %s" % (ctx.host_seed(), why))

    def nxt(kind):
        r = next(it, "").split()
        return r[1:] if r and r[0] == kind else None

    for op in ops:
        w = op.split()
        if w[0] == "reset":
            for _ in range(4):
                r = nxt("p")
                if not r:
                    return bad("no protections reported")
                prot[int(r[0])] = int(r[1], 16)
            r = nxt("R")
            before = int(r[0]) if r else None
            model = {}
        elif w[0] == "m":
            va, n, cls = int(w[1], 16), int(w[2]), int(w[3])
            for i in range(n):
                r = nxt("m")
                if not r:
                    return bad("no answer to map_range(0x%x)" % (va + i * 4096))
                res, pfn = int(r[0]), int(r[1])
                page = va + i * 4096
                want = -17 if page in model else 0
                if res != want:
                    return bad("map_range(0x%x) returned %d, expected %d (%s)"
                               % (page, res, want, "already mapped" if want else "free"))
                if res == 0:
                    model[page] = (pfn, cls)
        elif w[0] == "u":
            va, n = int(w[1], 16), int(w[2])
            want = sum(1 for i in range(n) if model.pop(va + i * 4096, None))
            r = nxt("u")
            if not r or int(r[0]) != want:
                return bad("unmap_range(0x%x, %d pages) returned %s, %d of them were mapped"
                           % (va, n, r and r[0], want))
        elif w[0] == "l":
            va = int(w[1], 16)
            r = nxt("l")
            if r is None:
                return bad("no answer to lookup_pte(0x%x)" % va)
            if va not in model:
                if r != ["-"]:
                    return bad("lookup_pte(0x%x) found an entry; nothing is mapped there" % va)
                continue
            pfn, cls = model[va]
            if r == ["-"] or len(r) != 4:
                return bad("lookup_pte(0x%x) found nothing; pfn 0x%x is mapped there"
                           % (va, pfn))
            level, got, flags, raw = int(r[0]), int(r[1]), r[2], int(r[3], 16)
            if level != 0 or got != pfn:
                return bad("lookup_pte(0x%x): level %d, pfn 0x%x; expected level 0, pfn 0x%x"
                           % (va, level, got, pfn))
            if flags != PROT_FLAGS[cls]:
                return bad("the entry for 0x%x reads %s (pte_read/write/exec/user), mapped "
                           "as %s" % (va, flags, PROT_FLAGS[cls]))
            if ctx.arch == "riscv":
                ok = raw >> 10 & ((1 << 44) - 1) == pfn and raw & 0x3ff == prot[cls] & 0x3ff
                fmt = "PPN in bits 10-53, the protection's bits in 0-9"
            else:
                mask = 0x0000fffffffff000
                ok = (raw & mask) >> 12 == pfn and raw & ~mask == prot[cls] | 2
                fmt = "the output address in bits 12-47, the protection's bits and bit 1 " \
                      "(a page) elsewhere"
            if not ok:
                return bad("the entry for 0x%x is 0x%016x: for pfn 0x%x with protection "
                           "0x%x, the %s format wants %s" % (va, raw, pfn, prot[cls],
                                                              ctx.arch, fmt))
        elif w[0] == "F":
            r = nxt("F")
            if not r or before is None or int(r[0]) > before + 1:
                return bad("after free_pgtables() %s pages are in use; before the root table "
                           "was made, %s" % (r and r[0], before))
    return grader.Verdict(True, "%d operations as the model says" % len(ops))


driven_map = host.driven("driven_map_unmap_lookup", pgtbl_ops(False), check_pgtbl,
                         variant="map")
driven_all = host.driven("driven_map_unmap_lookup", pgtbl_ops(True), check_pgtbl,
                         variant="all")

T = ["host"]
lab.test("PTE encoding: pt_index() and pt_level_size() (task 1)", 5,
         host.case("encoding_index_and_level_size"), core=True, tags=T)
lab.test("PTE encoding: table entries and leaves round-trip, in the hardware's bit layout "
         "(task 1)", 10, all_of(host.case("encoding_tables_and_leaves"),
                                host.case("encoding_matches_the_hardware_format")),
         core=True, tags=T)
lab.test("walk_pgtable() allocates exactly the missing tables (task 2)", 10,
         host.case("walk_allocates_exactly_the_missing_tables"), core=True, tags=T)
lab.test("walk_pgtable() without alloc, under large leaves, out of memory (task 2)", 5,
         host.case("walk_without_alloc_and_under_large_leaves"), tags=T)
lab.test("lookup_pte() finds leaves at every level and nothing in holes (task 3)", 5,
         all_of(host.case("lookup_finds_leaves_at_every_level"), driven_map), core=True,
         tags=T)
lab.test("map_range(): 4 KiB pages across table boundaries, exact pfn and protection, "
         "errors (task 4)", 10,
         all_of(host.case("map_range_4k_pages_across_table_boundaries"),
                host.case("map_range_refuses_bad_requests"), driven_map), core=True, tags=T)
lab.test("map_range(): 2 MiB leaves where va, pa and size allow (task 4)", 5,
         host.case("map_range_huge_uses_large_leaves_where_aligned"), tags=T)
lab.test("unmap_range(): clears, counts, frees on request, skips holes (task 5)", 5,
         all_of(host.case("unmap_range_clears_counts_and_frees_on_request"),
                host.case("unmap_range_large_leaves_count_all_their_pages"), driven_all),
         core=True, tags=T)
lab.test("free_pgtables() frees every table and page exactly once, not the kernel's "
         "(task 6)", 10, all_of(host.case("free_pgtables_frees_every_table_and_page_once"),
                                driven_all), core=True, tags=T)
lab.test("vmprint() prints the documented format (task 7)", 5,
         all_of(host.case("vmprint_empty_table"), host.case("vmprint_prints_every_level_in_order")),
         core=True, tags=T)
lab.test("random map/unmap/lookup sequences agree with a model", 5,
         host.case("random_operations_agree_with_a_model", hidden=True), hidden=True, tags=T)
Q = ["qemu"]
lab.test("the kernel boots on your page tables; its own pgtable suite passes", 5,
         ktest.all_of(["pgtable"]), core=True, tags=Q)
lab.test("new kernel mappings (4 KiB, 2 MiB) work through the MMU; address spaces give "
         "every page back", 5, ktest.all_of(["pgtbl_lab"]), tags=Q)
lab.test("user space: the MMU enforces code, data, stack and kernel protections "
         "(pgtbltest)", 5, all_of(*[user.case(q) for q in PROTECTIONS]), core=True, tags=Q)
lab.test("user space: sbrk grows and shrinks across tables, fork copies every page "
         "(pgtbltest)", 5, all_of(*[user.case(q) for q in MEMORY]), tags=Q)
lab.test("vmprint in the kernel: exact output for a random layout, and vmprint=NAME "
         "after exec", 5, all_of(ktest.all_of(["pgtbl_vmprint"]), vmexec.check(exec_dump)),
         tags=Q)

if __name__ == "__main__":
    sys.exit(lab.main())
