"""The one error a reader raises: a short sentence the CLI prints after the
file name (no traceback)."""

from __future__ import annotations

from .. import cli_text


class ReadError(Exception):
    @classmethod
    def say(cls, key: str, **values) -> ReadError:
        """The error in the user's language, from data/cli.yaml (`read:`)."""
        return cls(cli_text.read_message(key, **values))
