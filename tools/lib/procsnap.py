#!/usr/bin/env python3
"""Unpack the output of Pagoda's `procsnap` into a directory that can stand
in for /proc on a Linux host, so that Linux's ps, top, vmstat, free, pmap
and slabtop read Pagoda's processes and numbers.

    python3 tools/lib/procsnap.py CONSOLE_LOG DIR

CONSOLE_LOG is text captured from Pagoda's console while `procsnap` ran
(e.g. `make qemu | tee log`, then type procsnap). DIR receives meminfo,
stat, ..., one directory per PID and `self`, a link to procsnap's PID.
Then, as root (a private mount and PID namespace: the host's /proc is
untouched):

    unshare -m -p -f sh -c 'mount --bind DIR /proc && exec ps -ef'

The archive format is described in user/procsnap.c: "procsnap: file PATH
LEN" lines, the contents with control bytes and backslashes as \\xHH, and
"procsnap: end PATH". Each file is checked against its stated length, so a
kernel message printed in the middle of the snapshot is caught, not read
as data. Standard library only.
"""
import os
import re
import sys

BEGIN = re.compile(r"procsnap: begin self=(\d+)\n")
FILE = re.compile(r"procsnap: file (/proc/\S+) (\d+)\n")


class SnapError(Exception):
    pass


def parse(text):
    """Return (self_pid, {"/proc/x": bytes}) from console text."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    m = BEGIN.search(text)
    if not m:
        raise SnapError("no 'procsnap: begin' line in the log")
    self_pid = int(m.group(1))
    pos = m.end()
    files = {}
    while True:
        if text.startswith("procsnap: done", pos):
            break
        fm = FILE.match(text, pos)
        if not fm:
            raise SnapError("expected a 'procsnap: file' line at: %r" % text[pos:pos + 80])
        path, want = fm.group(1), int(fm.group(2))
        pos = fm.end()
        out = bytearray()
        while len(out) < want:
            if pos >= len(text):
                raise SnapError("%s: log ends inside the file" % path)
            c = text[pos]
            if c == "\\":
                out.append(int(text[pos + 2:pos + 4], 16))
                pos += 4
            else:
                out += c.encode("latin-1", errors="replace")
                pos += 1
        end = "procsnap: end %s\n" % path
        if want > 0 and out[-1:] != b"\n" and text.startswith("\n", pos):
            pos += 1
        if not text.startswith(end, pos):
            raise SnapError("%s: %d bytes stated, but no end marker after them "
                            "(interleaved output?): %r" % (path, want, text[pos:pos + 80]))
        pos += len(end)
        files[path] = bytes(out)
    return self_pid, files


def unpack(self_pid, files, dest):
    """Write the files under dest (dest/meminfo, dest/1/stat, ...) and dest/self."""
    os.makedirs(dest, exist_ok=True)
    for path, data in files.items():
        rel = path[len("/proc/"):]
        full = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    link = os.path.join(dest, "self")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(str(self_pid), link)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], errors="replace") as f:
        text = f.read()
    try:
        self_pid, files = parse(text)
    except SnapError as e:
        print("procsnap.py: %s" % e, file=sys.stderr)
        sys.exit(1)
    unpack(self_pid, files, sys.argv[2])
    print("procsnap.py: %d files of Pagoda's /proc in %s (self = %d)"
          % (len(files), sys.argv[2], self_pid))


if __name__ == "__main__":
    main()
