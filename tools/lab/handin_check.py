"""handin_check.py - what in a hand-in needs a person's eyes before its points count.

A student's files are compiled into the very programs that test them, so
code in them can lie: leave a host test early with _exit(0), print the
lines a grader looks for, look for the grader's key, power the machine off
after printing "ok". The graders decide verdicts outside the code under
test (labs/README.md, "What the grader trusts"), which makes such lies
expensive; this check makes the cheap ones visible. It scans the files a
lab's students edit for references to the test machinery, and the grader
scores every test those files take part in 0, with a line "needs review by
the course staff" naming what was found, until someone has looked.

What is looked for (in code with its comments removed, and in string
literals):
  - the test machinery: ktest/KTAP/host-runner names (ktest_*, KTEST_*,
    mm_host_*, EXPECT_*, ...), the key and MAC (ktap_*, kmac, ktestkey) and
    the old token (ktoken);
  - leaving or controlling the process: _exit, exit, abort, signals,
    fork/exec, raw system calls, file descriptors, setjmp/longjmp,
    constructors and linker sections, inline assembly;
  - a hosted C library in kernel code: __STDC_HOSTED__, <unistd.h> & co.,
    printf and friends; redefining LAB_TODO;
  - powering the machine off; reading the console or its buffer;
  - KTAP result text in strings ("ok %d", "not ok", "# SKIP", "1..N") and
    the kernel's kill line ("killed:").
A macro that pastes tokens together (##) counts too: it could build any
of those names.

Only the files students hand in are scanned; the reference solution and
the starting tree have no finding (make test checks that).

  handin_check.py TREE LAB        print the findings for LAB's files in TREE
                                  (beyond what their starting versions hold)

Standard library only.
"""
import os
import re
import subprocess
import sys

# (what it is, regex on code with comments removed and string contents blanked)
CODE = [
    ("the test runner", r"\b(?:ktest|KTEST|kunit|ktap|KTAP)\w*"),
    ("the host test harness", r"\b(?:mm_host|slab_host|vmap_host|vma_host|host_mm|host_insert"
     r"|host_vma|EXPECT|ASSERT)_\w*"),
    ("the grader's key or token", r"\b(?:kmac|ktestkey|ktoken)\w*"),
    ("leaving the process", r"\b(?:_exit|_Exit|exit|quick_exit|abort|atexit|at_quick_exit)\s*\("),
    ("process control", r"\b(?:fork|vfork|execve?|execl|execvp|system|popen|kill|raise|signal"
     r"|sigaction|alarm|pause|getpid|getppid|ptrace|prctl|wait|waitpid)\s*\("),
    ("system calls and file descriptors", r"\b(?:syscall|write|read|pread|pwrite|open|openat"
     r"|close|dup|dup2|dup3|pipe|ioctl|fcntl|mmap|mprotect|munmap|dlsym|dlopen)\s*\("),
    ("the C library's output", r"\b(?:printf|fprintf|dprintf|vprintf|vfprintf|vdprintf|puts"
     r"|fputs|fputc|putchar|fwrite|fflush|perror|stdout|stderr|stdin)\b"),
    ("jumping out of a test", r"\b(?:setjmp|longjmp|sigsetjmp|siglongjmp|_setjmp|_longjmp)\b"),
    ("code run before main() or at exit", r"\b(?:constructor|destructor|init_array|fini_array"
     r"|preinit_array)\b"),
    ("placing code in a section", r"\bsection\s*\("),
    ("inline assembly", r"\b(?:asm|__asm|__asm__)\b"),
    ("a hosted C library", r"\b(?:__STDC_HOSTED__|__has_include|__GLIBC__|__linux__)\b"),
    ("redefining LAB_TODO", r"^\s*#\s*(?:define|undef)\s+LAB_TODO\b"),
    ("a macro that pastes names together", r"^\s*#\s*define\b.*##"),
    ("including a C library header", r"^\s*#\s*include\s*[<\"](?:unistd|stdio|stdlib|signal"
     r"|setjmp|dlfcn|fcntl|syscall|errno|time)\.h[>\"]"),
    ("including a system header", r"^\s*#\s*include\s*[<\"](?:sys|linux|asm-generic|bits)/"),
    ("powering the machine off", r"\b(?:\w*poweroff\w*|\w*power_off\w*|\w*shutdown\w*|psci\w*"
     r"|sbi_\w+|SYSTEM_OFF|machine_halt|0x84000008)\b"),
    ("the console's input", r"\b(?:devsw|console_read|console_intr|consoleintr|consoleread"
     r"|uart\w*|arch_console_\w+)\b"),
    ("the boot information", r"\b(?:boot_info|boot_dtb\w*|fdt_\w+|initial_boot_params)\b"),
    ("the kernel's symbol table", r"\b(?:ksym\w*|kallsyms\w*|__ktest_suites\w*)\b"),
]
# (what it is, regex on the contents of a string literal)
STRINGS = [
    ("KTAP result text", r"(?:^|\s|\\n)(?:not )?ok\s+(?:%\w+|\d+)"),
    ("KTAP result text", r"\bnot ok\b|# ?SKIP|^\s*1\.\.(?:\d|%)|KTAP|# Subtest"),
    ("the grader's key or token", r"kmac|ktoken|ktestkey|key\?"),
    ("the kernel's kill line", r"killed:"),
    ("a host test's end line", r"^end\s"),
]

STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'")


def strip_comments(text):
    """@text with C comments replaced by blanks (newlines kept) and string and
    character literals kept: a tokenizer just good enough for scanning."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            m = STRING.match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blank_strings(code):
    return STRING.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1],
                      code)


def scan_text(text, path):
    """Findings in the source @text of @path: [(path, line, what, found)]."""
    found = []
    code = strip_comments(text)
    bare = blank_strings(code)
    # names in #include <...> are paths: <asm/pgtable.h> is no inline assembly
    names = re.sub(r"^(\s*#\s*include\s*)<[^>\n]*>", lambda m: m.group(1) + "<>", bare,
                   flags=re.M)
    for what, pat in CODE:
        text = bare if pat.startswith("^") else names
        for m in re.finditer(pat, text, re.M):
            found.append((path, text.count("\n", 0, m.start()) + 1, what, m.group(0).strip()))
    for m in STRING.finditer(code):
        body = m.group(0)[1:-1]
        for what, pat in STRINGS:
            if re.search(pat, body):
                found.append((path, code.count("\n", 0, m.start()) + 1, what, m.group(0)))
                break
    return found


def counts(findings):
    """{"path\twhat\tfound": how many} of @findings."""
    out = {}
    for path, _, what, text in findings:
        k = "%s\t%s\t%s" % (path, what, text)
        out[k] = out.get(k, 0) + 1
    return out


def is_source(rel):
    return rel.endswith((".c", ".h", ".S"))


def scan_files(tree, files):
    """Findings in the source files among @files (paths relative to @tree)."""
    found = []
    for rel in files:
        p = os.path.join(tree, rel)
        if is_source(rel) and os.path.isfile(p):
            with open(p, encoding="utf-8", errors="replace") as f:
                found += scan_text(f.read(), rel)
    return found


def check(tree, files, baseline):
    """Findings in the hand-in files @files of @tree that its starting version did not
    have: a name or string counts when it occurs more often than in the starting
    file (@baseline, from counts()), so given code that needs, say, inline assembly
    is not reported. Return [(path, line, what, found)], sorted."""
    found = scan_files(tree, files)
    have = counts(found)
    return sorted(f for f in found
                  if have["%s\t%s\t%s" % (f[0], f[2], f[3])] >
                  baseline.get("%s\t%s\t%s" % (f[0], f[2], f[3]), 0))


def describe(findings, limit=12):
    lines = ["%s:%d: %s (%s)" % (p, l, what, text[:60]) for p, l, what, text in findings]
    if len(lines) > limit:
        lines = lines[:limit] + ["... and %d more" % (len(lines) - limit)]
    return lines


def starting_counts(lab, root):
    """counts() of the starting versions of @lab's files: from the reference solution
    in @root, or, in a student's tree, as recorded when the tree was made."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import labtool
    import markers
    meta = labtool.read_meta(root)
    if meta is not None:
        return dict(meta.get("handin_baseline", {}))
    found = []
    for rel in labtool.student_files(lab, root):
        p = os.path.join(root, rel)
        if is_source(rel) and os.path.isfile(p):
            with open(p, encoding="utf-8", errors="replace") as f:
                found += scan_text(markers.transform(f.read(), rel, lab), rel)
    return counts(found)


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import labtool
    if len(sys.argv) != 3:
        sys.exit("usage: handin_check.py TREE LAB")
    tree, lab = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = labtool.student_files(lab, tree)
    findings = check(tree, files, starting_counts(lab, root))
    for l in describe(findings, limit=10 ** 6):
        print(l)
    print("%d findings in %s" % (len(findings), ", ".join(files)))
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
