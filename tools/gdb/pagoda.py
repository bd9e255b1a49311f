"""tools/gdb/pagoda.py - Pagoda's GDB commands (loaded by `make gdb`).

  pagoda-ps               every process: pid, parent, state, CPU, name, mm and root table
  pagoda-pt VA [PID]      walk the page table for VA level by level, each entry decoded
  pagoda-ptdump [PID]     every mapping of a page table, merged into ranges

Without PID, pagoda-pt uses the process running on the selected CPU (`thread N`
selects CPU N-1) for a user address and the kernel's table (swapper_pg_dir)
for a kernel address; pagoda-ptdump without PID dumps the kernel's table.

Page-table pages are read as physical memory (QEMU's gdbstub can do that at
any time, even with the MMU off), so what is printed is what the MMU sees.

The PTE formats are data: one class per architecture, chosen by the
kernel's own `arch_name` string. A new architecture adds a class to ARCHES.
"""
import struct

import gdb

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT


class Sv39:
    """RISC-V Sv39: V R W X U G A D, PPN at bit 10; a leaf has any of R/W/X."""
    name = "riscv"
    levels = 3
    index_bits = 9
    va_bits = 39
    page_offset = 0xffffffc000000000
    shared_kernel_half = True  # the kernel's half lives in every root table

    BITS = [(0, "V"), (1, "R"), (2, "W"), (3, "X"), (4, "U"), (5, "G"), (6, "A"), (7, "D")]

    def decode(self, pte, level):
        """{'kind': 'none'|'table'|'leaf'|'bad', 'pa', 'perms', 'user', 'flags'}"""
        flags = " ".join(n for b, n in self.BITS if pte >> b & 1)
        rsw = (pte >> 8) & 3
        if rsw:
            flags += " RSW=%d" % rsw
        d = {"flags": flags, "pa": ((pte >> 10) & ((1 << 44) - 1)) << PAGE_SHIFT,
             "user": bool(pte & 0x10)}
        if not pte & 1:
            d["kind"] = "none"
        elif pte & 0xe:
            d["kind"] = "leaf"
            d["perms"] = ("r" if pte & 2 else "-") + ("w" if pte & 4 else "-") + \
                ("x" if pte & 8 else "-")
            if pte & 4 and not pte & 2:
                d["kind"] = "bad"
                d["why"] = "W without R is reserved"
        elif level == 0:
            d["kind"] = "bad"
            d["why"] = "a pointer at level 0"
        else:
            d["kind"] = "table"
        return d


class Armv8:
    """ARMv8-A stage 1, 4 KiB granule, 39-bit VA (levels 1..3 in ARM's numbering)."""
    name = "arm64"
    levels = 3
    index_bits = 9
    va_bits = 39
    page_offset = 0xffffff8000000000
    shared_kernel_half = False  # TTBR1 holds the kernel; a process root is all user

    ATTR = {0: "Normal", 1: "Device-nGnRE", 2: "Normal-NC"}
    SH = {0: "NSH", 2: "OSH", 3: "ISH"}

    def decode(self, pte, level):
        valid, bit1 = pte & 1, pte >> 1 & 1
        d = {"pa": pte & 0x0000fffffffff000, "user": bool(pte >> 6 & 1)}
        names = ["V"] if valid else []
        if not valid:
            d["kind"] = "none"
            d["flags"] = ""
            return d
        if level > 0 and bit1:
            d["kind"] = "table"
            names.append("TABLE")
            for b, n in ((59, "PXNTable"), (60, "UXNTable"), (61, "APTable0"),
                         (62, "APTable1"), (63, "NSTable")):
                if pte >> b & 1:
                    names.append(n)
            d["flags"] = " ".join(names)
            return d
        if level == 0 and not bit1:
            d["kind"] = "bad"
            d["why"] = "bits 1:0 = 01 is reserved at level 0 (ARM level 3)"
            d["flags"] = "V"
            return d
        d["kind"] = "leaf"
        names.append("PAGE" if level == 0 else "BLOCK")
        names.append("AttrIndx=%d(%s)" % (pte >> 2 & 7, self.ATTR.get(pte >> 2 & 7, "?")))
        ap = pte >> 6 & 3
        names.append("AP=%d(%s,%s)" % (ap, "EL0+EL1" if ap & 1 else "EL1",
                                       "RO" if ap & 2 else "RW"))
        names.append("SH=%s" % self.SH.get(pte >> 8 & 3, "?"))
        for b, n in ((10, "AF"), (11, "nG"), (53, "PXN"), (54, "UXN"), (55, "DIRTY(sw)")):
            if pte >> b & 1:
                names.append(n)
        d["flags"] = " ".join(names)
        x = not (pte >> (54 if d["user"] else 53) & 1)
        d["perms"] = "r" + ("-" if ap & 2 else "w") + ("x" if x else "-")
        return d


ARCHES = {a.name: a for a in (Sv39(), Armv8())}


def arch():
    try:
        # declared `extern const char arch_name[]`: an array of unknown size
        name = gdb.parse_and_eval("(const char *)&arch_name[0]").string()
    except gdb.error:
        name = "arm64" if "aarch64" in gdb.selected_frame().architecture().name() else "riscv"
    if name not in ARCHES:
        raise gdb.GdbError("pagoda: no PTE decoder for architecture %r (tools/gdb/pagoda.py)"
                           % name)
    return ARCHES[name]


def read_phys(pa, size):
    """Bytes of physical memory (QEMU's physical-memory mode)."""
    inf = gdb.selected_inferior()
    gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
    try:
        return bytes(inf.read_memory(pa, size))
    finally:
        gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)


def read_table(pa):
    return struct.unpack("<512Q", read_phys(pa, PAGE_SIZE))


def level_size(a, level):
    return 1 << (PAGE_SHIFT + a.index_bits * level)


def index(a, level, va):
    return (va >> (PAGE_SHIFT + a.index_bits * level)) & ((1 << a.index_bits) - 1)


def canonical(a, va, kernel_root):
    """The 64-bit address of a va built from indexes. One root for both halves
    (Sv39): bit va_bits-1 is sign-extended. Separate roots (TTBR0/TTBR1): the
    kernel's root covers only addresses with every upper bit set."""
    high = ~((1 << a.va_bits) - 1) & 0xffffffffffffffff
    if a.shared_kernel_half:
        return va | high if va >> (a.va_bits - 1) & 1 else va
    return va | high if kernel_root else va


def to_pa(a, kva):
    return int(kva) - a.page_offset


def size_str(n):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return "%d%s" % (n >> shift, unit)
    return "%d" % n


# ---- processes ------------------------------------------------------------------------

def procs():
    """Every process on proc_list (struct procs from the task_struct slab cache)."""
    head = gdb.parse_and_eval("proc_list")
    ptype = gdb.lookup_type("struct proc")
    off = int(gdb.parse_and_eval("(unsigned long)&((struct proc *)0)->list"))
    start = int(head.address)
    node = head["next"]
    for _ in range(100000):  # a corrupt (looping) list must not hang the debugger
        if int(node) in (start, 0):
            return
        p = gdb.Value(int(node) - off).cast(ptype.pointer()).dereference()
        if str(p["state"]) != "UNUSED":
            yield p
        node = node.dereference()["next"]


def find_proc(pid):
    for p in procs():
        if int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("pagoda: no process with pid %d (see pagoda-ps)" % pid)


def running_on():
    """{address of struct proc: cpu id} for every CPU running a process."""
    out = {}
    cpus = gdb.parse_and_eval("cpus")
    for i in range(cpus.type.range()[1] + 1):
        c = cpus[i]
        if int(c["proc"]):
            out[int(c["proc"])] = int(c["id"])
    return out


def current_proc():
    """The process on the selected CPU (QEMU: thread N is CPU index N-1), or None."""
    idx = gdb.selected_thread().num - 1
    cpus = gdb.parse_and_eval("cpus")
    n = cpus.type.range()[1] + 1
    cands = [cpus[i] for i in range(n) if int(cpus[i]["online"]) and int(cpus[i]["hwid"]) == idx]
    if not cands and idx < n:
        cands = [cpus[idx]]
    for c in cands:
        if int(c["proc"]):
            return c["proc"].dereference()
    return None


def proc_root(p):
    mm = p["mm"]
    if not int(mm):
        raise gdb.GdbError("pagoda: pid %d (%s) has no address space (mm is NULL)"
                           % (int(p["pid"]), p["name"].string()))
    return int(mm["pgd"])


class PagodaPs(gdb.Command):
    """pagoda-ps: list processes (pid, parent, state, CPU, name, mm, root table)."""

    def __init__(self):
        super().__init__("pagoda-ps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        a = arch()
        on = running_on()
        print("%5s %5s %-9s %3s %-16s %-18s %s" % ("PID", "PPID", "STATE", "CPU", "NAME",
                                                  "MM", "PGD (pa)"))
        for p in procs():
            parent = p["parent"]
            ppid = str(int(parent["pid"])) if int(parent) else "-"
            mm = p["mm"]
            pgd = "-"
            if int(mm) and int(mm["pgd"]):
                pgd = "0x%x" % to_pa(a, mm["pgd"])
            state = str(p["state"])
            if int(p["killed"]):
                state += "(k)"
            cpu = on.get(int(p.address))
            print("%5d %5s %-9s %3s %-16s %-18s %s"
                  % (int(p["pid"]), ppid, state, "-" if cpu is None else cpu,
                     p["name"].string(), "0x%x" % int(mm) if int(mm) else "-", pgd))


def parse_args(arg, need_va):
    words = gdb.string_to_argv(arg)
    if need_va and not words:
        raise gdb.GdbError("usage: pagoda-pt VA [PID]")
    try:
        vals = [int(gdb.parse_and_eval(w)) & 0xffffffffffffffff for w in words]
    except gdb.error as e:
        raise gdb.GdbError("pagoda: %s" % e)
    return vals


def choose_root(a, va, pid):
    """(root pa, description) for @va (None: a whole table) and @pid (None: current)."""
    if pid is not None:
        p = find_proc(pid)
        if va is not None and va >> 63 and not a.shared_kernel_half:
            return to_pa(a, gdb.parse_and_eval("swapper_pg_dir")), \
                "kernel address: swapper_pg_dir (TTBR1), shared by every process"
        return to_pa(a, proc_root(p)), "pid %d (%s)" % (pid, p["name"].string())
    if va is None or va >> 63:
        return to_pa(a, gdb.parse_and_eval("swapper_pg_dir")), "the kernel's swapper_pg_dir"
    p = current_proc()
    if p is None:
        raise gdb.GdbError("pagoda: no process runs on this CPU; give a PID (pagoda-ps)")
    return to_pa(a, proc_root(p)), "pid %d (%s), running on this CPU" % (
        int(p["pid"]), p["name"].string())


class PagodaPt(gdb.Command):
    """pagoda-pt VA [PID]: walk the page table for VA, printing each level's entry."""

    def __init__(self):
        super().__init__("pagoda-pt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        a = arch()
        vals = parse_args(arg, True)
        va = vals[0]
        root, who = choose_root(a, va, vals[1] if len(vals) > 1 else None)
        print("pagoda-pt 0x%x in %s: root table at pa 0x%x (%s)" % (va, who, root, a.name))
        table = root
        for level in range(a.levels - 1, -1, -1):
            i = index(a, level, va)
            pte = read_table(table)[i]
            d = a.decode(pte, level)
            head = "%sL%d[%03d] at pa 0x%x: pte 0x%016x" % ("  " * (a.levels - 1 - level),
                                                             level, i, table + 8 * i, pte)
            if d["kind"] == "none":
                print("%s  not present: 0x%x is not mapped" % (head, va))
                return
            if d["kind"] == "bad":
                print("%s  INVALID ENTRY: %s  [%s]" % (head, d["why"], d["flags"]))
                return
            if d["kind"] == "table":
                print("%s  table -> pa 0x%x  [%s]" % (head, d["pa"], d["flags"]))
                table = d["pa"]
                continue
            size = level_size(a, level)
            pa = d["pa"] + (va & (size - 1))
            print("%s  %s leaf -> pa 0x%x  %s %s  [%s]"
                  % (head, size_str(size), d["pa"], d["perms"], "user" if d["user"] else
                     "kernel", d["flags"]))
            print("0x%x -> pa 0x%x (%s %s)" % (va, pa, d["perms"],
                                              "user" if d["user"] else "kernel"))
            return


def leaves(a, root, user_only):
    """Yield (va, size, pa, perms, user) for every leaf under @root, in address order.
    @user_only: @root is a process's (else the kernel's swapper_pg_dir)."""
    def walk(pa, level, base):
        entries = read_table(pa)
        size = level_size(a, level)
        for i, pte in enumerate(entries):
            va = base + i * size
            if level == a.levels - 1 and user_only and a.shared_kernel_half and \
                    va >> (a.va_bits - 1):
                break  # the kernel's half of a process root: shared, not the process's
            d = a.decode(pte, level)
            if d["kind"] == "table":
                yield from walk(d["pa"], level - 1, va)
            elif d["kind"] == "leaf":
                yield canonical(a, va, not user_only), size, d["pa"], d["perms"], d["user"]
    yield from walk(root, a.levels - 1, 0)


class PagodaPtdump(gdb.Command):
    """pagoda-ptdump [PID]: every mapping, merged into ranges with permissions."""

    def __init__(self):
        super().__init__("pagoda-ptdump", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        a = arch()
        vals = parse_args(arg, False)
        pid = vals[0] if vals else None
        root, who = choose_root(a, None, pid)
        print("pagoda-ptdump of %s: root table at pa 0x%x (%s)" % (who, root, a.name))
        print("  %-18s %-18s %6s  %-12s %s" % ("VA start", "VA end", "size", "PA start",
                                              "perms"))
        ranges = []  # [start, end, pa, (perms, user), {leaf size: count}]
        for va, size, pa, perms, user in leaves(a, root, pid is not None):
            key = (perms, user)
            if ranges:
                r = ranges[-1]
                if r[1] == va and r[2] + (r[1] - r[0]) == pa and r[3] == key:
                    r[1] = va + size
                    r[4][size] = r[4].get(size, 0) + 1
                    continue
            ranges.append([va, va + size, pa, key, {size: 1}])
        total = 0
        for start, end, pa, (perms, user), counts in ranges:
            total += end - start
            how = ", ".join("%d x %s" % (n, size_str(sz)) for sz, n in sorted(counts.items()))
            print("  0x%016x-0x%016x %6s  0x%-10x %s %-6s (%s)"
                  % (start, end, size_str(end - start), pa, perms,
                     "user" if user else "kernel", how))
        print("  %d ranges, %s mapped" % (len(ranges), size_str(total) if total else "0"))


PagodaPs()
PagodaPt()
PagodaPtdump()
