#!/usr/bin/env python3
"""labs/vmalloc/grade.py - the vmalloc lab's grader (100 points per architecture).

  make grade LAB=vmalloc [ARCH=arm64]        this tree, with points per test
  labs/vmalloc/grade.py --list               the tests and their points
  labs/vmalloc/grade.py --submission DIR|ZIP --arch best --results results.json

Tests 1-7 are host unit tests of mm/vmap_area.c (the vmalloc area's address
allocator, tasks 1-2: labs/vmalloc/host/ and tools/testing/vmalloc/; test 7
is hidden); 8-14 boot the kernel in QEMU: the lab's in-kernel suites
(labs/vmalloc/ktest/) and the kernel's own "vmalloc" suite
(mm/vmalloc_test.c), then the user program vmalloctest
(labs/vmalloc/user/), which reads /proc/vmallocinfo and /proc/meminfo: four
boots in all. The kernel cannot boot before tasks 1-3 are done (its kernel
stacks and device registers live in the vmalloc area), so the host tests are
where partial credit starts. See labs/vmalloc/README.md, "Grading".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "lab"))
import grader  # noqa: E402
from grader import all_of  # noqa: E402

lab = grader.Lab("vmalloc", "Virtually contiguous memory: vmalloc",
                 answers="labs/vmalloc/answers.txt")

host = lab.host_suite(
    "host", kernel_sources=["mm/vmap_area.c", "kernel/rbtree.c"],
    tests=["labs/vmalloc/host/*.c", "tools/testing/vmalloc/test_vmap_area.c"],
    hidden_tests=["labs/vmalloc/hidden/host/*.c"],
    include=["labs/vmalloc/host", "mm"])
# Suites run in link order: task 3's (labs/vmalloc/ktest/task3_map_test.c) before
# task 5's, so a kvmalloc() not written yet costs only task 5's cases. The unwinding test
# takes all memory for a moment: it gets a boot of its own. So do task 4's purge suite and
# the kernel's own vmalloc suite, which purges in its early cases.


# ---- the grader's own model (labs/vmalloc/host/test_driven.c carries the operations out) ----

def vmap_ops(rng):
    """Random allocations (1-40 pages, aligned to 1-16 pages) and frees in a space of
    256-1024 pages, with a dump of the free ranges every 10 steps."""
    pages = rng.choice([256, 512, 1024])
    ops, live, nid = ["init %d" % pages, "d"], [], 0
    for step in range(400):
        if live and rng.random() < 0.45:
            ops.append("f %d" % live.pop(rng.randrange(len(live))))
        else:
            size = rng.randint(1, 8) if rng.random() < 0.8 else rng.randint(9, 40)
            ops.append("a %d %d %d" % (nid, size, 1 << rng.randrange(5)))
            live.append(nid)
            nid += 1
        if step % 10 == 9:
            ops.append("d")
    ops += ["f %d" % i for i in live] + ["d"]
    return ops


def check_vmap(ctx, ops, reports):
    """The allocator must answer exactly as a lowest-fit allocator does: every area in
    the lowest free range that holds it at any alignment (vmap_space_alloc() asks for
    size + align - 1 pages), aligned up, NULL only when there is none; every dump the
    model's free ranges (merged), and the largest of them."""
    it = iter(reports)
    free, busy = [], {}  # free: sorted [start, end) page ranges; busy: id -> (start, end)

    def bad(why):
        return grader.Verdict(False, "the vmalloc area's allocator, driven by the grader with "
                              "random operations (seed %d), went wrong: %s"
                              % (ctx.host_seed(), why))

    for op in ops:
        w = op.split()
        if w[0] == "init":
            free, busy = [[0, int(w[1])]], {}
        elif w[0] == "a":
            i, size, align = int(w[1]), int(w[2]), int(w[3])
            want = None
            for k, (lo, hi) in enumerate(free):
                # vmap_space_alloc() asks find_lowest_fit() for the lowest range that
                # holds the area however it is aligned: size + align - 1 pages
                if hi - lo >= size + align - 1:
                    want = -(-lo // align) * align
                    break
            r = next(it, "").split()
            if len(r) != 3 or r[:2] != ["a", w[1]]:
                return bad("no answer to allocation %d" % i)
            got = None if r[2] == "-" else int(r[2])
            if got != want:
                return bad("%d pages aligned to %d: got %s, but the lowest free range of "
                           "at least %d pages %s" % (size, align, "no room" if got is None
                                                     else "page %d" % got, size + align - 1,
                                                     "gives page %d" % want if want is not None
                                                     else "does not exist"))
            if want is not None:
                lo, hi = free[k]
                free[k:k + 1] = [x for x in ([lo, want], [want + size, hi]) if x[0] < x[1]]
                busy[i] = (want, want + size)
        elif w[0] == "f":
            if int(w[1]) not in busy:
                continue  # its allocation found no room
            lo, hi = busy.pop(int(w[1]))
            free.append([lo, hi])
            free.sort()
            merged = []
            for r in free:
                if merged and merged[-1][1] == r[0]:
                    merged[-1][1] = r[1]
                else:
                    merged.append(r)
            free = merged
        elif w[0] == "d":
            got, largest = [], None
            for r in it:
                r = r.split()
                if r == ["d"]:
                    break
                if r == ["loop"]:
                    return bad("walking the free tree never ends")
                if r[0] == "r":
                    got.append([int(r[1]), int(r[2])])
                elif r[0] == "m":
                    largest = int(r[1])
            else:
                return bad("the dump of the free ranges stopped")
            if got != free:
                diff = [x for x in got if x not in free] + [x for x in free if x not in got]
                return bad("the free tree holds %d ranges where the model has %d (first "
                           "difference: pages %d-%d)" % (len(got), len(free), diff[0][0],
                                                         diff[0][1]))
            want = max((hi - lo for lo, hi in free), default=0)
            if largest != want:
                return bad("vmap_space_largest_free() says %s pages, the largest free range "
                           "has %d" % (largest, want))
    return grader.Verdict(True, "%d operations as the model says" % len(ops))


driven = host.driven("driven_allocations_and_frees", vmap_ops, check_vmap)
ktest = lab.ktest_boot("ktest", suites=["vmalloc_lab", "kvmalloc_lab"])
unwind = lab.ktest_boot("ktest-unwind", suites=["vmalloc_lab_unwind"])
purge = lab.ktest_boot("ktest-purge", suites=["vmalloc_lab_purge", "vmalloc"])
user = lab.user_boot("vmalloctest", "vmalloctest")

MAP = ["test_vmalloc_maps_every_page_once", "test_vzalloc_gives_zeroed_pages",
       "test_vmap_maps_the_given_pages_in_order", "test_ioremap_maps_device_memory"]
FREE = ["test_vfree_unmaps_and_frees_at_once", "test_vunmap_and_iounmap_free_no_pages",
        "test_cleanup_frees_the_suites_areas"]
KV = ["test_kvmalloc_prefers_contiguous_memory", "test_kvmalloc_falls_back_to_vmalloc",
      "test_kvmalloc_beyond_the_largest_block"]
USER = ["does /proc/vmallocinfo list a kernel stack, with its guard pages, for every process?",
        "does VmallocUsed in /proc/meminfo count the kernel stacks' pages?",
        "are device registers mapped by ioremap in the vmalloc area?",
        "are the areas in address order, apart, and each followed by a guard page?"]

H = ["host"]
lab.test("subtree_max_size is right after every allocation (task 1)", 10,
         host.case("subtree_max_size_is_right_after_every_allocation"), core=True, tags=H)
lab.test("the lowest free range that fits is chosen, alignment included (task 1)", 10,
         all_of(host.case("lowest_fit_takes_the_lowest_hole_that_fits"), driven,
                host.case("random_allocations_agree_with_a_page_model"),
                host.case("first_allocation_is_at_the_start"),
                host.case("alignment_is_honoured")), core=True, tags=H)
lab.test("find_lowest_fit() is O(log n): 100,000 small holes do not slow it down (task 1)", 5,
         host.case("lowest_fit_is_logarithmic_not_a_scan"), tags=H)
lab.test("a freed range merges with the free range above or below, or both (task 2)", 10,
         all_of(host.case("free_joins_the_free_range_above"), driven,
                host.case("free_joins_the_free_range_below"),
                host.case("free_fills_a_hole_between_two_free_ranges")), core=True, tags=H)
lab.test("a range freed between busy ones is a new free range; freed space is reused "
         "(task 2)", 5,
         all_of(host.case("free_between_busy_neighbours_adds_a_range"), driven,
                host.case("freed_ranges_are_allocated_again_lowest_first"),
                host.case("freed_neighbours_merge")), tags=H)
lab.test("exhaustion, and random allocations and frees against a page model; random "
         "operations the grader chose agree with its own model (tasks 1-2)", 5,
         all_of(host.case("exhaustion_and_too_large"),
                host.case("random_against_page_model"), driven), tags=H)
lab.test("random allocations and frees of every size and alignment keep every invariant "
         "(tasks 1-2)", 5,
         host.case("random_alloc_free_agree_with_the_model_and_every_invariant", hidden=True),
         hidden=True, tags=H)
Q = ["qemu"]
lab.test("vmalloc, vzalloc, vmap and ioremap map exactly their pages, protection and guard "
         "page right (task 3)", 10, ktest.all_of(MAP), core=True, tags=Q)
lab.test("a vmalloc that runs out of memory half-way gives back every page (task 3)", 5,
         unwind.case("test_failed_vmalloc_gives_back_every_page"), tags=Q)
lab.test("vfree, vunmap and iounmap unmap at once and free only vmalloc's pages (task 3)", 10,
         ktest.all_of(FREE), core=True, tags=Q)
lab.test("freed addresses wait for the lazy purge, which vm_unmap_aliases() and the limit "
         "start (task 4)", 5,
         purge.all_of(["test_freed_addresses_wait_for_the_purge",
                       "test_the_purge_runs_by_itself"]), core=True, tags=Q)
lab.test("kvmalloc: contiguous pages when it can, vmalloc when memory is fragmented or the "
         "block too large (task 5)", 10, ktest.all_of(KV), core=True, tags=Q)
lab.test("the kernel's own vmalloc suite passes (a purge reaches every CPU, vfree from an "
         "interrupt is deferred, bad frees are refused, ...)", 5, purge.all_of(["vmalloc"]),
         tags=Q)
lab.test("user space: /proc/vmallocinfo and VmallocUsed show kernel stacks, device mappings "
         "and guard pages (vmalloctest)", 5, all_of(*[user.case(q) for q in USER]), tags=Q)

if __name__ == "__main__":
    sys.exit(lab.main())
