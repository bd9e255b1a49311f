#!/usr/bin/env python3
"""`make stress`: boot Pagoda hundreds of times under parallel load and report
every run that did not end clean.

Some bugs show only when the host is overloaded: a virtual CPU's thread is
descheduled at the wrong instruction and a race that never fires on a quiet
machine fires. `make test` boots each configuration once or twice; this
boots the same configurations many times, with several QEMUs per host core
at once, each run bounded by a timeout and given its own copy of fs.img.

  tools/stress.py [--arch riscv] [--runs 300] [--jobs N] [--only ktest-cpus3,...]
                  [--timeout-scale X] [--keep-all]

  --runs N     boots per architecture (default 300), shared among the jobs
               below in proportion to their weights
  --jobs N     QEMUs running at once (default 2 x the host's cores)
  --only a,b   run only the named jobs

A run is clean when QEMU exited with status 0 within its timeout, the kernel
booted exactly once (one "Pagoda kernel (" banner), nothing panicked and the
job's own check passed (for example "# ktest: N passed, 0 failed"). The
report gives, per architecture and job: runs, clean, unclean, runs in which
the kernel logged a boot-entry warning (a CPU that reached the kernel's boot
entry and was made to join as a secondary: clean, but worth knowing), and the
wall time. Each unclean run is listed with its console log (kept under
build/stress-logs/) and the first lines of the reason. The exit status is
non-zero when any run was unclean.

Besides the boots, each architecture gets one long system-call fuzzing run
(sysfuzz-200k: 200,000 random calls in batches racing on two CPUs, with a
fresh seed printed in its log; clean when sysfuzz prints its PASS verdict:
the kernel survived and MemFree came back within 1% of its start).

To add a job, append a Job to JOBS: its boot arguments, CPU count, timeout,
weight (0 for one run per architecture) and the text a clean run must print.
"""
import argparse
import concurrent.futures
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pagoda_qemu as pq  # noqa: E402

ROOT = pq.ROOT
LOGDIR = os.path.join(pq.BUILD, "stress-logs")
TMPDIR = os.path.join(pq.BUILD, "stress-tmp")
BANNER = "Pagoda kernel ("
# printed by the kernel when a CPU arrived at the boot entry and joined as a
# secondary instead of running boot again (arch/*/head.S, the boot-entry lottery)
BOOT_ENTRY_WARNING = "entered the kernel at its boot entry"


class Job:
    """One boot configuration to repeat.

    name:    short name used in the report and log file names
    cpus:    QEMU -smp
    append:  the kernel command line
    timeout: seconds on an idle machine (multiplied by --timeout-scale and by
             the load factor, see main)
    weight:  share of --runs this job gets (0: one run per architecture)
    expect:  a regular expression the console output must match
    """

    def __init__(self, name, cpus, append, timeout, weight, expect):
        self.name = name
        self.cpus = cpus
        self.append = append
        self.timeout = timeout
        self.weight = weight
        self.expect = expect


# The configurations make test runs, boot after boot. usertests runs its quick
# set (-q): the whole suite takes a minute even on an idle machine, and what
# this target hunts (start-up, power-off, SMP races) is the same either way.
JOBS = [
    Job("ktest-cpus3", 3, "ktest=all panic=-1 slab_debug", 60, 2,
        r"# ktest: \d+ passed, 0 failed"),
    Job("ktest-cpus4", 4, "ktest=all panic=-1 slab_debug", 60, 2,
        r"# ktest: \d+ passed, 0 failed"),
    Job("usertests-cpus3", 3, "panic=-1 slab_debug -- usertests -q", 150, 1,
        r"# usertests: \d+ passed, 0 failed"),
    # 200,000 random system calls, batches racing on two CPUs; {seed} is the
    # run's own (printed by sysfuzz, so a failure can be replayed)
    Job("sysfuzz-200k", 3, "panic=-1 -- sysfuzz -s {seed} -n 200000 -j 2", 400, 0,
        r"sysfuzz: PASS"),
]


def unclean_reason(job, res):
    """Why a run is not clean: a few lines of text, or None when it is clean."""
    out = res.output
    lines = out.splitlines()
    reasons = []
    panic_at = next((i for i, l in enumerate(lines)
                     if "Kernel panic" in l or "Unable to handle kernel" in l
                     or "kernel stack overflow" in l), None)
    if panic_at is not None:
        reasons.append("panic: " + " | ".join(l.strip() for l in lines[panic_at:panic_at + 3]))
    banners = out.count(BANNER)
    if banners != 1:
        reasons.append("the kernel booted %d times (banner \"%s\")" % (banners, BANNER))
    if res.timed_out:
        last = next((l.strip() for l in reversed(lines) if l.strip()), "")
        reasons.append("timeout after %.0f s (last line: %s)" % (res.seconds, last[:160]))
    elif res.status != 0:
        reasons.append("QEMU exit status %s" % res.status)
    if not re.search(job.expect, out):
        fails = [l.strip() for l in lines if l.lstrip(" [0123456789.]").startswith("not ok")]
        reasons.append("no /%s/ in the output%s" % (
            job.expect, ("; " + "; ".join(fails[:3])) if fails else ""))
    return "\n".join(reasons) if reasons else None


def plan_runs(arches, jobs, runs):
    """The boots to make, in order: each architecture's share of `runs` split
    among the jobs by weight, each job's runs spread evenly through the
    list and the architectures interleaved, so the load stays mixed."""
    total_weight = sum(j.weight for j in jobs)
    per_arch = []
    for arch in arches:
        items = []
        for job in jobs:
            n = max(1, round(runs * job.weight / total_weight)) if job.weight else 1
            items += [((i + 0.5) / n, arch, job, i) for i in range(n)]
        items.sort(key=lambda it: (it[0], it[2].name))
        per_arch.append([it[1:] for it in items])
    merged = itertools.zip_longest(*per_arch)
    return [item for group in merged for item in group if item is not None]


class Stats:
    def __init__(self):
        self.runs = 0
        self.clean = 0
        self.warned = 0
        self.seconds = 0.0
        self.unclean = []  # (log, reason)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", action="append")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 1))
    ap.add_argument("--only", help="comma-separated job names: " +
                    ",".join(j.name for j in JOBS))
    ap.add_argument("--timeout-scale", type=float,
                    default=float(os.environ.get("PAGODA_TIMEOUT_SCALE", "1")))
    ap.add_argument("--keep-all", action="store_true",
                    help="keep every console log, not only the unclean ones")
    args = ap.parse_args()
    arches = args.arch or sorted(a for a in os.listdir(os.path.join(ROOT, "arch"))
                                 if os.path.exists(os.path.join(ROOT, "arch", a, "arch.mk")))
    jobs = JOBS
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in [j.name for j in JOBS]]
        if unknown:
            sys.exit("stress: unknown job %s (jobs: %s)" % (
                ",".join(unknown), ",".join(j.name for j in JOBS)))
        jobs = [j for j in JOBS if j.name in names]

    for arch in arches:
        r = subprocess.run(["make", "-s", "-j2", "ARCH=" + arch, "all"] + pq.make_dirs(arch),
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("stress: %s build failed:\n%s" % (arch, (r.stdout + r.stderr)[-3000:]))

    # The QEMU command line per (arch, cpus), asked once; each run swaps in
    # its own disk image.
    placeholder = os.path.join(TMPDIR, "DISK.img")
    cmds = {}
    for arch in arches:
        for job in jobs:
            if (arch, job.cpus) not in cmds:
                cmds[arch, job.cpus] = pq.qemu_command(arch, cpus=job.cpus, fsimg=placeholder)

    queue = plan_runs(arches, jobs, args.runs)

    # With more QEMUs than cores every run is slower; scale the timeouts by
    # the oversubscription so a slow run is not mistaken for a hang.
    cores = os.cpu_count() or 1
    load = max(1.0, args.jobs / cores)
    os.makedirs(LOGDIR, exist_ok=True)
    os.makedirs(TMPDIR, exist_ok=True)
    stats = {}
    lock = threading.Lock()
    done = [0]
    start = time.monotonic()

    def one(arch, job, i):
        tag = "%s-%s-%03d" % (arch, job.name, i)
        disk = os.path.join(TMPDIR, "fs-%s-%d.img" % (tag, os.getpid()))
        shutil.copyfile(os.path.join(pq.BUILD, arch, "fs.img"), disk)
        cmd = [a.replace(placeholder, disk) for a in cmds[arch, job.cpus]]
        log = os.path.join(LOGDIR, tag + ".log")
        try:
            append = job.append.replace("{seed}", str(random.randrange(1, 1 << 31)))
            res = pq.run(cmd, append, timeout=job.timeout * args.timeout_scale * load,
                         log=log)
        finally:
            os.unlink(disk)
        reason = unclean_reason(job, res)
        warned = BOOT_ENTRY_WARNING in res.output
        if reason is None and not warned and not args.keep_all:
            os.unlink(log)
        with lock:
            s = stats.setdefault((arch, job.name), Stats())
            s.runs += 1
            s.seconds += res.seconds
            s.warned += warned
            if reason is None:
                s.clean += 1
            else:
                s.unclean.append((log, reason))
            done[0] += 1
            if reason is not None or warned or done[0] % 20 == 0 or done[0] == len(queue):
                print("[%4d/%d %5.0f s] %s%s" % (
                    done[0], len(queue), time.monotonic() - start, tag,
                    (": UNCLEAN: " + reason.splitlines()[0]) if reason
                    else (": boot-entry warning (clean)" if warned else "")), flush=True)

    print("stress: %d boots on %s, %d at once (%d host cores), jobs: %s" % (
        len(queue), " ".join(arches), args.jobs, cores, " ".join(j.name for j in jobs)),
        flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        futures = [ex.submit(one, *item) for item in queue]
        for f in futures:
            f.result()
    wall = time.monotonic() - start

    print("\n%-7s %-18s %6s %6s %8s %9s %10s" % (
        "arch", "job", "runs", "clean", "unclean", "boot-entry", "avg run"))
    unclean_total = 0
    for arch in arches:
        for job in jobs:
            s = stats.get((arch, job.name))
            if not s:
                continue
            unclean_total += len(s.unclean)
            print("%-7s %-18s %6d %6d %8d %9d %9.1fs" % (
                arch, job.name, s.runs, s.clean, len(s.unclean), s.warned,
                s.seconds / s.runs))
    for arch in arches:
        for job in jobs:
            s = stats.get((arch, job.name))
            for log, reason in (s.unclean if s else []):
                print("\nUNCLEAN %s %s: %s\n  %s" % (arch, job.name, log,
                                                     reason.replace("\n", "\n  ")))
    print("\nstress: %d runs, %d unclean, wall time %.0f s" % (len(queue), unclean_total, wall))
    sys.exit(1 if unclean_total else 0)


if __name__ == "__main__":
    main()
