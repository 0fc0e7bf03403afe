"""Line breaking for Chinese text with amounts in it, for the terminal.

Rich breaks lines at spaces and chops a "word" longer than the line
anywhere; Chinese has no spaces, so a whole finding is one word and an
amount in it can be cut in two (`7272.` / `94`). Here a line may break
between any two Chinese characters but never inside a run of digits or
Latin letters, never before closing punctuation and never after opening
punctuation (the usual 禁则).
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# A run kept whole: an amount, a code, a rate, a Latin word, a file name.
_TOKEN = re.compile(r"[-+−]?[0-9A-Za-z_][0-9A-Za-z_.,%‰:/\\\-]*[0-9A-Za-z_%‰]|[0-9A-Za-z_]|\s+|.", re.S)
# no line starts with these …
_CLOSING = set("，。、；：！？）」』”’》】〕…%‰,.;:!?)]}·")
# … and none ends with these
_OPENING = set("（「『“‘《【〔([{")


# Control characters (ESC starts an ANSI sequence that would recolour or
# rewrite the user's terminal) and the bidi overrides that reorder what is
# shown: a document's text is printed with these made visible, never obeyed.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe for a terminal: control characters shown as `\\x1b`."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def _units(text: str) -> list[str]:
    """Tokens glued into the pieces a line may not break inside."""
    units: list[str] = []
    glue_next = False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if units and (glue_next or tok[0] in _CLOSING):
            units[-1] += tok
        else:
            units.append(tok)
        glue_next = tok[-1] in _OPENING
    return units


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` at most `width` cells wide (a piece wider than
    the line — a very long number — gets a line of its own)."""
    text = printable(text)
    if width <= 0:
        return [text]
    lines: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for unit in _units(para):
            size = cell_len(unit)
            if used + size > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
                if unit.isspace():
                    continue
            line += unit
            used += size
        lines.append(line.rstrip())
    return lines


def hanging(text: str, width: int, indent: int) -> str:
    """`text` wrapped to `width`, every line after the first indented by
    `indent` spaces: the first line is assumed to follow a prefix that wide."""
    body = wrap(text, max(width - indent, 10))
    return ("\n" + " " * indent).join(body)
