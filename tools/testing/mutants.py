#!/usr/bin/env python3
"""tools/testing/mutants.py - does a test go red when the code it tests is wrong?

Each mutant below is one small, plausible bug (a student's, or a reviewer's
"what if"): a piece of kernel source replaced by a wrong one. For each, the
tool copies the tree to a scratch directory, applies the mutant there (the
working tree is never touched), runs the tests named for it, and prints
whether a test failed ("killed by ...") or every test still passed
("SURVIVED": a gap in the tests, or a mutant that changes nothing that
matters, said in its note).

  python3 tools/testing/mutants.py            every mutant (some minutes)
  python3 tools/testing/mutants.py --list     the mutants and their checks
  python3 tools/testing/mutants.py cow_       the mutants whose name holds "cow_"

Checks: ("host", "memory") runs the host tests of tools/testing/memory/;
("ktest", "buddy") boots the kernel (RISC-V) with ktest=buddy and looks for
a failed case or a panic. A mutant whose replacement no longer matches the
source fails loudly: update the table with the code.

Standard library only (and the tree's own make and QEMU).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# (name, file, original text, replacement, check, note)
MUTANTS = [
    # mm/memory.c: faults and copy-on-write
    ("cow_reuse_shared", "mm/memory.c", "page_ref_count(pfn_to_page(pfn)) == 1",
     "page_ref_count(pfn_to_page(pfn)) >= 1", ("host", "memory"),
     "COW reuses a page others still share"),
    ("cow_no_copy", "mm/memory.c",
     "\tmemcpy((void *)copy, __va(pfn << PAGE_SHIFT), PAGE_SIZE);\n", "", ("host", "memory"),
     "COW allocates but does not copy"),
    ("cow_leaks_old", "mm/memory.c", "\tput_user_pfn(pfn);\n\tvm_cow_copies++;",
     "\tvm_cow_copies++;", ("host", "memory"), "COW keeps the old page's reference"),
    ("cow_copy_read_only", "mm/memory.c",
     "set_pte(ptep, pfn_pte(__pa(copy) >> PAGE_SHIFT, vma->vm_page_prot, 0));",
     "set_pte(ptep, pte_wrprotect(pfn_pte(__pa(copy) >> PAGE_SHIFT, vma->vm_page_prot, 0)));",
     ("host", "memory"), "the copy is mapped read-only"),
    ("dup_parent_stays_writable", "mm/memory.c",
     "\t\t\t\tset_pte(src, pte); /* the parent too: whoever writes first copies */\n", "",
     ("host", "memory"), "fork leaves the parent's PTEs writable"),
    ("dup_no_get_page", "mm/memory.c", "\t\t\t\tget_page(pfn_to_page(pte_pfn(pte)));\n",
     "\t\t\t\t(void)0;\n", ("host", "memory"), "fork shares pages without a reference"),
    ("shared_mapping_cow", "mm/memory.c", "bool cow = !(vma->vm_flags & VM_SHARED);",
     "bool cow = true;", ("host", "memory"),
     "equivalent: a shared mapping write-protected at fork is made writable again by the "
     "first write fault, without a copy"),
    ("anon_not_zeroed", "mm/memory.c",
     "unsigned long page = get_zeroed_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);",
     "unsigned long page = __get_free_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);",
     ("host", "memory"), "a first write gets an unzeroed page"),
    ("zero_page_writable", "mm/memory.c", "return install_pte(vma, va, zero_pfn, false);",
     "return install_pte(vma, va, zero_pfn, true);", ("host", "memory"),
     "the zero page mapped writable"),
    ("wp_fault_ignored", "mm/memory.c", "\t} else if (write && !pte_write(ptep_get(ptep))) {",
     "\t} else if (0) {", ("host", "memory"), "a write to a read-only PTE is not handled"),
    ("no_write_permission_check", "mm/memory.c",
     "if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))",
     "if (0 && (flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))", ("host", "memory"),
     "writes to read-only VMAs allowed"),
    ("no_exec_check", "mm/memory.c",
     "if ((flags & FAULT_FLAG_INSTRUCTION) && !(vma->vm_flags & VM_EXEC))", "if (0)",
     ("host", "memory"), "instruction fetches from no-exec VMAs allowed"),
    ("no_stack_limit", "mm/memory.c",
     "if (!(vma->vm_flags & VM_GROWSDOWN) || addr < lim ||",
     "if (!(vma->vm_flags & VM_GROWSDOWN) || (addr < lim && 0) ||", ("host", "memory"),
     "the stack grows past its limit"),
    ("stack_touches_prev", "mm/memory.c",
     "(prev && prev->vm_end + PAGE_SIZE > ALIGN_DOWN(addr, PAGE_SIZE))",
     "(prev && prev->vm_end > ALIGN_DOWN(addr, PAGE_SIZE))", ("host", "memory"),
     "the stack grows up against the VMA below"),
    ("mprotect_makes_shared_writable", "mm/memory.c",
     "if (private_write && (is_zero_pfn(pfn) || page_ref_count(pfn_to_page(pfn)) > 1))",
     "if (private_write && is_zero_pfn(pfn))", ("host", "memory"),
     "mprotect makes a COW-shared page writable"),
    ("zap_leaks", "mm/memory.c", "\t\t} else {\n\t\t\tput_user_pfn(pte_pfn(old));\n\t\t}",
     "\t\t}", ("host", "memory"), "unmapping keeps the pages"),
    # mm/vma.c
    ("split_upper_keeps_pgoff", "mm/vma.c",
     "\t\tnew->vm_start = addr;\n\t\tif (new->vm_file)\n"
     "\t\t\tnew->vm_pgoff += (addr - vma->vm_start) / VMA_PAGE_SIZE;",
     "\t\tnew->vm_start = addr;", ("host", "vma"),
     "split_vma gives the upper half the old file offset"),
    # mm/slab.c
    ("slab_refill_meanwhile_ignored", "mm/slab.c", "\t\tif (c->slab || c->freelist) {",
     "\t\tif (0 && (c->slab || c->freelist)) {", ("host", "slab"),
     "a slab an interrupt gave this CPU meanwhile is overwritten"),
    ("slab_full_slab_freed_stays_full", "mm/slab.c",
     "\t\tlist_add_tail(&slab->slab_list, &n->partial);\n\t\tn->nr_partial++;\n\t}\n"
     "\tif (slab->inuse == 0",
     "\t\tlist_add_tail(&slab->slab_list, &n->full);\n\t}\n\tif (slab->inuse == 0",
     ("host", "slab"),
     "equivalent today: only a cache without per-CPU partial slabs takes this path, and "
     "the only such caches are debug caches, which free through mm/slab_debug.c"),
    # mm/page_alloc.c
    ("buddy_index_plus", "mm/page_alloc.c", "\treturn pfn ^ (1UL << order);",
     "\treturn pfn + (1UL << order);", ("ktest", "buddy"),
     "the buddy of an upper half looked for above it"),
    ("buddy_pageblock_never_changes", "mm/page_alloc.c",
     "\t\t\tset_pageblock_migratetype(page, start_type);\n\t\t\tnr_pageblocks_stolen++;",
     "\t\t\tnr_pageblocks_stolen++;", ("host", "mm"),
     "a pageblock half free is stolen but keeps its type"),
    # kernel/ktest.c (checked by tools/test.py's stage ktest, not here: it
    # reads QEMU's exit status and the selftest's lines)
]


def sh(cmd, cwd, timeout=900):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def copy_tree(dst):
    files = sh(["git", "ls-files", "-co", "--exclude-standard"], ROOT).stdout.split("\n")
    for f in filter(None, files):
        src = os.path.join(ROOT, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, f))


def run_check(tree, check):
    """Return (failed test names, or None if the check could not run, and a detail)."""
    kind, what = check
    if kind == "host":
        r = sh(["make", "-s", "-C", "tools/testing", "run", "T=" + what, "O=" + tree + "/hostout"],
               tree)
        fails = re.findall(r"^    not ok \d+ (\S+)", r.stdout, re.M)
        if r.returncode and not fails:
            return ["(did not build or crashed)"], (r.stdout + r.stderr)[-600:]
        return fails, ""
    r = sh(["make", "-s", "-j2", "ARCH=riscv", "all"], tree)
    if r.returncode:
        return ["(kernel did not build)"], r.stderr[-600:]
    sys.path.insert(0, os.path.join(tree, "tools", "lib"))
    import pagoda_qemu as pq
    res = pq.run(pq.qemu_command("riscv", cpus=2), "ktest=%s panic=-1" % what, timeout=60,
                 cwd=tree)
    fails = re.findall(r"not ok \d+ (\S+)", res.output)
    if "Kernel panic" in res.output or "Unable to handle" in res.output:
        fails.append("(panic)")
    if res.timed_out:
        fails.append("(hang)")
    return fails, ""


def main():
    args = sys.argv[1:]
    if args[:1] == ["--list"]:
        for name, path, _, _, check, note in MUTANTS:
            print("%-32s %-16s %-14s %s" % (name, path, "%s %s" % check, note))
        return 0
    todo = [m for m in MUTANTS if not args or any(a in m[0] for a in args)]
    survived = 0
    with tempfile.TemporaryDirectory(prefix="pagoda-mutants-") as tree:
        copy_tree(tree)
        for name, path, old, new, check, note in todo:
            src = open(os.path.join(ROOT, path)).read()
            if src.count(old) != 1:
                print("%-32s STALE: its text is no longer in %s once" % (name, path))
                survived += 1
                continue
            with open(os.path.join(tree, path), "w") as f:
                f.write(src.replace(old, new))
            try:
                fails, detail = run_check(tree, check)
            finally:
                with open(os.path.join(tree, path), "w") as f:
                    f.write(src)
            if fails:
                print("%-32s killed by %s" % (name, ", ".join(fails[:4]) +
                                              (" (+%d)" % (len(fails) - 4) if len(fails) > 4
                                               else "")))
            else:
                survived += 1
                print("%-32s SURVIVED (%s)" % (name, note))
            if detail:
                print("    " + detail.replace("\n", "\n    "))
            sys.stdout.flush()
    print("%d mutants, %d killed, %d survived" % (len(todo), len(todo) - survived, survived))
    return 0


if __name__ == "__main__":
    sys.exit(main())
