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
               architecture (tools/testing/lib/ktest-host.c runs each test
               in its own process)
  ktest boot   the kernel booted with ktest=SUITES: in-kernel KTAP
  user boot    the kernel booted to run one user program (-- PROG ARGS)

Results cannot be forged by printing them: every QEMU run gets a fresh
random token (ktoken= on the kernel command line, and as an argument to
the lab's user programs), and only result lines that end in
"# ktoken:TOKEN" count; a "not ok" line for a test always wins over an
"ok" line; a test with no line at all failed. Every QEMU run is bounded in
time (--timeout-scale for slow machines) and its console log is kept
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import pagoda_qemu as pq  # noqa: E402
import labtool  # noqa: E402

TS = re.compile(r"^\[\s*\d+\.\d+\] ")
RESULT = re.compile(r"^(\s*)(not ok|ok) (\d+) (.*?)\s*$")
PANIC = re.compile(r"Kernel panic - not syncing: .*")
HOST_CFLAGS = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
               "-fno-omit-frame-pointer", "-Wall", "-Wextra", "-Wno-unused-parameter",
               "-Werror"]
GRADESCOPE_VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")


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

    def qemu(self, name, append, timeout, cpus=2, mem="128M"):
        """Boot once with @append (cached by @name). Return pagoda_qemu.Result."""
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
            res = pq.run(cmd, append, timeout=timeout * self.scale, log=log, cwd=self.tree)
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


def parse_results(lines, token=None):
    """Token-checked KTAP results: {name: [(ok, indent, diagnostics)]}.

    A line counts only if it carries "ktoken:TOKEN" (when a token is given).
    Diagnostics are the "# ..." lines since the previous result line. The
    results of a suite's cases are also listed under "suite/NAME", so that a
    failed suite can show why.
    """
    out = {}
    diag = []
    raw = []  # other output since the last result: a sanitizer's report, say
    suite = None
    for line in lines:
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
        name, _, directive = rest.partition(" # ")
        if token is not None and ("ktoken:" + token) not in directive:
            continue
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


class HostSuite:
    """Host unit tests: the tree's kernel sources + the lab's tests, built for the host."""

    def __init__(self, lab, name, kernel_sources, tests, include=(), force_include=None,
                 hidden_tests=(), timeout=120):
        self.lab = lab
        self.name = name
        self.kernel_sources = list(kernel_sources)
        self.tests = list(tests)
        self.hidden_tests = list(hidden_tests)
        self.include = list(include)
        self.force_include = force_include
        self.timeout = timeout

    def _files(self, ctx, patterns):
        import glob
        files = []
        for p in patterns:
            files += sorted(os.path.relpath(f, ctx.tree) for f in glob.glob(ctx.path(p)))
        return files

    def run(self, ctx):
        key = "host:" + self.name
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
                ["-c", src, "-o", obj]
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=ctx.tree)
            if r.returncode != 0:
                errors.append("$ %s\n%s" % (" ".join(cmd), r.stderr))
                if kernel:  # the tests include the same headers: one report is enough
                    break
            objs.append(obj)
        prog = os.path.join(odir, "%s-%s-test" % (self.lab.name, self.name))
        res = {"log": log, "error": None, "results": {}, "output": ""}
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
            ctx.cache[key] = res
            return res
        ctx.out("  ..     running the host tests (%s headers, each test at most %d s)"
                % (ctx.arch, 5 * ctx.scale))
        env = dict(os.environ, KTEST_TIMEOUT=str(int(5 * ctx.scale)),
                   ASAN_OPTIONS="detect_leaks=0")
        try:
            # one stream, in order: a sanitizer's report (stderr) sits above its test's result
            r = subprocess.run([prog], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, timeout=self.timeout * ctx.scale)
            out = r.stdout
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or "")
            out += "\n# the host test program ran over %d s and was killed: a test that " \
                "loops forever?\n" % (self.timeout * ctx.scale)
        with open(log, "w") as f:
            f.write(out)
        res["output"] = out
        res["results"] = parse_results(out.splitlines())
        ctx.cache[key] = res
        return res

    def case(self, name, hidden=False):
        def judge(ctx):
            res = self.run(ctx)
            if res["error"]:
                return Verdict(False, res["error"], res["log"])
            v = judge_result(res["results"], name, lambda: (
                "no result for host test %s (did the test program crash?)\nlast output:\n%s"
                % (name, tail(res["output"], 12))))
            v.log = res["log"]
            return v
        # a hidden test runs only where its folder exists (never in a student's tree)
        judge.needs = [os.path.dirname(t) for t in self.hidden_tests] if hidden else []
        return judge


class KtestBoot:
    """One boot with ktest=SUITES; judges read token-checked KTAP from it."""

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
            token = secrets.token_hex(8)
            res = ctx.qemu(self.name, "ktest=%s panic=-1 ktoken=%s %s"
                           % (",".join(self.suites_), token, self.bootargs),
                           self.timeout, cpus=self.cpus)
            res.results = parse_results(res.lines, token)
            res.token = token
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
    """One boot running a user program: `-- PROG TOKEN ARGS...`."""

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
            token = secrets.token_hex(8)
            res = ctx.qemu(self.name, "panic=-1 %s -- %s %s %s"
                           % (self.bootargs, self.program, token, " ".join(self.args)),
                           self.timeout, cpus=self.cpus)
            res.results = parse_results(res.lines, token)
            res.token = token
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
            if not v.ok:
                kills = [l for l in res.lines if "killed:" in l]
                if kills and "panicked" not in v.output:
                    v.output += "\nkernel messages:\n" + "\n".join(kills[-5:])
                if "console log" not in v.output:
                    v.output += "\nconsole log: %s" % res.log
            return v
        judge.needs = []
        return judge

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
        self.logroot = None  # where grade-logs/ go, if not beside the build

    def host_suite(self, name, **kw):
        return HostSuite(self, name, **kw)

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
        ok, msg = ctx.kernel_built()
        out("  %-6s build kernel, user programs and fs.img%s"
            % ("ok" if ok else "FAIL", "" if ok else " (kernel tests below cannot pass)"))
        shown = {}  # output text -> number of the test that printed it
        for t in self.tests:
            needs = getattr(t.judge, "needs", [])
            if t.hidden and needs and not all(ctx.exists(n) for n in needs):
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
        ap.add_argument("--list", action="store_true", help="list the tests and points")
        ap.add_argument("--list-json", action="store_true", help=argparse.SUPPRESS)
        ap.add_argument("-v", "--verbose", action="store_true")
        ap.add_argument("--keep", action="store_true", help="keep the scratch tree of "
                        "--submission")
        args = ap.parse_args(argv)
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
