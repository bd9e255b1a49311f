"""tools/gdb/vmalloc.py - GDB command pagoda-vmalloc: the vmalloc area's live areas.

  pagoda-vmalloc          every live area of the vmalloc area, in address order:
                          range, size (with its guard page), kind, caller, pages
                          vmalloc says it mapped and pages the page table really
                          maps (what /proc/vmallocinfo shows, checked against the
                          MMU's view); then areas freed but waiting for the lazy
                          purge, and a summary (used pages, free space, largest gap)
  pagoda-vmalloc ADDR     the area holding ADDR and the physical page behind each
                          of its virtual pages: virtually contiguous, physically
                          scattered
  pagoda-vmalloc free     the free tree in address order, with each node's
                          subtree_max_size checked against its children (a wrong
                          one is what breaks the O(log n) lowest-fit search)

It reads the kernel's own structures: the vmap_space `space` of mm/vmalloc.c,
its busy tree (struct vmap_area by address) and free tree, and the kernel's
page table (swapper_pg_dir) as physical memory, the way the MMU does. So it
works in a kernel stopped anywhere after vmalloc_init(): at a breakpoint, after
a panic, in the middle of a vmalloc() (a tree may then be mid-update; what does
not add up is flagged, not trusted).

Loaded by `make gdb` (tools/gdb/gdbinit.in). See mm/vmalloc.c, mm/vmap_area.c
and labs/vmalloc/README.md.
"""
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagoda  # noqa: E402  (page-table decoding, shared with pagoda-pt)

VM_IOREMAP, VM_ALLOC, VM_MAP, VM_KSTACK, VM_DEAD = 0x1, 0x2, 0x4, 0x8, 0x100
NODE_CAP = 100000  # a corrupt (looping) tree must not hang the debugger


def static(name):
    """A static variable of mm/vmalloc.c (its names are common words: be precise)."""
    for spec in ("'vmalloc.c'::%s" % name, "'mm/vmalloc.c'::%s" % name):
        try:
            return gdb.parse_and_eval(spec)
        except gdb.error:
            pass
    raise gdb.GdbError("pagoda-vmalloc: no %s in mm/vmalloc.c (kernel built without -g?)" % name)


def offset_of(struct, field):
    return int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (struct, field)))


def rb_inorder(root, struct, field):
    """gdb.Values of type @struct, in key order, from the rb_root @root."""
    off = offset_of(struct, field)
    ptr = gdb.lookup_type(struct).pointer()
    out, stack, node, seen = [], [], root["rb_node"], 0
    while stack or int(node):
        while int(node):
            stack.append(node)
            node = node["rb_left"]
            seen += 1
            if seen > NODE_CAP:
                raise gdb.GdbError("pagoda-vmalloc: more than %d nodes: is the tree a loop?"
                                   % NODE_CAP)
        node = stack.pop()
        out.append(gdb.Value(int(node) - off).cast(ptr).dereference())
        node = node["rb_right"]
    return out


class PageTable:
    """Lookups in one page table, each table page read once per command."""

    def __init__(self, a, root):
        self.a = a
        self.root = root
        self.tables = {}

    def table(self, pa):
        if pa not in self.tables:
            self.tables[pa] = pagoda.read_table(pa)
        return self.tables[pa]

    def lookup(self, va):
        """(physical address, perms) of the leaf mapping @va, or None."""
        a, pa = self.a, self.root
        for level in range(a.levels - 1, -1, -1):
            d = a.decode(self.table(pa)[pagoda.index(a, level, va)], level)
            if d["kind"] == "table":
                pa = d["pa"]
                continue
            if d["kind"] != "leaf":
                return None
            size = pagoda.level_size(a, level)
            return d["pa"] + (va & (size - 1)), d["perms"]
        return None


def kind_of(flags):
    names = []
    if flags & VM_ALLOC:
        names.append("vmalloc")
    if flags & VM_MAP:
        names.append("vmap")
    if flags & VM_IOREMAP:
        names.append("ioremap")
    if flags & VM_KSTACK:
        names.append("kstack")
    return "+".join(names) or "0x%x" % flags


def caller_of(addr):
    """func+0xoff like /proc/vmallocinfo, or the address."""
    if not addr:
        return "-"
    try:
        block = gdb.block_for_pc(addr)
        while block is not None and block.function is None:
            block = block.superblock
        if block is not None and block.function is not None:
            return "%s+0x%x" % (block.function.name, addr - block.start)
    except RuntimeError:
        pass
    return "0x%x" % addr


def area_mapping(pt, va):
    """[(va, pa or None)] for every page of the area @va, and the number mapped."""
    pages = []
    start, end = int(va["va_start"]), int(va["va_end"])
    for p in range(start, end, pagoda.PAGE_SIZE):
        hit = pt.lookup(p)
        pages.append((p, hit[0] if hit else None, hit[1] if hit else None))
    return pages, sum(1 for _, pa, _ in pages if pa is not None)


class PagodaVmalloc(gdb.Command):
    """Show the vmalloc area: pagoda-vmalloc [ADDR | free]"""

    def __init__(self):
        super().__init__("pagoda-vmalloc", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = pagoda.arch()
        space = static("space")
        if not int(space["start"]):
            print("pagoda-vmalloc: the vmalloc area is not set up yet (stop after vmalloc_init)")
            return
        words = gdb.string_to_argv(arg)
        if words and words[0] == "free":
            return self.show_free(space)
        pt = PageTable(a, pagoda.to_pa(a, gdb.parse_and_eval("swapper_pg_dir")))
        busy = rb_inorder(space["busy_root"], "struct vmap_area", "rb_node")
        if words:
            try:
                addr = int(gdb.parse_and_eval(words[0])) & 0xffffffffffffffff
            except gdb.error as e:
                raise gdb.GdbError("usage: pagoda-vmalloc [ADDR | free] (%s)" % e)
            return self.show_one(pt, busy, addr)
        self.show_all(space, pt, busy)

    def show_all(self, space, pt, busy):
        start, end = int(space["start"]), int(space["end"])
        print("pagoda-vmalloc: the vmalloc area 0x%016x-0x%016x (%s)"
              % (start, end, pagoda.size_str(end - start)))
        print("  %-37s %8s  %-14s %5s %6s  %s" % ("range (with guard)", "size", "kind", "pages",
                                                  "mapped", "caller"))
        live, dead, pages_alloc, bad = 0, [], 0, 0
        for va in busy:
            flags = int(va["flags"])
            if flags & VM_DEAD:
                dead.append(va)
                continue
            nr = int(va["nr_pages"])
            if nr == 0:
                continue  # being set up: addresses reserved, pages not mapped yet
            _, mapped = area_mapping(pt, va)
            s, e = int(va["va_start"]), int(va["va_end"])
            extra = ""
            if flags & VM_IOREMAP:
                extra = " phys=0x%x" % int(va["phys_addr"])
            note = ""
            if mapped != nr:
                note = "  <- %d pages mapped, vmalloc says %d" % (mapped, nr)
                bad += 1
            print("  0x%016x-0x%016x %8d  %-14s %5d %6d  %s%s%s"
                  % (s, e, e - s, kind_of(flags), nr, mapped, caller_of(int(va["caller"])),
                     extra, note))
            live += 1
            if flags & (VM_ALLOC | VM_KSTACK):
                pages_alloc += nr
        for va in dead:
            _, mapped = area_mapping(pt, va)
            s, e = int(va["va_start"]), int(va["va_end"])
            print("  0x%016x-0x%016x %8d  %-14s %5s %6d  freed, addresses wait for the purge%s"
                  % (s, e, e - s, kind_of(int(va["flags"]) & ~VM_DEAD), "-", mapped,
                     "" if mapped == 0 else "  <- still mapped!"))
        used = int(static("used_pages"))
        print("  %d live areas, %d pages allocated by vmalloc (vmalloc_used_pages() = %d)%s"
              % (live, pages_alloc, used, "" if used == pages_alloc else "  <- differ"))
        lazy = int(static("lazy_pages"))
        print("  %d freed areas (%d pages of addresses) wait for the lazy purge; "
              "free %s, largest free range %s"
              % (len(dead), lazy, pagoda.size_str(int(space["free_bytes"])) or "0",
                 pagoda.size_str(self.largest(space))))
        if bad:
            print("  %d areas whose page-table entries do not match nr_pages" % bad)

    @staticmethod
    def largest(space):
        root = space["free_root"]["rb_node"]
        if not int(root):
            return 0
        off = offset_of("struct vmap_area", "rb_node")
        ptr = gdb.lookup_type("struct vmap_area").pointer()
        return int(gdb.Value(int(root) - off).cast(ptr).dereference()["subtree_max_size"])

    def show_one(self, pt, busy, addr):
        hit = [va for va in busy if int(va["va_start"]) <= addr < int(va["va_end"])]
        if not hit:
            print("pagoda-vmalloc: 0x%x is in no busy area (free, or not a vmalloc address)"
                  % addr)
            return
        va = hit[0]
        flags = int(va["flags"])
        s, e = int(va["va_start"]), int(va["va_end"])
        print("pagoda-vmalloc 0x%x: area 0x%016x-0x%016x (%d bytes with the guard), %s%s, "
              "%d pages, from %s" % (addr, s, e, e - s, kind_of(flags & ~VM_DEAD),
                                     " (freed, waiting for the purge)" if flags & VM_DEAD
                                     else "", int(va["nr_pages"]),
                                     caller_of(int(va["caller"]))))
        pages, _ = area_mapping(pt, va)
        prev = None
        for p, pa, perms in pages:
            if pa is None:
                print("  0x%016x  not mapped (guard)" % p)
                prev = None
                continue
            note = ""
            if prev is not None:
                note = "  (physically next to the page above)" if pa == prev + \
                    pagoda.PAGE_SIZE else ""
            print("  0x%016x -> pa 0x%x  %s%s" % (p, pa, perms, note))
            prev = pa

    def show_free(self, space):
        free = rb_inorder(space["free_root"], "struct vmap_area", "rb_node")
        off = offset_of("struct vmap_area", "rb_node")
        ptr = gdb.lookup_type("struct vmap_area").pointer()

        def smax(node):
            if not int(node):
                return 0
            return int(gdb.Value(int(node) - off).cast(ptr).dereference()["subtree_max_size"])

        print("pagoda-vmalloc free: %d free ranges, %s free"
              % (len(free), pagoda.size_str(int(space["free_bytes"])) or "0"))
        print("  %-37s %12s %16s" % ("range", "size", "subtree_max_size"))
        bad, total, last = 0, 0, None
        for va in free:
            s, e = int(va["va_start"]), int(va["va_end"])
            n = va["rb_node"]
            want = max(e - s, smax(n["rb_left"]), smax(n["rb_right"]))
            got = int(va["subtree_max_size"])
            note = ""
            if got != want:
                note = "  <- should be %d (largest of its own size and its subtrees')" % want
                bad += 1
            if last is not None and s <= last:
                note += "  <- touches or overlaps the range before: not merged"
                bad += 1
            print("  0x%016x-0x%016x %12d %16d%s" % (s, e, e - s, got, note))
            total += e - s
            last = e
        if total != int(space["free_bytes"]):
            print("  the ranges add up to %d bytes, free_bytes says %d"
                  % (total, int(space["free_bytes"])))
        print("  %s" % ("every subtree_max_size is right" if not bad else
                        "%d problems" % bad))


PagodaVmalloc()
