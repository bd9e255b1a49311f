#!/usr/bin/env python3
"""`make test`: every test of Pagoda, closing with one line "N passed, N failed".

Stages, in the order they run (each QEMU run is bounded; a failed run's
console log is kept under build/test-logs/ and its path printed):

  format      every C file is clang-formatted (.clang-format)
  host        tools/testing: the real kernel sources compiled for the host
              under ASan+UBSan (KTAP)
  build       kernel, user programs and fs.img for each architecture (always
              runs: every later stage needs it)
  ktest       in-kernel KTAP suites (ktest=all slab_debug: kmemleak-lite after
              every case), CPUS=1 and CPUS=4 (on ARM: GICv3, -cpu max), and
              CPUS=3 without slab_debug (the slab's per-CPU fast path); the
              runner's own self-test (a failure, a skip, a leak)
  usertests   the user-space stress suite (with slab_debug), CPUS=1 and CPUS=4,
              and usertests -q without slab_debug, CPUS=3
  boot        boot to the shell prompt, run commands, check their output,
              and check that faults kill only the faulting program
  xv6         programs brought from xv6 courses (user/xv6/): built with
              xv6's warning flags, which Pagoda's own would refuse, and run
              with the results they must print
  procps      Pagoda's ps, vmstat and top; then Linux's free, vmstat, ps,
              pmap, slabtop and top over a snapshot of Pagoda's /proc bound
              over /proc (unshare; skipped when not root), figures checked
  mem         boot with MEM=64M and MEM=2G
  variants    quick boots of other machines: 8 CPUs with modern virtio, the
              SBI timer (RISC-V), EL2 entry, GICv3, -cpu max (ARM)
  panic       deliberate kernel crashes (crashtest=): a readable report with
              registers and a symbolized backtrace, never a hang, also when
              they strike inside printk(); a CPU started at the kernel's boot
              entry joins as a secondary (crashtest=boot_entry)
  gdb         make qemu-gdb + make gdb in batch: stop at the entry, break in
              C, backtrace, one thread per CPU
  gdbhelpers  pagoda-ps / pagoda-pt / pagoda-ptdump / pagoda-vmas /
              pagoda-vmalloc in a batch gdb session, checked against the
              kernel's own vmprint and structures (tools/lab/lab_ci.py)
  labs        for every lab: the reference scores full marks on each
              architecture; the student's tree builds on each and scores
              below full, its core tests failing (tools/lab/lab_ci.py)
  forgeries   every forged hand-in (labs/*/forgeries/) scores 0 on the tests
              it targets, on each architecture (tools/lab/forgeries.py)

Options: --arch riscv (repeatable; default: every architecture that has
arch/<arch>/arch.mk), --only STAGE[,STAGE], --timeout-scale X (slow laptop).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pagoda_qemu as pq  # noqa: E402

ROOT = pq.ROOT
LOGDIR = os.path.join(pq.BUILD, "test-logs")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, ok, name, detail=""):
        if ok is None:
            self.skipped += 1
            print("  skip  %s" % name)
            return
        if ok:
            self.passed += 1
            print("  ok    %s" % name)
        else:
            self.failed += 1
            self.failures.append(name)
            print("  FAIL  %s%s" % (name, ("\n        " + detail) if detail else ""))
        sys.stdout.flush()


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)


def stage_format(t):
    r = sh(["tools/check-format.sh"])
    t.add(r.returncode == 0, "format: every C file matches .clang-format",
          r.stdout.strip()[-2000:])


def stage_host(t):
    r = sh(["make", "-s", "-C", "tools/testing", "run", "O=%s/host-tests" % pq.BUILD])
    results = pq.parse_ktap(r.stdout, indent=4)
    for ok, name in results:
        t.add(ok, "host: " + name)
    if r.returncode != 0 and not any(ok is False for ok, _ in results):
        t.add(False, "host: test harness", (r.stdout + r.stderr)[-3000:])
    if not results:
        t.add(False, "host: no host test ran", (r.stdout + r.stderr)[-3000:])


def build(t, arch):
    r = sh(["make", "-j2", "ARCH=" + arch, "all"] + pq.make_dirs(arch))
    t.add(r.returncode == 0, "%s: build kernel, user programs, fs.img" % arch,
          (r.stdout + r.stderr)[-3000:])
    return r.returncode == 0


def fresh_disk(arch, tag):
    src = os.path.join(pq.BUILD, arch, "fs.img")
    dst = os.path.join(pq.BUILD, arch, "fs-%s.img" % tag)
    shutil.copyfile(src, dst)
    return dst


def logpath(arch, tag):
    return os.path.join(LOGDIR, "%s-%s.log" % (arch, tag))


def report_run(t, res, name):
    if res.timed_out:
        t.add(False, name, "timed out (hang); console log: %s" % res.log)
        return False
    if res.status != 0:
        t.add(False, name, "QEMU exit status %s; console log: %s" % (res.status, res.log))
        return False
    return True


def has_line(out, text):
    """Does a line of @out read exactly @text? The kernel prints its command
    line at boot ("Kernel command line: ... -- echo booted") and init names
    the program it ran, so the mere presence of a program's words proves
    nothing: only a line of their own is the program's output."""
    return any(line.strip("\r") == text for line in out.split("\n"))


# The machine configurations the suites run on. Between them every CPU count
# (1 and 4) and, on ARM, every interrupt controller (GICv2, GICv3) and CPU
# model (Cortex-A72 without PAN, "max" with PAN) is covered.
SUITE_CONFIGS = {
    "riscv": [(1, []), (4, [])],
    "arm64": [(1, []), (4, ["GIC=3", "CPU_TYPE=max"])],
}
# Quick boots of further machine variants: `-- echo booted` must work.
VARIANTS = {
    "riscv": [(8, ["VIRTIO=modern"]), (1, ["CPU_TYPE=rv64,sstc=off"])],
    "arm64": [(8, ["VIRTIO=modern"]), (2, ["EL2=1"]), (2, ["GIC=3"]), (2, ["CPU_TYPE=max"])],
}


def config_name(cpus, extra):
    return " ".join(["cpus=%d" % cpus] + [e.lower() for e in extra])


def config_tag(cpus, extra):
    words = ["cpus%d" % cpus] + [e.lower() for e in extra]
    return "-".join("".join(c for c in w if c.isalnum()) for w in words)


# slab_debug turns on every check but routes each allocation through the
# slow path, bypassing the lockless per-CPU freelists; one run per suite
# without it covers the fast path the kernel normally takes.
PLAIN_CPUS = 3


def run_ktest(t, arch, scale, cpus, extra, debug):
    name = "%s %s%s ktest" % (arch, config_name(cpus, extra), "" if debug else " no-slab_debug")
    tag = "ktest-" + config_tag(cpus, extra) + ("" if debug else "-plain")
    cmd = pq.qemu_command(arch, cpus=cpus, fsimg=fresh_disk(arch, tag), extra_make=extra)
    # slab_debug: every slab check on, and kmemleak-lite after each case
    res = pq.run(cmd, "ktest=all panic=-1" + (" slab_debug" if debug else ""),
                 timeout=120 * scale, log=logpath(arch, tag))
    cases = pq.parse_ktap(res.output, indent=4)
    for ok, case in cases:
        t.add(ok, "%s: %s" % (name, case), "console log: %s" % res.log)
    if not cases:
        t.add(False, "%s: no test case ran" % name, "console log: %s" % res.log)
    elif "# ktest:" not in res.output or res.status != 0:
        report_run(t, res, "%s: run completed" % name)
    if not debug:
        t.add("slab_debug on" not in res.output and "# kmemleak: off" in res.output,
              "%s: ran with slab_debug off (the per-CPU fast path)" % name,
              "console log: %s" % res.log)


def stage_ktest(t, arch, scale):
    for cpus, extra in SUITE_CONFIGS.get(arch, [(1, [])]):
        run_ktest(t, arch, scale, cpus, extra, True)
    run_ktest(t, arch, scale, PLAIN_CPUS, [], False)
    # The runner itself, on suite ktest_selftest (kernel/ktest_selftest.c),
    # whose cases go wrong on purpose: a failure that then skips stays "not
    # ok", and a leak turns the suite's kmemleak result into "not ok".
    tag = "ktest-selftest"
    cmd = pq.qemu_command(arch, cpus=1, fsimg=fresh_disk(arch, tag))
    res = pq.run(cmd, "ktest=ktest_selftest panic=-1 slab_debug", timeout=60 * scale,
                 log=logpath(arch, tag))
    results = dict((name.split(" #")[0], ok) for ok, name in pq.parse_ktap(res.output))
    want = {"test_leaks_one_object": True, "test_fails_then_skips": False, "test_passes": True,
            "ktest_selftest": False, "ktest_selftest_no_leaks": False, "kmemleak": False}
    leak = re.search(r"# kmemleak: test_leaks_one_object: unreferenced object 0x[0-9a-f]+ "
                     r"\(64 bytes, kmalloc-64\) allocated by test_leaks_one_object\+",
                     res.output)
    t.add(results == want and leak is not None and res.status == 1,
          "%s ktest: the runner reports a failure that skips as not ok, and a leak as a "
          "failed <suite>_no_leaks" % arch,
          "results %s, leak line %s, status %s; console log: %s"
          % (results, leak is not None, res.status, res.log))


def stage_usertests(t, arch, scale):
    configs = [(cpus, extra, True) for cpus, extra in SUITE_CONFIGS.get(arch, [(1, [])])]
    for cpus, extra, debug in configs + [(PLAIN_CPUS, [], False)]:
        name = "%s %s%s usertests" % (arch, config_name(cpus, extra),
                                      "" if debug else " no-slab_debug")
        tag = "usertests-" + config_tag(cpus, extra) + ("" if debug else "-plain")
        cmd = pq.qemu_command(arch, cpus=cpus, fsimg=fresh_disk(arch, tag), extra_make=extra)
        # without slab_debug: -q (the slowest tests skipped) keeps make test short
        res = pq.run(cmd, "panic=-1 slab_debug -- usertests" if debug
                     else "panic=-1 -- usertests -q", timeout=300 * scale,
                     log=logpath(arch, tag))
        cases = pq.parse_ktap(res.output, indent=0)
        for ok, case in cases:
            t.add(ok, "%s: %s" % (name, case), "console log: %s" % res.log)
        if not cases:
            t.add(False, "%s: no test ran" % name, "console log: %s" % res.log)
        elif not res.ok:
            report_run(t, res, "%s: run completed" % name)


def stage_variants(t, arch, scale):
    for cpus, extra in VARIANTS.get(arch, []):
        name = "%s %s" % (arch, config_name(cpus, extra))
        tag = "variant-" + config_tag(cpus, extra)
        cmd = pq.qemu_command(arch, cpus=cpus, fsimg=fresh_disk(arch, tag), extra_make=extra)
        res = pq.run(cmd, "panic=-1 -- echo booted", timeout=60 * scale, log=logpath(arch, tag))
        online = "smp: %d CPU" % cpus
        ok = res.ok and has_line(res.output, "booted") and online in res.output
        t.add(ok, "%s: boots with every CPU online and runs a program" % name,
              "status %s; console log: %s" % (res.status, res.log))


def stage_boot(t, arch, scale):
    """Boot to the shell as a user would, type commands, check the output."""
    tag = "boot-shell"
    cmd = pq.qemu_command(arch, cpus=3, fsimg=fresh_disk(arch, tag))
    steps = [
        ("$ ", "echo hello pagoda | wc\n"),
        ("$ ", "echo one > f1; echo two >> f1; cat f1 | grep tw\n"),
        ("$ ", "mkdir d; ln f1 d/f2; ls d f1\n"),
        ("$ ", "echo abX\x7f cd\n"),
        ("$ ", "\x10"),
        ("PID", "crash null\n"),
        ("$ ", "crash wildread\n"),
        ("$ ", "crash sbrk\n"),
        ("$ ", "crash mmapeof\n"),
        ("$ ", "echo still alive\n"),
    ]
    res = pq.run(cmd, "panic=-1", timeout=60 * scale, log=logpath(arch, tag), script=steps,
                 stop_on="still alive\n$ ", watch=["$ "])
    out = res.output
    # console lines, without printk's time stamps "[    0.949758] "
    lines = [re.sub(r"^\[ *\d+\.\d+\] ", "", line.rstrip("\r")) for line in out.split("\n")]
    # ls prints "NAME TYPE INODE SIZE": d/f2 a file (2) of 8 bytes ("one\ntwo\n")
    # with f1's inode number; none of it is in the typed command line
    ls_rows = {}
    for line in lines:
        m = re.match(r"^(f1|f2|\.|\.\.) +(\d+) (\d+) (\d+)$", line)
        if m:
            ls_rows[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
    f1, f2 = ls_rows.get("f1"), ls_rows.get("f2")
    # Ctrl-P prints a table, "  PID  PPID STATE   CPU  MEM(KiB) NAME", one row
    # per process: init (pid 1, parent 0) and the shell (its child)
    ps_rows = [m.groups() for m in (re.match(r"^ +(\d+) +(\d+) +(\w+) +(-?\d+) +(\d+) (\S+)$",
                                             line) for line in lines) if m]
    init_row = any(r[0] == "1" and r[1] == "0" and r[5] == "init" for r in ps_rows)
    sh_row = any(r[1] == "1" and r[5] == "sh" for r in ps_rows)
    t.add("$ " in out, "%s boot: reaches the shell prompt" % arch, "console log: %s" % res.log)
    t.add("1 2 13" in " ".join(out.split()),
          "%s boot: echo | wc counts 1 line, 2 words, 13 bytes" % arch,
          "console log: %s" % res.log)
    t.add("\ntwo" in out, "%s boot: redirection, append and grep in a pipeline" % arch,
          "console log: %s" % res.log)
    t.add(f2 is not None and f2[0] == 2 and f2[2] == 8 and f1 is not None and f1[1] == f2[1]
          and ls_rows.get("..", (0,))[0] == 1,
          "%s boot: mkdir, ln and ls (d/f2 is f1's inode, 8 bytes)" % arch,
          "ls rows %s; console log: %s" % (ls_rows, res.log))
    t.add("\nab cd" in out, "%s boot: console line editing (backspace)" % arch,
          "console log: %s" % res.log)
    t.add(init_row and sh_row,
          "%s boot: Ctrl-P lists the processes" % arch,
          "rows %s; console log: %s" % (ps_rows, res.log))
    t.add(any(re.match(r"^pid \d+ \(crash\): killed: .* at address 0x0\b", line)
              for line in lines),
          "%s boot: a NULL dereference kills the program with a one-line reason" % arch,
          "console log: %s" % res.log)
    t.add("(bus error: beyond end of file)" in out and "'0'" in out,
          "%s boot: a load beyond the end of a mapped file is a bus error, not 'out of memory'"
          % arch, "console log: %s" % res.log)
    t.add("Kernel panic" not in out and res.ok,
          "%s boot: faults, wild pointers and a 1 TiB sbrk leave the kernel running" % arch,
          "console log: %s" % res.log)


# What each program in user/xv6/ prints when all its checks pass (a regular
# expression). The command line the kernel logs names the programs but
# holds none of these.
XV6_PROGRAMS = [
    ("xv6mmap", r"^xv6mmap: all [1-9][0-9]* checks passed$"),
    ("xv6layout", r"^xv6layout: all [1-9][0-9]* checks passed$"),
    ("xv6wall", r"^xv6wall: 31 letters, 9 vowels$"),
]


def stage_xv6(t, arch, scale):
    """Programs brought from xv6 courses: xv6's flags, and they run."""
    import re
    import shlex

    def compile_with(target, src):
        r = sh(["make", "-s", "--no-print-directory", "ARCH=" + arch, target]
               + pq.make_dirs(arch))
        if r.returncode != 0:
            return r
        cc = shlex.split(r.stdout.strip().splitlines()[-1])
        return sh(cc + ["-c", "-o", os.devnull, "-MF", os.devnull, src])

    # xv6wall.c holds code that -Wextra rejects: if Pagoda's flags accepted
    # it, the check below would no longer show that user/xv6/ gets xv6's
    src = "user/xv6/xv6wall.c"
    strict = compile_with("ucc-cmd", src)
    loose = compile_with("xv6cc-cmd", src)
    t.add(strict.returncode != 0 and "-Werror=sign-compare" in strict.stderr
          and loose.returncode == 0,
          "%s xv6: %s builds with xv6's -Wall, not with Pagoda's -Wextra" % (arch, src),
          "Pagoda's flags: status %d %s\n        xv6's flags: status %d %s"
          % (strict.returncode, strict.stderr[-600:], loose.returncode, loose.stderr[-600:]))
    tag = "xv6"
    cmd = pq.qemu_command(arch, cpus=2, fsimg=fresh_disk(arch, tag))
    names = "; ".join(name for name, _ in XV6_PROGRAMS)
    res = pq.run(cmd, 'panic=-1 -- sh -c "%s"' % names, timeout=60 * scale,
                 log=logpath(arch, tag))
    lines = res.output.replace("\r", "").splitlines()
    for name, pattern in XV6_PROGRAMS:
        ok = any(re.match(pattern, line) for line in lines)
        t.add(ok and "Kernel panic" not in res.output,
              "%s xv6: %s (user/xv6/%s.c) runs and passes its checks" % (arch, name, name),
              "%s; console log: %s" % (
                  next((line for line in lines if line.startswith(name + ": ")),
                       "no result line"), res.log))
    if res.timed_out or res.status != 0:
        report_run(t, res, "%s xv6: run completed" % arch)


def stage_mem(t, arch, scale):
    for mem in ("64M", "2G"):
        tag = "mem-%s" % mem
        cmd = pq.qemu_command(arch, cpus=2, mem=mem, fsimg=fresh_disk(arch, tag))
        res = pq.run(cmd, "panic=-1 -- echo booted", timeout=60 * scale, log=logpath(arch, tag))
        ok = res.ok and has_line(res.output, "booted")
        t.add(ok, "%s MEM=%s: boots and runs a program" % (arch, mem),
              "status %s; console log: %s" % (res.status, res.log))


def stage_panic(t, arch, scale):
    """Deliberate kernel bugs must end in a readable report, not a hang."""
    cases = [
        ("panic", ["Kernel panic - not syncing: crashtest: deliberate panic", "crashtest_run"]),
        ("null", ["Unable to handle kernel load page fault at virtual address 0000000000000000",
                  "crash_null+0x", "Call trace (CPU"]),
        ("user", ["a user address touched outside copy_to_user", "crashtest_run+0x"]),
        ("stack_overflow", ["kernel stack overflow", "task: pid 1 (init)", "recurse"]),
        # a panic while this CPU holds printk's own lock must still be printed
        ("printk_lock", ["Kernel panic - not syncing: spin_lock: printk: already held by this "
                         "CPU (recursive locking)", "printk_crashtest+0x", "Call trace (CPU"]),
        ("printk_fault", ["Unable to handle kernel load page fault at virtual address "
                          "0000000000000000", "printk_crashtest+0x", "Call trace (CPU"]),
        # a running CPU jumps back into _start: the boot-entry lottery must
        # stop it with a clear panic instead of zeroing .bss and booting again
        ("reenter", ["jumped back into the kernel's boot entry (_start): refusing to boot "
                     "again", "cpu_entry_stray+0x"]),
    ]
    for what, needles in cases:
        tag = "crashtest-" + what
        cmd = pq.qemu_command(arch, cpus=2, fsimg=fresh_disk(arch, tag))
        res = pq.run(cmd, "crashtest=%s panic=-1" % what, timeout=30 * scale,
                     log=logpath(arch, tag))
        missing = [n for n in needles if n not in res.output]
        ok = res.status == 3 and not missing and "end Kernel panic" in res.output
        t.add(ok, "%s panic report: crashtest=%s prints reason, registers and backtrace"
              % (arch, what), "status %s, missing %s; console log: %s"
              % (res.status, missing, res.log))
    # Not crashes: CPU1 is started at the kernel's boot entry (_start), as
    # OpenSBI 1.1's hart_start race does under load, and must join as CPU1
    # instead of booting the kernel a second time; a CPU started with no
    # pending start must be parked. Either way the kernel boots once and runs.
    for what, needles in (
            ("boot_entry", ["CPU1 (id ", "entered the kernel at its boot entry",
                            "smp: 3 CPUs online"]),
            ("stray", ["without a pending start (never started, or too late); parked",
                       "smp: 2 CPUs online, 1 parked"])):
        tag = "crashtest-" + what
        cmd = pq.qemu_command(arch, cpus=3, fsimg=fresh_disk(arch, tag))
        res = pq.run(cmd, "crashtest=%s panic=-1 -- echo booted" % what, timeout=30 * scale,
                     log=logpath(arch, tag))
        out = res.output
        missing = [n for n in needles if n not in out]
        ok = (res.ok and not missing and has_line(out, "booted")
              and out.count("Pagoda kernel (") == 1
              and "Kernel panic" not in out)
        t.add(ok, "%s boot entry: crashtest=%s, the kernel boots once and runs" % (arch, what),
              "status %s, missing %s; console log: %s" % (res.status, missing, res.log))


def stage_gdb(t, arch, scale):
    """make qemu-gdb + make gdb, in batch: stop at entry, break in C, backtrace."""
    import subprocess as sp
    env = dict(os.environ, GDBPORT=str(20000 + os.getpid() % 10000))
    gdbinit = os.path.join(pq.BUILD, arch, "gdbinit")
    r = sh(["make", "-s", "ARCH=" + arch, "GDBPORT=" + env["GDBPORT"], gdbinit]
           + pq.make_dirs(arch))
    if r.returncode != 0:
        t.add(False, "%s gdb: generate gdbinit" % arch, r.stderr[-2000:])
        return
    # the kernel's entry (a physical address: the MMU is off there), as the
    # gdbinit runs QEMU to it: "if $pc != 0x80200000"
    with open(gdbinit) as f:
        m = re.search(r"^if \$pc != (0x[0-9a-fA-F]+)$", f.read(), re.M)
    entry = int(m.group(1), 16) if m else None
    if shutil.which("gdb-multiarch") is None:
        t.add(False, "%s gdb: gdb-multiarch is installed" % arch,
              "gdb-multiarch not found: run tools/install-deps.sh (Debian package gdb-multiarch)")
        return
    log = logpath(arch, "gdb")
    with open(log + ".qemu", "w") as qlog:
        q = sp.Popen(["make", "-s", "ARCH=" + arch, "CPUS=2", "GDBPORT=" + env["GDBPORT"],
                      "qemu-gdb"] + pq.make_dirs(arch), cwd=ROOT, stdin=sp.DEVNULL, stdout=qlog, stderr=sp.STDOUT,
                     start_new_session=True)
        try:
            time.sleep(1.5)
            g = sp.run(["gdb-multiarch", "-q", "-batch", "-x", gdbinit,
                        "-ex", "info registers pc", "-ex", "break start_kernel",
                        "-ex", "continue", "-ex", "bt", "-ex", "info threads",
                        "-ex", "kill"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60 * scale)
            out = g.stdout + g.stderr
        except sp.TimeoutExpired as e:
            out = "gdb timed out: %s" % e
        finally:
            os.killpg(q.pid, 9)
            q.wait()
    with open(log, "w") as f:
        f.write(out)
    # `info registers pc` after the gdbinit: "pc  0x80200000  0x80200000 <_start>"
    pcs = [int(v, 16) for v in re.findall(r"^pc +(0x[0-9a-fA-F]+)", out, re.M)]
    t.add(entry is not None and pcs[:1] == [entry],
          "%s gdb: make gdb attaches and stops at the kernel entry" % arch,
          "pc %s, entry %s; log: %s" % ([hex(v) for v in pcs], entry and hex(entry), log))
    t.add(re.search(r"^#0 +start_kernel \(", out, re.M) is not None
          and re.search(r"^\*? +1 +Thread 1\.1 ", out, re.M) is not None
          and re.search(r"^\*? +2 +Thread 1\.2 ", out, re.M) is not None,
          "%s gdb: break start_kernel, backtrace and one thread per CPU" % arch,
          "log: %s" % log)


def stage_procps(t, arch, scale):
    """Pagoda's ps/vmstat/top, then Linux's procps over a snapshot of Pagoda's /proc."""
    import procps_check
    tag = "procps"

    def run_boot(script, stop_on):
        cmd = pq.qemu_command(arch, cpus=3, fsimg=fresh_disk(arch, tag))
        return pq.run(cmd, "panic=-1", timeout=60 * scale, log=logpath(arch, tag),
                      script=script, stop_on=stop_on)
    procps_check.stage(t, arch, run_boot, logpath(arch, tag), scale)


def stage_gdb_helpers(t, arch, scale):
    import lab_ci
    lab_ci.stage_gdb_helpers(t, arch, scale, LOGDIR)


def stage_labs(t, arches, scale):
    import lab_ci
    lab_ci.stage_labs(t, arches, scale)


def stage_forgeries(t, arches, scale):
    import forgeries
    forgeries.check(t, arches, scale)


STAGES = ["format", "host", "build", "ktest", "usertests", "boot", "xv6", "procps", "mem",
          "variants", "panic", "gdb"]
STAGES += ["gdbhelpers", "labs", "forgeries"]
sys.path.insert(0, os.path.join(ROOT, "tools", "lab"))


def run_stage(t, name, fn, *args):
    """Run one stage; a stage that raises (a missing program, a bug in this
    script) is one failure, and the run goes on to its summary."""
    try:
        fn(t, *args)
    except Exception as e:  # noqa: BLE001 - any error is reported, not fatal
        import traceback
        t.add(False, "%s: the stage ran to its end" % name,
              "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()[-1500:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", action="append")
    ap.add_argument("--only", help="comma-separated stages: " + ",".join(STAGES))
    ap.add_argument("--timeout-scale", type=float,
                    default=float(os.environ.get("PAGODA_TIMEOUT_SCALE", "1")))
    args = ap.parse_args()
    arches = args.arch or sorted(a for a in os.listdir(os.path.join(ROOT, "arch"))
                                 if os.path.exists(os.path.join(ROOT, "arch", a, "arch.mk")))
    only = set(args.only.split(",")) if args.only else set(STAGES)
    t = Tally()
    t0 = time.monotonic()
    os.makedirs(LOGDIR, exist_ok=True)
    if "format" in only:
        print("== format")
        run_stage(t, "format", stage_format)
    if "host" in only:
        print("== host unit tests")
        run_stage(t, "host", stage_host)
    for arch in arches:
        print("== %s: build" % arch)
        if not build(t, arch):
            continue
        for stage, fn in (("ktest", stage_ktest), ("usertests", stage_usertests),
                          ("boot", stage_boot), ("xv6", stage_xv6),
                          ("procps", stage_procps), ("mem", stage_mem),
                          ("variants", stage_variants),
                          ("panic", stage_panic), ("gdb", stage_gdb),
                          ("gdbhelpers", stage_gdb_helpers)):
            if stage in only:
                print("== %s: %s" % (arch, stage))
                run_stage(t, "%s %s" % (arch, stage), fn, arch, args.timeout_scale)
    if "labs" in only:
        print("== labs")
        run_stage(t, "labs", stage_labs, arches, args.timeout_scale)
    if "forgeries" in only:
        print("== forgeries")
        run_stage(t, "forgeries", stage_forgeries, arches, args.timeout_scale)
    print("== done in %.0f s" % (time.monotonic() - t0))
    if t.failures:
        print("failed:")
        for f in t.failures:
            print("  " + f)
    line = "%d passed, %d failed" % (t.passed, t.failed)
    if t.skipped:
        line += ", %d skipped" % t.skipped
    print(line)
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
