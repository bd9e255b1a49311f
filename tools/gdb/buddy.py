"""tools/gdb/buddy.py - GDB command pagoda-buddy: the buddy allocator's free lists.

  pagoda-buddy            per zone: free blocks per order, split by migratetype
                          (what /proc/buddyinfo and /proc/pagetypeinfo show),
                          pages on the per-CPU lists, watermarks
  pagoda-buddy ORDER      also every free block of that order: pfn range,
                          physical address, migratetype list

It reads the kernel's own structures (contig_page_data, mem_map), so it
works in a kernel stopped anywhere after mm_core_init(): at a breakpoint, after
a panic, or in the middle of an allocation (the lists may then be mid-update:
a count that does not match nr_free is flagged, not trusted).

Loaded by `make gdb` (tools/gdb/gdbinit.in). See mm/page_alloc.c for what the
lists mean, and labs/buddy/README.md for a session that uses this.
"""
import gdb

# Every tools/gdb/*.py is sourced into one Python namespace (gdb's
# __main__): a helper named like another file's (list_entries is slab.py's)
# would replace it. Names here are prefixed, or shared on purpose.
MIGRATE_NAMES = ["Unmovable", "Movable", "Reclaimable", "CMA", "Isolate"]
LIST_CAP = 5000  # a corrupt (looping) list must not hang the debugger


def sym(name):
    return gdb.parse_and_eval(name)


def count_list(head, cap=LIST_CAP):
    """Entries of the list_head at gdb.Value @head (a struct list_head)."""
    n = 0
    start = int(head.address)
    node = head["next"]
    while int(node) != start and int(node) != 0:
        n += 1
        if n >= cap:
            return n, True
        node = node.dereference()["next"]
    return n, False


def buddy_list_nodes(head, cap=LIST_CAP):
    out = []
    start = int(head.address)
    node = head["next"]
    while int(node) != start and int(node) != 0 and len(out) < cap:
        out.append(node)
        node = node.dereference()["next"]
    return out


class PagodaBuddy(gdb.Command):
    """Show the buddy allocator's free lists: pagoda-buddy [ORDER]"""

    def __init__(self):
        super(PagodaBuddy, self).__init__("pagoda-buddy", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        show_order = None
        if arg.strip():
            try:
                show_order = int(arg.strip(), 0)
            except ValueError:
                raise gdb.GdbError("usage: pagoda-buddy [ORDER]")
        try:
            pgdat = sym("contig_page_data")
            max_order = int(sym("(int)(sizeof(((struct zone *)0)->free_area) / "
                                "sizeof(((struct zone *)0)->free_area[0]))"))
            nzones = int(sym("(int)(sizeof(contig_page_data.node_zones) / "
                             "sizeof(contig_page_data.node_zones[0]))"))
            ncpu = int(sym("(int)(sizeof(((struct zone *)0)->per_cpu_pageset) / "
                           "sizeof(((struct zone *)0)->per_cpu_pageset[0]))"))
            mem_map = sym("mem_map")
            min_low_pfn = int(sym("min_low_pfn"))
            page_size = int(sym("sizeof(struct page)"))
            lru_off = int(sym("(unsigned long)&((struct page *)0)->lru"))
        except gdb.error as e:
            raise gdb.GdbError("pagoda-buddy: kernel symbols missing (%s)" % e)
        if int(mem_map) == 0:
            print("pagoda-buddy: the buddy allocator is not set up yet (mem_map is NULL: "
                  "stop after mm_core_init)")
            return
        for zi in range(nzones):
            z = pgdat["node_zones"][zi]
            if int(z["present_pages"]) == 0:
                continue
            name = z["name"].string()
            free = int(z["vm_stat"][0])
            print("zone %-7s pfn 0x%x-0x%x  managed %d  free %d  watermarks min %d low %d "
                  "high %d" % (name, int(z["zone_start_pfn"]),
                               int(z["zone_start_pfn"]) + int(z["spanned_pages"]) - 1,
                               int(z["managed_pages"]), free, int(z["_watermark"][0]),
                               int(z["_watermark"][1]), int(z["_watermark"][2])))
            print("  %-12s" % "order" + "".join("%7d" % o for o in range(max_order)) +
                  "     pages")
            total = 0
            for mt, mname in enumerate(MIGRATE_NAMES):
                row, pages = [], 0
                for o in range(max_order):
                    n, capped = count_list(z["free_area"][o]["free_list"][mt])
                    row.append("%6d%s" % (n, "+" if capped else " "))
                    pages += n << o
                total += pages
                print("  %-12s" % mname + "".join(row) + "  %8d" % pages)
            nr = [int(z["free_area"][o]["nr_free"]) for o in range(max_order)]
            print("  %-12s" % "nr_free" + "".join("%6d " % n for n in nr) +
                  "  %8d" % sum(n << o for o, n in enumerate(nr)))
            if total != free:
                print("  (lists hold %d pages, NR_FREE_PAGES says %d: caught mid-update?)"
                      % (total, free))
            pcp = [int(z["per_cpu_pageset"][c]["count"]) for c in range(ncpu)]
            print("  per-CPU lists: " + " ".join("cpu%d:%d" % (c, n) for c, n in enumerate(pcp)
                                               if n) + ("" if any(pcp) else "empty") +
                  "  (batch %d, high %d)" % (int(z["per_cpu_pageset"][0]["batch"]),
                                             int(z["per_cpu_pageset"][0]["high"])))
            if show_order is not None and 0 <= show_order < max_order:
                for mt, mname in enumerate(MIGRATE_NAMES):
                    for node in buddy_list_nodes(z["free_area"][show_order]["free_list"][mt]):
                        page = int(node) - lru_off
                        pfn = (page - int(mem_map)) // page_size + min_low_pfn
                        print("    order %d %-11s pfn 0x%x-0x%x  [mem 0x%x-0x%x]"
                              % (show_order, mname, pfn, pfn + (1 << show_order) - 1,
                                 pfn << 12, ((pfn + (1 << show_order)) << 12) - 1))
            print()


PagodaBuddy()
