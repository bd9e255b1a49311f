"""Instruction counts per function with valgrind's callgrind (for make bench).

Counts are inclusive (a function plus everything it calls) and deterministic
for a given binary and input, unlike timers on a shared machine.
"""
import os
import re
import subprocess
import tempfile


def inclusive_counts(argv, funcs, toggle_collect=()):
    """Run argv under callgrind; return {function: inclusive instructions}.

    toggle_collect: collect only inside these functions (--toggle-collect),
    so setup code does not count. Functions that did not run are missing.
    """
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
        cmd += ["--toggle-collect=" + f for f in toggle_collect]
        subprocess.run(cmd + list(argv), check=True, capture_output=True)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                             check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+)\s", line)
        if not m:
            continue
        for f in funcs:
            if f not in counts and re.search(r"[:\s]%s\s*(\[|$)" % re.escape(f), line):
                counts[f] = int(m.group(1).replace(",", ""))
    return counts
