"""Checks of Pagoda's /proc against Linux's procps (tools/test.py, stage procps).

One boot per architecture: at the shell, Pagoda's own ps, vmstat and top
run, then `procsnap` prints all of /proc (user/procsnap.c). The snapshot is
laid out as a directory (procsnap.py) and bind-mounted over /proc in a
private mount and PID namespace (`unshare -m -p -f`, needs root), where
the host's free, vmstat, ps, pmap, slabtop and top read it. Every check
compares what a tool printed with the figures in the snapshot's files, so
a tool that silently printed zeros, or the host's own processes, fails.

Standard library only.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

import procsnap

HOST_TOOLS = ["free", "vmstat", "ps", "pmap", "slabtop", "top", "unshare", "mount"]
SCRIPT = [
    ("$ ", "ps -ef\n"),
    ("$ ", "vmstat\n"),
    ("$ ", "vmstat 1 2\n"),
    ("$ ", "top\n"),
    ("$ ", "procsnap\n"),
]
STOP_ON = "procsnap: done"


class Snapshot:
    """The captured /proc: text of its files, parsed where the checks need it."""

    def __init__(self, self_pid, files):
        self.self_pid = self_pid
        self.files = files
        self.pids = sorted(int(p.split("/")[2]) for p in files
                           if re.fullmatch(r"/proc/\d+/stat", p))

    def text(self, rel):
        return self.files.get("/proc/" + rel, b"").decode(errors="replace")

    def meminfo(self, name):
        m = re.search(r"^%s:\s+(\d+)" % re.escape(name), self.text("meminfo"), re.M)
        return int(m.group(1)) if m else None

    def stat_field(self, name):
        m = re.search(r"^%s (\d+)" % re.escape(name), self.text("stat"), re.M)
        return int(m.group(1)) if m else None

    def cpu_total(self):
        return [int(x) for x in self.text("stat").splitlines()[0].split()[1:]]

    def pid_stat(self, pid):
        """{pid, comm, state, ppid, starttime, vsize, rss} from /proc/PID/stat."""
        line = self.text("%d/stat" % pid)
        comm = line[line.index("(") + 1:line.rindex(")")]
        f = line[line.rindex(")") + 2:].split()
        return {"pid": pid, "comm": comm, "state": f[0], "ppid": int(f[1]),
                "starttime": int(f[19]), "vsize": int(f[20]), "rss": int(f[21])}


    def sh_pid(self):
        """The shell init started (name sh, parent 1), or 0."""
        for pid in self.pids:
            s = self.pid_stat(pid)
            if s["comm"] == "sh" and s["ppid"] == 1:
                return pid
        return 0

    def consistent(self, pid, explain=False):
        """Do /proc/PID's files agree with each other? (explain: the figures)"""
        s = self.pid_stat(pid)
        status = dict(ln.split(":", 1) for ln in self.text("%d/status" % pid).splitlines()
                      if ":" in ln)
        kb = {k: int(v.split()[0]) for k, v in status.items() if v.strip().endswith("kB")}
        statm = [int(x) for x in self.text("%d/statm" % pid).split()]
        size = rss = 0
        for line in self.text("%d/smaps" % pid).splitlines():
            if line.startswith("Size:"):
                size += int(line.split()[1])
            elif line.startswith("Rss:"):
                rss += int(line.split()[1])
        cmd = self.files.get("/proc/%d/cmdline" % pid, b"").split(b"\0")[0].decode()
        figures = {"stat vsize KiB": s["vsize"] // 1024, "stat rss KiB": s["rss"] * 4,
                   "status": (kb.get("VmSize"), kb.get("VmRSS")),
                   "statm KiB": (statm[0] * 4, statm[1] * 4), "smaps": (size, rss),
                   "names": (s["comm"], self.text("%d/comm" % pid).strip(),
                             status.get("Name", "").strip(), cmd)}
        if explain:
            return figures
        if s["state"] == "Z" or kb.get("VmSize") is None:
            return statm[:2] == [0, 0] and s["vsize"] == 0
        one = (s["vsize"] // 1024, s["rss"] * 4)
        names = figures["names"]
        return (one == figures["status"] == figures["statm KiB"] == (size, rss) and
                names[0] == names[1] == names[2] and names[3].endswith(names[0]))


def host_tool(snapdir, argv, env_extra=None):
    """Run argv with the snapshot bound over /proc. Return CompletedProcess."""
    env = dict(os.environ, LC_ALL="C", COLUMNS="200", TZ="UTC")
    env.update(env_extra or {})
    script = 'mount --bind "$0" /proc && exec "$@"'
    return subprocess.run(["unshare", "-m", "-p", "-f", "sh", "-c", script, snapdir] + argv,
                          capture_output=True, text=True, env=env, timeout=30)


def namespace_problem(snapdir):
    """None if tools can run over the snapshot, else why not (for a skip)."""
    missing = [t for t in HOST_TOOLS if shutil.which(t) is None]
    if missing:
        return "host commands missing: %s (tools/install-deps.sh installs procps, util-linux)" \
            % " ".join(missing)
    try:
        r = host_tool(snapdir, ["cat", "/proc/meminfo"])
    except (OSError, subprocess.SubprocessError) as e:
        return "cannot run unshare: %s" % e
    if r.returncode != 0 or "MemTotal:" not in r.stdout:
        return ("cannot bind the snapshot over /proc in a private mount namespace "
                "(unshare -m -p -f needs root): %s" % (r.stderr.strip() or r.returncode))
    return None


def check_pagoda_tools(t, arch, out, snap):
    """Pagoda's own ps, vmstat and top, from the console output."""
    sh = snap.sh_pid()
    ps_self = re.search(r"^\s*(\d+)\s+%d\s+R\s.*\bps -ef\s*$" % sh, out, re.M)
    ok = (re.search(r"^\s+1\s+0\s+S\s.*\binit\s*$", out, re.M) and
          re.search(r"^\s+%d\s+1\s+S\s.*\bsh\s*$" % sh, out, re.M) and ps_self)
    t.add(bool(ok), "%s procps: Pagoda's ps lists init (1), sh (%d) and itself (%s)"
          % (arch, sh, ps_self.group(1) if ps_self else "?"), out[-1500:])

    blocks = re.findall(r" r  b   swpd.*\n((?:[ \d]+\n)+)", out)
    free_ok = False
    detail = "vmstat output not found"
    if len(blocks) >= 2 and snap.meminfo("MemFree") is not None:
        first = [int(x) for x in blocks[0].split("\n")[0].split()]
        lines = [ln.split() for ln in blocks[1].strip().split("\n")]
        mem_free = snap.meminfo("MemFree")
        free_ok = abs(first[3] - mem_free) <= 1024 and len(lines) == 2
        per_sec = [int(x) for x in lines[1]]
        cpu_sum = sum(per_sec[12:17])
        free_ok = free_ok and per_sec[10] > 0 and 98 <= cpu_sum <= 102
        detail = "vmstat free %d vs MemFree %d; vmstat 1 2 lines: %s" % (first[3], mem_free,
                                                                         lines)
    t.add(free_ok, "%s procps: Pagoda's vmstat shows MemFree (within 1 MiB of /proc/meminfo); "
          "vmstat 1 2 prints a second line with interrupts/s and CPU %% adding up to 100"
          % arch, detail)

    m = re.search(r"^Tasks:\s+(\d+) total,\s+(\d+) running", out, re.M)
    mem = re.search(r"^KiB Mem :\s+(\d+) total", out, re.M)
    top_part = out[out.find("Tasks:"):out.find("$ ", out.find("Tasks:"))]
    rows = re.findall(r"^\s+\d+ [RSDZ] ", top_part, re.M)
    top_ok = (m and int(m.group(1)) == len(rows) >= 3 and int(m.group(2)) >= 1 and mem and
              int(mem.group(1)) == snap.meminfo("MemTotal") and
              re.search(r"^\s+1 S .* init$", out, re.M) and
              re.search(r"^\s+\d+ R .* top$", out, re.M) and
              re.search(r"^top - \d\d:\d\d:\d\d up .* load average: \d+\.\d\d", out, re.M))
    t.add(bool(top_ok), "%s procps: Pagoda's top counts the tasks it lists (init, sh, top), "
          "shows MemTotal and the load average" % arch, out[-2000:])


def check_host_tools(t, arch, snap, snapdir, captured_at):
    name = "%s procps: host" % arch
    why = namespace_problem(snapdir)
    if why:
        t.add(None, "%s free/vmstat/ps/pmap/slabtop/top over the snapshot: %s" % (name, why))
        return

    total, free = snap.meminfo("MemTotal"), snap.meminfo("MemFree")
    r = host_tool(snapdir, ["free", "-k"])
    m = re.search(r"^Mem:\s+(\d+)\s+\d+\s+(\d+)", r.stdout, re.M)
    t.add(bool(m) and (int(m.group(1)), int(m.group(2))) == (total, free),
          "%s free: total %s and free %s kB are MemTotal and MemFree" % (name, total, free),
          r.stdout + r.stderr)

    r = host_tool(snapdir, ["vmstat"])
    rs = host_tool(snapdir, ["vmstat", "-s"])
    row = r.stdout.strip().split("\n")[-1].split() if r.returncode == 0 else []
    want = [snap.stat_field("procs_running"), snap.stat_field("procs_blocked"), 0, free,
            snap.meminfo("Buffers"), snap.meminfo("Cached") + snap.meminfo("SReclaimable")]
    cpu = snap.cpu_total()
    s_want = {"K total memory": total, "K free memory": free,
              "non-nice user cpu ticks": cpu[0], "system cpu ticks": cpu[2],
              "idle cpu ticks": cpu[3], "IO-wait cpu ticks": cpu[4],
              "CPU context switches": snap.stat_field("ctxt"),
              "boot time": snap.stat_field("btime"), "forks": snap.stat_field("processes"),
              "K paged in": int(re.search(r"pgpgin (\d+)", snap.text("vmstat")).group(1))}
    s_got = {}
    for line in rs.stdout.splitlines():
        mm = re.match(r"\s*(\d+) (.*\S)\s*$", line)
        if mm:
            s_got[mm.group(2)] = int(mm.group(1))
    bad = {k: (s_got.get(k), v) for k, v in s_want.items() if s_got.get(k) != v}
    t.add(row[:6] == [str(x) for x in want] and not bad,
          "%s vmstat: r b swpd free buff cache are /proc's; vmstat -s: memory, CPU ticks, "
          "context switches, boot time, forks, pgpgin" % name,
          "vmstat row %s, want %s; vmstat -s mismatches %s\n%s" % (row, want, bad, r.stderr))

    r = host_tool(snapdir, ["ps", "-eo", "pid=,ppid=,stat=,vsz=,rss=,comm="])
    got = {}
    for line in r.stdout.splitlines():
        f = line.split(None, 5)
        if len(f) == 6:
            got[int(f[0])] = (int(f[1]), f[2][0], int(f[3]), int(f[4]), f[5].strip())
    want = {}
    for pid in snap.pids:
        s = snap.pid_stat(pid)
        want[pid] = (s["ppid"], s["state"], s["vsize"] // 1024, s["rss"] * 4, s["comm"])
    sh = snap.sh_pid()
    t.add(got == want and 1 in got and sh in got and got[1][4] == "init" and got[sh][4] == "sh",
          "%s ps -e: every Pagoda process (init 1, sh, ...) with its ppid, state, VSZ, "
          "RSS and name" % name, "ps printed %s\nwant %s\n%s" % (got, want, r.stderr))

    # STIME/lstart: btime + starttime (the RTC's date), and the RTC near the host's clock
    btime = snap.stat_field("btime")
    r = host_tool(snapdir, ["ps", "-o", "lstart=", "-p", "1"])
    start = btime + snap.pid_stat(1)["starttime"] // 100
    want_lstart = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(start))
    up = float(snap.text("uptime").split()[0])
    t.add(r.stdout.split() == want_lstart.split() and abs(btime + up - captured_at) < 600,
          "%s ps -o lstart: init started at btime + starttime (%s UTC), and Pagoda's "
          "real-time clock agrees with the host's" % (name, want_lstart),
          "ps printed %r; btime %d + uptime %.0f vs host %.0f" % (r.stdout, btime, up,
                                                                  captured_at))

    r = host_tool(snapdir, ["pmap", "-x", "1"])
    maps = [ln.split()[0].split("-") for ln in snap.text("1/maps").splitlines()]
    sizes, rss = {}, {}
    cur = None
    for line in snap.text("1/smaps").splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            cur = int(line.split("-")[0], 16)
        elif line.startswith("Size:"):
            sizes[cur] = int(line.split()[1])
        elif line.startswith("Rss:"):
            rss[cur] = int(line.split()[1])
    rows = {}
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) >= 5 and re.fullmatch(r"[0-9a-f]{16}", f[0]):
            rows[int(f[0], 16)] = (int(f[1]), int(f[2]))
    want = {int(a, 16): (sizes[int(a, 16)], rss[int(a, 16)]) for a, _ in maps}
    tot = re.search(r"^total kB\s+(\d+)\s+(\d+)", r.stdout, re.M)
    t.add(rows == want and len(rows) >= 3 and tot and
          (int(tot.group(1)), int(tot.group(2))) == (sum(sizes.values()), sum(rss.values())),
          "%s pmap -x 1: init's %d mappings with their addresses, sizes and RSS, and the "
          "totals" % (name, len(want)), "pmap printed %s\nwant %s\n%s"
          % (rows, want, r.stdout + r.stderr))

    r = host_tool(snapdir, ["slabtop", "-o"])
    active = objs = 0
    names = []
    for line in snap.text("slabinfo").splitlines()[2:]:
        f = line.split()
        active, objs = active + int(f[1]), objs + int(f[2])
        names.append(f[0])
    m = re.search(r"Active / Total Objects \(% used\)\s*:\s*(\d+) / (\d+)", r.stdout)
    t.add(bool(m) and (int(m.group(1)), int(m.group(2))) == (active, objs) and
          re.search(r"\btask_struct\b", r.stdout) is not None and "task_struct" in names,
          "%s slabtop -o: active/total objects %d/%d summed from slabinfo, caches such as "
          "task_struct" % (name, active, objs), r.stdout[:1500] + r.stderr)

    r = host_tool(snapdir, ["top", "-b", "-n", "1"])
    states = [snap.pid_stat(p)["state"] for p in snap.pids]
    m = re.search(r"Tasks:\s+(\d+) total,\s+(\d+) running,\s+(\d+) sleeping", r.stdout)
    load = snap.text("loadavg").split()[:3]
    lm = re.search(r"load average: ([\d.]+), ([\d.]+), ([\d.]+)", r.stdout)
    mem = re.search(r"MiB Mem :\s+([\d.]+) total", r.stdout)
    procs_ok = all(re.search(r"^\s*%d .* %s\s*$" % (p, re.escape(snap.pid_stat(p)["comm"])),
                             r.stdout, re.M) for p in snap.pids)
    t.add(bool(m) and (int(m.group(1)), int(m.group(2)), int(m.group(3))) ==
          (len(states), states.count("R"), states.count("S") + states.count("D")) and
          bool(lm) and list(lm.groups()) == load and bool(mem) and
          abs(float(mem.group(1)) - total / 1024) < 0.06 and procs_ok,
          "%s top -b -n 1: tasks by state, load average, MiB Mem total and every process"
          % name, r.stdout[:2000] + r.stderr)


def stage(t, arch, run_boot, logpath, scale):
    """Boot (run_boot(script, stop_on) -> Result), check Pagoda's tools, then the host's."""
    res = run_boot(SCRIPT, STOP_ON)
    captured_at = time.time()
    out = res.output.replace("\r", "")
    if res.timed_out or STOP_ON not in out:
        t.add(False, "%s procps: boot, run ps/vmstat/top and procsnap" % arch,
              "no snapshot (timed out: %s); console log: %s" % (res.timed_out, res.log))
        return
    try:
        self_pid, files = procsnap.parse(out + "\n")
    except procsnap.SnapError as e:
        t.add(False, "%s procps: procsnap's archive decodes" % arch,
              "%s; console log: %s" % (e, res.log))
        return
    snap = Snapshot(self_pid, files)
    need = ["meminfo", "stat", "uptime", "loadavg", "cpuinfo", "vmstat", "slabinfo",
            "1/stat", "1/status", "1/statm", "1/cmdline", "1/maps", "1/smaps",
            "%d/stat" % self_pid]
    missing = [n for n in need if "/proc/" + n not in files]
    t.add(not missing and 1 in snap.pids and snap.sh_pid() in snap.pids,
          "%s procps: snapshot of /proc has %d files, PIDs %s (self %d)"
          % (arch, len(files), snap.pids, self_pid),
          "missing %s; console log: %s" % (missing, res.log))
    if missing:
        return
    bad = [p for p in snap.pids if not snap.consistent(p)]
    t.add(not bad, "%s procps: for every process, stat's vsize/rss = status VmSize/VmRSS = "
          "statm = the sums of its smaps, and comm/cmdline/status name it alike" % arch,
          "inconsistent: %s" % {p: snap.consistent(p, explain=True) for p in bad})
    check_pagoda_tools(t, arch, out, snap)
    snapdir = tempfile.mkdtemp(prefix="pagoda-proc-%s-" % arch)
    try:
        procsnap.unpack(self_pid, files, snapdir)
        check_host_tools(t, arch, snap, snapdir, captured_at)
    finally:
        shutil.rmtree(snapdir, ignore_errors=True)
