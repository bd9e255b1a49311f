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
                           "test_debug.c", "test_random.c")],
    hidden_tests=["labs/slab/hidden/host/*.c"],
    include=["tools/testing/slab/stubs", "tools/testing/mm/stubs", "mm", "tools/testing/mm",
             "tools/testing/slab"])
ktest = lab.ktest_boot("ktest", suites=["slab", "slab_debug", "slab_smp"], bootargs="slab_debug",
                       cpus=3)


def cases(*names):
    return all_of(*[host.case(n) for n in names])


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
               "slabinfo_counts_objects_on_cpu_freelists_as_free"), core=True, tags=H)
lab.test("kmalloc: size classes, large sizes from the buddy, kzalloc/kcalloc/krealloc, "
         "GFP_DMA and reclaimable caches (task 5)", 15,
         cases("every_size_class_has_its_cache", "sizes_round_up_to_the_next_class",
               "large_kmalloc_takes_pages_from_the_buddy", "zero_size_and_null",
               "kzalloc_and_kcalloc_zero_and_kcalloc_checks_overflow",
               "krealloc_keeps_contents_grows_shrinks_in_place_when_it_fits",
               "gfp_dma_and_reclaimable_pick_their_caches",
               "alloc_and_free_on_one_cpu_stay_on_the_fast_path",
               "slabinfo_has_linux_21_format"), core=True, tags=H)
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
               "random_ops_small_machine_runs_out_of_memory_cleanly"), tags=H)
lab.test("more random runs (hidden)", 5,
         all_of(host.case("hidden_random_ops_eight_cpus", hidden=True),
                host.case("hidden_random_ops_debug_small_machine", hidden=True)),
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
