"""Writing an output file without destroying anything.

Every file a command writes goes through `write_file`:

- never over one of the command's inputs, however the path is spelled
  (`./x`, `x`, a symlink to it, a hard link of it) — a finance officer's
  only copy of a disclosure must not become the rendering of itself;
- never over a file already there that this run did not write, unless the
  user said `--force`;
- written whole or not at all: the bytes go to a temporary file beside the
  target, are flushed to disk, and only then renamed over it (one atomic
  step), so a full disk or a crash half-way leaves the previous file as it
  was and no half-written file behind.

`write_new` is for files that must never be replaced at all (the compile
template beside an officer's filled workbook): it creates the file
exclusively, atomically too.

Refusals and failures raise `OutputError`, one line in the user's language
(data/output_messages.yaml) that names the file; the CLI prints it as it is.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path

from .cli_text import LANGS, lang
from .definitions import _load

PathLike = str | os.PathLike

# Every file this process has written, by its real path, with what it was
# when written (device, inode, size, time): a command may replace what it
# wrote itself earlier in the same run without --force, and nothing else.
# More than the name, so that a file someone else put there since is not
# taken for ours; more than the inode, which the system hands out again as
# soon as a replaced file's is free.
_created: dict[str, tuple[int, int, int, int]] = {}


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


@cache
def _messages() -> dict[str, dict[str, str]]:
    data = _load("output_messages.yaml")
    for key, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGS) or not all(isinstance(v, str) for v in entry.values()):
            raise ValueError(f"data/output_messages.yaml: {key} must give exactly zh and en texts, got {entry!r}")
    return data


class OutputError(Exception):
    """An output file was not written; the message says why, on one line,
    with the file named. `key` is the message's key in
    data/output_messages.yaml, `path` the file as the user gave it."""

    def __init__(self, message: str, key: str = "", path: Path | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.path = path

    @classmethod
    def say(cls, key: str, path: PathLike, **values) -> OutputError:
        text = _messages()[key][lang()].format(path=os.fspath(path), **values)
        return cls(text, key=key, path=Path(path))


def _is_stream(st: os.stat_result) -> bool:
    """A pipe or a character device (/dev/stdout, /dev/null, a terminal):
    written in place, there is nothing in it to destroy — and renaming a
    file over /dev/null, as root, would replace the device."""
    return stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)


def _same_file(target: Path, target_stat: os.stat_result | None, given: PathLike) -> bool:
    if os.path.realpath(given) == str(target):
        return True
    if target_stat is None:
        return False
    try:
        # a hard link, or a name differing only in case on a case-insensitive disk
        return os.path.samestat(target_stat, os.stat(given))
    except OSError:
        return False


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)  # follows a symlink: what would be written is its target
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise OutputError.say("cannot_write", path, reason=e.strerror or e) from None


def _check_folder(path: Path, target: Path) -> None:
    folder = target.parent
    shown = path.parent if not os.path.isdir(path.parent) else folder
    if not folder.exists():
        raise OutputError.say("no_folder", path, folder=os.fspath(shown))
    if not folder.is_dir():
        raise OutputError.say("not_a_folder", path, folder=os.fspath(shown))


def _target(path: PathLike, inputs: Iterable[PathLike], force: bool) -> tuple[Path, os.stat_result | None, bool]:
    """Where `path` would be written, what is there now, and whether it is a
    stream; raises OutputError when it must not be written."""
    given = Path(path)
    st = _stat(given)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError.say("is_directory", given)
        if _is_stream(st):
            return given, st, True
        if not stat.S_ISREG(st.st_mode):
            raise OutputError.say("not_regular", given)
    # The file a symlink points to is replaced, not the link: the user
    # pointed the link there on purpose.
    target = Path(os.path.realpath(given))
    for source in inputs:
        if _same_file(target, st, source):
            raise OutputError.say("same_as_input", given, input=os.fspath(source))
    if st is None:
        _check_folder(given, target)
    elif not force and _created.get(str(target)) != _identity(st):
        raise OutputError.say("exists", given)
    return target, st, False


def check_output(path: PathLike, *, inputs: Iterable[PathLike] = (), force: bool = False) -> Path:
    """Raise the OutputError `write_file` would raise before writing, so that
    a command can refuse before its work (a PDF takes seconds) rather than
    after. Returns the file that would be written (a symlink's target)."""
    return _target(path, inputs, force)[0]


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable. Not every system can open a folder
    (Windows cannot); there the rename is as durable as the system makes it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remember(path: Path) -> None:
    with suppress(OSError):
        _created[os.path.realpath(path)] = _identity(os.stat(path))


def _link_new(tmp: Path, target: Path, data: bytes, given: Path, exists: str) -> None:
    """Put the finished `tmp` at `target` only if nothing is there — a hard
    link fails rather than replace. Where the disk has no hard links (FAT,
    some network shares) the file is created exclusively and written in
    place, removed again if the write fails."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise OutputError.say(exists, given) from None
    except OSError:
        pass
    try:
        f = open(target, "xb")
    except FileExistsError:
        raise OutputError.say(exists, given) from None
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with suppress(OSError):
            os.unlink(target)
        raise


def _publish(target: Path, data: bytes, *, mode: int, given: Path, exclusive: str | None = None) -> None:
    """Write through a temporary file beside `target`; `exclusive` is the
    message key to refuse with when something is at `target` by then, or
    None to replace it."""
    folder = target.parent
    try:
        tmp_file = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False)
    except OSError as e:
        raise OutputError.say("cannot_write", given, reason=e.strerror or e) from None
    tmp = Path(tmp_file.name)
    try:
        with tmp_file:
            tmp_file.write(data)
            tmp_file.flush()
            os.fsync(tmp_file.fileno())
        os.chmod(tmp, mode)  # a temporary file is private (0600); the output is not
        if exclusive:
            _link_new(tmp, target, data, given, exclusive)
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise OutputError.say("cannot_write", given, reason=e.strerror or e) from e
        raise
    _sync_folder(folder)
    _remember(target)


def write_file(path: PathLike, data: bytes, *, inputs: Iterable[PathLike] = (), force: bool = False) -> Path:
    """Write `data` to `path` whole, or leave it as it was.

    Refused (OutputError) when `path` is one of `inputs` (as a path, through
    a symlink, or a hard link), is a directory or in a folder that does not
    exist, or holds a file this run did not write and `force` is not set.
    Forced over a file, the new one keeps the old one's permissions. A pipe
    or character device (/dev/stdout) is written in place. Returns `path`.
    """
    given = Path(path)
    inputs = list(inputs)
    target, st, stream = _target(given, inputs, force)
    if stream:
        try:
            with open(given, "wb") as f:
                f.write(data)
        except OSError as e:
            raise OutputError.say("cannot_write", given, reason=e.strerror or e) from e
        return given
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    # Nothing there when checked: created exclusively, so a file that
    # appears in the meantime is not replaced either.
    _publish(target, data, mode=mode, given=given, exclusive="exists" if st is None else None)
    return given


def write_new(path: PathLike, data: bytes) -> Path:
    """Create `path` with `data`, atomically, never replacing anything: a
    file already there (even one this run wrote) raises OutputError with
    key "exists_kept". Returns `path`."""
    given = Path(path)
    if os.path.lexists(given):
        if os.path.isdir(given):
            raise OutputError.say("is_directory", given)
        raise OutputError.say("exists_kept", given)
    _check_folder(given, Path(os.path.abspath(given)))
    _publish(given, data, mode=0o666 & ~_umask(), given=given, exclusive="exists_kept")
    return given
