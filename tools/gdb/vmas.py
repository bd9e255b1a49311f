"""tools/gdb/vmas.py - GDB command pagoda-vmas: a process's VMAs, with what is really mapped.

  pagoda-vmas [PID]       the VMAs of PID's address space (default: the process
                          running on the selected CPU), in address order, from
                          mm->mm_rb: range, size, permissions rwx and s(hared) /
                          p(rivate), what backs it (a file and offset, or
                          anonymous memory: the program's image, [heap],
                          [stack]), and from the page table: RSS (pages mapped),
                          how many of those are the shared zero page, and how
                          many are shared with another mapping (reference count
                          above one: copy-on-write after fork, or a shared file
                          page)

Like /proc/PID/maps and pmap, but read from the kernel's structures and the
page table itself (as physical memory, the way the MMU sees it), so it works
in a stopped kernel: at a breakpoint in the fault handler, after a panic. What
does not add up (map_count, total_vm, rss_pages against the tree and the
table; pages mapped outside every VMA) is flagged.

Loaded by `make gdb` (tools/gdb/gdbinit.in). See mm/vma.c, mm/memory.c and
labs/vma/README.md.
"""
import bisect
import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagoda  # noqa: E402  (processes and page-table decoding)

VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_GROWSDOWN = 0x1, 0x2, 0x4, 0x8, 0x100
NODE_CAP = 100000


def perm_string(flags):
    return ("r" if flags & VM_READ else "-") + ("w" if flags & VM_WRITE else "-") + \
        ("x" if flags & VM_EXEC else "-") + ("s" if flags & VM_SHARED else "p")


def vmas_of(mm):
    """The vm_area_structs of @mm in address order (an in-order walk of mm_rb)."""
    off = int(gdb.parse_and_eval("(unsigned long)&((struct vm_area_struct *)0)->vm_rb"))
    ptr = gdb.lookup_type("struct vm_area_struct").pointer()
    out, stack, node = [], [], mm["mm_rb"]["rb_node"]
    while stack or int(node):
        while int(node):
            stack.append(node)
            node = node["rb_left"]
            if len(out) + len(stack) > NODE_CAP:
                raise gdb.GdbError("pagoda-vmas: more than %d VMAs: is mm_rb a loop?" % NODE_CAP)
        node = stack.pop()
        out.append(gdb.Value(int(node) - off).cast(ptr).dereference())
        node = node["rb_right"]
    return out


def zero_pfn():
    for spec in ("'memory.c'::zero_pfn", "'mm/memory.c'::zero_pfn"):
        try:
            return int(gdb.parse_and_eval(spec))
        except gdb.error:
            pass
    return None


def refcount(pfn):
    """The page's _refcount from mem_map, or None for a frame outside RAM."""
    try:
        lo, hi = int(gdb.parse_and_eval("min_low_pfn")), int(gdb.parse_and_eval("max_pfn"))
        if not lo <= pfn < hi:
            return None
        return int(gdb.parse_and_eval("mem_map[%d]._refcount" % (pfn - lo)))
    except gdb.error:
        return None


def backing(vma, mm, comm):
    """What backs @vma, as /proc/PID/maps names it."""
    f = vma["vm_file"]
    start, end = int(vma["vm_start"]), int(vma["vm_end"])
    if int(f):
        name = None
        try:
            name = f["name"].string()
        except (gdb.error, UnicodeDecodeError):
            pass
        try:
            ino = int(f["ip"]["inum"]) if int(f["ip"]) else 0
        except gdb.error:
            ino = 0
        return "%s (inode %d) at offset 0x%x" % (name or "file", ino,
                                                   int(vma["vm_pgoff"]) * pagoda.PAGE_SIZE)
    flags = int(vma["vm_flags"])
    if flags & VM_GROWSDOWN:
        return "[stack]"
    if start < int(mm["brk"]) and end > int(mm["start_brk"]) and start >= int(mm["end_code"]):
        return "[heap]"
    if start < int(mm["end_code"]) and end > int(mm["start_code"]):
        return "/%s (image)" % comm
    return "[anon]"


class PagodaVmas(gdb.Command):
    """Show a process's VMAs: pagoda-vmas [PID]"""

    def __init__(self):
        super().__init__("pagoda-vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = pagoda.arch()
        vals = pagoda.parse_args(arg, False)
        if vals:
            p = pagoda.find_proc(vals[0])
        else:
            p = pagoda.current_proc()
            if p is None:
                raise gdb.GdbError("pagoda-vmas: no process runs on this CPU; give a PID "
                                   "(pagoda-ps)")
        pid, comm = int(p["pid"]), p["name"].string()
        mm = p["mm"]
        if not int(mm):
            raise gdb.GdbError("pagoda-vmas: pid %d (%s) has no address space" % (pid, comm))
        mm = mm.dereference()
        root = pagoda.to_pa(a, mm["pgd"])
        # every user page the table maps, once, in address order
        pages = []
        for va, size, pa, perms, user in pagoda.leaves(a, root, True):
            for off in range(0, size, pagoda.PAGE_SIZE):
                pages.append((va + off, pa + off, perms))
        addrs = [x[0] for x in pages]
        zpfn = zero_pfn()
        vmas = vmas_of(mm)
        print("pagoda-vmas of pid %d (%s): mm 0x%x, %d VMAs, root table at pa 0x%x"
              % (pid, comm, int(mm.address), len(vmas), root))
        print("  %-37s %7s %4s %7s %5s %6s  %s" % ("range", "size", "perm", "RSS", "zero",
                                                 "shared", "backing"))
        covered = tot_size = tot_rss = total_vm = 0
        notes = []
        last_end, prev_flags = 0, None
        for vma in vmas:
            s, e, flags = int(vma["vm_start"]), int(vma["vm_end"]), int(vma["vm_flags"])
            lo, hi = bisect.bisect_left(addrs, s), bisect.bisect_left(addrs, e)
            rss = zero = shared = 0
            for _, pa, _ in pages[lo:hi]:
                pfn = pa >> pagoda.PAGE_SHIFT
                if zpfn is not None and pfn == zpfn:
                    zero += 1
                    continue
                rss += 1
                rc = refcount(pfn)
                if rc is not None and rc > 1:
                    shared += 1
            covered += hi - lo
            tot_size += e - s
            tot_rss += rss
            total_vm += (e - s) // pagoda.PAGE_SIZE
            note = ""
            if s < last_end:
                note = "  <- overlaps the VMA before"
            elif s == last_end and prev_flags == flags and not int(vma["vm_file"]):
                note = "  <- could merge with the VMA before"
            print("  0x%016x-0x%016x %6sK %4s %6sK %5d %6d  %s%s"
                  % (s, e, (e - s) >> 10, perm_string(flags), (rss * pagoda.PAGE_SIZE) >> 10,
                     zero, shared, backing(vma, mm, comm), note))
            last_end, prev_flags = e, flags
        print("  total %28s %6sK %4s %6sK" % ("", tot_size >> 10, "", (tot_rss * pagoda.PAGE_SIZE)
                                              >> 10))
        if len(vmas) != int(mm["map_count"]):
            notes.append("map_count is %d, the tree holds %d VMAs" % (int(mm["map_count"]),
                                                                       len(vmas)))
        if total_vm != int(mm["total_vm"]):
            notes.append("total_vm is %d pages, the VMAs cover %d" % (int(mm["total_vm"]),
                                                                       total_vm))
        if covered != len(pages):
            outside = [x[0] for x in pages
                       if not any(int(v["vm_start"]) <= x[0] < int(v["vm_end"]) for v in vmas)]
            notes.append("%d mapped pages lie outside every VMA (first at 0x%x)"
                         % (len(outside), outside[0] if outside else 0))
        try:
            rss_field = int(mm["rss_pages"])
            if rss_field != len(pages):
                notes.append("mm->rss_pages is %d, the page table maps %d pages (zero page "
                             "included)" % (rss_field, len(pages)))
        except gdb.error:
            pass
        for n in notes:
            print("  note: " + n)


PagodaVmas()
