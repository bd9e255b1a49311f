"""tools/gdb/slab.py - GDB command pagoda-slab: the slab allocator's caches.

  pagoda-slab             every cache (newest first, as /proc/slabinfo): objects in
                          use and in all, slot size, objects and pages per slab,
                          slabs (on CPUs / partial / full), debugging flags
  pagoda-slab NAME        one cache in detail: the slot layout (object, red zones,
                          free pointer, tracking), each CPU's slab, freelist and
                          partial slabs, the node's partial and full slabs with their
                          fill and colour; with slab_debug tracking, every live
                          object and the function that allocated it

It reads the kernel's own structures (slab_caches, struct kmem_cache, the slab
fields of struct page), so it works in a kernel stopped anywhere after
kmem_cache_init(): at a breakpoint, after a panic, or in the middle of an
allocation (a list or count may then be mid-update: what does not add up is
flagged, not trusted).

Loaded by `make gdb` (tools/gdb/gdbinit.in). See mm/slab.c, mm/slab.h and
labs/slab/README.md.
"""
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagoda  # noqa: E402  (the architecture's direct-map offset)

CAP = 20000  # a corrupt (looping) list must not hang the debugger
FLAGS = [(0x100, "F"), (0x400, "Z"), (0x800, "P"), (0x10000, "U"), (0x2000, "hwalign"),
         (0x4000, "dma"), (0x20000, "reclaim"), (0x1000, "kmalloc")]
SLAB_STORE_USER = 0x10000
OBJ_ALLOCATED = 0x41


def offset_of(struct, field):
    return int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (struct, field)))


def list_entries(head, struct, field):
    """gdb.Values (pointers to @struct) on the list_head @head, linked by @field."""
    off = offset_of(struct, field)
    ptr = gdb.lookup_type(struct).pointer()
    out, start, node = [], int(head.address), head["next"]
    while int(node) != start and int(node) != 0 and len(out) < CAP:
        out.append(gdb.Value(int(node) - off).cast(ptr))
        node = node.dereference()["next"]
    return out


def caches():
    return list_entries(gdb.parse_and_eval("slab_caches"), "struct kmem_cache", "list")


class Mem:
    """struct page <-> direct-map address."""

    def __init__(self):
        self.mem_map = int(gdb.parse_and_eval("mem_map"))
        self.min_pfn = int(gdb.parse_and_eval("min_low_pfn"))
        self.psize = int(gdb.parse_and_eval("sizeof(struct page)"))
        self.offset = pagoda.arch().page_offset

    def pfn(self, page):
        return (int(page) - self.mem_map) // self.psize + self.min_pfn

    def address(self, page):
        return self.offset + (self.pfn(page) << 12)


def chain_length(s, first, cap):
    """Objects on a freelist starting at @first (the free pointer is at s->offset)."""
    n, p, off = 0, int(first), int(s["offset"])
    inf = gdb.selected_inferior()
    while p and n <= cap:
        n += 1
        try:
            p = int.from_bytes(inf.read_memory(p + off, 8).tobytes(), "little")
        except gdb.MemoryError:
            return n, "unreadable"
    return n, "loops" if n > cap else ""


def flag_names(flags):
    return ",".join(name for bit, name in FLAGS if flags & bit) or "-"


def cache_counts(s):
    node = s["node"]
    ncpu = s["cpu_slab"].type.range()[1] + 1
    cpu_free = sum(int(s["cpu_slab"][c]["nr_free"]) for c in range(ncpu))
    cpu_slabs = sum((1 if int(s["cpu_slab"][c]["slab"]) else 0) +
                    int(s["cpu_slab"][c]["nr_partial"]) for c in range(ncpu))
    total = int(node["total_objects"])
    active = total - int(node["free_objects"]) - cpu_free
    return active, total, cpu_slabs


class PagodaSlab(gdb.Command):
    """Show the slab caches: pagoda-slab [CACHE]"""

    def __init__(self):
        super(PagodaSlab, self).__init__("pagoda-slab", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        name = arg.strip()
        try:
            all_caches = caches()
        except gdb.error as e:
            raise gdb.GdbError("pagoda-slab: kernel symbols missing (%s)" % e)
        if not all_caches:
            print("pagoda-slab: no caches yet (stop after kmem_cache_init)")
            return
        if not name:
            self.summary(all_caches)
            return
        for s in all_caches:
            if s["name"].string() == name:
                self.detail(s.dereference())
                return
        raise gdb.GdbError("pagoda-slab: no cache named %s (pagoda-slab lists them)" % name)

    def summary(self, all_caches):
        print("%-18s %7s %7s %6s %5s %5s  %-17s %s" % ("cache", "active", "objs", "size",
                                                     "o/sl", "pg/sl", "slabs cpu/part/full",
                                                     "flags"))
        pages = 0
        ncpu = None
        for sp in all_caches:
            s = sp.dereference()
            active, total, cpu_slabs = cache_counts(s)
            node = s["node"]
            full_list = list_entries(node["full"], "struct page", "slab_list")
            full = len(full_list)
            part = int(node["nr_partial"])
            nslabs = int(node["nr_slabs"])
            # the pages every slab really has (a fallback slab may be smaller)
            slabs = full_list + list_entries(node["partial"], "struct page", "slab_list")
            ncpu = s["cpu_slab"].type.range()[1] + 1
            for c in range(ncpu):
                cs = s["cpu_slab"][c]
                if int(cs["slab"]):
                    slabs.append(cs["slab"])
                slabs += list_entries(cs["partial"], "struct page", "slab_list")
            pages += sum(1 << int(p.dereference()["slab_order"]) for p in slabs)
            note = ""
            if cpu_slabs + part + full != nslabs:
                note = "  (lists hold %d slabs, nr_slabs %d: mid-update?)" % (
                    cpu_slabs + part + full, nslabs)
            print("%-18s %7d %7d %6d %5d %5d  %5d/%4d/%4d      %s%s"
                  % (s["name"].string(), active, total, int(s["size"]), int(s["objects"]),
                     1 << int(s["order"]), cpu_slabs, part, full, flag_names(int(s["flags"])),
                     note))
        print("%d caches, %d pages (%d KiB) in slabs; nr_slab_reclaimable %d, "
              "nr_slab_unreclaimable %d" % (len(all_caches), pages, pages * 4,
                                           int(gdb.parse_and_eval("nr_slab_reclaimable")),
                                           int(gdb.parse_and_eval("nr_slab_unreclaimable"))))

    def slab_line(self, mem, s, page, where):
        pg = page.dereference()
        n, bad = chain_length(s, pg["freelist"], int(pg["objects"]))
        addr = mem.address(page)
        return ("    %-10s slab 0x%x (pfn 0x%x, order %d) inuse %3d/%-3d colour %4d "
                "freelist %d%s%s" % (where, addr, mem.pfn(page), int(pg["slab_order"]),
                                     int(pg["inuse"]), int(pg["objects"]), int(pg["s_mem"]), n,
                                     " (%s)" % bad if bad else "",
                                     " frozen" if int(pg["frozen"]) else ""))

    def detail(self, s):
        mem = Mem()
        flags = int(s["flags"])
        size, osize = int(s["size"]), int(s["object_size"])
        active, total, _ = cache_counts(s)
        print("cache %s: %d of %d objects in use; object %d bytes, slot %d, align %d, "
              "flags %s" % (s["name"].string(), active, total, osize, size, int(s["align"]),
                            flag_names(flags)))
        print("  slab: %d pages (order %d, fallback %d), %d objects, %d colours of %d bytes; "
              "keeps %d empty slabs, %d partial per CPU"
              % (1 << int(s["order"]), int(s["order"]), int(s["min_order"]), int(s["objects"]),
                 int(s["colour"]), int(s["colour_off"]), int(s["min_partial"]),
                 int(s["cpu_partial_slabs"])))
        rl = int(s["red_left_pad"])
        layout = []
        if rl:
            layout.append("[0,%d) left red zone" % rl)
        layout.append("[%d,%d) object" % (rl, rl + osize))
        if int(s["inuse"]) > osize:
            layout.append("[%d,%d) right red zone" % (rl + osize, rl + int(s["inuse"])))
        layout.append("free pointer at %d" % (rl + int(s["offset"])))
        if flags & SLAB_STORE_USER:
            layout.append("track at %d" % (rl + int(s["track_off"])))
        print("  slot: " + ", ".join(layout) + ", %d bytes" % size)
        ncpu = s["cpu_slab"].type.range()[1] + 1
        for c in range(ncpu):
            cs = s["cpu_slab"][c]
            parts = list_entries(cs["partial"], "struct page", "slab_list")
            if not int(cs["slab"]) and not parts and not int(cs["alloc_fastpath"]) and \
                    not int(cs["free_slowpath"]):
                continue
            n, bad = chain_length(s, cs["freelist"], CAP)
            print("  cpu%d: freelist %d objects (nr_free %d)%s; alloc fast %d slow %d, "
                  "free fast %d slow %d" % (c, n, int(cs["nr_free"]),
                                            " (%s)" % bad if bad else "",
                                            int(cs["alloc_fastpath"]), int(cs["alloc_slowpath"]),
                                            int(cs["free_fastpath"]), int(cs["free_slowpath"])))
            if int(cs["slab"]):
                print(self.slab_line(mem, s, cs["slab"], "cpu slab"))
            for p in parts:
                print(self.slab_line(mem, s, p, "cpu part."))
        node = s["node"]
        partial = list_entries(node["partial"], "struct page", "slab_list")
        full = list_entries(node["full"], "struct page", "slab_list")
        print("  node: %d slabs, %d objects, %d free on slab freelists; %d partial, %d full"
              % (int(node["nr_slabs"]), int(node["total_objects"]),
                 int(node["free_objects"]), len(partial), len(full)))
        for p in partial:
            print(self.slab_line(mem, s, p, "partial"))
        for p in full:
            print(self.slab_line(mem, s, p, "full"))
        if flags & SLAB_STORE_USER:
            self.live_objects(mem, s, partial + full)

    def live_objects(self, mem, s, slabs):
        track_off = int(s["track_off"])
        shown = 0
        print("  live objects (allocated by):")
        for page in slabs:
            pg = page.dereference()
            base = mem.address(page) + int(pg["s_mem"]) + int(s["red_left_pad"])
            for i in range(int(pg["objects"])):
                obj = base + i * int(s["size"])
                t = gdb.Value(obj + track_off).cast(
                    gdb.lookup_type("struct slab_track").pointer()).dereference()
                if int(t["state"]) != OBJ_ALLOCATED:
                    continue
                shown += 1
                if shown > 200:
                    continue
                caller = int(t["alloc_caller"])
                sym = gdb.execute("info symbol 0x%x" % caller, to_string=True).strip() \
                    if caller else "?"
                print("    0x%x  %s (pid %d, cpu %d)" % (obj, sym.split(" in section")[0],
                                                       int(t["pid"]), int(t["cpu"])))
        if shown > 200:
            print("    ... %d more" % (shown - 200))
        if not shown:
            print("    none")


PagodaSlab()
