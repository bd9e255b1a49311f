"""Run Pagoda under QEMU with a time bound, keeping the console log.

Used by tools/test.py, tools/bench-boot.py and the lab graders. Standard
library only.

A run never waits forever: past its timeout QEMU is killed and the run is
reported as a hang, with the console log kept for the student to read.
"""
import os
import shlex
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# PAGODA_BUILD moves every build and log (so two people, or two agents, can
# test one tree at once without sharing build/)
BUILD = os.path.abspath(os.environ.get("PAGODA_BUILD", os.path.join(ROOT, "build")))


def make_dirs(arch):
    """make variables that put this arch's build under BUILD."""
    return ["O=%s" % os.path.join(BUILD, arch), "HOSTO=%s" % os.path.join(BUILD, "host")]


def qemu_command(arch, cpus=1, mem="128M", fsimg=None, extra_make=()):
    """The QEMU argv for a configuration, asked from the Makefile."""
    args = ["make", "-s", "--no-print-directory", "-C", ROOT, "qemu-cmd",
            "ARCH=" + arch, "CPUS=%d" % cpus, "MEM=" + mem] + make_dirs(arch)
    if fsimg:
        args.append("FSIMG_RUN=" + fsimg)
    args += list(extra_make)
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return shlex.split(out.strip().splitlines()[-1])


class Result:
    def __init__(self):
        self.status = None      # QEMU's exit status, or None on timeout
        self.timed_out = False
        self.output = ""
        self.seconds = 0.0
        self.marks = {}         # text -> seconds since start when first seen
        self.log = None

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


def run(cmd, append="", timeout=60.0, log=None, script=None, watch=(), stop_on=None,
        cwd=ROOT):
    """Run QEMU argv `cmd` with kernel arguments `append`.

    script: list of (wait_for_text, text_to_type) pairs fed to the console in
            order; each waits for its text after the previous step's.
    watch:  strings whose first appearance time is recorded in Result.marks.
    stop_on: a string; when it appears (after the script is done) QEMU is
            stopped and the run counts as successful (status 0).
    """
    res = Result()
    argv = list(cmd) + ["-append", append]
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=cwd)
    buf = bytearray()
    lock = threading.Lock()

    def reader():
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            with lock:
                buf.extend(chunk)
                text = buf.decode(errors="replace")
                now = time.monotonic() - start
                for w in watch:
                    if w not in res.marks and w in text:
                        res.marks[w] = now

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    steps = list(script or [])
    pos = 0
    stopped = False
    deadline = start + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            res.timed_out = True
            break
        with lock:
            text = buf.decode(errors="replace")
        if steps:
            wait_for, typed = steps[0]
            idx = text.find(wait_for, pos)
            if idx >= 0:
                pos = idx + len(wait_for)
                steps.pop(0)
                try:
                    proc.stdin.write(typed.encode())
                    proc.stdin.flush()
                except OSError:
                    pass
                continue
        elif stop_on is not None and text.find(stop_on, pos) >= 0:
            stopped = True
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    t.join(timeout=2)
    res.seconds = time.monotonic() - start
    res.output = buf.decode(errors="replace")
    res.status = 0 if stopped else (None if res.timed_out else proc.returncode)
    if log:
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, "w") as f:
            f.write("$ %s -append %s\n" % (" ".join(shlex.quote(a) for a in cmd),
                                          shlex.quote(append)))
            f.write(res.output)
            if res.timed_out:
                f.write("\n*** TIMEOUT after %.0f s: QEMU was killed (hang?) ***\n" % timeout)
        res.log = log
    return res


def parse_ktap(text, indent=None):
    """Return [(ok, name)] for KTAP result lines; indent=None takes every level."""
    results = []
    for line in text.splitlines():
        # strip printk time stamps "[    1.234567] "
        if line.startswith("[") and "] " in line[:20]:
            line = line[line.index("] ") + 2:]
        stripped = line.lstrip(" ")
        level = len(line) - len(stripped)
        if indent is not None and level != indent:
            continue
        for prefix, ok in (("not ok ", False), ("ok ", True)):
            if stripped.startswith(prefix):
                rest = stripped[len(prefix):].split(" ", 1)
                if rest[0].isdigit():
                    name = rest[1] if len(rest) > 1 else ""
                    if "# SKIP" in name:
                        ok = None
                    results.append((ok, name.strip()))
                break
    return results
