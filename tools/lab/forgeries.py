#!/usr/bin/env python3
"""forgeries.py - forged hand-ins, kept as regression tests of the lab graders.

A dishonest student edits only the files a lab hands in, but those files are
compiled into the very programs that test them. Each forgery here is such a
hand-in, built the cheap ways that used to earn points without the work:
leave every host test early, print the lines a grader looks for, steal the
grader's token, kill every forked child so that "must be refused" checks
pass, keep a fast-looking lookup that is a walk. `make test` (stage
"forgeries", on every architecture) grades each one and fails if it scores
anything on a test it targets.

labs/<lab>/forgeries/<name>/ holds:

  forgery.txt    fakes:   what it fakes, in one line
                 targets: the tests it aims at, as grade.py --only takes them
                          (numbers and tags: host, qemu, ...)
                 base:    student (the starting tree's files) or reference
                          (the solution, then the edits below)
                 review:  yes if the hand-in check (handin_check.py) must
                          flag it, no if it need not (it then proves that the
                          verdicts alone give it 0)
                 shows:   text that proves the forgery ran, to be found in the
                          grader's output or its logs (a forgery that does
                          not build or never runs proves nothing)
  PATH.after-includes   text put after the last #include line of PATH (a
                        file the lab's students edit, at its place in the tree)
  PATH.replace          edits of PATH: blocks of
                          <<<<<<<
                          text that is there (exactly once)
                          =======
                          what replaces it
                          >>>>>>>

Every forgery is graded twice: as handed in (the hand-in check must say
"needs review by the course staff" where review is yes, and every target
scores 0), and with --reviewed, as if the staff had let it through (every
target must still score 0: the verdicts alone catch it).

  forgeries.py list                      every forgery: lab, name, targets, what it fakes
  forgeries.py write LAB NAME DIR        the forged hand-in (files at their paths) in DIR,
                                         for `labs/LAB/grade.py --submission DIR`
  forgeries.py check [--arch A]... [LAB[/NAME]]...
                                         grade them (what make test runs)

Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import handin_check  # noqa: E402
import labtool  # noqa: E402
import markers  # noqa: E402

ROOT = labtool.ROOT


class Forgery:
    def __init__(self, lab, name, path):
        self.lab = lab
        self.name = name
        self.path = path
        meta = {}
        with open(os.path.join(path, "forgery.txt")) as f:
            for line in f:
                if ":" in line and not line.startswith("#"):
                    k, v = line.split(":", 1)
                    meta[k.strip()] = v.strip()
        self.fakes = meta.get("fakes", "")
        self.targets = meta.get("targets", "")
        self.base = meta.get("base", "student")
        self.review = meta.get("review", "no") == "yes"
        self.shows = meta.get("shows", "")
        if self.base not in ("student", "reference") or not self.targets:
            raise ValueError("%s: forgery.txt needs targets: and base: student|reference"
                             % path)

    def files(self, root=ROOT):
        """{path: text} of the forged hand-in."""
        out = {}
        for d, _, names in os.walk(self.path):
            for n in sorted(names):
                full = os.path.join(d, n)
                rel = os.path.relpath(full, self.path)
                for suffix in (".after-includes", ".replace"):
                    if rel.endswith(suffix):
                        target = rel[:-len(suffix)]
                        text = out.get(target)
                        if text is None:
                            text = base_text(self.lab, target, self.base, root)
                        with open(full) as f:
                            edit = f.read()
                        out[target] = (after_includes if suffix == ".after-includes"
                                       else replace)(text, edit, full)
        return out


def base_text(lab, rel, base, root):
    """@rel as the starting tree has it (base student), or as the solution (reference)."""
    with open(os.path.join(root, rel), encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    return markers.transform(text, rel, lab if base == "student" else "(the solution)")


def after_includes(text, insert, where):
    ends = [m.end() for m in re.finditer(r"^#\s*include\b.*\n", text, re.M)]
    if not ends:
        raise ValueError("%s: no #include line to put the text after" % where)
    return text[:ends[-1]] + insert + text[ends[-1]:]


def replace(text, edits, where):
    blocks = re.findall(r"^<<<<<<<\n(.*?)^=======\n(.*?)^>>>>>>>\n", edits, re.M | re.S)
    if not blocks:
        raise ValueError("%s: no <<<<<<< ... ======= ... >>>>>>> block" % where)
    for old, new in blocks:
        if text.count(old) != 1:
            raise ValueError("%s: the text to replace is there %d times, not once:\n%s"
                             % (where, text.count(old), old))
        text = text.replace(old, new)
    return text


def load(root=ROOT):
    """Every forgery, sorted by lab and name."""
    out = []
    for lab in labtool.labs(root):
        d = os.path.join(root, "labs", lab, "forgeries")
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if os.path.isfile(os.path.join(d, name, "forgery.txt")):
                    out.append(Forgery(lab, name, os.path.join(d, name)))
    return out


# ---- the check (make test) -----------------------------------------------------------

def sync_tree(root, dest):
    """Make @dest a copy of @root's source files, touching only what differs (so that
    builds in @dest stay incremental between runs)."""
    want = set(labtool.tree_files(root))
    for rel in want:
        src, dst = os.path.join(root, rel), os.path.join(dest, rel)
        try:
            with open(src, "rb") as a, open(dst, "rb") as b:
                if a.read() == b.read():
                    continue
        except OSError:
            pass
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        shutil.copymode(src, dst)
    for d, dirs, names in os.walk(dest):
        rel_d = os.path.relpath(d, dest)
        if rel_d == "." and "build" in dirs:
            dirs.remove("build")
        for n in names:
            rel = os.path.normpath(os.path.join(rel_d, n))
            if rel not in want:
                os.unlink(os.path.join(d, n))


def write_files(tree, files):
    for rel, text in files.items():
        p = os.path.join(tree, rel)
        with open(p, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        os.utime(p)  # newer than anything built from what was there


def grade(tree, lab, arch, targets, results, build, scale, reviewed, log):
    """Grade @tree with this repository's grader (whose tree is the reference)."""
    cmd = [sys.executable, os.path.join(ROOT, "labs", lab, "grade.py"), "--tree", tree,
           "--arch", arch, "--only", targets, "--results", results, "--build", build,
           "--timeout-scale", str(scale)] + (["--reviewed"] if reviewed else [])
    if os.path.exists(results):
        os.unlink(results)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800 * scale)
    with open(log, "w") as f:
        f.write("$ %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    try:
        with open(results) as f:
            return r, json.load(f)
    except (OSError, ValueError):
        return r, None


def check(t, arches, scale, only=(), root=ROOT, work=None):
    """Grade every forgery (or those named in @only, "lab" or "lab/name") on @arches;
    add one result per forgery and architecture to the tally @t (t.add(ok, name, why))."""
    build_root = os.environ.get("PAGODA_BUILD") or os.path.join(root, "build")
    work = work or os.path.join(build_root, "forgeries")
    tree = os.path.join(work, "tree")
    logs = os.path.join(work, "logs")
    os.makedirs(tree, exist_ok=True)
    os.makedirs(logs, exist_ok=True)
    t0 = time.monotonic()
    sync_tree(root, tree)
    forgeries = [f for f in load(root)
                 if not only or f.lab in only or "%s/%s" % (f.lab, f.name) in only]
    for arch in arches:
        for f in forgeries:
            name = "forgeries: %s/%s scores 0 on %s, tests %s" % (f.lab, f.name, arch,
                                                                f.targets)
            files = f.files(root)
            edited = labtool.student_files(f.lab, root)
            stray = [p for p in files if p not in edited]
            if stray:
                t.add(False, name, "it changes files the lab's students do not hand in: %s"
                      % stray)
                continue
            write_files(tree, files)
            problems = []
            try:
                found = handin_check.check(tree, edited,
                                           handin_check.starting_counts(f.lab, root))
                tag = "%s-%s-%s" % (f.lab, f.name, arch)
                if f.review:
                    if not found:
                        problems.append("the hand-in check found nothing")
                    res = os.path.join(logs, tag + "-handin.json")
                    r, j = grade(tree, f.lab, arch, f.targets, res, os.path.join(work, "build"),
                                 scale, False, os.path.join(logs, tag + "-handin.log"))
                    if "needs review by the course staff" not in r.stdout:
                        problems.append("the grader did not say \"needs review by the course "
                                        "staff\" (log %s)" % os.path.join(logs, tag +
                                                                        "-handin.log"))
                    problems += scored(j, "as handed in", os.path.join(logs, tag +
                                                                       "-handin.log"))
                res = os.path.join(logs, tag + ".json")
                log = os.path.join(logs, tag + ".log")
                shutil.rmtree(os.path.join(work, "build", "grade-logs", f.lab, arch),
                              ignore_errors=True)  # "shows" must come from this run
                r, j = grade(tree, f.lab, arch, f.targets, res, os.path.join(work, "build"),
                             scale, True, log)
                problems += scored(j, "with --reviewed", log)
                if "does not build" in r.stdout or "do not compile" in r.stdout:
                    problems.append("the forged tree does not build, so it proves nothing "
                                    "(log %s)" % log)
                elif f.shows and not shown(f.shows, r.stdout + json.dumps(j), os.path.join(
                        work, "build", "grade-logs", f.lab, arch)):
                    problems.append("no sign that the forgery ran (\"%s\" is in neither the "
                                    "grader's output nor its logs; log %s)" % (f.shows, log))
            finally:
                sync_tree(root, tree)  # the reference's files again, newer than any build
            t.add(not problems, name, "; ".join(problems))
    print("  (forgeries stage: %.0f s)" % (time.monotonic() - t0))


def shown(text, output, logdir):
    """Is @text in @output or in a log of @logdir?"""
    if text in output:
        return True
    for n in os.listdir(logdir) if os.path.isdir(logdir) else []:
        try:
            with open(os.path.join(logdir, n), errors="replace") as f:
                if text in f.read():
                    return True
        except OSError:
            pass
    return False


def scored(j, how, log):
    """Problems if the results @j give any targeted test points."""
    if j is None:
        return ["graded %s: no results.json (log %s)" % (how, log)]
    tests = [x for x in j["tests"] if x.get("max_score", 0) > 0]
    if not tests:
        return ["graded %s: no test was graded (log %s)" % (how, log)]
    got = ["%s (%s/%s)" % (x["name"], x["score"], x["max_score"]) for x in tests
           if x["score"] > 0]
    return ["graded %s it scored on %s (log %s)" % (how, ", ".join(got), log)] if got else []


# ---- command line -------------------------------------------------------------------------

class PrintTally:
    def __init__(self):
        self.failed = 0

    def add(self, ok, name, detail=""):
        print("  %-5s %s%s" % ("ok" if ok else "FAIL", name,
                               ("\n        " + detail) if detail and not ok else ""))
        sys.stdout.flush()
        self.failed += not ok


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd")
    sub.add_parser("list")
    p = sub.add_parser("write")
    p.add_argument("lab")
    p.add_argument("name")
    p.add_argument("dest")
    p = sub.add_parser("check")
    p.add_argument("--arch", action="append")
    p.add_argument("--timeout-scale", type=float, default=1.0)
    p.add_argument("which", nargs="*", help="LAB or LAB/NAME (default: all)")
    args = ap.parse_args()
    if args.cmd == "list":
        for f in load():
            print("%-8s %-16s targets %-10s %s%s" % (f.lab, f.name, f.targets, f.fakes,
                                                     "" if f.review else " (no review)"))
    elif args.cmd == "write":
        f = next((x for x in load() if x.lab == args.lab and x.name == args.name), None)
        if not f:
            sys.exit("forgeries: no forgery %s/%s" % (args.lab, args.name))
        for rel, text in f.files().items():
            p = os.path.join(args.dest, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as out:
                out.write(text)
            print("forgeries: wrote %s" % p)
    elif args.cmd == "check":
        arches = args.arch or [a for a in ("arm64", "riscv")
                               if os.path.exists(os.path.join(ROOT, "arch", a, "arch.mk"))]
        t = PrintTally()
        check(t, arches, args.timeout_scale, set(args.which))
        sys.exit(1 if t.failed else 0)
    else:
        ap.print_help()
        sys.exit(2)


if __name__ == "__main__":
    main()
