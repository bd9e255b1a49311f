#!/usr/bin/env python3
"""labs/buddy/grade.py - the buddy lab's grader (100 points per architecture).

  make grade LAB=buddy [ARCH=arm64]          this tree, with points per test
  labs/buddy/grade.py --list                 the tests and their points
  labs/buddy/grade.py --submission DIR|ZIP --arch best --results results.json

Tests 1-11 are host unit tests of the real mm/ sources (memblock, mm_init,
page_alloc, vmstat) on a malloc'd arena that plays RAM, with the shadow-model
checker of tools/testing/mm/mm-host.c; 12-14 boot the kernel in QEMU and run
the in-kernel suites "memblock", "buddy" and "page_alloc". Every test needs
tasks 1-3 (the hand-over at boot frees every page through __free_one_page);
tests 1-3 and 6 need nothing more (they allocate movable pages, and every
pageblock starts movable). Unmovable (GFP_KERNEL) pages and running a type
dry need the fallback of task 4, and so does booting the kernel, whose page
tables are its first unmovable allocation: the host tests are where partial
credit comes from. See labs/buddy/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "lab"))
import grader  # noqa: E402
from grader import all_of  # noqa: E402

lab = grader.Lab("buddy", "Physical pages: the buddy allocator",
                 answers="labs/buddy/answers.txt")

T = "tools/testing/mm/"
host = lab.host_suite(
    "host",
    kernel_sources=["mm/memblock.c", "mm/mm_init.c", "mm/page_alloc.c", "mm/vmstat.c",
                    "mm/vmscan.c", "kernel/seq_buf.c"],
    tests=[T + f for f in ("mm-host.c", "test_buddy.c", "test_migratetype.c", "test_pcp.c",
                           "test_errors.c", "test_random.c", "test_memblock.c",
                           "test_watermark.c", "test_proc.c")],
    include=["tools/testing/mm/stubs", "mm", "tools/testing/mm"])
ktest = lab.ktest_boot("ktest", suites=["memblock", "buddy", "page_alloc"])

H = ["host"]
lab.test("allocation splits the smallest block that fits and gives back the upper halves "
         "(tasks 1-3)", 10, host.case("split_gives_back_the_upper_halves"), core=True, tags=H)
lab.test("every order 0..MAX_PAGE_ORDER is naturally aligned; above it fails (tasks 1-3)", 5,
         all_of(host.case("every_order_is_naturally_aligned"),
                host.case("order_above_max_warns_unless_nowarn")), core=True, tags=H)
lab.test("a freed block merges with its buddy only when the buddy is free (tasks 1-3)", 10,
         host.case("merge_needs_the_buddy_free"), core=True, tags=H)
lab.test("exhausting every order and freeing it all restores every free list (tasks 1-4)", 10,
         host.case("exhaust_every_order_then_refill"), core=True, tags=H)
lab.test("zones: GFP_DMA only from ZONE_DMA, the lowmem reserve, the zonelist (tasks 1-4)", 5,
         all_of(host.case("gfp_dma_comes_only_from_zone_dma"),
                host.case("kernel_allocations_fall_back_to_dma_but_not_into_its_reserve")),
         tags=H)
lab.test("per-CPU lists refill and give back batches through your buddy code (tasks 1-3)", 5,
         all_of(host.case("first_allocation_refills_a_batch"),
                host.case("a_full_list_gives_a_batch_back"),
                host.case("each_cpu_has_its_own_list_and_drain_all_empties_them")), tags=H)
lab.test("unmovable and reclaimable allocations fall back and steal pageblocks, "
         "reclaimable first (task 4)", 10,
         all_of(host.case("unmovable_falls_back_and_steals_a_large_block"),
                host.case("reclaimable_falls_back_too"),
                host.case("unmovable_prefers_reclaimable_blocks_to_movable_ones"),
                host.case("a_stolen_pageblock_changes_type_only_when_half_of_it_is_free")),
         core=True, tags=H)
lab.test("movable allocations take a whole free pageblock, or else the smallest fragment "
         "(task 4)", 10,
         all_of(host.case("movable_takes_a_whole_free_pageblock_when_there_is_one"),
                host.case("movable_takes_the_smallest_fragment_when_it_cannot_steal")),
         core=True, tags=H)
lab.test("grouping by mobility keeps free memory in pageblock-sized blocks (task 4)", 5,
         host.case("grouping_keeps_more_memory_in_pageblock_sized_blocks"), tags=H)
lab.test("CMA pageblocks serve only movable allocations and never merge with others "
         "(tasks 1-4)", 5,
         all_of(host.case("cma_blocks_serve_only_movable_allocations"),
                host.case("cma_and_normal_pageblocks_do_not_merge")), tags=H)
lab.test("random operation sequences agree with a shadow model, every invariant checked "
         "(tasks 1-4)", 10,
         all_of(host.case("random_ops_small_machine"), host.case("random_ops_with_cma"),
                host.case("random_ops_no_dma_zone")), tags=H)
Q = ["qemu"]
lab.test("the kernel boots on your allocator: memblock suite (tasks 1-4)", 5,
         ktest.all_of(["memblock"]), core=True, tags=Q)
lab.test("in-kernel buddy suite: zones, split and merge, per-CPU lists, watermarks", 5,
         ktest.all_of(["buddy"]), tags=Q)
lab.test("in-kernel page_alloc suite: counts, zeroing and poisoning, exhaustion to the "
         "watermarks", 5, ktest.all_of(["page_alloc"]), tags=Q)

if __name__ == "__main__":
    sys.exit(lab.main())
