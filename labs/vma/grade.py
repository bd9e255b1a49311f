#!/usr/bin/env python3
"""labs/vma/grade.py - the vma lab's grader (100 points per architecture).

  make grade LAB=vma [ARCH=arm64]            this tree, with points per test
  labs/vma/grade.py --list                   the tests and their points
  labs/vma/grade.py --part faults            one part only (vmas, faults, cow, files)
  labs/vma/grade.py --submission DIR|ZIP --arch best --results results.json

The lab has four parts that a course may grade separately (as checkpoints,
or as assignments of their own, with --part): VMAs (tasks 1-4: find_vma,
merging, splitting, munmap in mm/vma.c), lazy faults (task 5: the four
page-fault cases in mm/memory.c), copy-on-write (task 6) and mmap of files
(task 7: mm/filemap.c and the shared-file part of vma_zap_range). Each part
builds on the ones before it; user programs need fork, so the user-space
checks of every part before "files" are graded with part "cow".

Tests 1-8 are host unit tests of mm/vma.c against a model (labs/vma/host/;
test 8 is hidden); 9-17 boot the kernel in QEMU: the lab's in-kernel suites
(labs/vma/ktest/) and the user program vmatest (labs/vma/user/), which reads
/proc/self/maps, /proc/self/smaps and /proc/vmstat, and the console's kill
messages: two boots in all. See labs/vma/README.md, "Grading".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "lab"))
import grader  # noqa: E402
from grader import all_of  # noqa: E402

lab = grader.Lab("vma", "Process address spaces: VMAs and page faults",
                 answers="labs/vma/answers.txt")

host = lab.host_suite(
    "host", kernel_sources=["mm/vma.c", "kernel/rbtree.c"],
    tests=["labs/vma/host/*.c"], hidden_tests=["labs/vma/hidden/host/*.c"],
    include=["labs/vma/host", "tools/testing/vma/stubs", "mm"])
# ---- the grader's own model (labs/vma/host/test_driven.c carries the operations out) ----

PAGES = 1024  # the host tests' address space, in pages from BASE


def find_ops(rng):
    """A random layout of up to 300 VMAs inserted in scrambled order (task 1 alone), then
    find_vma() and find_vma_intersection() at random addresses."""
    vmas, at = [], rng.randrange(4)
    while at < PAGES - 8 and len(vmas) < 300:
        n = rng.randint(1, 4)
        vmas.append((at, at + n))
        at += n + rng.randrange(3)
    ops = ["reset"] + ["raw %d %d" % v for v in rng.sample(vmas, len(vmas))]
    for _ in range(400):
        a = rng.randrange((at + 8) * 4096)
        ops.append("q %d" % a)
        if rng.random() < 0.3:
            ops.append("i %d %d" % (a, a + rng.randint(1, 6 * 4096)))
    return ops


def vma_ops(rng):
    """Random anonymous maps, munmaps and mprotects of 1-40 pages (tasks 1-4), each
    followed by a dump of the tree."""
    ops = ["reset"]
    for _ in range(150):
        s = rng.randrange(256)
        n = rng.randint(1, 6) if rng.random() < 0.75 else rng.randint(7, 40)
        n = min(n, 256 - s)
        ops.append(rng.choice(["map %d %d %d" % (s, n, rng.randrange(3)),
                               "unmap %d %d" % (s, n),
                               "prot %d %d %d" % (s, n, rng.randrange(3))]))
        ops.append("dump")
    return ops


def check_vma(ctx, ops, reports):
    """find_vma() answers the first VMA ending above the address, find_vma_intersection()
    the first overlapping one; mmap succeeds exactly on free pages, mprotect exactly on
    mapped ones, munmap zaps each mapped page once; and the tree is, after every
    step, exactly the model's pages grouped into the fewest VMAs (merged)."""
    it = iter(reports)
    raw, page = [], {}  # raw VMAs (find); page -> kind (operations)

    def bad(why):
        return grader.Verdict(False, "your VMA code, driven by the grader with random "
                              "operations (seed %d), went wrong: %s" % (ctx.host_seed(), why))

    def nxt(kind):
        r = next(it, "").split()
        return r[1:] if r and r[0] == kind else None

    def show(r):
        return "nothing" if r == ["-"] else "pages %s-%s" % tuple(r)

    for op in ops:
        w = op.split()
        if w[0] == "reset":
            raw, page = [], {}
        elif w[0] == "raw":
            raw.append((int(w[1]), int(w[2])))
            raw.sort()
        elif w[0] in ("q", "i"):
            lo = int(w[1])
            hi = int(w[2]) if w[0] == "i" else None
            want = ["-"]
            for a, b in raw:
                if b * 4096 > lo:
                    if hi is None or a * 4096 < hi:
                        want = [str(a), str(b)]
                    break
            r = nxt(w[0])
            if r != want:
                return bad("%s at byte 0x%x%s returned %s, expected %s"
                           % ("find_vma" if hi is None else "find_vma_intersection", lo,
                              "" if hi is None else "-0x%x" % hi,
                              show(r) if r else "no answer", show(want)))
        elif w[0] == "map":
            s0, n, k = int(w[1]), int(w[2]), int(w[3])
            free = all(p not in page for p in range(s0, s0 + n))
            r = nxt("map")
            if r != ["1" if free else "0"]:
                return bad("mapping pages %d-%d %s, though they are %s"
                           % (s0, s0 + n, "failed" if free else "succeeded",
                              "free" if free else "not all free"))
            if free:
                page.update((p, k) for p in range(s0, s0 + n))
        elif w[0] == "unmap":
            s0, n = int(w[1]), int(w[2])
            z = sum(1 for p in range(s0, s0 + n) if page.pop(p, None) is not None)
            r = nxt("unmap")
            if r != ["0", str(z)]:
                return bad("munmap of pages %d-%d returned %s and zapped %s pages; expected "
                           "0 and the %d mapped ones" % (s0, s0 + n, r and r[0],
                                                         r and r[-1], z))
        elif w[0] == "prot":
            s0, n, k = int(w[1]), int(w[2]), int(w[3])
            mapped = all(p in page for p in range(s0, s0 + n))
            r = nxt("prot")
            if not r or (r[0] == "0") != mapped:
                return bad("mprotect of pages %d-%d returned %s, though they are %s"
                           % (s0, s0 + n, r and r[0], "all mapped" if mapped
                              else "not all mapped"))
            if mapped:
                page.update((p, k) for p in range(s0, s0 + n))
        elif w[0] == "dump":
            got = []
            for r in it:
                r = r.split()
                if r == ["dump"]:
                    break
                got.append(tuple(int(x) for x in r[1:]))
            want = []
            for p in sorted(page):
                if want and want[-1][1] == p and want[-1][2] == page[p]:
                    want[-1][1] = p + 1
                else:
                    want.append([p, p + 1, page[p]])
            want = [tuple(x) for x in want]
            if got != want:
                diff = [x for x in got if x not in want] or [x for x in want if x not in got]
                return bad("after %s the tree holds %d VMAs, the model %d (merged); first "
                           "difference: pages %d-%d" % (last, len(got), len(want), diff[0][0],
                                                        diff[0][1]))
        last = op
    return grader.Verdict(True, "%d operations as the model says" % len(ops))


driven_find = host.driven("driven_vma_operations", find_ops, check_vma, variant="find")
driven_ops = host.driven("driven_vma_operations", vma_ops, check_vma, variant="ops")

# task 5's suite links (and runs) before task 6's: a COW not written yet costs only its own
ktest = lab.ktest_boot("ktest", suites=["vma_lab_faults", "vma_lab_cow"])
user = lab.user_boot("vmatest", "vmatest")

Q_VMAS = ["does mmap create one VMA, shown in /proc/self/maps with its permissions?",
          "do adjacent mappings with the same permissions become one VMA, and others not?",
          "does munmap of the middle leave two VMAs with their pages, and nothing between?",
          "does mprotect of one page split a VMA in three, and undoing it merge them?"]
Q_LAZY = ["does a 64 MiB mapping cost nothing until its pages are touched?",
          "do reads of never-written memory get the zero page, without using memory?",
          "does every first touch of a page count one fault in /proc/vmstat, and no more?"]
Q_KILL = ["does an access outside every VMA kill the process (no mapping)?",
          "does a write to a read-only VMA, or running code from data, kill (permission)?",
          "does the stack VMA grow down as the stack is used?"]
Q_COW = ["right after fork, are all of a child's pages shared with its parent?",
         "does a write after fork copy only the pages written?",
         "do writes after fork stay in the process that made them?",
         "does the last sharer of a page write to it without copying?"]
Q_FILE1 = ["does a MAP_PRIVATE file mapping show the file, and keep its writes to itself?",
           "do processes share writes through MAP_SHARED, and does munmap write them back?"]
Q_FILE2 = ["is a file page read through a mapping counted as a major fault?",
           "does a file mapping keep its file offsets when its first page is unmapped?"]


# Part tags. User programs need fork, so every user-space check needs tasks 1-6: those
# checks (of VMAs and faults too) belong to part "cow", the first where they can pass.
V, F, C, L = ["vmas", "host"], ["faults", "qemu"], ["cow", "qemu"], ["files", "qemu"]
U = ["cow", "qemu", "user"]
lab.test("find_vma(): the VMA containing an address, or the next one; "
         "find_vma_intersection() (task 1)", 5,
         all_of(host.case("find_vma_returns_the_vma_containing_or_after_an_address"),
                host.case("find_vma_intersection_needs_an_overlap"), driven_find), core=True,
         tags=V)
lab.test("find_vma() agrees with a scan of 2,000 VMAs and is O(log n) among 100,000 "
         "(task 1)", 5,
         all_of(host.case("find_vma_agrees_with_a_scan_on_a_large_tree"),
                host.case("find_vma_is_logarithmic_not_a_scan"), driven_find), tags=V)
lab.test("a new VMA merges with a compatible VMA below, above, or both (task 2)", 5,
         all_of(host.case("a_new_vma_extends_the_compatible_vma_below"),
                host.case("a_new_vma_absorbs_the_compatible_vma_above"),
                host.case("filling_a_hole_merges_three_vmas_into_one")), core=True, tags=V)
lab.test("incompatible neighbours stay apart; file offsets must continue; overlaps are "
         "refused (task 2)", 5,
         all_of(host.case("different_permissions_or_backing_do_not_merge"),
                host.case("a_file_mapping_merges_when_the_offsets_continue"),
                host.case("an_overlapping_mapping_is_refused")), tags=V)
lab.test("split_vma() both ways, with file offsets and references; mprotect splits and "
         "re-merges (task 3)", 5,
         all_of(host.case("split_vma_makes_two_vmas_either_way"),
                host.case("split_vma_moves_the_file_offset_and_takes_a_file_reference"),
                host.case("split_vma_refuses_addresses_outside_or_unaligned"),
                host.case("mprotect_of_the_middle_splits_in_three_and_undoing_it_merges")),
         core=True, tags=V)
lab.test("munmap: the middle of a VMA, across VMAs, whole VMAs, holes and bad arguments "
         "(task 4)", 5,
         all_of(host.case("munmap_of_the_middle_splits_a_vma_in_three"),
                host.case("munmap_across_several_vmas_trims_the_edges_and_removes_the_inside"),
                host.case("munmap_of_whole_vmas_frees_them_and_their_file_references"),
                host.case("munmap_of_a_hole_bad_arguments_and_rounding")), core=True, tags=V)
lab.test("random mmap, munmap and mprotect calls agree with a page model; so do those the "
         "grader chose, with its own model (tasks 1-4)", 5,
         all_of(host.case("random_operations_agree_with_a_page_model"), driven_ops), tags=V)
lab.test("random mappings of memory and files, munmaps and mprotects agree with a page "
         "model (tasks 1-4)", 5,
         host.case("random_operations_with_files_agree_with_a_page_model", hidden=True),
         hidden=True, tags=V)
lab.test("user space: the VMAs of mmap, munmap and mprotect in /proc/self/maps (vmatest, "
         "tasks 1-4)", 5, all_of(*[user.case(q) for q in Q_VMAS]), tags=U)
lab.test("case A: nothing is allocated until touched; a read maps the zero page, a write "
         "a new zeroed page (task 5)", 10,
         ktest.all_of(["test_nothing_is_allocated_until_touched",
                       "test_a_read_maps_the_zero_page",
                       "test_a_write_gets_a_new_zeroed_page"]), core=True, tags=F)
lab.test("cases B and C: no VMA is \"no mapping\", a forbidden access \"permission\"; the "
         "stack grows to its limit; kernel copies fault pages in (task 5)", 5,
         ktest.all_of(["test_no_vma_is_case_b", "test_a_forbidden_access_is_case_c",
                       "test_the_stack_grows_down_to_its_limit",
                       "test_kernel_copies_fault_pages_in"]), tags=F)
lab.test("user space: lazy allocation, the zero page and pgfault in /proc/vmstat, as "
         "smaps shows them (vmatest, task 5)", 5, all_of(*[user.case(q) for q in Q_LAZY]),
         tags=U)
lab.test("user space: a process is killed for \"no mapping\" and for \"permission\"; its "
         "stack grows (vmatest, task 5)", 5,
         all_of(*[user.case(q) for q in Q_KILL]), tags=U)
lab.test("copy-on-write: fork shares every page read-only; the first write copies, the "
         "last sharer reuses; the zero page (task 6)", 10,
         ktest.all_of(["test_fork_shares_every_page_read_only",
                       "test_the_first_write_copies_the_last_reuses",
                       "test_a_write_to_the_zero_page_gets_a_zeroed_copy",
                       "test_kernel_writes_into_a_shared_page_copy_it"]), core=True, tags=C)
lab.test("user space: after fork smaps shows shared pages (half in Pss), a write copies "
         "one page, the last sharer reuses (vmatest, task 6)", 5,
         all_of(*[user.case(q) for q in Q_COW]), tags=C)
lab.test("user space: MAP_PRIVATE file mappings keep their writes, MAP_SHARED ones share "
         "them and write them back (vmatest, task 7)", 10,
         all_of(*[user.case(q) for q in Q_FILE1]), core=True, tags=L)
lab.test("user space: file pages are major faults; offsets survive a split (vmatest, "
         "task 7)", 5, all_of(*[user.case(q) for q in Q_FILE2]), tags=L)

PARTS = ("vmas", "faults", "cow", "files")


def take_part(argv):
    """--part NAME: keep only that part's tests (numbered anew). Return the other args."""
    rest, part = [], None
    it = iter(argv)
    for a in it:
        if a == "--part":
            part = next(it, None)
        elif a.startswith("--part="):
            part = a.split("=", 1)[1]
        else:
            rest.append(a)
    if part is None:
        return rest
    if part not in PARTS:
        sys.exit("grade.py: --part must be one of %s" % ", ".join(PARTS))
    lab.tests = [t for t in lab.tests if part in t.tags]
    for i, t in enumerate(lab.tests):
        t.number = i + 1
    lab.title += " - part: %s" % part
    return rest


if __name__ == "__main__":
    sys.exit(lab.main(take_part(sys.argv[1:])))
