"""grader.py - the library behind every labs/<lab>/grade.py.

A lab's grader declares its tests and their points and calls Lab.main():

    lab = grader.Lab("pgtbl", "Page tables")
    host = lab.host_suite("host", kernel_sources=["mm/pgtable.c"], tests=[...])
    boot = lab.ktest_boot("ktest", suites=["pgtable", "pgtbl_lab"])
    lab.test("walk_pgtable allocates the missing tables", 10, host.case("walk_..."),
             core=True)
    lab.test("the kernel's own suites pass", 5, boot.all_of(["pgtable"]))
    lab.main()

Tests get their evidence from three kinds of runs, each made at most once
per architecture and cached:

  host suite   the lab's host unit tests compiled with the tree's kernel
               sources for the host (ASan + UBSan), one program per
               architecture; the grader runs each test alone as its parent
               (tools/testing/lib/ktest-host.c, -t NAME -c FD -s SEED)
  ktest boot   the kernel booted with ktest=SUITES ktestkey: in-kernel KTAP
  user boot    the kernel booted to run one user program (-- PROG -k ARGS)

Verdicts are made here, outside the code under test (labs/README.md, "What
the grader trusts", has the threat model): a host test passes only when
the runner's "end" line reaches this process with no failure and the same
checks as the reference's run with the same fresh seed, and a driven host
test only when its answers agree with the grader's own model (grade.py);
a QEMU run's result line counts only with its SipHash under a key typed on
the console after boot ("# kmac:..."), a "not ok" line for a test always
wins over an "ok" line, and a test with no line at all failed. Before
grading, the hand-in check (handin_check.py) scans the files students edit
for references to the test machinery; the tests they take part in then
score 0, "needs review by the course staff", until --reviewed. Every run
is bounded in time (--timeout-scale for slow machines) and its log is kept
(build/grade-logs/LAB/ARCH/); a failing test names its log and shows why.

Modes (see Lab.main): grade the tree the grader is in, another tree
(--tree), or a student's hand-in (--submission: the lab's starting tree
made from this tree, with its hidden tests, plus only the files the lab's
students edit, taken from the hand-in). --results FILE writes Gradescope's
results.json.

Standard library only.
"""
import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import pagoda_qemu as pq  # noqa: E402
import labtool  # noqa: E402
import handin_check  # noqa: E402

TS = re.compile(r"^\[\s*\d+\.\d+\] ")
RESULT = re.compile(r"^(\s*)(not ok|ok) (\d+) (.*?)\s*$")
PANIC = re.compile(r"Kernel panic - not syncing: .*")
HOST_CFLAGS = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
               "-fno-omit-frame-pointer", "-Wall", "-Wextra", "-Wno-unused-parameter",
               "-Werror"]
GRADESCOPE_VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")


M64 = (1 << 64) - 1


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & M64


def siphash24(k0, k1, msg):
    """SipHash-2-4 of the bytes @msg under (@k0, @k1): what signs a KTAP result line
    (include/uapi/pagoda/ktap_mac.h is the C side)."""
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
         k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]

    def rnd():
        v[0] = (v[0] + v[1]) & M64
        v[1] = _rotl(v[1], 13) ^ v[0]
        v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & M64
        v[3] = _rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & M64
        v[3] = _rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & M64
        v[1] = _rotl(v[1], 17) ^ v[2]
        v[2] = _rotl(v[2], 32)

    n = len(msg)
    words = [int.from_bytes(msg[i:i + 8], "little") for i in range(0, n - n % 8, 8)]
    words.append((n & 0xff) << 56 | int.from_bytes(msg[n - n % 8:], "little"))
    for m in words:
        v[3] ^= m
        rnd()
        rnd()
        v[0] ^= m
    v[2] ^= 0xff
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


class Key:
    """A fresh random key for one QEMU run's signed result lines (ktap_mac.h)."""

    def __init__(self):
        self.hex = secrets.token_hex(16)
        self.k0 = int(self.hex[:16], 16)
        self.k1 = int(self.hex[16:], 16)

    def sign(self, text):
        return "%016x" % siphash24(self.k0, self.k1, text.encode())


def strip_ts(line):
    return TS.sub("", line)


def tail(text, n=25):
    lines = text.rstrip("\n").splitlines()
    return "\n".join(lines[-n:])


class Verdict:
    """The outcome of one test: passed (bool), what to tell the student, a log."""

    def __init__(self, ok, output="", log=None, not_run=False):
        self.ok = bool(ok)
        self.output = output
        self.log = log
        self.not_run = not_run  # hidden test absent from this tree


class Context:
    """Grading one tree on one architecture."""

    def __init__(self, lab, tree, arch, build, scale, verbose, out=print):
        self.out = out
        self.lab = lab
        self.tree = tree
        self.arch = arch
        self.build = build  # this arch's build directory (O=)
        self.hostbuild = os.path.join(os.path.dirname(build), "host")
        logroot = lab.logroot or os.path.join(os.path.dirname(build), "grade-logs")
        self.logdir = os.path.join(logroot, lab.name, arch)
        self.scale = scale
        self.verbose = verbose
        self.cache = {}
        os.makedirs(self.logdir, exist_ok=True)

    def path(self, *rel):
        return os.path.join(self.tree, *rel)

    def exists(self, rel):
        return os.path.exists(self.path(rel))

    def make_vars(self):
        return ["ARCH=" + self.arch, "O=" + self.build, "HOSTO=" + self.hostbuild]

    def host_seed(self):
        """This grading's random seed for the host tests (fresh every run)."""
        if "host-seed" not in self.cache:
            self.cache["host-seed"] = secrets.randbits(62) | 1
        return self.cache["host-seed"]

    def reference(self):
        """A Context for the reference solution (the tree this grader is in), to run
        host tests against with the same seed; None when that is this tree, or when
        the grader's tree is itself a student's tree (no reference there)."""
        if "reference" not in self.cache:
            root = self.lab.root
            ref = None
            if labtool.read_meta(root) is None and \
                    os.path.realpath(root) != os.path.realpath(self.tree):
                ref = Context(self.lab, root, self.arch,
                              os.path.join(self.build, "reference", self.arch), self.scale,
                              self.verbose, out=lambda s: None)
                ref.cache["host-seed"] = self.host_seed()
            self.cache["reference"] = ref
        return self.cache["reference"]

    def kernel_built(self):
        """Build kernel, user programs and fs.img once. Return (ok, message)."""
        if "build" not in self.cache:
            t0 = time.monotonic()
            r = subprocess.run(["make", "-j2", "--no-print-directory", "all"] + self.make_vars(),
                               cwd=self.tree, capture_output=True, text=True)
            log = os.path.join(self.logdir, "build.log")
            with open(log, "w") as f:
                f.write(r.stdout + r.stderr)
            msg = ""
            if r.returncode != 0:
                errs = [l for l in (r.stdout + r.stderr).splitlines()
                        if "error:" in l or "Error " in l or "undefined reference" in l]
                msg = ("the kernel does not build (make all, ARCH=%s); first errors:\n%s\n"
                       "full log: %s" % (self.arch, "\n".join(errs[:15]) or
                                         tail(r.stdout + r.stderr, 15), log))
            self.cache["build"] = (r.returncode == 0, msg, time.monotonic() - t0)
        ok, msg, _ = self.cache["build"]
        return ok, msg

    def qemu(self, name, append, timeout, cpus=2, mem="128M", script=None):
        """Boot once with @append (cached by @name), typing @script's (prompt, text)
        pairs on the console. Return pagoda_qemu.Result."""
        key = "qemu:" + name
        if key not in self.cache:
            disk = os.path.join(self.build, "fs-grade-%s.img" % name)
            shutil.copyfile(os.path.join(self.build, "fs.img"), disk)
            out = subprocess.run(
                ["make", "-s", "--no-print-directory", "qemu-cmd", "CPUS=%d" % cpus,
                 "MEM=" + mem, "FSIMG_RUN=" + disk] + self.make_vars(),
                cwd=self.tree, capture_output=True, text=True, check=True).stdout
            cmd = shlex.split(out.strip().splitlines()[-1])
            log = os.path.join(self.logdir, "%s.log" % name)
            self.out("  ..     booting QEMU (%s, at most %d s): %s"
                     % (self.arch, timeout * self.scale, append.strip()))
            res = pq.run(cmd, append, timeout=timeout * self.scale, log=log, cwd=self.tree,
                         script=script)
            if res.timed_out:
                self.out("  ..     QEMU killed after %d s (hang?); console log %s"
                         % (timeout * self.scale, log))
            res.lines = [strip_ts(l) for l in res.output.splitlines()]
            self.cache[key] = res
            try:
                os.unlink(disk)
            except OSError:
                pass
        return self.cache[key]


def boot_failure(res):
    """Why a boot produced no result for a test: panic, hang, exit status."""
    m = PANIC.search(res.output)
    if m:
        return "the kernel panicked before this test could pass:\n  %s\nconsole log: %s" \
            % (m.group(0).strip(), res.log)
    if res.timed_out:
        why = ("the kernel hung: no result within the time limit (QEMU was killed). To see "
               "where it is stuck: `make qemu-gdb` and, in another terminal, `make gdb`, "
               "then `continue`, wait, Ctrl-C, `bt`. It last printed:")
    else:
        why = ("the run ended (QEMU exit status %s) without a result for this test; it last "
               "printed:" % res.status)
    return "%s\n%s\nconsole log: %s" % (why, tail(res.output, 12), res.log)


KMAC = re.compile(r"\s*(?:# )?kmac:([0-9a-f]{16})$")


def parse_results(lines, key=None, where=None):
    """Signed KTAP results: {name: [(ok, indent, diagnostics)]}.

    With a Key, a result line counts only if it ends in "kmac:MAC", MAC being
    the line's SipHash under the key (include/uapi/pagoda/ktap_mac.h).
    Diagnostics are the "# ..." lines since the previous result line. The
    results of a suite's cases are also listed under "suite/NAME", so that a
    failed suite can show why.
    """
    out = {}
    diag = []
    raw = []  # other output since the last result: a sanitizer's report, say
    suite = None
    for index, line in enumerate(lines):
        m = RESULT.match(line)
        if not m:
            s = line.strip()
            if s.startswith("# Subtest:"):
                suite = s.split(":", 1)[1].strip()
            elif s.startswith("#"):
                diag.append(s)
            elif s:
                raw.append(s)
            continue
        indent, res, _, rest = m.groups()
        if key is not None:
            mac = KMAC.search(rest)
            if not mac:
                continue
            rest = rest[:mac.start()]
            if key.sign("%s %s %s" % (res, _, rest)) != mac.group(1):
                continue
        name, _, directive = rest.partition(" # ")
        if where is not None:  # @where: name -> [(line index, directive)]
            where.setdefault(name.strip(), []).append((index, directive))
        ok = res == "ok"
        if directive.startswith("SKIP"):
            ok = None
        if ok is False and (not diag or any("crashed" in d or "timed out" in d for d in diag)):
            diag = diag + raw[:10]
        out.setdefault(name.strip(), []).append((ok, len(indent), diag))
        if indent and suite:
            out.setdefault("suite/" + suite, []).append((ok, len(indent), diag))
        diag = []
        raw = []
    return out


def judge_result(results, name, fallback):
    """A Verdict from parse_results() entries for @name; @fallback() explains a missing one."""
    entries = results.get(name)
    if not entries:
        return Verdict(False, fallback())
    if any(ok is False for ok, _, _ in entries):
        diags = []
        for ok, _, d in entries + results.get("suite/" + name, []):
            if ok is False:
                diags += [x for x in d if x not in diags]
        return Verdict(False, "\n".join(diags[:15]) or "failed")
    if all(ok is None for ok, _, _ in entries):
        return Verdict(False, "skipped")
    return Verdict(True)


class HostRun:
    """One host test run alone by the grader (PROG -t NAME -c FD -s SEED)."""

    def __init__(self):
        self.end = None       # (checks, digest, failed, skipped) from the "end" line
        self.reports = []     # ktest_report() lines, in order
        self.skip_reason = ""
        self.output = ""      # what the test printed (stdout and stderr): diagnostics only
        self.status = None    # exit status, or -signal
        self.timed_out = False

    def why_unfinished(self, timeout):
        if self.timed_out:
            return "it was still running after %d s and was stopped (a loop that never ends?)" \
                % timeout
        if self.status is not None and self.status < 0:
            import signal as sig
            try:
                name = sig.Signals(-self.status).name
            except ValueError:
                name = "signal %d" % -self.status
            return "the process was killed by %s" % name
        if self.status == 1 and "Sanitizer" in self.output:
            return "AddressSanitizer/UBSan stopped it (report below)"
        return "the process exited (status %s) before the test returned" % self.status


class HostSuite:
    """Host unit tests: the tree's kernel sources + the lab's tests, built for the host.

    The grader is the parent of every test: each runs alone in a process of
    its own (tools/testing/lib/ktest-host.c, -t NAME), and passes only if the
    runner's "end" line reaches the grader with no failure, made the same
    checks as the reference solution's run with the same fresh seed
    (compared when the grader's own tree holds the reference), and, for a
    driven test, answered the grader's operations as the grader's own model
    says. Nothing the test prints counts.
    """

    def __init__(self, lab, name, kernel_sources, tests, include=(), force_include=None,
                 hidden_tests=(), timeout=20):
        self.lab = lab
        self.name = name
        self.kernel_sources = list(kernel_sources)
        self.tests = list(tests)
        self.hidden_tests = list(hidden_tests)
        self.include = list(include)
        self.force_include = force_include
        self.timeout = timeout  # seconds per test (times --timeout-scale)

    def _files(self, ctx, patterns):
        import glob
        files = []
        for p in patterns:
            files += sorted(os.path.relpath(f, ctx.tree) for f in glob.glob(ctx.path(p)))
        return files

    def build(self, ctx):
        """Compile the test program once per tree. Return {"prog", "error", "log"}."""
        key = "host-build:" + self.name
        if key in ctx.cache:
            return ctx.cache[key]
        odir = os.path.join(ctx.build, "grade-host", self.lab.name, self.name)
        os.makedirs(odir, exist_ok=True)
        log = os.path.join(ctx.logdir, "host-%s.log" % self.name)
        # relative paths (gcc runs in the tree): messages name arch/riscv/..., not /home/...
        inc = list(self.include) + ["tools/testing/stubs", "tools/testing/lib", "include",
                                    "arch/%s/include" % ctx.arch]
        flags = HOST_CFLAGS + ["-DPAGODA_ARCH_%s=1" % ctx.arch, '-DPAGODA_ARCH="%s"' % ctx.arch]
        if self.force_include:
            flags += ["-include", self.force_include]
        flags += ["-I" + i for i in inc]
        srcs = [(s, True) for s in self.kernel_sources]
        srcs += [(s, False) for s in self._files(ctx, self.tests + self.hidden_tests)]
        srcs.append(("tools/testing/lib/ktest-host.c", False))
        objs, errors = [], []
        for src, kernel in srcs:
            obj = os.path.join(odir, src.replace("/", "__") + ".o")
            cmd = ["gcc"] + flags + (["-fno-builtin"] if kernel else []) + \
                ["-MMD", "-MF", obj + ".d", "-c", src, "-o", obj]
            objs.append(obj)
            if _up_to_date(ctx.tree, obj, cmd):
                continue
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=ctx.tree)
            if r.returncode != 0:
                errors.append("$ %s\n%s" % (" ".join(cmd), r.stderr))
                if kernel:  # the tests include the same headers: one report is enough
                    break
                continue
            with open(obj + ".cmd", "w") as f:
                f.write(" ".join(cmd))
        prog = os.path.join(odir, "%s-%s-test" % (self.lab.name, self.name))
        res = {"prog": prog, "error": None, "log": log}
        if not errors:
            r = subprocess.run(["gcc", "-fsanitize=address,undefined"] + objs + ["-o", prog],
                               capture_output=True, text=True)
            if r.returncode != 0:
                errors.append(r.stderr)
        if errors:
            text = "\n".join(errors)
            with open(log, "w") as f:
                f.write(text)
            first = []
            for l in text.splitlines():
                if ("error:" in l or "warning:" in l) and not l.startswith("$ ") and \
                        l.replace(ctx.tree + "/", "") not in first:
                    first.append(l.replace(ctx.tree + "/", ""))
            res["error"] = ("the host tests do not compile with your code (host gcc, %s "
                            "headers; warnings are errors):\n%s\nfull log: %s"
                            % (ctx.arch, "\n".join(first[:12]) or tail(text, 12), log))
        else:
            with open(log, "w") as f:
                f.write("host tests of %s, %s headers, run one by one with seed %d "
                        "(to repeat one: %s -n -s %d NAME)\n"
                        % (self.lab.name, ctx.arch, ctx.host_seed(), prog, ctx.host_seed()))
            ctx.out("  ..     running the host tests (%s headers, each test alone, at most "
                    "%d s; seed %d)" % (ctx.arch, self.timeout * ctx.scale, ctx.host_seed()))
        ctx.cache[key] = res
        return res

    def run_test(self, ctx, name, ops=None, variant=""):
        """Run test @name alone (cached per tree and @variant), with the lines @ops on
        its stdin. Return a HostRun, or None if the program does not build."""
        key = "host-run:%s:%s:%s" % (self.name, name, variant)
        if key in ctx.cache:
            return ctx.cache[key]
        b = self.build(ctx)
        run = HostRun()
        if b["error"]:
            ctx.cache[key] = None
            return None
        limit = self.timeout * ctx.scale
        rfd, wfd = os.pipe()
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        env.pop("KTEST_TIMEOUT", None)
        with tempfile.TemporaryFile() as outf:
            try:
                p = subprocess.Popen([b["prog"], "-t", name, "-c", str(wfd), "-s",
                                      str(ctx.host_seed())],
                                     stdin=subprocess.PIPE, stdout=outf,
                                     stderr=subprocess.STDOUT, env=env, cwd=ctx.tree,
                                     pass_fds=(wfd,))
            finally:
                os.close(wfd)
            chunks = []
            reader = threading.Thread(target=lambda: chunks.append(_read_all(rfd)),
                                      daemon=True)
            reader.start()
            try:
                p.stdin.write(("\n".join(ops) + "\n" if ops else "").encode())
                p.stdin.close()
            except OSError:
                pass
            try:
                p.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                run.timed_out = True
                p.kill()
                p.wait()
            reader.join(5)
            os.close(rfd)
            run.status = p.returncode
            outf.seek(0)
            run.output = outf.read().decode(errors="replace")
        for line in (chunks[0] if chunks else b"").decode(errors="replace").splitlines():
            if line.startswith("r "):
                run.reports.append(line[2:])
                if line.startswith("r skip "):
                    run.skip_reason = line[7:]
            m = re.match(r"^end (\d+) ([0-9a-f]{16}) ([01]) ([01])$", line)
            if m:
                run.end = (int(m.group(1)), m.group(2), m.group(3) == "1", m.group(4) == "1")
        if run.status != 0 and run.end and not run.timed_out:
            run.end = None  # crashed on its way out: a sanitizer report at exit, say
        with open(b["log"], "a") as f:
            f.write("\n---- %s (exit status %s%s) ----\n%s%s\n"
                    % (name, run.status, ", timed out" if run.timed_out else "", run.output,
                       "end: %s" % (run.end,) if run.end else "no end line"))
        ctx.cache[key] = run
        return run

    def reference_run(self, ctx, name, ops=None):
        """The same test, same seed, on the reference solution; None if there is none."""
        ref = ctx.reference()
        if ref is None:
            return None
        return self.run_test(ref, name, ops)

    def _verdict(self, ctx, name, ops=None, variant=None):
        """(Verdict, HostRun): the runner's own part of the judgement. A driven test
        (@variant not None) is compared with the grader's model instead of the
        reference's checks."""
        b = self.build(ctx)
        if b["error"]:
            return Verdict(False, b["error"], b["log"]), None
        run = self.run_test(ctx, name, ops, variant or "")
        limit = self.timeout * ctx.scale
        if run.end is None:
            last = tail(run.output, 12)
            return Verdict(False, "host test %s did not finish: %s%s"
                           % (name, run.why_unfinished(limit),
                              "; it last printed:\n" + last if last else " (it printed nothing)"),
                           b["log"]), run
        checks, digest, failed, skipped = run.end
        if failed:
            diags = [l for l in run.output.splitlines() if l.startswith("# ")]
            return Verdict(False, "\n".join(diags[:15]) or "failed (no diagnostic printed)",
                           b["log"]), run
        if skipped:
            return Verdict(False, "skipped: %s" % (run.skip_reason or "(no reason)"),
                           b["log"]), run
        ref = self.reference_run(ctx, name) if variant is None else None
        if ref is not None:
            if ref.end is None or ref.end[2] or ref.end[3]:
                return Verdict(False, "grader error (tell your TA): the reference solution "
                               "does not pass host test %s with seed %d"
                               % (name, ctx.host_seed()), b["log"]), run
            if (checks, digest) != ref.end[:2]:
                # (the reference's digest is not shown: it would be a line to copy)
                return Verdict(False, "host test %s: every check that ran passed, but the test "
                               "made %d checks where the reference solution makes %s with the "
                               "same seed %d: it ended early or took another path. If you "
                               "believe your code is right, ask the course staff to look."
                               % (name, checks, "other ones" if checks == ref.end[0] else
                                  ref.end[0], ctx.host_seed()), b["log"]), run
        return Verdict(True, "", b["log"]), run

    def case(self, name, hidden=False):
        def judge(ctx):
            return self._verdict(ctx, name)[0]
        # a hidden test runs only where its folder exists (never in a student's tree)
        judge.needs = [os.path.dirname(t) for t in self.hidden_tests] if hidden else []
        return judge

    def driven(self, name, ops, check, hidden=False, variant="driven"):
        """A test the grader drives: @ops(rng) makes the operations (lines on the test's
        stdin), the test answers with ktest_report() lines, and @check(ctx, ops, reports)
        judges them with the grader's own model. One test may be driven several ways
        (@variant). Return: a judge."""
        def judge(ctx):
            key = "host-ops:%s:%s:%s" % (self.name, name, variant)
            if key not in ctx.cache:
                import random
                ctx.cache[key] = ops(random.Random(
                    ctx.host_seed() ^ zlib.crc32((name + variant).encode())))
            o = ctx.cache[key]
            v, run = self._verdict(ctx, name, o, variant)
            if not v.ok:
                return v
            v = check(ctx, o, run.reports)
            if v.log is None:
                v.log = self.build(ctx)["log"]
            return v
        judge.needs = [os.path.dirname(t) for t in self.hidden_tests] if hidden else []
        return judge


def _up_to_date(tree, obj, cmd):
    """Was @obj compiled by @cmd (in @tree) from sources none of which changed since?
    (the host tests' objects are reused between gradings of one tree, as make would)"""
    try:
        with open(obj + ".cmd") as f:
            if f.read() != " ".join(cmd):
                return False
        with open(obj + ".d") as f:
            deps = f.read().replace("\\\n", " ").split(":", 1)[1].split()
        built = os.path.getmtime(obj)
        return all(os.path.getmtime(os.path.join(tree, d)) < built for d in deps)
    except (OSError, IndexError):
        return False


def _read_all(fd):
    data = bytearray()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return bytes(data)


class KtestBoot:
    """One boot with ktest=SUITES ktestkey; judges read signed KTAP from it."""

    def __init__(self, lab, name, suites, bootargs="", timeout=45, cpus=2):
        self.lab = lab
        self.name = name
        self.suites_ = list(suites)
        self.bootargs = bootargs
        self.timeout = timeout
        self.cpus = cpus

    def run(self, ctx):
        key = "ktest:" + self.name
        if key not in ctx.cache:
            k = Key()
            res = ctx.qemu(self.name, "ktest=%s panic=-1 ktestkey %s"
                           % (",".join(self.suites_), self.bootargs),
                           self.timeout, cpus=self.cpus,
                           script=[("ktest: key?", "\x02%s\n" % k.hex)])
            res.results = parse_results(res.lines, k)
            ctx.cache[key] = res
        return ctx.cache[key]

    def _prereq(self, ctx):
        ok, msg = ctx.kernel_built()
        return None if ok else Verdict(False, msg)

    def case(self, case):
        def judge(ctx):
            v = self._prereq(ctx)
            if v:
                return v
            res = self.run(ctx)
            v = judge_result(res.results, case, lambda: boot_failure(res))
            if not v.ok and res.log and "console log" not in v.output:
                v.output += "\nconsole log: %s" % res.log
            v.log = res.log
            return v
        judge.needs = []
        return judge

    def all_of(self, cases):
        """Pass only if every listed case passed."""
        def judge(ctx):
            v = self._prereq(ctx)
            if v:
                return v
            res = self.run(ctx)
            bad = {}  # reason -> the cases that failed for it
            for c in cases:
                v = judge_result(res.results, c, lambda: boot_failure(res))
                if not v.ok:
                    bad.setdefault(v.output, []).append(c)
            if len(bad) == 1 and len(list(bad.values())[0]) == len(cases) and \
                    "console log" in list(bad)[0]:
                return Verdict(False, list(bad)[0], res.log)  # one reason for all: the boot
            text = "\n".join("%s: %s" % (", ".join(cs), why) for why, cs in bad.items())
            if bad and "console log" not in text:
                text += "\nconsole log: %s" % res.log
            return Verdict(not bad, text, res.log)
        judge.needs = []
        return judge


class UserBoot:
    """One boot running a user program: `-- PROG -k ARGS...`; PROG asks for its key
    ("PROG: key?") and signs its result lines with it."""

    def __init__(self, lab, name, program, args=(), bootargs="", timeout=45, cpus=2):
        self.lab = lab
        self.name = name
        self.program = program
        self.args = list(args)
        self.bootargs = bootargs
        self.timeout = timeout
        self.cpus = cpus

    def run(self, ctx):
        key = "user:" + self.name
        if key not in ctx.cache:
            k = Key()
            res = ctx.qemu(self.name, "panic=-1 %s -- %s -k %s"
                           % (self.bootargs, self.program, " ".join(self.args)),
                           self.timeout, cpus=self.cpus,
                           script=[("%s: key?" % self.program, "\x02%s\n" % k.hex)])
            res.where = {}
            res.results = parse_results(res.lines, k, res.where)
            res.key = k
            ctx.cache[key] = res
        return ctx.cache[key]

    def case(self, name):
        def judge(ctx):
            ok, msg = ctx.kernel_built()
            if not ok:
                return Verdict(False, msg)
            res = self.run(ctx)
            v = judge_result(res.results, name, lambda: boot_failure(res))
            v.log = res.log
            if v.ok:
                v = self.kills_seen(res, name, v)
            if not v.ok:
                kills = [l for l in res.lines if "killed:" in l]
                if kills and "panicked" not in v.output:
                    v.output += "\nkernel messages:\n" + "\n".join(kills[-5:])
                if "console log" not in v.output:
                    v.output += "\nconsole log: %s" % res.log
            return v
        judge.needs = []
        return judge

    def kills_seen(self, res, name, v):
        """A result line whose directive reads "killed pid P at 0xA [(WHY)] ..." passes
        only if the kernel's own "pid P (PROG): killed: ... at address 0xA [(WHY)]" line
        came before it: a kernel that just kills the test's children, or prints that
        the access was refused, does not know where the child was going to touch."""
        for index, directive in res.where.get(name, []):
            if not directive.startswith("killed "):
                continue
            for pid, addr, why in re.findall(r"pid (\d+) at 0x([0-9a-f]+)(?: \(([^)]*)\))?",
                                             directive):
                pat = re.compile(r"^pid %s \(%s\): killed: .* at address 0x0*%s(?: \((.*?)\))?,"
                                 % (pid, re.escape(self.program[:15]), addr.lstrip("0") or "0"))
                seen = [m for m in (pat.match(l) for l in res.lines[:index]) if m]
                if not seen:
                    return Verdict(False, "the program saw its child (pid %s) die at 0x%s, but "
                                   "the kernel did not say it killed it there (no \"pid %s "
                                   "(%s): killed: ... at address 0x%s\" line before the "
                                   "result)" % (pid, addr, pid, self.program, addr), res.log)
                if why and not any(m.group(1) == why for m in seen):
                    return Verdict(False, "pid %s was killed at 0x%s, but not for \"%s\": %s"
                                   % (pid, addr, why, ", ".join(m.group(1) or "(no reason)"
                                                                for m in seen)), res.log)
        return v

    def check(self, fn):
        """A custom judge: fn(ctx, result) -> Verdict."""
        def judge(ctx):
            ok, msg = ctx.kernel_built()
            if not ok:
                return Verdict(False, msg)
            res = self.run(ctx)
            v = fn(ctx, res)
            if v.log is None:
                v.log = res.log
            return v
        judge.needs = []
        return judge


class Test:
    def __init__(self, number, name, points, judge, core, hidden, tags):
        self.number = number
        self.name = name
        self.points = points
        self.judge = judge
        self.core = core
        self.hidden = hidden
        self.tags = tags


def all_of(*judges):
    """A judge that passes only when every one of @judges does."""
    def judge(ctx):
        outs, logs, ok = [], [], True
        for j in judges:
            v = j(ctx)
            ok &= v.ok
            if not v.ok and v.output not in outs:
                outs.append(v.output)
            if v.log:
                logs.append(v.log)
        return Verdict(ok, "\n".join(o for o in outs if o), logs[0] if logs else None)
    judge.needs = sum((getattr(j, "needs", []) for j in judges), [])
    return judge


def elf_segments(path):
    """[(vaddr, memsz, flags)] of an ELF64 little-endian file's PT_LOAD segments."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("%s: not an ELF64 file" % path)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segs = []
    for i in range(phnum):
        p_type, p_flags, _, p_vaddr, _, _, p_memsz, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_memsz:
            segs.append((p_vaddr, p_memsz, p_flags))
    return segs


def header_constant(path, name):
    """The value of `#define NAME number` in a header, or None."""
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"\s*#\s*define\s+%s\s+\(?(0x[0-9a-fA-F]+|\d+)[UL]*\)?" % name,
                             line)
                if m:
                    return int(m.group(1), 0)
    except OSError:
        pass
    return None


# ---- Gradescope -----------------------------------------------------------------------

def validate_results(obj):
    """Check @obj against Gradescope's documented results.json fields. Return problems."""
    problems = []
    top = {"score", "execution_time", "output", "output_format", "test_output_format",
           "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
           "leaderboard"}
    per_test = {"score", "max_score", "status", "name", "name_format", "number", "output",
                "output_format", "tags", "visibility", "extra_data"}
    if not isinstance(obj, dict):
        return ["results.json: the top level must be an object"]
    for k in obj:
        if k not in top:
            problems.append("unknown top-level field %r" % k)
    if "score" not in obj and not all("score" in t for t in obj.get("tests", [])):
        problems.append("'score' is required at the top level or on every test")
    for k in ("score", "execution_time"):
        if k in obj and not isinstance(obj[k], (int, float)):
            problems.append("%s must be a number" % k)
    for k in ("visibility", "stdout_visibility"):
        if k in obj and obj[k] not in GRADESCOPE_VISIBILITY:
            problems.append("%s must be one of %s" % (k, GRADESCOPE_VISIBILITY))
    for k in ("output_format", "test_output_format", "test_name_format"):
        if k in obj and obj[k] not in ("text", "html", "simple_format", "md", "ansi"):
            problems.append("%s has an unknown format %r" % (k, obj[k]))
    tests = obj.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["'tests' must be a list"]
    for i, t in enumerate(tests):
        where = "tests[%d]" % i
        if not isinstance(t, dict):
            problems.append(where + " must be an object")
            continue
        for k in t:
            if k not in per_test:
                problems.append("%s: unknown field %r" % (where, k))
        for k in ("score", "max_score"):
            if k in t and not isinstance(t[k], (int, float)):
                problems.append("%s: %s must be a number" % (where, k))
        for k in ("name", "output", "number"):
            if k in t and not isinstance(t[k], str):
                problems.append("%s: %s must be a string" % (where, k))
        if "status" in t and t["status"] not in ("passed", "failed"):
            problems.append("%s: status must be 'passed' or 'failed'" % where)
        if "visibility" in t and t["visibility"] not in GRADESCOPE_VISIBILITY:
            problems.append("%s: bad visibility %r" % (where, t["visibility"]))
        if "tags" in t and not (isinstance(t["tags"], list) and
                                all(isinstance(x, str) for x in t["tags"])):
            problems.append("%s: tags must be a list of strings" % where)
        if "score" in t and "max_score" in t and t["score"] > t["max_score"]:
            problems.append("%s: score above max_score" % where)
    return problems


# ---- the lab --------------------------------------------------------------------------

class Lab:
    def __init__(self, name, title, answers=None):
        self.name = name
        self.title = title
        self.tests = []
        self.answers_file = answers
        self.root = os.path.dirname(os.path.dirname(HERE))  # the tree this grader is in
        self.host_suites = []
        self.review = []  # the hand-in check's findings (handin_check.py)
        self.logroot = None  # where grade-logs/ go, if not beside the build

    def host_suite(self, name, **kw):
        suite = HostSuite(self, name, **kw)
        self.host_suites.append(suite)
        return suite

    def handin_check(self, tree, out):
        """Scan the files students edit for references to the test machinery."""
        files = labtool.student_files(self.name, self.root)
        self.review = handin_check.check(tree, files,
                                         handin_check.starting_counts(self.name, self.root))
        if self.review:
            out("== needs review by the course staff: the files you hand in refer to the test "
                "machinery (labs/README.md, \"The hand-in check\"); the tests they take part in "
                "score 0 until someone has looked:")
            for l in handin_check.describe(self.review):
                out("   " + l)

    def review_reason(self, test):
        """Why @test scores 0 pending review, or None."""
        host_files = set()
        for suite in self.host_suites:
            host_files |= set(suite.kernel_sources)
        hits = [f for f in self.review
                if "host" not in test.tags or f[0] in host_files or not f[0].endswith(".c")]
        if not hits:
            return None
        return ("needs review by the course staff: %s refers to the test machinery; this test "
                "scores 0 until the course staff has looked:\n%s"
                % (hits[0][0], "\n".join(handin_check.describe(hits, 6))))

    def ktest_boot(self, name, suites, **kw):
        return KtestBoot(self, name, suites, **kw)

    def user_boot(self, name, program, **kw):
        return UserBoot(self, name, program, **kw)

    def test(self, name, points, judge, core=False, hidden=False, tags=()):
        self.tests.append(Test(len(self.tests) + 1, name, points, judge, core, hidden,
                               list(tags)))

    # -- grading --

    def grade_arch(self, tree, arch, build, scale, verbose, out):
        ctx = Context(self, tree, arch, build, scale, verbose, out)
        rows = []
        t0 = time.monotonic()
        out("== %s lab (%s) on %s: %s" % (self.name, self.title, arch, tree))
        if any("host" not in t.tags and not self.review_reason(t)  # host tests need no kernel
               for t in self.tests):
            ok, msg = ctx.kernel_built()
            out("  %-6s build kernel, user programs and fs.img%s"
                % ("ok" if ok else "FAIL", "" if ok else " (kernel tests below cannot pass)"))
        shown = {}  # output text -> number of the test that printed it
        for t in self.tests:
            needs = getattr(t.judge, "needs", [])
            review = self.review_reason(t)
            if review:
                v = Verdict(False, review)
            elif t.hidden and needs and not all(ctx.exists(n) for n in needs):
                v = Verdict(False, "a hidden test: the course's autograder runs it on your "
                            "hand-in", not_run=True)
            else:
                try:
                    v = t.judge(ctx)
                except Exception as e:  # a bug in the grader must not cost points silently
                    import traceback
                    v = Verdict(False, "grader error (tell your TA): %s\n%s"
                                % (e, traceback.format_exc()))
            score = t.points if v.ok else 0
            rows.append((t, v, score))
            if v.not_run:
                out("  %2d. [ -/%2d] %s  (hidden: not in this tree)"
                    % (t.number, t.points, t.name))
                continue
            out("  %2d. [%2d/%2d] %s%s" % (t.number, score, t.points, t.name,
                                            "" if v.ok else "  FAIL"))
            if not v.ok or verbose:
                text = v.output.strip()
                if text in shown and not verbose:
                    out("             (the same reason as test %d)" % shown[text])
                    continue
                shown[text] = t.number
                lines = text.splitlines()
                if not verbose and len(lines) > 14:
                    lines = lines[:10] + ["..."] + lines[-3:]
                for l in lines:
                    out("             " + l)
        answers = self.record_answers(tree)
        got = sum(s for _, v, s in rows if not v.not_run)
        possible = sum(t.points for t, v, _ in rows if not v.not_run)
        hidden_pts = sum(t.points for t, v, _ in rows if v.not_run)
        out("  score: %d/%d on %s%s  (%.0f s; logs in %s)"
            % (got, possible, arch,
               " (+%d points of hidden tests on the course's autograder)" % hidden_pts
               if hidden_pts else "", time.monotonic() - t0, ctx.logdir))
        if answers:
            out("  answers: %s" % answers[1])
        return {"arch": arch, "rows": rows, "score": got, "possible": possible,
                "answers": answers, "seconds": time.monotonic() - t0}

    def record_answers(self, tree):
        """(text, summary) of the lab's answers file, or None."""
        if not self.answers_file:
            return None
        p = os.path.join(tree, self.answers_file)
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return ("", "%s is missing" % self.answers_file)
        qs = len(re.findall(r"^Q\d+\.", text, re.M))
        blank = len(re.findall(r"^\s*\(your answer here\)\s*$", text, re.M))
        return (text, "%s: %d of %d questions answered (graded by hand)"
                % (self.answers_file, qs - blank, qs))

    def results_json(self, graded, seconds, note=""):
        rows = graded["rows"]
        tests = []
        for t, v, score in rows:
            vis = "after_published" if t.hidden else "visible"
            entry = {"name": "[%s] %s" % (graded["arch"], t.name), "number": str(t.number),
                     "score": score, "max_score": t.points,
                     "status": "passed" if v.ok else "failed",
                     "output": v.output.strip()[-6000:] or ("passed" if v.ok else "failed"),
                     "output_format": "text", "visibility": vis,
                     "tags": t.tags + (["core"] if t.core else [])}
            tests.append(entry)
        if graded["answers"] is not None:
            text, summary = graded["answers"]
            tests.append({"name": "answers to the handout's questions (graded by hand)",
                          "number": str(len(tests) + 1), "score": 0, "max_score": 0,
                          "status": "passed", "output": summary + "\n\n" + text[-8000:],
                          "output_format": "text", "visibility": "visible",
                          "tags": ["answers"]})
        total = sum(e["score"] for e in tests)
        if self.review:
            note += ("\nneeds review by the course staff: the hand-in refers to the test "
                     "machinery:\n" + "\n".join(handin_check.describe(self.review)))
        return {"score": total, "execution_time": int(seconds),
                "output": "%s lab (%s), graded on %s: %d/%d%s"
                % (self.name, self.title, graded["arch"], total,
                   sum(e["max_score"] for e in tests), note),
                "output_format": "text", "test_output_format": "text",
                "visibility": "visible", "stdout_visibility": "hidden",
                "extra_data": {"lab": self.name, "arch": graded["arch"]},
                "tests": tests}

    # -- trees --

    def submission_tree(self, submission, scratch, out):
        """The tree to grade for a hand-in: the lab's starting tree, the hidden tests,
        and the student's files. Return its path."""
        tree = os.path.join(scratch, "tree")
        meta = labtool.read_meta(self.root)
        if meta and meta.get("lab") == self.name:
            shutil.copytree(self.root, tree, ignore=shutil.ignore_patterns("build", ".git"))
        else:
            labtool.make_student_tree(self.name, tree, root=self.root, quiet=True)
            hidden = os.path.join(self.root, "labs", self.name, "hidden")
            if os.path.isdir(hidden):
                shutil.copytree(hidden, os.path.join(tree, "labs", self.name, "hidden"))
        files = labtool.student_files(self.name, self.root)
        taken, missing = [], []
        for rel in files:
            twins = [f for f in files if os.path.basename(f) == os.path.basename(rel)]
            src = find_in_submission(submission, rel, by_name=len(twins) == 1)
            if src:
                shutil.copyfile(src, os.path.join(tree, rel))
                taken.append(rel)
            else:
                missing.append(rel)
        out("== hand-in %s: graded files %s" % (submission, ", ".join(taken) or "(none!)"))
        if missing:
            out("   not in the hand-in (the starting version is used): %s"
                % ", ".join(missing))
        return tree

    def main(self, argv=None):
        ap = argparse.ArgumentParser(
            description="Grade the %s lab (%s). Prints each test with its points; exits "
            "0 only with full marks." % (self.name, self.title))
        ap.add_argument("--arch", default=os.environ.get("ARCH", "riscv"),
                        help="riscv, arm64, all (each), or best (each, keep the higher)")
        ap.add_argument("--tree", help="grade this tree (default: the one this grader is in)")
        ap.add_argument("--submission", help="grade a hand-in: a folder (or .zip) with the "
                        "files the lab's students edit")
        ap.add_argument("--results", help="write Gradescope's results.json here")
        ap.add_argument("--build", help="build directory (default: $PAGODA_BUILD or "
                        "TREE/build, per architecture)")
        ap.add_argument("--timeout-scale", type=float,
                        default=float(os.environ.get("PAGODA_TIMEOUT_SCALE", "1")))
        ap.add_argument("--only", metavar="TESTS", help="grade only these tests: numbers "
                        "and tags (host, qemu, ...), comma-separated")
        ap.add_argument("--reviewed", action="store_true", help="the course staff has "
                        "looked at what the hand-in check found: grade every test anyway")
        ap.add_argument("--list", action="store_true", help="list the tests and points")
        ap.add_argument("--list-json", action="store_true", help=argparse.SUPPRESS)
        ap.add_argument("-v", "--verbose", action="store_true")
        ap.add_argument("--keep", action="store_true", help="keep the scratch tree of "
                        "--submission")
        args = ap.parse_args(argv)
        if args.only:
            want = set(x.strip() for x in args.only.split(",") if x.strip())
            self.tests = [t for t in self.tests
                          if str(t.number) in want or want & set(t.tags)]
        if args.list or args.list_json:
            rows = [{"number": t.number, "name": t.name, "points": t.points, "core": t.core,
                     "hidden": t.hidden} for t in self.tests]
            if args.list_json:
                print(json.dumps({"lab": self.name, "title": self.title, "tests": rows}))
            else:
                for r in rows:
                    print("%2d. [%2d] %s%s%s" % (r["number"], r["points"], r["name"],
                                                 " (core)" if r["core"] else "",
                                                 " (hidden)" if r["hidden"] else ""))
                print("total %d points" % sum(r["points"] for r in rows))
            return 0
        out = lambda s: (print(s), sys.stdout.flush())  # noqa: E731
        t0 = time.monotonic()
        scratch = None
        try:
            if args.submission:
                scratch = tempfile.mkdtemp(prefix="pagoda-grade-%s-" % self.name)
                sub = args.submission
                if sub.endswith(".zip"):
                    import zipfile
                    unz = os.path.join(scratch, "handin")
                    with zipfile.ZipFile(sub) as z:
                        z.extractall(unz)
                    sub = unz
                tree = self.submission_tree(os.path.abspath(sub), scratch, out)
                default_build = os.path.join(scratch, "build")
                # the scratch tree goes at the end: keep the logs the report points to
                if not args.keep:
                    self.logroot = os.path.join(
                        os.path.abspath(os.environ.get("PAGODA_BUILD") or
                                        os.path.join(self.root, "build")), "grade-logs", "handin")
                    shutil.rmtree(os.path.join(self.logroot, self.name), ignore_errors=True)
            else:
                tree = os.path.abspath(args.tree or self.root)
                default_build = os.environ.get("PAGODA_BUILD") or os.path.join(tree, "build")
            build_root = os.path.abspath(args.build or default_build)
            self.handin_check(tree, out)
            if args.reviewed and self.review:
                out("   (--reviewed: graded anyway)")
                self.review = []
            arches = available_arches(tree)
            if args.arch in ("all", "best"):
                todo = arches
            elif args.arch in arches:
                todo = [args.arch]
            else:
                out("grade: no architecture %r in %s (have: %s)"
                    % (args.arch, tree, ", ".join(arches)))
                return 2
            graded = [self.grade_arch(tree, a, os.path.join(build_root, a),
                                      args.timeout_scale, args.verbose, out) for a in todo]
            best = max(graded, key=lambda g: (g["score"], -todo.index(g["arch"])))
            note = ""
            if len(graded) > 1:
                note = "; " + ", ".join("%s %d/%d" % (g["arch"], g["score"], g["possible"])
                                        for g in graded)
                out("== %s lab: %s" % (self.name, note[2:]))
            if args.results:
                res = self.results_json(best if args.arch == "best" else graded[0],
                                        time.monotonic() - t0,
                                        note if args.arch == "best" else "")
                problems = validate_results(res)
                if problems:
                    out("grade: results.json would not validate: %s" % problems)
                    return 2
                os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
                with open(args.results, "w") as f:
                    json.dump(res, f, indent=1)
                out("grade: wrote %s" % args.results)
            full = all(g["score"] == g["possible"] for g in
                       ([best] if args.arch == "best" else graded))
            return 0 if full else 1
        finally:
            if scratch and not args.keep:
                shutil.rmtree(scratch, ignore_errors=True)
            elif scratch:
                out("grade: scratch tree kept in %s" % scratch)


def find_in_submission(sub, rel, by_name=True):
    """@rel inside a hand-in: at its path, or the only file whose path ends with it,
    or (for a flat upload, when @by_name) the only file with its base name."""
    p = os.path.join(sub, rel)
    if os.path.isfile(p):
        return p
    ends, bases = [], []
    for d, _, names in os.walk(sub):
        for n in names:
            full = os.path.join(d, n)
            r = os.path.relpath(full, sub).replace(os.sep, "/")
            if r.endswith("/" + rel):
                ends.append(full)
            if n == os.path.basename(rel):
                bases.append(full)
    if len(ends) == 1:
        return ends[0]
    if by_name and len(bases) == 1:
        return bases[0]
    return None


def available_arches(tree):
    d = os.path.join(tree, "arch")
    return sorted(a for a in os.listdir(d) if os.path.exists(os.path.join(d, a, "arch.mk")))
