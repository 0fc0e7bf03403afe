"""Layout → one self-contained HTML file (inline CSS, no scripts): the same
tables with their merges, scrolling sideways on a phone, printable with
header rows repeated on every page."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .layout import Layout, LParagraph, LTable


@cache
def _template():
    env = Environment(loader=PackageLoader("yusuan", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=False, lstrip_blocks=False)
    return env.get_template("disclosure.html.j2")


def _split(t: LTable) -> dict:
    n = t.header_rows + sum(1 for r in t.rows[: t.header_rows + 1] if r.role == "info")
    head = [r for r in t.rows[:n] if r.role in ("info", "header", "lanci")]
    return {"kind": "t", "table": t, "head": head, "body": t.rows[len(head):]}


def write_html(lay: Layout) -> bytes:
    items = [{"kind": "p", "text": i.text, "style": i.style} if isinstance(i, LParagraph) else _split(i) for i in lay.items]
    return _template().render(title=lay.title, items=items).encode("utf-8")
