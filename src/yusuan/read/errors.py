"""The one error a reader raises: a short sentence the CLI prints after the
file name (no traceback)."""

from __future__ import annotations

from .. import cli_text


class ReadError(Exception):
    @classmethod
    def say(cls, key: str, **values) -> ReadError:
        """The error in the user's language, from data/cli.yaml (`read:`)."""
        return cls(cli_text.read_message(key, **values))


class LimitExceeded(ReadError):
    """A file past one of the limits of read/limits.py. `name` is the
    limit's, `limit` its value in force, `value` what the file has (None
    when reading stopped at the limit without knowing the whole)."""

    name: str = ""
    value: float | None = None
    limit: int = 0
