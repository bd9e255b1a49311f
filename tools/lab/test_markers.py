#!/usr/bin/env python3
"""test_markers.py - unit tests of tools/lab/markers.py (run by `make test`, stage labs).

  python3 tools/lab/test_markers.py        prints one line per test, exits 1 on a failure
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import markers  # noqa: E402

C_REGION = """int f(void)
{
\t/* LAB one: BEGIN task 1: the hint */
\treturn 42;
\t/* LAB one: ELSE
\t * LAB_TODO("one", "f()");
\t *
\t * \\tindented();
\t */
\t/* LAB one: END */
}
"""


def t_c_student():
    out = markers.transform(C_REGION, "x.c", "one")
    want = ("int f(void)\n{\n\t/* TODO(one lab) task 1: the hint */\n"
            "\tLAB_TODO(\"one\", \"f()\");\n\n\t\\tindented();\n}\n")
    assert out == want, repr(out)


def t_c_other_lab_keeps_solution():
    out = markers.transform(C_REGION, "x.c", "two")
    assert out == "int f(void)\n{\n\treturn 42;\n}\n", repr(out)


def t_no_else_removes_region():
    text = "a\n/* LAB one: BEGIN */\nstatic int helper;\n/* LAB one: END */\nb\n"
    assert markers.transform(text, "x.h", "one") == "a\nb\n"


def t_hash_style():
    text = "x = 1\n# LAB one: BEGIN\ny = 2\n# LAB one: ELSE\n# y = None\n#\n# LAB one: END\n"
    assert markers.transform(text, "g.py", "one") == "x = 1\ny = None\n\n"
    assert markers.transform(text, "g.py", "two") == "x = 1\ny = 2\n"


def t_unmarked_files_untouched():
    text = "/* LAB one: BEGIN */\n"
    assert markers.transform(text, "notes.md", "one") == text


def expect_error(text, path, words):
    try:
        markers.parse(text, path)
    except markers.MarkerError as e:
        for w in words:
            assert w in str(e), "%r not in %r" % (w, str(e))
        return
    raise AssertionError("no error for %r" % text)


def t_unclosed():
    expect_error("/* LAB one: BEGIN */\nx\n", "x.c", ["x.c:1", "never closed"])


def t_nested():
    expect_error("/* LAB one: BEGIN */\n/* LAB two: BEGIN */\n", "x.c", ["x.c:2", "nest"])


def t_end_without_begin():
    expect_error("x\n/* LAB one: END */\n", "x.c", ["x.c:2", "without BEGIN"])


def t_mismatched_lab():
    expect_error("/* LAB one: BEGIN */\n/* LAB two: END */\n", "x.c", ["lab two", "lab one"])


def t_malformed():
    expect_error("/* LAB one: BEGIN\n", "x.c", ["x.c:1", "malformed BEGIN"])
    expect_error("x; /* LAB one: END */\n", "x.c", ["malformed END"])


def t_bad_stub_prefix():
    expect_error("\t/* LAB one: BEGIN */\n\tx;\n\t/* LAB one: ELSE\n\tstub;\n\t */\n"
                 "\t/* LAB one: END */\n", "x.c", ["x.c:4", "stub line"])


def t_unclosed_else():
    expect_error("/* LAB one: BEGIN */\n/* LAB one: ELSE\n * y\nint z;\n", "x.c",
                 ["x.c:4", "close the ELSE comment"])


def t_code_after_stub():
    expect_error("/* LAB one: BEGIN */\n/* LAB one: ELSE\n * y\n */\nz;\n/* LAB one: END */\n",
                 "x.c", ["x.c:5", "after the ELSE"])


TESTS = [(n, f) for n, f in sorted(globals().items()) if n.startswith("t_")]


def run():
    """[(ok, name, detail)] for every test."""
    results = []
    for name, fn in TESTS:
        try:
            fn()
            results.append((True, name[2:], ""))
        except Exception as e:  # noqa: BLE001 - report any failure
            results.append((False, name[2:], "%s: %s" % (type(e).__name__, e)))
    return results


if __name__ == "__main__":
    bad = 0
    for ok, name, detail in run():
        print("%s %s %s" % ("ok  " if ok else "FAIL", name, detail))
        bad += not ok
    sys.exit(1 if bad else 0)
