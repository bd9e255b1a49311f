#!/usr/bin/env python3
"""grade-all.py - `make grade`: run one lab's grader, or every lab's.

  grade-all.py [--lab NAME] [--arch ARCH] [--results FILE] [grader options...]

Without --lab: in a student's tree (.pagoda-lab) its lab, in the reference
tree every lab in labs/. Each grader prints its tests with their points;
this exits non-zero unless every lab graded has full marks.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import labtool  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab")
    ap.add_argument("--arch", default=os.environ.get("ARCH", "riscv"))
    ap.add_argument("--results")
    args, rest = ap.parse_known_args()
    meta = labtool.read_meta(labtool.ROOT)
    names = [args.lab] if args.lab else ([meta["lab"]] if meta else labtool.labs())
    if not names:
        print("grade: no labs (labs/*/grade.py)")
        return 2
    if args.results and len(names) > 1:
        print("grade: --results needs one lab (LAB=name)")
        return 2
    status = 0
    for name in names:
        g = os.path.join(labtool.ROOT, "labs", name, "grade.py")
        if not os.path.exists(g):
            print("grade: no lab '%s' (have: %s)" % (name, ", ".join(labtool.labs())))
            return 2
        cmd = [sys.executable, g, "--arch", args.arch] + rest
        if args.results:
            cmd += ["--results", args.results]
        r = subprocess.run(cmd)
        status = max(status, r.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main())
