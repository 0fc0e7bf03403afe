"""How much one input may make yusuan read, decompress and build.

    from yusuan.read import limits
    limits.check("table_columns", width)            # LimitExceeded past the limit
    with limits.override(file_size="1 GB"):          # a genuine, larger file
        read(path)
    limits.describe()                                # name, default, current, what, why

A few KB can ask for gigabytes: a gridSpan of twenty million, one cell at
XFD1048576, a zip bomb, a YAML alias bomb. Each reader checks the sizes a
file declares before it allocates for them, and counts what it actually
decompresses or builds, since a file's headers can lie. A file past a limit
is refused with one line that names the limit and how to raise it.

The values live in data/limits.yaml, nowhere else. A value in force is, in
order: an `override` in effect, the environment variable
YUSUAN_LIMITS="name=value,name=value", the default. Sizes may be written
with a unit: 500 MB, 64 KB, 1 GB (1 MB = 1,048,576 bytes).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from .. import cli_text
from ..definitions import _load
from .errors import LimitExceeded, ReadError

ENVIRONMENT = "YUSUAN_LIMITS"
UNITS = ("bytes", "count", "ratio")
_SIZES = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$", re.IGNORECASE)
_COUNT = re.compile(r"^\s*(\d[\d_]*)\s*$")
_NAME = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    unit: str  # bytes, count or ratio
    what: dict[str, str]  # zh, en: what it bounds, said in a refusal
    why: dict[str, str]  # zh, en: why the default is what it is


@dataclass(frozen=True)
class LimitRow:
    """One line of `describe()`, in the user's language."""

    name: str
    unit: str
    default: int
    current: int
    default_shown: str  # "200 MB", "20,000"
    current_shown: str
    what: str
    why: str


class BadLimitSetting(ReadError):
    """An override or YUSUAN_LIMITS names no limit, or gives no usable value."""


def _parse(unit: str, text: str | int) -> int | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text > 0 or (text == 0 and unit != "bytes") else None
    if unit == "bytes":
        m = _SIZE.match(str(text))
        if not m:
            return None
        value = int(float(m.group(1)) * _SIZES[m.group(2).lower()])
    else:
        m = _COUNT.match(str(text))
        if not m:
            return None
        # a count may be 0: none allowed (ocr_pages=0 reads no page by OCR)
        return int(m.group(1).replace("_", ""))
    return value if value > 0 else None


@cache
def table() -> dict[str, Limit]:
    """data/limits.yaml, checked: every limit has exactly a default, a unit,
    and what and why in zh and en."""
    raw = _load("limits.yaml")
    if not isinstance(raw, dict) or not isinstance(raw.get("limits"), dict):
        raise ValueError("data/limits.yaml: needs a mapping `limits:`")
    out = {}
    for name, entry in raw["limits"].items():
        where = f"data/limits.yaml: {name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"{where}: a name is lower-case words joined by _")
        if not isinstance(entry, dict) or set(entry) != {"default", "unit", "what", "why"}:
            raise ValueError(f"{where}: needs exactly default, unit, what and why, got {entry!r}")
        if entry["unit"] not in UNITS:
            raise ValueError(f"{where}: unit must be one of {UNITS}, got {entry['unit']!r}")
        for field in ("what", "why"):
            texts = entry[field]
            if not isinstance(texts, dict) or set(texts) != set(cli_text.LANGS) \
                    or not all(isinstance(t, str) and t for t in texts.values()):
                raise ValueError(f"{where}: {field} must give exactly zh and en texts, got {texts!r}")
        default = _parse(entry["unit"], entry["default"])
        if default is None:
            raise ValueError(f"{where}: default {entry['default']!r} is not a positive {entry['unit']} value")
        out[name] = Limit(name, default, entry["unit"], dict(entry["what"]), dict(entry["why"]))
    return out


def names() -> list[str]:
    return list(table())


def _limit(name: str) -> Limit:
    try:
        return table()[name]
    except KeyError:
        raise BadLimitSetting.say("limit_unknown", name=name, names=", ".join(table())) from None


def value_of(name: str, value: str | int) -> int:
    """A limit's value as given on a command line or in YUSUAN_LIMITS
    ("500 MB", "400", 400), checked."""
    limit = _limit(name)
    parsed = _parse(limit.unit, value)
    if parsed is None:
        key = "limit_bad_size" if limit.unit == "bytes" else "limit_bad_count"
        raise BadLimitSetting.say(key, name=name, value=value)
    return parsed


def parse(text: str) -> dict[str, int]:
    """"name=value,name=value" (YUSUAN_LIMITS, or `--limit` options joined
    by commas) → {name: value}; BadLimitSetting names what is wrong."""
    out = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise BadLimitSetting.say("limit_setting", setting=part.strip())
        out[name.strip()] = value_of(name.strip(), value.strip())
    return out


@lru_cache(maxsize=4)
def _from_environment(text: str) -> dict[str, int]:
    return parse(text)


_overrides: ContextVar[dict[str, int]] = ContextVar("yusuan_limit_overrides", default={})


@contextmanager
def override(**values: str | int):
    """Limits raised (or lowered) inside the `with`, over YUSUAN_LIMITS and
    the defaults: `with override(file_size="1 GB", table_columns=400): …`.
    Values are checked when the `with` is entered."""
    merged = {**_overrides.get(), **{name: value_of(name, v) for name, v in values.items()}}
    token = _overrides.set(merged)
    try:
        yield
    finally:
        _overrides.reset(token)


def current(name: str) -> int:
    """The value of a limit in force here and now."""
    limit = _limit(name)
    chosen = _overrides.get()
    if name in chosen:
        return chosen[name]
    env = os.environ.get(ENVIRONMENT, "")
    if env.strip():
        return _from_environment(env).get(name, limit.default)
    return limit.default


def show(name: str, value: float) -> str:
    """A value as the user reads it: 200 MB, 20,000, 200:1."""
    unit = _limit(name).unit
    if unit == "bytes":
        for suffix, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
            if value >= size:
                return f"{value / size:.1f}".removesuffix(".0") + " " + suffix
        return f"{int(value)} B"
    if unit == "ratio":
        return f"{value:,.0f}:1"
    return f"{int(value):,}"


def exceeded(name: str, value: float | None) -> LimitExceeded:
    """The refusal of a value past a limit; `value` None when only the
    limit is known to be passed (a stream stopped there)."""
    limit = current(name)
    what = _limit(name).what[cli_text.lang()]
    shown_value, shown_limit = (show(name, value), show(name, limit)) if value is not None else (None, None)
    if shown_value is not None and shown_value == shown_limit and _limit(name).unit == "bytes":
        shown_value, shown_limit = f"{int(value):,} B", f"{limit:,} B"  # 200.004 MB is past 200 MB
    if value is None:
        exc = LimitExceeded.say("limit_reached", what=what, limit=show(name, limit), name=name)
    else:
        exc = LimitExceeded.say("limit", what=what, value=shown_value, limit=shown_limit, name=name)
    exc.name, exc.value, exc.limit = name, value, limit
    return exc


def check(name: str, value: float) -> None:
    if value > current(name):
        raise exceeded(name, value)


class Tally:
    """A count that must stay within a limit as it grows (cells across
    a document's tables, bytes across a zip's parts)."""

    def __init__(self, name: str):
        self.name = name
        self.limit = current(name)
        self.count = 0

    def add(self, n: int = 1) -> None:
        self.count += n
        if self.count > self.limit:
            raise exceeded(self.name, None)


def describe() -> list[LimitRow]:
    """Every limit with its default and the value in force, for `yusuan
    limits` and the README."""
    lang = cli_text.lang()
    return [LimitRow(name=l.name, unit=l.unit, default=l.default, current=current(l.name),
                     default_shown=show(l.name, l.default), current_shown=show(l.name, current(l.name)),
                     what=l.what[lang], why=l.why[lang]) for l in table().values()]


# -- files -------------------------------------------------------------------------


def read_file(path: str | Path, name: str = "file_size") -> bytes:
    """A file's bytes, refused past the limit `name`. Only a regular file
    is opened: a FIFO would wait for a writer forever and a device such as
    /dev/zero never ends. A file that grows while it is read stops at the
    limit."""
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError.say("is_directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError.say("not_regular")
        check(name, st.st_size)
        # O_NONBLOCK: should the path become a FIFO after the stat, opening
        # it does not wait for a writer (fstat below then refuses it)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadError.say("no_such_file") from None
    except NotADirectoryError:
        raise ReadError.say("no_such_file") from None
    except IsADirectoryError:
        raise ReadError.say("is_directory") from None
    except OSError as exc:
        raise ReadError.say("cannot_read", reason=exc.strerror or exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError.say("not_regular")
        limit = current(name)
        chunks: list[bytes] = []
        total = 0
        while True:
            # the whole file in one read; one byte more tells that it grew
            chunk = os.read(fd, min(max(st.st_size + 1 - total, 1 << 20), limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise exceeded(name, None)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise ReadError.say("cannot_read", reason=exc.strerror or exc) from None
    finally:
        os.close(fd)


# -- zip (DOCX, XLSX) --------------------------------------------------------------

# What a damaged or hostile zip raises while it is read: the readers turn
# these into their own "damaged" message.
ZIP_ERRORS: tuple[type[BaseException], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                                               RuntimeError, NotImplementedError, ValueError, zlib.error)
try:
    import lzma

    ZIP_ERRORS += (lzma.LZMAError,)
except ImportError:  # a Python built without lzma reads no lzma zip either
    pass

_CENTRAL_ENTRY = b"PK\x01\x02"
_CHUNK = 1 << 20


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, after what its directory declares was checked: how many
    parts, each part's size and compression ratio, their total."""
    # zipfile builds an object for every central-directory entry, each of
    # which starts with this signature: count them before it does
    check("zip_members", data.count(_CENTRAL_ENTRY))
    zf = zipfile.ZipFile(BytesIO(data))
    total = 0
    for info in zf.infolist():
        check("zip_member_size", info.file_size)
        check("zip_ratio", info.file_size / max(info.compress_size, 1))
        total += info.file_size
    check("zip_total_size", total)
    return zf


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo | str, total: Tally | None = None) -> bytes:
    """One part decompressed, in bounded steps, counting what actually comes
    out (the declared sizes were checked by `open_zip`, but a header can
    lie); `total` counts across the parts of one zip."""
    if isinstance(info, str):
        info = zf.getinfo(info)
    most = current("zip_member_size")
    ratio = current("zip_ratio")
    packed = max(info.compress_size, 1)
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > most:
                raise exceeded("zip_member_size", None)
            if size / packed > ratio:
                raise exceeded("zip_ratio", None)
            if total is not None:
                total.add(len(chunk))
            chunks.append(chunk)
    return b"".join(chunks)


def members(zf: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Every part decompressed in turn, within the limits, the parts' total
    counted as it comes out."""
    total = Tally("zip_total_size")
    for info in zf.infolist():
        if not info.is_dir():
            yield info, read_member(zf, info, total)


# -- JSON --------------------------------------------------------------------------

_BRACKETS_ONLY = bytes(b for b in range(256) if b not in b"[]{}")


def check_json(data: bytes) -> None:
    """The model JSON's size, and its nesting depth counted on the bytes
    before a parser recurses into them."""
    check("json_size", len(data))
    limit = current("json_depth")
    if data.count(b"[") + data.count(b"{") <= limit:
        return  # cannot nest deeper than it has brackets
    # brackets inside strings do not nest: drop escaped backslashes and
    # quotes, then every other stretch between quotes is a string
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(plain.split(b'"')[::2]).translate(None, _BRACKETS_ONLY)
    depth = 0
    for b in outside:
        if b == 0x5B or b == 0x7B:  # [ {
            depth += 1
            if depth > limit:
                raise exceeded("json_depth", None)
        else:
            depth -= 1


# -- YAML --------------------------------------------------------------------------


def load_yaml(text: str):
    """YAML as `yaml.safe_load` reads it, refused when its aliases would
    write out past `yaml_nodes` nodes (billion laughs: a kilobyte of nested
    aliases that anything walking the result expands to billions). A node
    that contains itself through an alias is a yaml.YAMLError."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_document(self):
            node = super().compose_document()
            check("yaml_nodes", _expanded(node, yaml))
            return node

    return yaml.load(text, Loader=Loader)


def _expanded(root, yaml) -> int:
    """How many nodes the document has with every alias written out; each
    distinct node is visited once, so an alias bomb costs its size only."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = _children(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            continue
        if key in size:
            continue
        if key in on_path:
            raise yaml.composer.ComposerError(None, None, "an alias refers to a node that contains it",
                                              node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        stack += [(k, False) for k in kids if id(k) not in size]
    return size[id(root)]


def _children(node) -> list:
    if isinstance(node.value, list):
        return [x for item in node.value for x in (item if isinstance(item, tuple) else (item,))]
    return []
