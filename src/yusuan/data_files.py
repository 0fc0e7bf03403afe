"""The one way yusuan parses a YAML file of its own (`yusuan/data`).

libyaml's loader when PyYAML was built with it: it reads the same files
into the same values about ten times faster than the pure-Python one.
Even so, building the Python objects of every data file cost a short
command a third of its CPU, so each file's parsed value is also kept in
the user's cache folder (`cache.py`) as marshal data, keyed by the file's
text: marshal loads plain data a hundred times faster than YAML and, unlike
pickle, cannot run code. A changed file has another key, so an edited data
file is read again; a value marshal cannot hold (a YAML date) is simply not
cached. Callers keep the result in their own `functools.cache`, as each
checks and shapes it once; the parsed dict is not cached in memory here,
so no caller can change another's copy."""

from __future__ import annotations

import marshal
import zlib
from importlib import resources
from typing import Any

from . import cache


def _loader():
    import yaml  # only a data file missing from the cache needs PyYAML

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, loader: type | None = None) -> Any:
    import yaml

    return yaml.load(text, Loader=loader or _loader())


def data_file(name: str) -> Any:
    """A file under yusuan/data by its path there (`forms/budget/tables.yaml`)."""
    raw = resources.files("yusuan.data").joinpath(name).read_bytes()
    # two checksums and the length: not for security (the folder is the
    # user's own), only to tell an edited file, without loading OpenSSL
    key = f"data-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}-{len(raw)}"
    stored = cache.load(key)
    if stored is not None:
        try:
            return marshal.loads(stored)
        except (EOFError, ValueError, TypeError):
            pass  # a damaged cache entry: parsed again and rewritten below
    value = parse(raw.decode("utf-8"))
    try:
        cache.store(key, marshal.dumps(value))
    except ValueError:
        pass
    return value
