"""Solution regions: the parts of the reference tree that a lab's students write.

A region sits on lines of its own. In C, assembler and linker-script files:

        /* LAB pgtbl: BEGIN task 2: walk down from the root */
        ...the reference solution...
        /* LAB pgtbl: ELSE
         * LAB_TODO("pgtbl", "walk_to_level()");
         */
        /* LAB pgtbl: END */

and in files with '#' comments (Python, shell, make, text):

        # LAB pgtbl: BEGIN task 2: ...
        ...the reference solution...
        # LAB pgtbl: ELSE
        # stub line
        # LAB pgtbl: END

The ELSE part (optional) is the stub: its lines, without the comment
prefix (" * " or "# ", written at the BEGIN line's indentation), replace
the region in the student's tree. The text after BEGIN (optional) is a hint
that becomes a "TODO(pgtbl lab) ..." comment above the stub. Regions do not
nest. Regions of other labs keep their solution; only their marker lines
go.

Standard library only; used by tools/lab/labtool.py and the graders.
"""
import os
import re

C_EXTS = (".c", ".h", ".S", ".ld", ".lds")
HASH_EXTS = (".py", ".sh", ".mk", ".txt", ".cfg")
HASH_NAMES = ("Makefile", "run_autograder")

# Anything that looks like a marker must be a well-formed one.
LOOSE = re.compile(r"\bLAB\s+([\w-]+)\s*:\s*(BEGIN|ELSE|END)\b")


class MarkerError(Exception):
    def __init__(self, path, line, msg):
        Exception.__init__(self, "%s:%d: %s" % (path, line, msg))
        self.path = path
        self.line = line


class Region:
    """One solution region: lines [begin, end] (1-based, inclusive)."""

    def __init__(self, lab, path, begin, indent, hint):
        self.lab = lab
        self.path = path
        self.begin = begin
        self.end = None
        self.indent = indent
        self.hint = hint
        self.solution = []
        self.stub = None  # list of lines, or None without ELSE

    def __repr__(self):
        return "Region(%s, %s:%d-%s)" % (self.lab, self.path, self.begin, self.end)


def style_of(path):
    """'c', 'hash' or None (a file in which markers are not looked for)."""
    base = os.path.basename(path)
    if base.endswith(C_EXTS):
        return "c"
    if base.endswith(HASH_EXTS) or base in HASH_NAMES:
        return "hash"
    return None


def _patterns(style):
    if style == "c":
        return (re.compile(r"^([ \t]*)/\* LAB ([\w-]+): BEGIN(?:[ \t]+(.*?))?[ \t]*\*/[ \t]*$"),
                re.compile(r"^([ \t]*)/\* LAB ([\w-]+): ELSE[ \t]*$"),
                re.compile(r"^([ \t]*)/\* LAB ([\w-]+): END[ \t]*\*/[ \t]*$"))
    return (re.compile(r"^([ \t]*)# LAB ([\w-]+): BEGIN(?:[ \t]+(.*?))?[ \t]*$"),
            re.compile(r"^([ \t]*)# LAB ([\w-]+): ELSE[ \t]*$"),
            re.compile(r"^([ \t]*)# LAB ([\w-]+): END[ \t]*$"))


def parse(text, path):
    """Split @text into a list of str (plain lines) and Region objects.

    Raises MarkerError for anything malformed, naming the file and line.
    """
    style = style_of(path)
    lines = text.split("\n")
    out = []
    if style is None:
        return list(lines)
    begin_re, else_re, end_re = _patterns(style)
    cur = None
    in_stub = False
    i = 0
    while i < len(lines):
        line = lines[i]
        n = i + 1
        i += 1
        if in_stub:
            if style == "c":
                if re.match(r"^[ \t]*\*/[ \t]*$", line):
                    in_stub = False
                    continue
                m = re.match(r"^" + re.escape(cur.indent) + r" \*(?: (.*))?$", line)
                if not m:
                    raise MarkerError(path, n, "stub line must start with '%s * ' "
                                      "(or close the ELSE comment with '*/')" % cur.indent)
                cur.stub.append(m.group(1) or "")
                continue
            if end_re.match(line):
                in_stub = False  # fall through to END handling
            else:
                m = re.match(r"^" + re.escape(cur.indent) + r"#(?: (.*))?$", line)
                if not m:
                    raise MarkerError(path, n, "stub line must start with '%s# '" % cur.indent)
                cur.stub.append(m.group(1) or "")
                continue
        loose = LOOSE.search(line)
        if not loose:
            if cur is not None:
                if cur.stub is not None:
                    raise MarkerError(path, n, "code after the ELSE stub of the region "
                                      "opened at line %d (expected LAB %s: END)"
                                      % (cur.begin, cur.lab))
                cur.solution.append(line)
            else:
                out.append(line)
            continue
        kind = loose.group(2)
        pat = {"BEGIN": begin_re, "ELSE": else_re, "END": end_re}[kind]
        m = pat.match(line)
        if not m:
            raise MarkerError(path, n, "malformed %s marker: %r" % (kind, line.strip()))
        lab = m.group(2)
        if kind == "BEGIN":
            if cur is not None:
                raise MarkerError(path, n, "regions do not nest: the region of lab %s "
                                  "opened at line %d is still open" % (cur.lab, cur.begin))
            cur = Region(lab, path, n, m.group(1), (m.group(3) or "").strip())
            continue
        if cur is None:
            raise MarkerError(path, n, "%s without BEGIN" % kind)
        if lab != cur.lab:
            raise MarkerError(path, n, "%s of lab %s inside the region of lab %s (line %d)"
                              % (kind, lab, cur.lab, cur.begin))
        if kind == "ELSE":
            if cur.stub is not None:
                raise MarkerError(path, n, "second ELSE in one region")
            cur.stub = []
            in_stub = True
            continue
        cur.end = n
        out.append(cur)
        cur = None
    if in_stub:
        raise MarkerError(path, len(lines), "the ELSE comment opened in the region at line %d "
                          "is never closed" % cur.begin)
    if cur is not None:
        raise MarkerError(path, cur.begin, "region of lab %s is never closed (no END)" % cur.lab)
    return out


def regions(text, path):
    return [p for p in parse(text, path) if isinstance(p, Region)]


def transform(text, path, lab):
    """The student's version of a file: @lab's regions stubbed, others' markers gone."""
    style = style_of(path)
    out = []
    for part in parse(text, path):
        if not isinstance(part, Region):
            out.append(part)
            continue
        if part.lab != lab:
            out.extend(part.solution)
            continue
        if part.hint:
            if style == "c":
                out.append("%s/* TODO(%s lab) %s */" % (part.indent, lab, part.hint))
            else:
                out.append("%s# TODO(%s lab) %s" % (part.indent, lab, part.hint))
        for s in part.stub or []:
            out.append(part.indent + s if s else "")
    return "\n".join(out)


def strip_all(text, path):
    """Every region keeps its solution; only the marker lines go."""
    return transform(text, path, None)
