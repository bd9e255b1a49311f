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
                           "test_watermark.c", "test_proc.c", "test_driven.c")],
    include=["tools/testing/mm/stubs", "mm", "tools/testing/mm"])
ktest = lab.ktest_boot("ktest", suites=["memblock", "buddy", "page_alloc"])

# ---- the grader's own model (tools/testing/mm/test_driven.c carries the operations out) ----

MAX_ORDER = 10  # MAX_PAGE_ORDER


def buddy_ops(types):
    """Random operations for test_driven.c: allocations of @types (m, u, r) and frees,
    using at most a third of RAM, with a dump of the free lists every 20 steps and
    right before every allocation of order 4 or more."""
    def make(rng):
        mb = rng.choice([24, 32, 48, 64])
        budget = mb * 256 // 3
        ops, live, used, nid = ["boot %d" % mb, "d"], {}, 0, 0
        for step in range(300):
            r = rng.random()
            order = 0 if r < 0.45 else rng.randint(1, 3) if r < 0.8 else rng.randint(4, MAX_ORDER)
            if live and (rng.random() < 0.4 or used + (1 << order) > budget):
                i = rng.choice(sorted(live))
                used -= 1 << live.pop(i)
                ops.append("f %d %d" % (i, rng.randrange(4)))
            else:
                if order >= 4:
                    ops.append("d")
                ops.append("a %d %d %s %d" % (nid, order, rng.choice(types), rng.randrange(4)))
                live[nid] = order
                used += 1 << order
                nid += 1
            if step % 20 == 19:
                ops.append("d")
        for i in sorted(live):
            ops.append("f %d %d" % (i, rng.randrange(4)))
        ops.append("d")
        return ops
    return make


def check_buddy(ctx, ops, reports):
    """Replay @ops against what the allocator reported: every block aligned, inside
    the memory that was free at boot and apart from every other live block; every
    dump of the free lists exactly the free memory, fully merged, counted right."""
    it = iter(reports)
    free0 = None   # pages free right after boot
    live = {}      # id -> (pfn, order)
    taken = set()  # pages of live blocks
    last = None    # the free blocks of the dump right before this operation
    fails = 0

    def bad(why):
        return grader.Verdict(False, "the buddy allocator, driven by the grader with random "
                              "operations (seed %d), went wrong: %s" % (ctx.host_seed(), why))

    for n, op in enumerate(ops):
        w = op.split()
        if w[0] == "f":
            if int(w[1]) in live:  # else its allocation failed
                pfn, order = live.pop(int(w[1]))
                taken.difference_update(range(pfn, pfn + (1 << order)))
        elif w[0] == "a":
            i, order = int(w[1]), int(w[2])
            r = next(it, "").split()
            if len(r) != 3 or r[:2] != ["a", w[1]]:
                return bad("no answer to allocation %d" % i)
            if r[2] == "-":
                fails += 1
                big = last is not None and any(o >= order for _, o, _ in last)
                if order < 4 or big:
                    return bad("an order-%d allocation failed with a third of memory in use%s"
                               % (order, " and a free block of that order or larger on "
                                  "the lists" if big else ""))
            else:
                pfn = int(r[2])
                pages = set(range(pfn, pfn + (1 << order)))
                if pfn % (1 << order):
                    return bad("order-%d block at pfn %d is not aligned to its size"
                               % (order, pfn))
                if not pages <= free0:
                    return bad("order-%d block at pfn %d is not in memory that was free at "
                               "boot" % (order, pfn))
                if pages & taken:
                    return bad("order-%d block at pfn %d overlaps a block still allocated"
                               % (order, pfn))
                live[i] = (pfn, order)
                taken |= pages
        elif w[0] == "d":
            blocks, nr = [], {}
            for r in it:
                r = r.split()
                if r == ["d"]:
                    break
                if r == ["loop"]:
                    return bad("a free list does not end (it loops)")
                if r[0] == "b":
                    blocks.append((int(r[1]), int(r[2]), int(r[3])))
                elif r[0] == "n":
                    nr[int(r[1])] = int(r[2])
            else:
                return bad("the dump of the free lists stopped")
            pages, heads = set(), set()
            for pfn, o, mt in blocks:
                if pfn % (1 << o):
                    return bad("free block at pfn %d on the order-%d list is not aligned"
                               % (pfn, o))
                b = set(range(pfn, pfn + (1 << o)))
                if b & pages:
                    return bad("free block at pfn %d (order %d) overlaps another free block "
                               "or is on the lists twice" % (pfn, o))
                pages |= b
                heads.add((pfn, o))
            if free0 is None:
                free0 = pages
            else:
                if pages & taken:
                    return bad("an allocated page is on a free list (pfn %d)"
                               % min(pages & taken))
                if pages != free0 - taken:
                    lost = sorted(free0 - taken - pages)
                    return bad("%d free pages are on no free list (first pfn %d)"
                               % (len(lost), lost[0]) if lost else
                               "the free lists hold pages that were not free at boot")
            for pfn, o in heads:
                if o < MAX_ORDER and (pfn ^ (1 << o), o) in heads:
                    return bad("free buddies at pfn %d and %d (order %d) were not merged"
                               % (min(pfn, pfn ^ (1 << o)), max(pfn, pfn ^ (1 << o)), o))
            for o in range(MAX_ORDER + 1):
                want = sum(1 for _, x, _ in blocks if x == o)
                if nr.get(o) != want:
                    return bad("nr_free of order %d is %s, but the lists hold %d blocks"
                               % (o, nr.get(o), want))
            last = blocks
        if w[0] != "d":
            last = None
    if free0 is None:
        return bad("no dump of the free lists after boot")
    return grader.Verdict(True, "%d operations, %d allocations of order 4+ failed for "
                          "want of a block" % (len(ops), fails))


driven_movable = host.driven("driven_allocations_and_frees", buddy_ops("m"), check_buddy,
                             variant="movable")
driven_mixed = host.driven("driven_allocations_and_frees", buddy_ops("mur"), check_buddy,
                           variant="mixed")

H = ["host"]
lab.test("allocation splits the smallest block that fits and gives back the upper halves "
         "(tasks 1-3)", 10, all_of(host.case("split_gives_back_the_upper_halves"),
                                   driven_movable), core=True, tags=H)
lab.test("every order 0..MAX_PAGE_ORDER is naturally aligned; above it fails (tasks 1-3)", 5,
         all_of(host.case("every_order_is_naturally_aligned"),
                host.case("order_above_max_warns_unless_nowarn"), driven_movable), core=True,
         tags=H)
lab.test("a freed block merges with its buddy only when the buddy is free (tasks 1-3)", 10,
         all_of(host.case("merge_needs_the_buddy_free"), driven_movable), core=True, tags=H)
lab.test("exhausting every order and freeing it all restores every free list (tasks 1-4)", 10,
         all_of(host.case("exhaust_every_order_then_refill"), driven_movable), core=True,
         tags=H)
lab.test("zones: GFP_DMA only from ZONE_DMA, the lowmem reserve, the zonelist (tasks 1-4)", 5,
         all_of(host.case("gfp_dma_comes_only_from_zone_dma"),
                host.case("kernel_allocations_fall_back_to_dma_but_not_into_its_reserve"),
                driven_movable), tags=H)
lab.test("per-CPU lists refill and give back batches through your buddy code (tasks 1-3)", 5,
         all_of(host.case("first_allocation_refills_a_batch"),
                host.case("a_full_list_gives_a_batch_back"),
                host.case("each_cpu_has_its_own_list_and_drain_all_empties_them"),
                driven_movable), tags=H)
lab.test("unmovable and reclaimable allocations fall back and steal pageblocks, "
         "reclaimable first (task 4)", 10,
         all_of(host.case("unmovable_falls_back_and_steals_a_large_block"),
                host.case("reclaimable_falls_back_too"),
                host.case("unmovable_prefers_reclaimable_blocks_to_movable_ones"),
                host.case("a_stolen_pageblock_changes_type_only_when_half_of_it_is_free"),
                driven_mixed),
         core=True, tags=H)
lab.test("movable allocations take a whole free pageblock, or else the smallest fragment "
         "(task 4)", 10,
         all_of(host.case("movable_takes_a_whole_free_pageblock_when_there_is_one"),
                host.case("movable_takes_the_smallest_fragment_when_it_cannot_steal"),
                driven_mixed),
         core=True, tags=H)
lab.test("grouping by mobility keeps free memory in pageblock-sized blocks (task 4)", 5,
         all_of(host.case("grouping_keeps_more_memory_in_pageblock_sized_blocks"), driven_mixed),
         tags=H)
lab.test("CMA pageblocks serve only movable allocations and never merge with others "
         "(tasks 1-4)", 5,
         all_of(host.case("cma_blocks_serve_only_movable_allocations"),
                host.case("cma_and_normal_pageblocks_do_not_merge"), driven_movable), tags=H)
lab.test("random operation sequences agree with a shadow model, every invariant checked; "
         "random operations the grader chose agree with its own model (tasks 1-4)", 10,
         all_of(host.case("random_ops_small_machine"), host.case("random_ops_with_cma"),
                host.case("random_ops_no_dma_zone"), driven_movable, driven_mixed), tags=H)
Q = ["qemu"]
lab.test("the kernel boots on your allocator: memblock suite (tasks 1-4)", 5,
         ktest.all_of(["memblock"]), core=True, tags=Q)
lab.test("in-kernel buddy suite: zones, split and merge, per-CPU lists, watermarks", 5,
         ktest.all_of(["buddy"]), tags=Q)
lab.test("in-kernel page_alloc suite: counts, zeroing and poisoning, exhaustion to the "
         "watermarks", 5, ktest.all_of(["page_alloc"]), tags=Q)

if __name__ == "__main__":
    sys.exit(lab.main())
