#!/usr/bin/env python3
"""labs/slab/grade.py - the slab lab's grader (100 points per architecture).

  make grade LAB=slab [ARCH=arm64]          this tree, with points per test
  labs/slab/grade.py --list                 the tests and their points
  labs/slab/grade.py --submission DIR|ZIP --arch best --results results.json

Tests 1-8 are host unit tests of the real mm/slab.c and mm/slab_common.c on top
of the real page allocator, on a malloc'd arena that plays RAM, with the
checker and shadow model of tools/testing/slab/slab-host.c (test 8 is hidden);
9-11 boot the kernel in QEMU with slab_debug and run the in-kernel suites
"slab", "slab_debug" and "slab_smp" (one boot). The kernel cannot boot until
all five tasks work (its first caches are kmalloc's, and the boot frees
objects and calls kmalloc at once), so the host tests are where partial
credit comes from: test 1 needs task 1, tests 2-4 tasks 1-4, the rest all
five. See labs/slab/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "lab"))
import grader  # noqa: E402
from grader import all_of  # noqa: E402

lab = grader.Lab("slab", "Small objects: the slab allocator", answers="labs/slab/answers.txt")

T = "tools/testing/slab/"
host = lab.host_suite(
    "host",
    kernel_sources=["mm/memblock.c", "mm/mm_init.c", "mm/page_alloc.c", "mm/vmstat.c",
                    "mm/vmscan.c", "mm/slab.c", "mm/slab_debug.c", "mm/slab_common.c",
                    "kernel/seq_buf.c", "kernel/bootargs.c"],
    tests=["tools/testing/mm/mm-host.c"] +
          [T + f for f in ("slab-host.c", "test_cache.c", "test_cpu.c", "test_kmalloc.c",
                           "test_debug.c", "test_random.c", "test_driven.c")],
    hidden_tests=["labs/slab/hidden/host/*.c"],
    include=["tools/testing/slab/stubs", "tools/testing/mm/stubs", "mm", "tools/testing/mm",
             "tools/testing/slab"])
ktest = lab.ktest_boot("ktest", suites=["slab", "slab_debug", "slab_smp"], bootargs="slab_debug",
                       cpus=3)

# ---- the grader's own model (tools/testing/slab/test_driven.c carries the operations out) ----

KMALLOC_SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]


def slab_ops(kmalloc):
    """Random allocations and frees on 4 CPUs: from a cache of a random object size and
    alignment (tasks 1-4), or, with @kmalloc, kmalloc() of random sizes (task 5) too."""
    def make(rng):
        size = rng.choice([rng.randint(8, 200), rng.randint(200, 1500), rng.randint(1500, 3000)])
        align = rng.choice([8, 8, 16, 64, 128])
        ops, live, nid = ["boot 48", "c %d %d" % (size, align)], [], 0
        for _ in range(1500):
            if live and rng.random() < 0.45:
                ops.append("x %d %d" % (live.pop(rng.randrange(len(live))), rng.randrange(4)))
            elif kmalloc and rng.random() < 0.5:
                n = rng.randint(1, 8192) if rng.random() < 0.2 else rng.randint(1, 300)
                ops.append("k %d %d %d" % (nid, n, rng.randrange(4)))
                live.append(nid)
                nid += 1
            else:
                ops.append("o %d %d" % (nid, rng.randrange(4)))
                live.append(nid)
                nid += 1
        ops += ["x %d %d" % (i, rng.randrange(4)) for i in live] + ["D"]
        return ops
    return make


def check_slab(ctx, ops, reports):
    """Every object is where a slab allocator may put it: in a slab of the right cache
    (kmalloc-N, N the smallest class that holds the size), aligned as asked (8 bytes at
    least, a power-of-two kmalloc size naturally), never overlapping a live object,
    never in a page that holds another cache's objects; and the empty cache gives
    every slab back when shrunk."""
    it = iter(reports)
    live = {}        # id -> (start, end, cache)
    page_cache = {}  # pfn -> (cache, live objects starting there)
    size = align = None

    def bad(why):
        return grader.Verdict(False, "your slab allocator, driven by the grader with random "
                              "operations (seed %d), went wrong: %s" % (ctx.host_seed(), why))

    for op in ops:
        w = op.split()
        if w[0] == "c":
            size, align = int(w[1]), int(w[2])
            if next(it, "") != "c 1":
                return bad("kmem_cache_create(\"driven\", %d, %d) failed" % (size, align))
        elif w[0] in ("o", "k"):
            r = next(it, "").split()
            if r[:3] == ["o", w[1], "-"]:
                return bad("an allocation failed, with less than a tenth of memory in use")
            if len(r) != 5 or r[:2] != ["o", w[1]]:
                return bad("no answer to allocation %s" % w[1])
            pfn, off, cache = int(r[2]), int(r[3]), r[4]
            if w[0] == "o":
                n, want_cache, a = size, "driven", align
            else:
                n = int(w[2])
                k = next(k for k in KMALLOC_SIZES if k >= n)
                want_cache = "kmalloc-%s" % ("%dk" % (k // 1024) if k >= 1024 else k)
                a = n if n & (n - 1) == 0 else 8
            a = max(a, 8)
            start = pfn * 4096 + off
            what = "%s(%d bytes)" % ("kmem_cache_alloc" if w[0] == "o" else "kmalloc", n)
            if cache != want_cache:
                return bad("%s came from a slab of %s, not %s" % (what, cache, want_cache))
            if start % a:
                return bad("%s at offset 0x%x of pfn %d is not aligned to %d"
                           % (what, off, pfn, a))
            for j, (s0, e0, c0) in live.items():
                if start < e0 and s0 < start + n:
                    return bad("%s at offset 0x%x of pfn %d overlaps live object %d"
                               % (what, off, pfn, j))
            other = page_cache.get(pfn)
            if other and other[1] and other[0] != cache:
                return bad("%s is in pfn %d, which holds objects of %s"
                           % (what, pfn, other[0]))
            live[int(w[1])] = (start, start + n, cache)
            page_cache[pfn] = (cache, (other[1] if other and other[0] == cache else 0) + 1)
        elif w[0] == "x":
            s0, _, cache = live.pop(int(w[1]))
            c, k = page_cache[s0 // 4096]
            page_cache[s0 // 4096] = (c, k - 1)
        elif w[0] == "D":
            r = next(it, "").split()
            if r != ["D", "0"]:
                return bad("after every object of \"driven\" was freed and the cache shrunk, "
                           "%s slab pages still belong to it" % (r[1] if len(r) > 1 else "?"))
    return grader.Verdict(True, "%d operations as the model allows" % len(ops))


driven_cache = host.driven("driven_allocations_and_frees", slab_ops(False), check_slab,
                           variant="cache")
driven_kmalloc = host.driven("driven_allocations_and_frees", slab_ops(True), check_slab,
                             variant="kmalloc")


def cases(*names, driven=None):
    return all_of(*([host.case(n) for n in names] + ([driven] if driven else [])))


H = ["host"]
lab.test("the slab size: at least 8 objects, at most 1/16 wasted when it can be had (task 1)",
         10, cases("slab_order_keeps_waste_small"), core=True, tags=H)
lab.test("a cache hands out distinct, aligned, constructed objects from this CPU's freelist "
         "(tasks 2-4: an object freed when its slab is no longer the CPU's takes task 4's "
         "path)", 15,
         cases("cache_objects_come_from_the_cpu_freelist", "objects_are_aligned_as_asked",
               "hwcache_align_puts_objects_on_cache_lines",
               "constructor_runs_once_per_object_not_per_allocation",
               "zalloc_zeroes_and_cache_objects_are_reused"), core=True, tags=H)
lab.test("slabs are coloured, large objects get large slabs, reclaimable caches use "
         "reclaimable pages (tasks 2-4)", 5,
         cases("slabs_are_coloured", "slab_size_keeps_waste_small",
               "reclaimable_caches_count_as_sreclaimable"), tags=H)
lab.test("frees from other CPUs, per-CPU partial slabs, empty slabs back to the buddy "
         "(task 4)", 15,
         cases("remote_frees_are_picked_up_by_the_owner", "each_cpu_has_its_own_slab",
               "slabs_go_full_partial_empty_and_back_to_the_buddy",
               "empty_slabs_beyond_min_partial_go_back_at_once", "shrink_gathers_every_cpu",
               "shrink_and_reap_give_empty_slabs_back",
               "slabinfo_counts_objects_on_cpu_freelists_as_free", driven=driven_cache), core=True,
         tags=H)
lab.test("kmalloc: size classes, large sizes from the buddy, kzalloc/kcalloc/krealloc, "
         "GFP_DMA and reclaimable caches (task 5)", 15,
         cases("every_size_class_has_its_cache", "sizes_round_up_to_the_next_class",
               "large_kmalloc_takes_pages_from_the_buddy", "zero_size_and_null",
               "kzalloc_and_kcalloc_zero_and_kcalloc_checks_overflow",
               "krealloc_keeps_contents_grows_shrinks_in_place_when_it_fits",
               "gfp_dma_and_reclaimable_pick_their_caches",
               "alloc_and_free_on_one_cpu_stay_on_the_fast_path",
               "slabinfo_has_linux_21_format", driven=driven_kmalloc), core=True, tags=H)
lab.test("slab_debug on your allocator: red zones, poison, double and wrong-cache frees, "
         "destroy and create refusals", 10,
         cases("debug_layout_surrounds_objects_with_red_zones_and_tracks",
               "double_free_of_a_kmalloc_object_is_caught_and_named",
               "free_to_the_wrong_cache_is_caught", "red_zone_overwrites_are_caught_and_repaired",
               "writes_past_the_kmalloc_size_are_caught",
               "a_write_after_free_is_caught_by_the_poison", "bad_pointers_are_refused",
               "destroy_refuses_a_cache_with_live_objects", "create_refuses_bad_arguments",
               "reap_returns_node_empty_slabs", "atomic_allocations_work_with_interrupts_off"),
         tags=H)
lab.test("random operation sequences on several CPUs agree with a shadow model, every "
         "invariant checked", 10,
         cases("random_ops_against_a_shadow_model", "random_ops_with_slab_debug",
               "random_ops_small_machine_runs_out_of_memory_cleanly", driven=driven_kmalloc),
         tags=H)
lab.test("more random runs (hidden)", 5,
         all_of(host.case("hidden_random_ops_eight_cpus", hidden=True),
                host.case("hidden_random_ops_debug_small_machine", hidden=True),
                driven_kmalloc),
         hidden=True, tags=H)
Q = ["qemu"]
lab.test("the kernel boots on your caches: in-kernel slab suite", 5, ktest.all_of(["slab"]),
         core=True, tags=Q)
lab.test("in-kernel slab_debug suite: a double free of a kmalloc object is caught and named, "
         "kmemleak finds a leak", 5, ktest.all_of(["slab_debug"]), tags=Q)
lab.test("in-kernel slab_smp suite: every CPU allocating and freeing at once", 5,
         ktest.all_of(["slab_smp"]), tags=Q)

if __name__ == "__main__":
    sys.exit(lab.main())
