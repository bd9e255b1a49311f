#!/usr/bin/env python3
"""labtool.py - Pagoda's lab tooling: solution regions, student trees, hand-in.

  labtool.py list                    the labs, their regions and the files students edit
  labtool.py check                   every LAB marker in the tree is well formed and names
                                     a lab that has a folder in labs/
  labtool.py student LAB DEST        write the student's starting tree for LAB to DEST
                                     (`make lab LAB=pgtbl DEST=dir`)
  labtool.py handin [LAB] [-o ZIP]   zip the files a student hands in for LAB
  labtool.py autograder LAB [-o ZIP] a Gradescope autograder zip (setup.sh,
                                     run_autograder and this tree with its hidden tests)

The student's tree is this repository's files (git's tracked and untracked,
not ignored; or every file outside build/ without git) with:
  - LAB's solution regions replaced by their stubs (tools/lab/markers.py),
  - other labs' regions kept, their marker lines removed,
  - every labs/*/hidden/ folder left out (tests only the course's grader runs),
  - a README.md that starts with where the handout is,
  - a .pagoda-lab file naming the lab and the files the student edits (and
    what the hand-in check finds in their starting versions: handin_check.py).

Standard library only.
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import markers  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
SKIP_DIRS = ("build", ".git", "__pycache__", "tools/testing/out")


def die(msg):
    sys.stderr.write("labtool: %s\n" % msg)
    sys.exit(1)


def tree_files(root):
    """Relative paths of the tree's source files, sorted."""
    files = None
    # .git is a directory in a clone and a file in a git worktree
    if os.path.exists(os.path.join(root, ".git")):
        try:
            out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                                  "--exclude-standard"], capture_output=True, check=True).stdout
            files = [f for f in out.decode().split("\0") if f]
        except (OSError, subprocess.CalledProcessError):
            files = None
    if files is None:
        files = []
        for d, dirs, names in os.walk(root):
            rel = os.path.relpath(d, root)
            dirs[:] = [x for x in dirs
                       if os.path.normpath(os.path.join(rel, x)) not in SKIP_DIRS
                       and x not in (".git", "__pycache__")]
            for n in names:
                if n != ".git":  # a worktree's link to its repository
                    files.append(os.path.normpath(os.path.join(rel, n)))
    return sorted(f for f in set(files)
                  if os.path.isfile(os.path.join(root, f)) and not f.endswith((".pyc", ".o")))


def scanned(rel):
    """Files that may hold solution regions (the tools' own docs show markers as examples)."""
    return markers.style_of(rel) is not None and not is_hidden(rel) and \
        not rel.startswith("tools/lab/")


def is_hidden(rel):
    """labs/<lab>/hidden/...: the graders' private tests, never in a student tree."""
    parts = rel.split("/")
    return len(parts) > 3 and parts[0] == "labs" and parts[2] == "hidden"


def labs(root=ROOT):
    """Lab names: folders of labs/ with a grade.py."""
    d = os.path.join(root, "labs")
    if not os.path.isdir(d):
        return []
    return sorted(x for x in os.listdir(d) if os.path.isfile(os.path.join(d, x, "grade.py")))


def lab_title(lab, root=ROOT):
    try:
        with open(os.path.join(root, "labs", lab, "README.md")) as f:
            first = f.readline().strip()
        title = first.lstrip("#").strip()
        if title.lower().startswith("lab %s:" % lab):  # "# Lab pgtbl: page tables"
            title = title[len("lab %s:" % lab):].strip()
        return title[:1].upper() + title[1:] if title else lab
    except OSError:
        return lab


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def scan(root=ROOT):
    """{lab: [Region]} for the whole tree. Raises markers.MarkerError."""
    found = {}
    for rel in tree_files(root):
        if not scanned(rel):
            continue
        text = read(root, rel)
        if "LAB " not in text:
            continue
        for r in markers.regions(text, rel):
            found.setdefault(r.lab, []).append(r)
    return found


def student_files(lab, root=ROOT):
    """What a student of @lab edits and hands in: files with its regions, and its answers."""
    meta = read_meta(root)
    if meta and meta.get("lab") == lab:
        return list(meta["files"])
    files = sorted({r.path for r in scan(root).get(lab, [])})
    answers = "labs/%s/answers.txt" % lab
    if os.path.isfile(os.path.join(root, answers)):
        files.append(answers)
    return files


def read_meta(root):
    """The .pagoda-lab of a student tree, or None in the reference tree."""
    try:
        with open(os.path.join(root, ".pagoda-lab")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def cmd_list(args):
    try:
        found = scan()
    except markers.MarkerError as e:
        die(str(e))
    for lab in labs():
        regs = found.get(lab, [])
        print("%-8s %s" % (lab, lab_title(lab)))
        print("         %d solution regions; students edit: %s"
              % (len(regs), ", ".join(student_files(lab)) or "(nothing)"))
    for lab in sorted(set(found) - set(labs())):
        print("%-8s (no labs/%s/grade.py!) %d regions" % (lab, lab, len(found[lab])))


def check_tree(root=ROOT, notes=None):
    """Return a list of problems (empty: all markers fine). Regions of a lab that
    has no grader yet are kept as solutions everywhere; they go to @notes."""
    problems = []
    known = set(labs(root))
    for rel in tree_files(root):
        if not scanned(rel):
            continue
        text = read(root, rel)
        if "LAB " not in text:
            continue
        try:
            for r in markers.regions(text, rel):
                if r.lab not in known and notes is not None:
                    notes.append("%s:%d: region of lab '%s', which has no labs/%s/grade.py "
                                 "yet" % (rel, r.begin, r.lab, r.lab))
        except markers.MarkerError as e:
            problems.append(str(e))
    return problems


def cmd_check(args):
    notes = []
    problems = check_tree(notes=notes)
    for n in notes:
        print("note: " + n)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    found = scan()
    print("labtool: %d solution regions of %d labs, all well formed (labs with a grader: %s)"
          % (sum(len(v) for v in found.values()), len(found), ", ".join(labs()) or "none"))


def source_version(root):
    try:
        return subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


STUDENT_README = """\
# Pagoda: the {lab} lab ({title})

This is your starting tree for the **{lab}** lab. Read the handout first:
[labs/{lab}/README.md](labs/{lab}/README.md).

The code you write goes where the tree says `TODO({lab} lab)`, in:

{files}

Until you do, those places stop the kernel with a message such as
`{lab} lab: ...() not implemented yet`.

```sh
make qemu                       # build and boot (Ctrl-A X quits QEMU)
make grade                      # run the {lab} lab's tests, with points
make grade ARCH=arm64           # the same on ARM64
make handin                     # zip what you hand in (build/handin-{lab}.zip)
```

Everything below is Pagoda's own README.

---

"""


def make_student_tree(lab, dest, root=ROOT, force=False, quiet=False):
    """Write @lab's student tree to @dest. Return the list of files students edit."""
    if lab not in labs(root):
        die("no lab '%s' (labs with a grade.py: %s)" % (lab, ", ".join(labs(root)) or "none"))
    problems = check_tree(root)
    if problems:
        die("fix the markers first:\n  " + "\n  ".join(problems))
    dest = os.path.abspath(dest)
    if os.path.abspath(root) == dest or dest.startswith(os.path.abspath(root) + os.sep) and \
            not dest.startswith(os.path.join(os.path.abspath(root), "build") + os.sep):
        die("DEST must be outside the source tree (or under build/): %s" % dest)
    if os.path.exists(dest) and os.listdir(dest):
        if not force:
            die("%s exists and is not empty (use --force to replace it)" % dest)
        shutil.rmtree(dest)
    edited = student_files(lab, root)
    n = 0
    for rel in tree_files(root):
        if is_hidden(rel) or rel == ".pagoda-lab":
            continue
        src = os.path.join(root, rel)
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        text = None
        if scanned(rel):
            text = read(root, rel)
            if "LAB " in text:
                text = markers.transform(text, rel, lab)
            else:
                text = None
        if rel == "README.md":
            listing = "\n".join("- `%s`" % f for f in edited)
            text = STUDENT_README.format(lab=lab, title=lab_title(lab, root),
                                         files=listing) + read(root, rel)
        if text is None:
            shutil.copyfile(src, dst)
        else:
            with open(dst, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
        shutil.copymode(src, dst)
        n += 1
    import handin_check
    baseline = handin_check.counts(handin_check.scan_files(dest, edited))
    with open(os.path.join(dest, ".pagoda-lab"), "w") as f:
        json.dump({"lab": lab, "files": edited, "from": source_version(root),
                   "handin_baseline": baseline}, f, indent=1)
        f.write("\n")
    # the same check a grader makes: nothing of the solution left
    left = []
    for rel in edited:
        p = os.path.join(dest, rel)
        if os.path.exists(p) and ("LAB %s: BEGIN" % lab) in read(dest, rel):
            left.append(rel)
    if left:
        die("solution markers left in %s" % ", ".join(left))
    if not quiet:
        print("labtool: wrote the %s lab's student tree to %s (%d files)" % (lab, dest, n + 1))
        print("labtool: students edit %s; handout labs/%s/README.md" % (", ".join(edited), lab))
    return edited


def cmd_student(args):
    make_student_tree(args.lab, args.dest, force=args.force)


def cmd_handin(args):
    meta = read_meta(ROOT)
    lab = args.lab or (meta or {}).get("lab")
    if not lab:
        die("which lab? (LAB=name)")
    out = args.output or os.path.join(ROOT, "build", "handin-%s.zip" % lab)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    files = student_files(lab)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in files:
            if os.path.exists(os.path.join(ROOT, rel)):
                z.write(os.path.join(ROOT, rel), rel)
    print("labtool: %s holds %s" % (out, ", ".join(files)))
    print("labtool: upload it to the course's autograder (Gradescope: the zip as is)")


RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope entry point for the {lab} lab (made by tools/lab/labtool.py autograder).
# /autograder/source holds the reference tree with its hidden tests; the
# student's files are taken from /autograder/submission, everything else
# (tests, kernel, tools) from the source.
cd /autograder/source || exit 1
mkdir -p /autograder/results
python3 labs/{lab}/grade.py --submission /autograder/submission --arch best \\
	--timeout-scale 2 --results /autograder/results/results.json
exit 0
"""

SETUP_SH = """#!/usr/bin/env bash
# Gradescope image setup for the {lab} lab: toolchains and QEMU for both
# architectures (Ubuntu/Debian names, as tools/install-deps.sh installs them).
set -e
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y make python3 gcc \\
	{packages}
"""


def arch_packages(root):
    pkgs = []
    for arch in sorted(os.listdir(os.path.join(root, "arch"))):
        mk = os.path.join(root, "arch", arch, "arch.mk")
        if not os.path.exists(mk):
            continue
        with open(mk) as f:
            for line in f:
                if line.startswith("ARCH_PACKAGES"):
                    pkgs += line.split("=", 1)[1].split()
    return " ".join(sorted(set(pkgs)) + ["device-tree-compiler"])


def cmd_autograder(args):
    lab = args.lab
    if lab not in labs():
        die("no lab '%s'" % lab)
    out = args.output or os.path.join(ROOT, "build", "autograder-%s.zip" % lab)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    def add_text(z, name, text):
        info = zipfile.ZipInfo(name)
        info.external_attr = (stat.S_IFREG | 0o755) << 16
        z.writestr(info, text)

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        add_text(z, "setup.sh", SETUP_SH.format(lab=lab, packages=arch_packages(ROOT)))
        add_text(z, "run_autograder", RUN_AUTOGRADER.format(lab=lab))
        for rel in tree_files(ROOT):
            if rel in ("setup.sh", "run_autograder"):
                continue
            z.write(os.path.join(ROOT, rel), rel)
    print("labtool: %s: upload as the %s assignment's autograder (Gradescope: Ubuntu base image)"
          % (out, lab))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd")
    sub.add_parser("list")
    sub.add_parser("check")
    p = sub.add_parser("student")
    p.add_argument("lab")
    p.add_argument("dest")
    p.add_argument("--force", action="store_true", help="replace a non-empty DEST")
    p = sub.add_parser("handin")
    p.add_argument("lab", nargs="?")
    p.add_argument("-o", "--output")
    p = sub.add_parser("autograder")
    p.add_argument("lab")
    p.add_argument("-o", "--output")
    args = ap.parse_args()
    if not args.cmd:
        ap.print_help()
        sys.exit(2)
    {"list": cmd_list, "check": cmd_check, "student": cmd_student, "handin": cmd_handin,
     "autograder": cmd_autograder}[args.cmd](args)


if __name__ == "__main__":
    main()
