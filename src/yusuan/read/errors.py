"""The one error a reader raises: a short sentence the CLI prints after the
file name (no traceback)."""


class ReadError(Exception):
    pass
