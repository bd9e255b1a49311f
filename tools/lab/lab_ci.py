"""lab_ci.py - the `make test` stages for labs and the GDB helpers (tools/test.py calls them).

stage_labs(t, arches, scale): the marker tool's unit tests (test_markers.py), then
for every lab (labs/*/grade.py), generically:
  - every solution marker in the tree is well formed (labtool check);
  - the reference tree scores full marks on every architecture, and its
    results.json validates against Gradescope's documented fields;
  - the lab's student tree (labtool student) builds on every architecture,
    with no solution left in it and no hidden tests;
  - graded as a hand-in (--submission) on the first architecture, it scores
    below full marks, every "core" test fails, and results.json validates.
  A new lab joins by having a labs/<lab>/grade.py.

stage_gdb_helpers(t, arch, scale): a batch gdb-multiarch session against
`make qemu-gdb` booted with vmprint=init: pagoda-ps, pagoda-pt and
pagoda-ptdump must agree with the kernel's own vmprint() of init's table
and with the kernel's section permissions; pagoda-vmas must show init's
ELF segments and stack as VMAs with vmprint's pages as their RSS, and
pagoda-vmalloc init's kernel stack, device mappings and a consistent free
tree; pagoda-buddy's free lists must add up and pagoda-buddy 10 list every
order-10 block; every documented command form (gdbinit's list) runs, and
none may raise a Python error (the helpers share one Python namespace).

Each check is one t.add(ok, name, detail) line.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import labtool  # noqa: E402
import grader  # noqa: E402
import pagoda_qemu as pq  # noqa: E402

ROOT = labtool.ROOT


def _grade(lab, args, timeout):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "labs", lab, "grade.py")] + args,
                       cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return r


def _load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def stage_labs(t, arches, scale):
    t0 = time.monotonic()
    if labtool.read_meta(ROOT):
        t.add(None, "labs: this is a student's tree (.pagoda-lab): `make grade` grades it")
        return
    import test_markers
    for ok, name, detail in test_markers.run():
        t.add(ok, "labs: marker tool: %s" % name.replace("_", " "), detail)
    problems = labtool.check_tree(ROOT)
    t.add(not problems, "labs: every solution marker is well formed (labtool check)",
          "\n        ".join(problems[:10]))
    labs = labtool.labs()
    if not labs:
        t.add(False, "labs: no lab found (labs/*/grade.py)")
        return
    resdir = os.path.join(pq.BUILD, "test-logs", "labs")
    os.makedirs(resdir, exist_ok=True)
    for lab in labs:
        listing = _grade(lab, ["--list-json"], 60)
        try:
            meta = json.loads(listing.stdout)
        except ValueError:
            t.add(False, "labs: %s: grade.py --list-json works" % lab,
                  (listing.stdout + listing.stderr)[-2000:])
            continue
        core = [x["name"] for x in meta["tests"] if x["core"]]
        t.add(bool(core) and sum(x["points"] for x in meta["tests"]) > 0,
              "labs: %s: has tests with points and core tests" % lab)
        # 1. the reference: full marks on every architecture
        for arch in arches:
            res = os.path.join(resdir, "%s-reference-%s.json" % (lab, arch))
            r = _grade(lab, ["--arch", arch, "--results", res,
                             "--timeout-scale", str(scale)], 900 * scale)
            j = _load(res)
            tail = "\n".join((r.stdout + r.stderr).splitlines()[-30:])
            full = j is not None and r.returncode == 0 and \
                all(x["score"] == x["max_score"] for x in j["tests"])
            t.add(full, "labs: %s: the reference scores full marks on %s%s"
                  % (lab, arch, " (%s/%s)" % (j["score"], sum(x["max_score"]
                                                              for x in j["tests"]))
                                if j else ""), tail)
            t.add(j is not None and not grader.validate_results(j),
                  "labs: %s: results.json (reference, %s) has Gradescope's fields"
                  % (lab, arch), str(grader.validate_results(j) if j else "no file"))
        # 2. the student's tree: generated, builds everywhere, grades below full
        scratch = tempfile.mkdtemp(prefix="pagoda-ci-%s-" % lab)
        try:
            tree = os.path.join(scratch, "student")
            try:
                edited = labtool.make_student_tree(lab, tree, quiet=True)
                made = True
                detail = ""
            except SystemExit as e:
                made, detail, edited = False, str(e), []
            t.add(made, "labs: %s: make lab writes the student's tree" % lab, detail)
            if not made:
                continue
            leaked = [f for f in edited if os.path.exists(os.path.join(tree, f)) and
                      ("LAB %s: BEGIN" % lab) in open(os.path.join(tree, f)).read()]
            hidden = os.path.exists(os.path.join(tree, "labs", lab, "hidden"))
            t.add(not leaked and not hidden,
                  "labs: %s: the student's tree has no solution and no hidden tests" % lab,
                  "solutions in %s; hidden folder present: %s" % (leaked, hidden))
            # the grading below builds arches[0] itself (from the hand-in): build the others
            for arch in arches[1:]:
                b = subprocess.run(["make", "-j2", "all", "ARCH=" + arch,
                                    "O=" + os.path.join(scratch, "build", arch),
                                    "HOSTO=" + os.path.join(scratch, "build", "host")],
                                   cwd=tree, capture_output=True, text=True)
                t.add(b.returncode == 0, "labs: %s: the student's tree builds on %s (-Werror)"
                      % (lab, arch), (b.stdout + b.stderr)[-2500:])
            arch = arches[0]
            res = os.path.join(resdir, "%s-student-%s.json" % (lab, arch))
            r = _grade(lab, ["--submission", tree, "--arch", arch, "--results", res,
                             "--timeout-scale", str(scale)], 900 * scale)
            j = _load(res)
            log = os.path.join(resdir, "%s-student-%s.log" % (lab, arch))
            with open(log, "w") as f:
                f.write(r.stdout + r.stderr)
            built = re.search(r"^  ok +build kernel", r.stdout, re.M) is not None
            t.add(built, "labs: %s: the student's tree builds on %s (-Werror)" % (lab, arch),
                  "grader output: %s" % log)
            if j is None:
                t.add(False, "labs: %s: the student's tree is graded" % lab,
                      "no results.json; grader output: %s" % log)
                continue
            total = sum(x["max_score"] for x in j["tests"])
            t.add(r.returncode != 0 and j["score"] < total,
                  "labs: %s: the student's tree grades below full marks on %s (%s/%s)"
                  % (lab, arch, j["score"], total), "grader output: %s" % log)
            passed_core = [x["name"] for x in j["tests"] if x["name"].split("] ", 1)[-1] in core
                           and x["score"] == x["max_score"]]
            t.add(not passed_core, "labs: %s: every core test fails in the student's tree "
                  "(%d core tests)" % (lab, len(core)),
                  "these passed without the solution: %s" % passed_core)
            t.add(not grader.validate_results(j),
                  "labs: %s: results.json (student) has Gradescope's fields" % lab,
                  str(grader.validate_results(j)))
            clear = [x["name"] for x in j["tests"] if x["status"] == "failed" and
                     "not implemented yet" not in x["output"] and "hidden" not in x["output"]]
            t.add(not clear, "labs: %s: every failing test says what is not implemented" % lab,
                  "without a 'not implemented yet' message: %s" % clear[:5])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print("  (labs stage: %.0f s)" % (time.monotonic() - t0))


# ---- GDB helpers ----------------------------------------------------------------------

VMPRINT_LEAF = re.compile(r"^\s*L(\d)\[\d{3}\] va 0x([0-9a-f]+) pte 0x[0-9a-f]+ (\d+)([KMG]) "
                          r"page 0x([0-9a-f]+) ([r-][w-][x-]) (user|kernel)$")
DUMP = re.compile(r"^\s+0x([0-9a-f]{16})-0x([0-9a-f]{16})\s+\S+\s+0x([0-9a-f]+)\s+"
                  r"([r-][w-][x-]) (user|kernel)")


def pages_of_vmprint(text):
    pages = {}
    for line in text.splitlines():
        m = VMPRINT_LEAF.match(grader.strip_ts(line))
        if m:
            va, pa = int(m.group(2), 16), int(m.group(5), 16)
            size = int(m.group(3)) << {"K": 10, "M": 20, "G": 30}[m.group(4)]
            for off in range(0, size, 4096):
                pages[va + off] = (pa + off, m.group(6), m.group(7))
    return pages


def pages_of_dump(text):
    pages = {}
    for line in text.splitlines():
        m = DUMP.match(line)
        if m:
            s, e, pa = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3), 16)
            for off in range(0, e - s, 4096):
                pages[s + off] = (pa + off, m.group(4), m.group(5))
    return pages


def stage_gdb_helpers(t, arch, scale, logdir):
    port = str(20000 + (os.getpid() * 7 + len(arch)) % 10000)
    build = os.path.join(pq.BUILD, arch)
    gdbinit = os.path.join(build, "gdbinit")
    mk = ["ARCH=" + arch, "GDBPORT=" + port] + pq.make_dirs(arch)
    r = subprocess.run(["make", "-s", gdbinit] + mk, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        t.add(False, "%s gdb helpers: generate gdbinit" % arch, r.stderr[-2000:])
        return
    log = os.path.join(logdir, "%s-gdb-helpers.log" % arch)
    qlog = log + ".qemu"
    # Stop where init's exec returns from vmprint_exec (its table printed):
    # `finish` would wait only on the CPU that entered, and init may come back
    # on another one, by which time it has forked sh (its pages then read-only
    # for copy-on-write). A temporary breakpoint on the return address stops
    # whichever CPU gets there; only init's call is stopped at.
    script = ["break vmprint_exec if pid == 1", "continue", "up", "tbreak *$pc", "continue",
              "pagoda-ps", "pagoda-pt 0x10000 1",
              "pagoda-pt 0x10000", "pagoda-pt &start_kernel", "pagoda-pt &boot_command_line",
              "pagoda-ptdump 1", "pagoda-ptdump", "pagoda-vmalloc", "pagoda-vmalloc free",
              "pagoda-vmas 1", "pagoda-slab", "pagoda-slab task_struct",
              "python import pagoda; print('init kstack = 0x%x' % "
              "int(pagoda.find_proc(1)['kstack']))",
              # every other documented form: pagoda-vmalloc ADDR, pagoda-vmas
              # (the current process), pagoda-buddy [ORDER]
              "python gdb.set_convenience_variable('pagoda_ks', "
              "int(pagoda.find_proc(1)['kstack']))",
              "pagoda-vmalloc $pagoda_ks", "pagoda-vmas",
              "echo @@ pagoda-buddy\\n", "pagoda-buddy", "echo @@ pagoda-buddy 10\\n",
              "pagoda-buddy 10", "echo @@ end\\n", "kill"]
    with open(qlog, "w") as qf:
        q = subprocess.Popen(["make", "-s", "CPUS=2", "BOOTARGS=vmprint=init panic=-1",
                              "qemu-gdb"] + mk, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=qf,
                             stderr=subprocess.STDOUT, start_new_session=True)
        try:
            time.sleep(1.0)
            cmd = ["gdb-multiarch", "-q", "-batch", "-x", gdbinit]
            for s in script:
                cmd += ["-ex", s]
            g = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                               timeout=120 * scale)
            out = g.stdout + g.stderr
        except subprocess.TimeoutExpired as e:
            out = "gdb timed out: %s" % e
        finally:
            os.killpg(q.pid, 9)
            q.wait()
    with open(log, "w") as f:
        f.write(out)
    with open(qlog, errors="replace") as f:
        console = f.read()
    where = "gdb log: %s; console: %s" % (log, qlog)
    sections = out.split("pagoda-")
    ps = re.search(r"^\s+1\s+-\s+RUNNING\s+\d+\s+init\s+0x[0-9a-f]+\s+0x[0-9a-f]+$", out, re.M)
    t.add(bool(ps), "%s gdb helpers: pagoda-ps lists init (pid 1) running, with its mm" % arch,
          where)
    user = re.findall(r"^0x10000 -> pa 0x([0-9a-f]+) \(r-x user\)$", out, re.M)
    kpages = pages_of_vmprint(console)
    want = kpages.get(0x10000)
    t.add(len(user) == 2 and want is not None and int(user[0], 16) == want[0],
          "%s gdb helpers: pagoda-pt walks init's table to its text page, as vmprint says"
          % arch, "pagoda-pt found %s, vmprint %s; %s" % (user, want, where))
    ktext = re.search(r"^0x[0-9a-f]+ -> pa 0x[0-9a-f]+ \(r-x kernel\)$", out, re.M)
    kdata = re.search(r"^0x[0-9a-f]+ -> pa 0x[0-9a-f]+ \(rw- kernel\)$", out, re.M)
    t.add(bool(ktext and kdata), "%s gdb helpers: pagoda-pt decodes kernel text r-x and "
          "data rw- (TTBR1 / kernel half)" % arch, where)
    dump_user = ""
    dump_kernel = ""
    for s in sections:
        if s.startswith("ptdump of pid 1"):
            dump_user = s
        elif s.startswith("ptdump of the kernel"):
            dump_kernel = s
    upages = pages_of_dump(dump_user)
    t.add(bool(upages) and upages == kpages,
          "%s gdb helpers: pagoda-ptdump 1 shows exactly the pages vmprint printed (%d)"
          % (arch, len(kpages)),
          "ptdump %d pages, vmprint %d; differing: %s; %s"
          % (len(upages), len(kpages),
             sorted(set(upages.items()) ^ set(kpages.items()))[:4], where))
    kd = pages_of_dump(dump_kernel)
    perms = {p for _, p, u in kd.values()}
    t.add("r-x" in perms and "rw-" in perms and "r--" in perms and
          all(u == "kernel" for _, _, u in kd.values()),
          "%s gdb helpers: pagoda-ptdump of the kernel shows text r-x, rodata r--, data rw-"
          % arch, where)
    check_vm_helpers(t, arch, out, console, where, build)
    check_slab_helper(t, arch, out, where)
    check_buddy_helper(t, arch, out, where)
    errors = [l for l in out.splitlines()
              if "Python Exception" in l or "Error occurred in Python" in l
              or l.startswith("Undefined command")]
    t.add(not errors, "%s gdb helpers: every documented command form runs without a Python "
          "error" % arch, "%s; %s" % (errors[:3], where))


VMALLOC_ROW = re.compile(r"^  0x([0-9a-f]{16})-0x([0-9a-f]{16}) +(\d+)  (\S+) +(\d+|-) +(\d+)  (.*)$")
VMAS_ROW = re.compile(r"^  0x([0-9a-f]{16})-0x([0-9a-f]{16}) +(\d+)K ([r-][w-][x-][sp]) +(\d+)K "
                      r"+(\d+) +(\d+)  (.*)$")


def section(out, head):
    """The output of the gdb command whose first line starts with @head."""
    for s in out.split("\npagoda-"):
        if s.startswith(head):
            return s.split("\ninit kstack = ")[0]
    return ""


def check_vm_helpers(t, arch, out, console, where, build):
    """pagoda-vmalloc and pagoda-vmas (tools/gdb/vmalloc.py, vmas.py) at init's exec."""
    vm = section(out, "vmalloc: the vmalloc area")
    rows = [VMALLOC_ROW.match(l) for l in vm.splitlines()]
    rows = [m for m in rows if m]
    live = [m for m in rows if m.group(5) != "-"]
    m = re.search(r"^init kstack = 0x([0-9a-f]+)$", out, re.M)
    kstack = int(m.group(1), 16) if m else None
    stacks = [r for r in live if r.group(4) == "kstack" and
              kstack is not None and int(r.group(1), 16) <= kstack < int(r.group(2), 16)]
    t.add(bool(stacks) and all(r.group(5) == r.group(6) == "4" and int(r.group(3)) ==
                               int(r.group(2), 16) - int(r.group(1), 16) for r in stacks),
          "%s gdb helpers: pagoda-vmalloc shows init's kernel stack (4 pages mapped, guard "
          "pages in its size)" % arch, "kstack 0x%x; %s" % (kstack or 0, where))
    t.add(any(r.group(4) == "ioremap" and "phys=0x" in r.group(7) for r in live) and
          all(r.group(5) == r.group(6) for r in live) and "<-" not in vm and
          re.search(r"vmalloc_used_pages\(\) = \d+\)$", vm, re.M) is not None,
          "%s gdb helpers: pagoda-vmalloc lists device mappings; every area's pages are in "
          "the page table; the counts agree" % arch, where)
    free = section(out, "vmalloc free:")
    t.add("every subtree_max_size is right" in free,
          "%s gdb helpers: pagoda-vmalloc free walks the free tree, every subtree_max_size "
          "right" % arch, where)
    vmas = section(out, "vmas of pid 1 (init)")
    vrows = [VMAS_ROW.match(l) for l in vmas.splitlines()]
    vrows = [m for m in vrows if m]
    kpages = pages_of_vmprint(console)
    problems = []
    try:
        segs = grader.elf_segments(os.path.join(build, "user", "_init"))
    except (OSError, ValueError) as e:
        segs = []
        problems.append(str(e))
    for vaddr, memsz, flags in segs:
        perm = "r" + ("w" if flags & 2 else "-") + ("x" if flags & 1 else "-") + "p"
        lo, hi = vaddr & ~0xfff, (vaddr + memsz + 0xfff) & ~0xfff
        if not any(int(r.group(1), 16) <= lo and hi <= int(r.group(2), 16) and
                   r.group(4) == perm for r in vrows):
            problems.append("no %s VMA covers the segment 0x%x-0x%x" % (perm, lo, hi))
    if not any(r.group(8) == "[stack]" and r.group(4) == "rw-p" for r in vrows):
        problems.append("no rw-p [stack] VMA")
    for r in vrows:
        s, e = int(r.group(1), 16), int(r.group(2), 16)
        want = sum(1 for p in kpages if s <= p < e) * 4
        if int(r.group(5)) != want:
            problems.append("0x%x-0x%x: RSS %sK, vmprint maps %dK there" % (s, e, r.group(5),
                                                                        want))
    if "note:" in vmas:
        problems.append("it printed a note: %s" % vmas[vmas.index("note:"):].splitlines()[0])
    t.add(bool(vrows) and bool(segs) and not problems,
          "%s gdb helpers: pagoda-vmas 1 shows init's segments and stack as VMAs, RSS as "
          "vmprint's pages" % arch, "%s; %s" % ("; ".join(problems[:4]), where))


BUDDY_ZONE = re.compile(r"^zone (\S+) +pfn 0x[0-9a-f]+-0x[0-9a-f]+  managed \d+  free (\d+)  ")
BUDDY_ROW = re.compile(r"^  (Unmovable|Movable|Reclaimable|CMA|Isolate|nr_free) +((?:\d+\+? *)+)$")
BUDDY_BLOCK = re.compile(r"^    order (\d+) (\S+) +pfn 0x([0-9a-f]+)-0x([0-9a-f]+)  \[mem ")


def buddy_zones(text):
    """{zone: (free, {row: [counts per order]}, [(order, first pfn, last pfn)])}"""
    zones, cur = {}, None
    for line in text.splitlines():
        m = BUDDY_ZONE.match(line)
        if m:
            cur = zones[m.group(1)] = (int(m.group(2)), {}, [])
            continue
        m = BUDDY_ROW.match(line)
        if m and cur:
            counts = [int(w.rstrip("+")) for w in m.group(2).split()]
            cur[1][m.group(1)] = counts[:-1]  # the last column is the pages
            continue
        m = BUDDY_BLOCK.match(line)
        if m and cur:
            cur[2].append((int(m.group(1)), int(m.group(3), 16), int(m.group(4), 16)))
    return zones


def check_buddy_helper(t, arch, out, where):
    """pagoda-buddy and pagoda-buddy 10 (tools/gdb/buddy.py) at init's exec."""
    def between(a, b):
        i, j = out.find(a), out.find(b)
        return out[i + len(a):j] if 0 <= i < j else ""
    problems = []
    lists = buddy_zones(between("@@ pagoda-buddy\n", "@@ pagoda-buddy 10\n"))
    blocks = buddy_zones(between("@@ pagoda-buddy 10\n", "@@ end\n"))
    for name, (free, rows, _) in lists.items():
        nr = rows.get("nr_free", [])
        types = [r for k, r in rows.items() if k != "nr_free"]
        per_order = [sum(r[o] for r in types) for o in range(len(nr))]
        if not nr or per_order != nr:
            problems.append("%s: the lists count %s, nr_free says %s" % (name, per_order, nr))
        if sum(n << o for o, n in enumerate(nr)) != free:
            problems.append("%s: nr_free adds up to %d pages, free %d"
                            % (name, sum(n << o for o, n in enumerate(nr)), free))
    nblocks = 0
    for name, (_, rows, found) in blocks.items():
        want = rows.get("nr_free", [0] * 11)[10:11] or [0]
        nblocks += len(found)
        if len(found) != want[0]:
            problems.append("%s: %d order-10 blocks listed, nr_free[10] is %d"
                            % (name, len(found), want[0]))
        problems += ["%s: block 0x%x-0x%x is not an aligned order-10 block" % (name, a, b)
                     for o, a, b in found if o != 10 or a % 1024 or b - a != 1023]
    t.add(bool(lists) and nblocks > 0 and not problems,
          "%s gdb helpers: pagoda-buddy's lists add up to nr_free and the zone's free pages; "
          "pagoda-buddy 10 lists every order-10 block, aligned" % arch,
          "%s; %s" % (problems[:3] or "no zones parsed", where))


def check_slab_helper(t, arch, out, where):
    """pagoda-slab (tools/gdb/slab.py) at init's exec: the caches, as the kernel counts them."""
    slab = out
    rows = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
            re.finditer(r"^(\S+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\d+/\s*\d+/\s*\d+",
                        slab, re.M)}
    tot = re.search(r"^(\d+) caches, (\d+) pages \(\d+ KiB\) in slabs; nr_slab_reclaimable (\d+), "
                    r"nr_slab_unreclaimable (\d+)$", slab, re.M)
    t.add(bool(tot) and int(tot.group(1)) == len(rows) and
          int(tot.group(2)) == int(tot.group(3)) + int(tot.group(4)) and
          rows.get("task_struct", (0, 0))[0] >= 1 and rows.get("kmem_cache", (0, 0))[0] >= 40 and
          "kmalloc-64" in rows and "filp" in rows and "mm_struct" in rows,
          "%s gdb helpers: pagoda-slab lists the caches (task_struct in use, kmalloc's 39) and "
          "its slab pages add up to nr_slab_*" % arch, where)
    detail = re.search(r"^cache task_struct: (\d+) of (\d+) objects in use.*\n  slab: .*\n"
                       r"  slot: .*object.*free pointer", out, re.M)
    t.add(bool(detail) and 1 <= int(detail.group(1)) <= int(detail.group(2)) and
          re.search(r"^    (cpu slab|cpu part\.|partial|full)\s+slab 0x[0-9a-f]+ \(pfn", out,
                    re.M) is not None,
          "%s gdb helpers: pagoda-slab task_struct shows the layout and the slabs" % arch, where)
