"""Patterns from the cache behave as the ones `re` compiles itself: the same
matches, groups and flags, in a process that read them from the file."""

import re
import subprocess
import sys

import pytest

from yusuan import pattern_cache

SUPPORTED = sys.implementation.name == "cpython" and sys.version_info[:2] in pattern_cache._SUPPORTED

CASES = [
    (r"(?P<code>\d{3})(?:\d{2}){0,2}\s*(?P<name>[\u4e00-\u9fff]+)", 0, "20101 人大事务", ("201", "人大事务")),
    (r"单位[：:]\s*(万元|元)", 0, "单位：万元", ("万元",)),
    (r"^total$", re.IGNORECASE | re.MULTILINE, "x\nTOTAL\ny", ()),
    (r"(a)|(b)", 0, "b", (None, "b")),
]

PROGRAM = """
import re, sys, json
from yusuan import pattern_cache
pattern_cache.install()
out = []
for pattern, flags, text in json.loads(sys.argv[1]):
    p = re.compile(pattern, flags)
    m = p.search(text)
    out.append([p.pattern, p.flags, p.groups, dict(p.groupindex), m.group(0), list(m.groups()), m.span()])
print(json.dumps(out, ensure_ascii=False))
print(len(pattern_cache._known))
"""


@pytest.mark.skipif(not SUPPORTED, reason="the cache is only used on CPython 3.11–3.13")
def test_cached_patterns_match_as_re_compiles_them(tmp_path):
    import json

    env = {"YUSUAN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    arg = json.dumps([[p, f, t] for p, f, t, _ in CASES], ensure_ascii=False)
    runs = [subprocess.run([sys.executable, "-c", PROGRAM, arg], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    first, second = ([json.loads(r.stdout.splitlines()[0]), int(r.stdout.splitlines()[1])] for r in runs)
    assert [p.name for p in tmp_path.iterdir()][0].startswith("patterns-cpython-")
    assert second[1] >= len(CASES)  # the second process started with them in the cache
    assert first[0] == second[0]
    for (pattern, flags, text, groups), got in zip(CASES, second[0]):
        expected = re.compile(pattern, flags)
        m = expected.search(text)
        assert got == [pattern, expected.flags, expected.groups, dict(expected.groupindex), m.group(0),
                       list(m.groups()), list(m.span())]
        assert tuple(got[5]) == groups


@pytest.mark.skipif(not SUPPORTED, reason="the cache is only used on CPython 3.11–3.13")
def test_a_damaged_cache_file_is_ignored(tmp_path):
    env = {"YUSUAN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", PROGRAM, '[["a(b)", 0, "ab"]]'], env=env, check=True, capture_output=True)
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(b"\x00 not marshal")
    run = subprocess.run([sys.executable, "-c", PROGRAM, '[["a(b)", 0, "ab"]]'], env=env, check=True,
                         capture_output=True, text=True)
    assert run.stdout.splitlines()[0] == '[["a(b)", 32, 1, {}, "ab", ["b"], [0, 2]]]'
