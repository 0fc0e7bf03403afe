"""Layout → one self-contained HTML file (inline CSS, no scripts): a heading
with the document's title, a linked table of contents, the same tables with
their merges, 款/项/其中 lines indented, codes and amounts never broken;
on a phone a table scrolls sideways inside its own box; printed on A4, each
standard table on a page of its own (a wide one on a landscape page), with
header rows repeated on every page."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..definitions import squash
from .layout import Layout, LCell, LParagraph, LRow, LTable, table_run
from .text_safety import xml_text

# Cells kept on one line: a code or an amount broken in two reads as two numbers.
_NOWRAP = {"seq", "code", "amount", "number"}
# Paragraph styles that open an entry of the table of contents, with its level.
_TOC = {"part": 1, "table_title": 2, "heading": 2, "caption": 3}


@cache
def _template():
    # Autoescaped (the template's name ends in .j2): every name and text
    # from the document is escaped; markup is only what the template writes.
    env = Environment(loader=PackageLoader("yusuan", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=False, lstrip_blocks=False)
    return env.get_template("disclosure.html.j2")


def _classes(c: LCell) -> str:
    names = []
    if c.numeric:
        names.append("num")
    if c.kind in _NOWRAP and not c.numeric:
        names.append("nowrap")
    if c.kind == "name":
        names.append("name")
    if c.indent:
        names.append(f"i{min(c.indent, 4)}")
    return " ".join(names)


def _spans(c: LCell) -> str:
    return ((f' colspan="{c.span}"' if c.span > 1 else "")
            + (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""))


def _head_row(role: str, cells: list[LCell]) -> str:
    tag = "td" if role == "info" else "th"
    return (f'\n<tr class="{escape(role)}">'
            + "".join(f"<{tag}{_spans(c)}>{escape(c.text)}</{tag}>" for c in cells if not c.merged)
            + "</tr>")


def _body_cell(c: LCell) -> str:
    classes = _classes(c)
    attr = f' class="{classes}"' if classes else ""  # fixed names: nothing to escape
    # a line break inside a cell (a name over two lines) prints as one
    text = str(escape(c.text)).replace("\n", "<br>")
    return f"<td{attr}{_spans(c)}>{text}</td>"


def _head(t: LTable) -> list[LRow]:
    n = t.header_rows + sum(1 for r in t.rows[: t.header_rows + 1] if r.role == "info")
    return [r for r in t.rows[:n] if r.role in ("info", "header", "lanci")]


def _table(t: LTable) -> dict:
    """The table as the web's table view renders it in its own template."""
    head = _head(t)
    body = [{"role": r.role, "cells": [(c, _classes(c)) for c in r.cells if not c.merged]} for r in t.rows[len(head):]]
    return {"kind": "t", "table": t, "head": head, "body": body}


def _table_markup(t: LTable) -> dict:
    """The table's markup, made here rather than in a template loop: that
    loop made half a dozen escaped Markup fragments per cell (630,000 at
    3,000 rows per table) and cost more per cell the longer the tables
    (19× the time for 10× the rows); here a cell is one string. Text is
    escaped as the template escaped it, so the page is byte for byte the
    same."""
    head = _head(t)
    parts = [f'\n<div class="scroll"><table class="{escape(t.kind)}">']
    if head:
        parts.append("\n<thead>")
        parts.extend(_head_row(r.role, r.cells) for r in head)
        parts.append("\n</thead>")
    parts.append("\n<tbody>")
    parts.extend(f'\n<tr class="{escape(r.role)}">' + "".join(_body_cell(c) for c in r.cells if not c.merged) + "</tr>"
                 for r in t.rows[len(head):])
    parts.append("\n</tbody>\n</table></div>")
    return {"kind": "t", "html": Markup("".join(parts))}


def write_html(lay: Layout) -> bytes:
    items = lay.items
    title = lay.title
    # paragraphs, tables, the table of contents, and each standard table
    # in a block of its own (one printed page)
    body: list[dict] = []
    toc: list[dict] = []
    contents_title = None
    counts: dict[str, int] = {}
    in_part = False  # entries before the first part (a budget's tables) are top-level

    def anchor(style: str, text: str, key: str | None = None) -> str:
        """An id for a heading, listed in the table of contents: a standard
        table's own id (#income), else the kind of heading numbered."""
        nonlocal in_part
        base = key or {"part": "part", "table_title": "table", "heading": "section", "caption": "tab"}[style]
        counts[base] = counts.get(base, 0) + 1
        name = base if key and counts[base] == 1 else f"{base}-{counts[base]}"
        in_part = in_part or style == "part"
        toc.append({"level": _TOC[style] if in_part else _TOC[style] - 1, "id": name, "text": text})
        return name

    def paragraph(p: LParagraph, key: str | None = None) -> dict:
        return {"kind": "p", "text": p.text, "style": p.style,
                "id": anchor(p.style, p.text, key) if p.style in _TOC else None}

    i = 0
    while i < len(items):
        end = table_run(items, i)
        if end > i:
            table = next(x for x in items[i:end] if isinstance(x, LTable))
            parts = [paragraph(x, table.kind) if isinstance(x, LParagraph) else _table_markup(x) for x in items[i:end]]
            body.append({"kind": "block", "page": True, "wide": table.wide, "items": parts})
            i = end
            continue
        item = items[i]
        i += 1
        if isinstance(item, LTable) and item.wide:
            # a wide table in the text (政府采购) prints on a landscape page, its caption with it
            caption = [body.pop()] if body and body[-1].get("style") == "caption" else []
            body.append({"kind": "block", "page": False, "wide": True, "items": [*caption, _table_markup(item)]})
        elif isinstance(item, LTable):
            body.append(_table_markup(item))
        elif item.style == "contents_title":
            # The printed contents become the linked table of contents.
            contents_title = item.text
            body.append({"kind": "toc"})
        elif item.style == "contents":
            continue
        elif item.style == "cover" and squash(item.text) in squash(title):
            continue  # the heading says it
        else:
            body.append(paragraph(item))
    if not any(b["kind"] == "toc" for b in body):
        lead = 0  # after the cover
        while lead < len(body) and body[lead].get("style") == "cover":
            lead += 1
        body.insert(lead, {"kind": "toc"})
    page = _template().render(title=title, body=body, toc=toc, contents_title=contents_title or "目录")
    # The template has no control characters: the document's text is
    # cleaned in one pass over the page (a lone surrogate could not even
    # be encoded).
    return xml_text(page).encode("utf-8")
