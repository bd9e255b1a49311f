#!/usr/bin/env python3
"""Try Pagoda as a newcomer would: on a fresh Debian 12 root, clone, make.

`make fresh-check` (root only) proves that the README's two commands work on
a machine that has nothing but a minimal Debian 12, git, make and sudo:

  1. a pristine Debian 12 root: `debootstrap --variant=minbase bookworm` from
     the Debian mirror this machine's apt is configured with (cached as a
     tarball under the build directory for a week; every check unpacks a
     fresh copy), with this machine's apt sources;
  2. the newcomer's own setup: git, make and sudo from apt, and a user
     `newcomer` who may sudo without a password (install-deps.sh installs
     through sudo when not root, the usual case);
  3. as that user: `git clone` of this repository's committed HEAD, then
     `make qemu` (driven: wait for the shell prompt, run `ls`, quit with
     Ctrl-A X), `make qemu ARCH=arm64` (the same), and `make test`.

Each command's result is printed, `make test`'s with its closing
"N passed, N failed" line; the exit status is non-zero if any failed.

Commands in the root run in their own mount and PID namespaces (unshare):
/proc, /dev and /sys are mounted there only, and every process, QEMU
included, dies with the namespace when a command ends, times out or this
script dies. Nothing stays mounted or running on this machine, even if the
check is killed.

Logs are kept under build/fresh-check/logs/ (PAGODA_BUILD moves the
directory); the root itself only when a command failed, for inspection,
until the next check. Uncommitted changes are not
part of the check: it clones what is committed.

usage: tools/fresh-check.py [--timeout-scale X] [--refresh]
"""
import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("PAGODA_BUILD", os.path.join(ROOT, "build")))
WORK = os.path.join(BUILD, "fresh-check")
LOGS = os.path.join(WORK, "logs")
CHROOT = os.path.join(WORK, "root")
SUITE = "bookworm"
USER = "newcomer"
CACHE_DAYS = 7
# what the newcomer has before typing anything: git to clone, make to type
# `make`, sudo (install-deps.sh asks apt through it)
NEWCOMER_PACKAGES = ["git", "make", "sudo"]
HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Runs as PID 1 of fresh mount and PID namespaces: mounts what QEMU and the
# tests need into the root, then becomes the command (as root or as $USER).
IN_NAMESPACE = r"""
set -e
r=$1 who=$2 cmd=$3
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount --rbind /sys "$r/sys"
mount -t tmpfs tmpfs "$r/run"
if [ "$who" = root ]; then
	exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "$cmd"
fi
exec chroot "$r" /usr/sbin/runuser -l "$who" -c "$cmd"
"""


def die_with_parent():
    """preexec_fn: the command (unshare, and so its namespace) dies with us."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, 9)    # PR_SET_PDEATHSIG, SIGKILL


def say(msg):
    print("fresh-check: " + msg, flush=True)


def die(msg, status=1):
    say(msg)
    sys.exit(status)


def mounted_under(path):
    """Mount points at or below @path in this mount namespace."""
    path = os.path.realpath(path)
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mnt = line.split()[4].replace("\\040", " ")
            if mnt == path or mnt.startswith(path + "/"):
                found.append(mnt)
    return found


def remove_root():
    if not os.path.exists(CHROOT):
        return
    busy = mounted_under(CHROOT)
    if busy:
        die("refusing to delete %s: still mounted there: %s" % (CHROOT, ", ".join(busy)))
    subprocess.run(["rm", "-rf", "--one-file-system", CHROOT], check=True)


def apt_mirror():
    """The Debian mirror this machine's apt uses (FRESH_MIRROR overrides)."""
    if os.environ.get("FRESH_MIRROR"):
        return os.environ["FRESH_MIRROR"]
    uris = []
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            for stanza in re.split(r"\n\s*\n", f.read()):
                fields = dict(re.findall(r"^(\S+):\s*(.*)$", stanza, re.M))
                if "deb" in fields.get("Types", "").split() and \
                        SUITE in fields.get("Suites", "").split():
                    uris += fields.get("URIs", "").split()
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    m = re.match(r"\s*deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+" + SUITE + r"\s", line)
                    if m:
                        uris.append(m.group(1))
    if not uris:
        die("no apt source for Debian %s found in /etc/apt (sources.list, sources.list.d/); "
            "set FRESH_MIRROR=http://deb.debian.org/debian" % SUITE, 2)
    return uris[0]


def run_logged(argv, log, timeout, env=None):
    """Run @argv with its output in @log; return (status or None on timeout, seconds)."""
    start = time.monotonic()
    with open(log, "w") as f:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=f,
                                stderr=subprocess.STDOUT, env=env,
                                preexec_fn=die_with_parent)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            status = None
    return status, time.monotonic() - start


def tail(log, n=15):
    with open(log, errors="replace") as f:
        lines = f.read().splitlines()
    return "\n".join("    | " + line for line in lines[-n:])


def in_root(who, cmd):
    """argv that runs shell command @cmd in the root as @who, in new namespaces."""
    return ["unshare", "--mount", "--pid", "--fork", "--kill-child", "--propagation", "private",
            "/bin/sh", "-c", IN_NAMESPACE, "sh", CHROOT, who, cmd]


CLEAN_ENV = {"PATH": HOST_PATH, "LANG": "C.UTF-8"}


def root_step(name, who, cmd, timeout):
    log = os.path.join(LOGS, name + ".log")
    status, secs = run_logged(in_root(who, cmd), log, timeout, env=CLEAN_ENV)
    if status != 0:
        why = "timed out after %d s" % timeout if status is None else "exit status %s" % status
        die("%s failed (%s): %s\n%s\n  log: %s" % (name, why, cmd, tail(log), log))
    return secs


def pristine_tarball(mirror, refresh, scale):
    """A tarball of a fresh minbase root, rebuilt when missing or a week old.

    Return: (its path, True if it was just built: CHROOT then holds that root)
    """
    key = hashlib.sha256((SUITE + " " + mirror).encode()).hexdigest()[:12]
    tarball = os.path.join(WORK, "%s-minbase-%s.tar" % (SUITE, key))
    if os.path.exists(tarball) and not refresh and \
            time.time() - os.path.getmtime(tarball) < CACHE_DAYS * 86400:
        say("pristine root: cached %s (from %s; --refresh rebuilds it)"
            % (os.path.relpath(tarball, ROOT), time.strftime(
                "%Y-%m-%d", time.localtime(os.path.getmtime(tarball)))))
        return tarball, False
    say("debootstrap --variant=minbase %s from %s ..." % (SUITE, mirror))
    remove_root()
    log = os.path.join(LOGS, "debootstrap.log")
    status, secs = run_logged(["debootstrap", "--variant=minbase", SUITE, CHROOT, mirror],
                              log, 1200 * scale, env=CLEAN_ENV)
    if status != 0:
        die("debootstrap failed (%s)\n%s\n  log: %s"
            % ("timeout" if status is None else "status %s" % status, tail(log), log))
    tmp = tarball + ".tmp"
    subprocess.run(["tar", "-C", CHROOT, "--numeric-owner", "-cf", tmp, "."], check=True)
    os.replace(tmp, tarball)
    for old in glob.glob(os.path.join(WORK, "*-minbase-*.tar")):
        if old != tarball:
            os.unlink(old)
    say("  debootstrap: %.0f s" % secs)
    return tarball, True


def configure_root():
    """Name service files and this machine's apt sources (for the same release)."""
    etc = os.path.join(CHROOT, "etc")
    shutil.copy("/etc/resolv.conf", os.path.join(etc, "resolv.conf"))
    # as an installed Debian has it (sudo looks its host name up)
    with open(os.path.join(etc, "hosts"), "w") as f:
        f.write("127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                % os.uname().nodename)
    srcs = [p for p in ["/etc/apt/sources.list"] +
            sorted(glob.glob("/etc/apt/sources.list.d/*.list")) +
            sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
            if os.path.exists(p)]
    text = "".join(open(p).read() for p in srcs)
    if SUITE not in text:
        return      # another release: keep debootstrap's sources.list
    os.unlink(os.path.join(etc, "apt", "sources.list"))
    for p in srcs:
        shutil.copy(p, os.path.join(etc, p[len("/etc/"):]))


class Console:
    """`make qemu` with its console on a pipe: wait for text, type."""

    def __init__(self, argv, log):
        self.buf = bytearray()
        self.cv = threading.Condition()
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=CLEAN_ENV,
                                     preexec_fn=die_with_parent)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            with self.cv:
                if not chunk:
                    self.cv.notify_all()
                    return
                self.buf += chunk
                self.log.write(chunk)
                self.log.flush()
                self.cv.notify_all()

    def expect(self, text, start, deadline):
        """Position after @text's first appearance at or after @start, or None."""
        text = text.encode()
        with self.cv:
            while True:
                at = self.buf.find(text, start)
                if at >= 0:
                    return at + len(text)
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.cv.wait(min(left, 1.0))

    def type(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def finish(self, timeout):
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()     # unshare: takes its whole namespace along
            self.proc.wait()
            status = None
        self.log.close()
        return status


def make_qemu(arch, scale):
    """`make qemu [ARCH=arm64]` in the clone, driven to the shell and out again."""
    name = "make qemu" + (" ARCH=" + arch if arch != "riscv" else "")
    log = os.path.join(LOGS, "make-qemu-%s.log" % arch)
    start = time.monotonic()
    con = Console(in_root(USER, "cd pagoda && " + name), log)
    # the build (and, the first time, installing the tools) comes first
    deadline = start + (1800 if arch == "riscv" else 900) * scale
    at = con.expect("*** Pagoda on", 0, deadline)
    prompt = at and con.expect("$ ", at, deadline)
    ok = False
    if prompt:
        booted = time.monotonic() - start
        # `ls` lists the file system image (README.md is on it): the shell
        # runs programs, not just prints a prompt
        con.type("ls\n")
        end = time.monotonic() + 60 * scale
        listed = con.expect("README.md", prompt, end)
        ok = bool(listed and con.expect("$ ", listed, end))
        con.type("\x01x")
    status = con.finish(60 * scale)
    secs = time.monotonic() - start
    if ok and status == 0:
        return True, "%-24s ok: shell prompt after %.0f s, `ls` ran, Ctrl-A X quit QEMU" % (
            name, booted)
    if not at:
        why = "no QEMU start within %.0f s" % (secs)
    elif not prompt:
        why = "QEMU started but no shell prompt"
    elif not ok:
        why = "`ls` at the prompt did not list README.md"
    else:
        why = "exit status %s after Ctrl-A X" % status
    return False, "%-24s FAILED: %s (%.0f s)\n%s\n    log: %s" % (name, why, secs, tail(log), log)


def make_test(scale):
    log = os.path.join(LOGS, "make-test.log")
    status, secs = run_logged(in_root(USER, "cd pagoda && make test"), log, 3000 * scale,
                              env=CLEAN_ENV)
    with open(log, errors="replace") as f:
        sums = re.findall(r"^(\d+ passed, (\d+) failed.*)$", f.read(), re.M)
    summary = sums[-1][0] if sums else "no \"N passed, N failed\" line"
    # keep the console logs of failed runs once the root is gone
    kept = os.path.join(LOGS, "test-logs")
    shutil.rmtree(kept, ignore_errors=True)
    src = os.path.join(CHROOT, "home", USER, "pagoda", "build", "test-logs")
    if os.path.isdir(src):
        shutil.copytree(src, kept)
    if status == 0 and sums and sums[-1][1] == "0":
        return True, "%-24s ok: %s (%.0f s)" % ("make test", summary, secs)
    why = "timed out" if status is None else "exit status %s" % status
    return False, "%-24s FAILED: %s, %s (%.0f s)\n%s\n    log: %s, console logs: %s" % (
        "make test", summary, why, secs, tail(log, 30), log, kept)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    help="multiply every time limit (slow machine)")
    ap.add_argument("--refresh", action="store_true",
                    help="rebuild the cached pristine root even if it is recent")
    args = ap.parse_args()
    scale = args.timeout_scale
    if os.geteuid() != 0:
        die("must run as root: it builds a Debian root with debootstrap and chroots into "
            "it (sudo make fresh-check)", 2)
    if not shutil.which("apt-get"):
        die("needs a Debian or Ubuntu machine (apt-get, debootstrap)", 2)
    os.makedirs(LOGS, exist_ok=True)
    t0 = time.monotonic()
    # the one install script: debootstrap and the archive keys it checks with
    r = subprocess.run([os.path.join(ROOT, "tools", "install-deps.sh"), "debootstrap",
                        "debian-archive-keyring"], cwd=ROOT)
    if r.returncode != 0:
        die("tools/install-deps.sh could not install debootstrap", 2)
    mirror = apt_mirror()
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                      capture_output=True, text=True).stdout.strip():
        say("note: uncommitted changes are not checked (it clones HEAD, %s)" % head)

    tarball, built = pristine_tarball(mirror, args.refresh, scale)
    if not built:           # else CHROOT is the root debootstrap just made
        remove_root()
        os.makedirs(CHROOT)
        subprocess.run(["tar", "-C", CHROOT, "--numeric-owner", "-xpf", tarball], check=True)
    configure_root()
    bundle = os.path.join(CHROOT, "tmp", "pagoda.bundle")
    subprocess.run(["git", "-C", ROOT, "bundle", "create", "-q", bundle, "HEAD"], check=True)
    os.chmod(bundle, 0o644)
    secs = root_step("newcomer-setup", "root",
                     "set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; "
                     "apt-get install -y -qq --no-install-recommends %s; "
                     "useradd -m -s /bin/bash %s; "
                     "echo '%s ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/%s; "
                     "chmod 440 /etc/sudoers.d/%s"
                     % (" ".join(NEWCOMER_PACKAGES), USER, USER, USER, USER), 900 * scale)
    root_step("clone", USER, "git clone -q /tmp/pagoda.bundle pagoda", 300 * scale)
    say("Debian 12 root ready in %.0f s (%s: minbase + %s; user %s; clone of %s)"
        % (time.monotonic() - t0, os.path.relpath(CHROOT, ROOT),
           " ".join(NEWCOMER_PACKAGES), USER, head))

    results = []
    for arch in ("riscv", "arm64"):
        ok, line = make_qemu(arch, scale)
        say(line)
        results.append(ok)
    ok, line = make_test(scale)
    say(line)
    results.append(ok)
    total = time.monotonic() - t0
    if all(results):
        remove_root()       # about 2.5 GB, nothing to look at
        say("PASS: a fresh Debian 12 root runs make qemu and make test (%.0f s; logs in %s)"
            % (total, os.path.relpath(LOGS, ROOT)))
        return 0
    say("FAIL: %d of %d commands failed (%.0f s; logs in %s; the root stays in %s until "
        "the next check: chroot into it to look)" % (results.count(False), len(results), total,
                                                     os.path.relpath(LOGS, ROOT),
                                                     os.path.relpath(CHROOT, ROOT)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
