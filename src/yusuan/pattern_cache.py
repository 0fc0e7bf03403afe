"""Compiled regular expressions kept between runs.

yusuan recognises tables, headings, units and wordings by several hundred
patterns, most of them from its data files, and CPython compiles each one
in pure Python at every start: a fifth of a short command's CPU. What the
compiler produces for a pattern is plain data (the engine's code as a list
of ints, the group names), which `_sre.compile` turns into the same Pattern
object the `re` module would make; that data is kept in the cache folder
(`cache.py`) as marshal data, so a later run skips parsing and compiling.

Only the step after `re`'s own in-process cache is replaced, and only on
the CPython versions whose compiler was read for this (3.11–3.13, whose
`_sre.compile` takes the same arguments); the entry file is named by the
interpreter and the engine's version (`_sre.MAGIC`), so another Python
never reads it, and the engine validates any code it is given. Anything
unexpected (a damaged entry, a bytes pattern, the DEBUG flag) goes the
ordinary way. `install()` is called by the command line, not on import:
a library user's process is left as it was."""

from __future__ import annotations

import atexit
import marshal
import re
import sys
from array import array

from . import cache

_SUPPORTED = {(3, 11), (3, 12), (3, 13)}
_LIMIT = 5000  # entries; past it the file is rewritten with this run's patterns only

# The engine's code as machine words: marshal loads bytes at once, where a
# list of a thousand patterns' ints took a short command 20 ms
_CODE = "I"
_DEBUG = int(re.DEBUG)  # an int: `int & RegexFlag` goes through enum's slow __and__

_known: dict[tuple[str, int], tuple] = {}
_used: set[tuple[str, int]] = set()
_added = False
_original = None


def _key() -> str:
    import _sre

    return f"patterns-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"


def _code(raw: bytes) -> list[int]:
    code = array(_CODE)
    code.frombytes(raw)
    return code.tolist()


def _compile(pattern, flags=0):
    global _added
    if not isinstance(pattern, str) or flags & _DEBUG:
        return _original(pattern, flags)
    import _sre
    from re import _compiler, _parser

    key = (pattern, flags)
    args = _known.get(key)
    if args is not None:
        try:
            flags_out, code, groups, groupindex, indexgroup = args
            compiled = _sre.compile(pattern, flags_out, _code(code), groups, groupindex, indexgroup)
            _used.add(key)
            return compiled
        except Exception:  # a damaged or foreign entry: compiled afresh below
            del _known[key]
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    compiled = _sre.compile(pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
                            tuple(indexgroup))
    _known[key] = (compiled.flags, array(_CODE, code).tobytes(), parsed.state.groups - 1, dict(groupindex),
                   tuple(indexgroup))
    _used.add(key)
    _added = True
    return compiled


def _save() -> None:
    if not _added:
        return
    keep = _known if len(_known) <= _LIMIT else {k: v for k, v in _known.items() if k in _used}
    try:
        data = marshal.dumps([(p, f, *args) for (p, f), args in keep.items()])
    except ValueError:
        return
    cache.store(_key(), data)


def _load() -> None:
    raw = cache.load(_key())
    if raw is None:
        return
    try:
        entries = marshal.loads(raw)
        for pattern, flags, *args in entries:
            _known[(pattern, flags)] = tuple(args)
    except (EOFError, ValueError, TypeError):
        _known.clear()


def install() -> None:
    """From now on in this process, patterns compiled by `re` come from the
    cache when it has them; new ones are added to it when the process ends."""
    global _original
    if (_original is not None or sys.implementation.name != "cpython" or sys.version_info[:2] not in _SUPPORTED
            or array(_CODE).itemsize != __import__("_sre").CODESIZE):
        return
    from re import _compiler

    if cache.folder() is None:
        return
    _load()
    _original = _compiler.compile
    _compiler.compile = _compile
    atexit.register(_save)
