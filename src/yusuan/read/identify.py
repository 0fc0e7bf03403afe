"""Which table is this? The printed title and the header scored together.

A title names the kind of table (收入预算总表 …) but provinces print the
same title over different tables (Jiangsu's 收入预算总表 lists income by
source, Hebei's by functional code), so every definition whose title fits
is tried on the header, and the one that maps most of the printed columns
— and leaves fewest unmapped — wins; on a tie, the more specific title.
"""

from __future__ import annotations

from ..definitions import TableDef, squash, title_candidates
from .blocks import TableBlock
from .tables import Layout, lay_out, split_lead


def identify(block: TableBlock, title: str, kind: str | None = None) -> tuple[TableDef, Layout, str] | None:
    """The definition, the block laid out for it, and the title it was
    recognised by (printed inside the grid, else the paragraph above)."""
    lead = split_lead([r.cells for r in block.rows])
    for text in (lead.title, title):
        if not text:
            continue
        candidates = title_candidates(squash(text), kind)
        if not candidates:
            continue
        scored = []
        for d in candidates:
            lay = lay_out(block, d)
            mapped, unmapped = lay.fit
            scored.append(((mapped - 2 * unmapped, len(d.title.pattern)), d, lay))
        (_, best, lay) = max(scored, key=lambda s: s[0])
        return best, lay, text
    return None
