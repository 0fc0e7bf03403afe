"""DOCX in, DOCX out: the findings as Word comments on the original package.

Only three parts change: word/document.xml gains comment marks (and a run
is split where a quote starts or ends inside it), word/comments.xml holds
the comments, and the relationship and content type of that part are added
when missing. Every other part is copied as it was.

Blocks are counted as `yusuan.read.docx` counts them (non-empty top-level
paragraphs and tables, into content controls, tracked changes accepted) so
a `Source.block`/`Source.row` of the model names the same element here.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Sequence

from lxml import etree

from ..audit.finding import Finding
from ..definitions import squash
from ..model import Disclosure
from ..read import limits
from ..read.blocks import clean_cell
from .places import Place, comment_text, locate_cell, places, summary_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_P, _TBL, _TR, _TC, _SDT, _R, _T = (W + x for x in ("p", "tbl", "tr", "tc", "sdt", "r", "t"))
_RPR, _PPR = W + "rPr", W + "pPr"
_GONE = (W + "del", W + "moveFrom")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)

AUTHOR = "yusuan"
COMMENTS_PART = "word/comments.xml"
_RELS_PART = "word/_rels/document.xml.rels"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def annotate_docx(data: bytes, d: Disclosure, findings: Sequence[Finding]) -> bytes:
    """The document with one comment per finding placed (see places.py) and
    one summary comment, on the first paragraph, for those with no place."""
    with limits.open_zip(data) as zf:
        infos = zf.infolist()
        parts = {i.filename: limits.read_member(zf, i) for i in infos}
    root = etree.fromstring(parts["word/document.xml"], _PARSER)
    blocks = _blocks(root)
    next_id = _max_comment_id(root, parts.get(COMMENTS_PART)) + 1
    comments: list[tuple[int, str]] = []
    unplaced: list[Finding] = []
    for place in places(d, findings):
        if not _mark(place, blocks, next_id):
            unplaced.append(place.finding)
            continue
        comments.append((next_id, comment_text(place.finding)))
        next_id += 1
    if unplaced:
        first = next((b for b in blocks if b.tag == _P), None)
        if first is None:
            first = _first_paragraph(blocks[0]) if blocks else None
        if first is None:  # an empty body: nowhere to hang the summary
            body = root.find(W + "body")
            first = etree.Element(_P)
            body.insert(0, first)
        _wrap(first, first, next_id)
        comments.insert(0, (next_id, summary_text(unplaced)))
    if not comments:
        return data
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[COMMENTS_PART] = _comments_xml(parts.get(COMMENTS_PART), comments)
    parts[_RELS_PART] = _with_relationship(parts.get(_RELS_PART))
    parts["[Content_Types].xml"] = _with_content_type(parts["[Content_Types].xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        names = [i.filename for i in infos]
        for info in infos:
            z.writestr(info, parts[info.filename])
        for name in (COMMENTS_PART, _RELS_PART):
            if name not in names:
                z.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), parts[name],
                           compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- the document's blocks, as the reader counts them ----------------------

def _gone(el) -> bool:
    """Inside a tracked deletion or a move away: not what the reader sees."""
    for a in el.iterancestors():
        if a.tag in _GONE:
            return True
        if a.tag == _P:
            return False
    return False


def _text_nodes(p) -> list:
    return [t for t in p.iter(_T) if not _gone(t)]


def _paragraph_text(p) -> str:
    out = []
    for node in p.iter(_T, W + "tab", W + "br", W + "cr"):
        if _gone(node):
            continue
        if node.tag == _T:
            out.append(node.text or "")
        elif node.tag == W + "tab":
            if node.getparent().tag != W + "tabs":
                out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _blocks(root) -> list:
    out: list = []

    def walk(parent):
        for el in parent:
            if el.tag == _P:
                if _paragraph_text(el).strip():
                    out.append(el)
            elif el.tag == _TBL:
                out.append(el)
            elif el.tag == _SDT:
                content = el.find(W + "sdtContent")
                if content is not None:
                    walk(content)

    body = root.find(W + "body")
    if body is not None:
        walk(body)
    return out


def _row_deleted(tr) -> bool:
    pr = tr.find(W + "trPr")
    return pr is not None and any(c.tag in _GONE for c in pr)


def _cell_deleted(tc) -> bool:
    pr = tc.find(W + "tcPr")
    return pr is not None and pr.find(W + "cellDel") is not None


def _rows(tbl) -> list:
    return [tr for tr in tbl.iterchildren(_TR) if not _row_deleted(tr)]


def _cells(tr) -> list:
    return [tc for tc in tr.iterchildren(_TC) if not _cell_deleted(tc)]


def _cell_text(tc) -> str:
    return clean_cell("\n".join(_paragraph_text(p) for p in tc.iterchildren(_P)))


def _first_paragraph(el):
    return el if el.tag == _P else next(el.iter(_P), None)


def _last_paragraph(el):
    if el.tag == _P:
        return el
    ps = list(el.iter(_P))
    return ps[-1] if ps else None


# -- placing the marks -------------------------------------------------------

def _mark(place: Place, blocks: list, cid: int) -> bool:
    """Marks for one place; False when the place is none or not found."""
    if place.kind == "none" or place.block is None or not 0 <= place.block < len(blocks):
        return False
    el = blocks[place.block]
    if place.kind == "cell":
        if el.tag != _TBL or place.row is None:
            return False
        rows = _rows(el)
        if not 0 <= place.row < len(rows):
            return False
        cells = _cells(rows[place.row])
        if not cells:
            return False
        i = locate_cell(place, [_cell_text(tc) for tc in cells])
        first, last = (cells[i], cells[i]) if i is not None else (cells[0], cells[-1])
        return _wrap(_first_paragraph(first), _last_paragraph(last), cid)
    # a project's place is its title; the words are in the tables after it
    near = blocks[place.block:place.block + (_AFTER_TITLE + 1 if place.kind == "block" else 1)]
    # the quote may run over the paragraphs of one cell (a goal written as
    # numbered lines)
    groups = []
    for b in near:
        groups += [[b]] if b.tag == _P else [list(tc.iterchildren(_P)) for tc in b.iter(_TC)]
    if place.quote:
        for group in groups:
            if _wrap_words(group, place.quote, cid):
                return True
    return _wrap(_first_paragraph(el), _last_paragraph(el), cid)


_AFTER_TITLE = 3  # a project's goal table and indicator table, and a note between


def _start(cid: int):
    return etree.Element(W + "commentRangeStart", {W + "id": str(cid)})


def _end_and_reference(cid: int) -> tuple:
    end = etree.Element(W + "commentRangeEnd", {W + "id": str(cid)})
    ref = etree.Element(_R)  # no CommentReference style: the document may not define it
    etree.SubElement(ref, W + "commentReference", {W + "id": str(cid)})
    return end, ref


def _wrap(first, last, cid: int) -> bool:
    """The whole of paragraphs first … last."""
    if first is None or last is None:
        return False
    ppr = first.find(_PPR)
    first.insert(0 if ppr is None else first.index(ppr) + 1, _start(cid))
    end, ref = _end_and_reference(cid)
    last.append(end)
    last.append(ref)
    return True


def _wrap_words(paragraphs: list, quote: str, cid: int) -> bool:
    """The words of `quote` (whitespace removed) in these paragraphs read
    as one text, splitting the runs where they start and end inside one."""
    want = squash(quote)
    nodes = [t for p in paragraphs for t in _text_nodes(p)]
    chars: list[tuple[object, int]] = []  # per non-space character: (w:t, offset)
    for t in nodes:
        for k, ch in enumerate(t.text or ""):
            if not ch.isspace():
                chars.append((t, k))
    flat = "".join((t.text or "")[k] for t, k in chars)
    at = flat.find(want)
    if at < 0 or not want:
        return False
    (t0, k0), (t1, k1) = chars[at], chars[at + len(want) - 1]
    _, first = _split(t0, k0)
    first.addprevious(_start(cid))
    if t1 is t0:
        k1 -= k0  # t0 now starts at the quote
    last, _ = _split(t1, k1 + 1)  # the piece before t1 goes between the start mark and t1
    end, ref = _end_and_reference(cid)
    last.addnext(end)
    end.addnext(ref)
    return True


def _run_of(t):
    r = t.getparent()
    return r if r.tag == _R else None


def _formatted_like(r):
    """An empty run with r's formatting (its w:rPr and attributes)."""
    new = etree.Element(_R, dict(r.attrib))
    rpr = r.find(_RPR)
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    return new


def _text(t, text: str):
    t.text = text
    t.set(XML_SPACE, "preserve")  # a piece may start or end with a space
    return t


def _split(t, k: int) -> tuple:
    """The run holding w:t `t` cut before character k of t: (the run that
    ends there, the run that starts there), None for a side with nothing.
    The part before the cut goes into a new run of the same formatting."""
    r = _run_of(t)
    if r is None:  # a w:t outside a run: mark around the text itself
        return t, t
    children = [c for c in r if c.tag != _RPR]
    i, whole = children.index(t), t.text or ""
    if k <= 0 and i == 0:
        return None, r
    if k >= len(whole) and i == len(children) - 1:
        return r, None
    head = _formatted_like(r)
    head.extend(children[:i])  # moved out of r
    if k >= len(whole):
        head.append(t)
    elif k > 0:
        head.append(_text(etree.Element(_T), whole[:k]))
        _text(t, whole[k:])
    r.addprevious(head)
    return head, r


# -- the comments part and its registration ---------------------------------

_ID_ATTR = re.compile(rb'w:id="(\d+)"')


def _max_comment_id(root, comments: bytes | None) -> int:
    ids = [int(x) for x in root.xpath(
        "//w:commentRangeStart/@w:id | //w:commentReference/@w:id", namespaces={"w": W_NS})
        if str(x).isdigit()]
    if comments:
        ids += [int(m) for m in _ID_ATTR.findall(comments)]
    return max(ids, default=-1)


def _comments_xml(existing: bytes | None, comments: list[tuple[int, str]]) -> bytes:
    if existing:
        root = etree.fromstring(existing, _PARSER)
    else:
        root = etree.Element(W + "comments", nsmap={"w": W_NS})
    for cid, text in comments:
        c = etree.SubElement(root, W + "comment", {W + "id": str(cid), W + "author": AUTHOR, W + "initials": "YS"})
        for n, line in enumerate(text.split("\n")):
            p = etree.SubElement(c, _P)
            if n == 0:
                etree.SubElement(etree.SubElement(p, _R), W + "annotationRef")
            t = etree.SubElement(etree.SubElement(p, _R), _T)
            t.text = line
            t.set(XML_SPACE, "preserve")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(rels: bytes | None) -> bytes:
    if rels:
        root = etree.fromstring(rels, _PARSER)
    else:
        root = etree.Element(_PKG_REL + "Relationships", nsmap={None: _PKG_REL[1:-1]})
    kids = list(root)
    if any(r.get("Type") == _COMMENTS_REL for r in kids):
        return rels
    taken = {r.get("Id") for r in kids}
    n = 1
    while f"rIdYusuan{n}" in taken:
        n += 1
    etree.SubElement(root, _PKG_REL + "Relationship",
                     {"Id": f"rIdYusuan{n}", "Type": _COMMENTS_REL, "Target": "comments.xml"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_content_type(types: bytes) -> bytes:
    root = etree.fromstring(types, _PARSER)
    if any(o.get("PartName") == "/" + COMMENTS_PART for o in root.iter(_CT + "Override")):
        return types
    etree.SubElement(root, _CT + "Override", {"PartName": "/" + COMMENTS_PART, "ContentType": _COMMENTS_TYPE})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
