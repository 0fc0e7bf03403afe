"""Block stream → `Disclosure`.

Tables are recognised by their title (printed above them or inside their
grid) and their header together (read/identify.py); the explanation is read
into sections by what their headings mean (numbered or not); project
performance tables, institutions and the table of contents by their first
cells. Whatever is left over is recorded as `Unread`, so nothing is lost
without a word. The form's profile and the document's scope are decided
last, from what was seen (read/profile.py).
"""

from __future__ import annotations

import re

from ..definitions import kind_of_title, profile_def, squash, table_defs, title_candidates
from ..model import (
    Department,
    DepartmentPerformance,
    Disclosure,
    Explanation,
    Institution,
    Paragraph,
    Project,
    Source,
    Table,
    Unread,
)
from . import explanation as ex
from . import projects as pj
from .blocks import Document, ParagraphBlock, TableBlock, TableRow
from .grid import place_row_right
from .errors import ReadError
from .identify import identify
from .profile import Features, choose_profile, detect_scope
from .tables import info_label, interpret_table, labelled_department, parse_info, split_lead

_NOTE = re.compile(r"^(注|说明)[：:]")  # a line right under a table that explains it (注：…, 说明：…本表无数据)
_DEPT = re.compile(r"^(?P<code>\d{3,})?[-—\s]*(?P<name>\S.*)$")
_TITLE_DEPT = re.compile(r"(?P<name>[^\d\s]{2,}?)(?P<year>\d{4})年(?:度)?(?:区级|省级|市级|县级)?(?:部门|单位)(?P<kind>预算|决算)")
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2})年度?")
_PAGE_NUMBER = re.compile(r"^[-—─\s]*\d{1,4}[-—─\s]*$")
_INFO_PARAGRAPH = re.compile(r"单位[：:]\s*(万元|元)|预算年度[：:]")
_INSTITUTION_FIELDS = {"name": "单位名称", "kind": "性质", "rank": "规格", "funding": "经费"}
_RESTART = re.compile(r"^(第[一1]部分|[一1][、.．])")
_RECENT = 3  # paragraphs kept as the possible title and info line of the next table


class _Assembler:
    def __init__(self, doc: Document):
        self.doc = doc
        self.fmt = doc.format
        self.tables: dict[str, Table] = {}
        self.procurement: Table | None = None
        self.assets: Table | None = None
        self.explanation = Explanation()
        self.cover: list[Paragraph] = []
        self.institutions: list[Institution] = []
        self.projects: list[Project] = []
        self.unread: list[Unread] = []
        self.features = Features()
        self.last_table: Table | None = None
        self.last_read = None  # (block, definition, title, info) of the last table read, for its continuation
        # recent paragraphs: (block, the list it was filed in) — a table's
        # title or info line is taken back out of the text when a table claims it
        self.recent: list[tuple[ParagraphBlock, list[Paragraph] | None]] = []
        self.project: Project | None = None
        self.project_title: ParagraphBlock | None = None
        self.seen_sections: set[str] = set()
        self.started = False
        self.toc = False
        self.toc_entries: set[str] = set()
        self.toc_meanings: set[str] = set()
        self.toc_page: int | None = None
        self.kind: str | None = None  # 决算 when the cover or contents say so: titles without 预算/决算 follow it

    def source(self, block) -> Source:
        return Source(format=self.fmt, block=block.index, line=block.line, page=block.page)

    def run(self) -> Disclosure:
        for block in self.doc.blocks:
            if isinstance(block, ParagraphBlock):
                self.paragraph(block)
            else:
                self.table(block)
        return self.finish()

    # -- paragraphs -------------------------------------------------------
    def paragraph(self, block: ParagraphBlock) -> None:
        text = block.text
        if _PAGE_NUMBER.match(text):
            return  # a running page number, not content
        para = Paragraph(text=text, source=self.source(block))
        # lines right under a table that speak of it (注：…, 说明：…, a template's
        # "…仍保留该表格式，并在本表下方作下述说明：") are its notes
        if (_NOTE.match(text) or "本表" in text) and self.last_table is not None:
            self.last_table.notes.append(para)
            return
        self.last_table = None
        self.last_read = None
        squashed = squash(text)
        self.features.words.append(squashed)
        if self.kind is None and not self.tables and (not self.started or self.toc):
            self.kind = kind_of_title(squashed) if "公开" in squashed or squashed.endswith(("决算", "预算")) else None
        if squashed == "目录":
            self.toc, self.toc_entries, self.toc_meanings = True, set(), set()
            return
        if self.toc and self.toc_entry(block, squashed):
            return
        current = self.explanation.sections[-1] if self.explanation.sections else None
        section = ex.parse_heading(text, self.seen_sections, current)
        if section is not None and _names_a_table(squashed):
            section = None  # 一、2017年度某部门收支预算总表: a numbered table title, not a section
        if section is not None:
            section.source = para.source
            if section.key:
                self.seen_sections.add(section.key)
            self.explanation.sections.append(section)
            self.started = True
            self.recent = []
            return
        if not self.started and ex.is_explanation_start(text):
            self.started = True
            self.explanation.title = text
            return
        if not self.started:
            target = self.cover
        elif self.explanation.sections:
            target = self.explanation.sections[-1].paragraphs
        else:
            target = self.explanation.preface
        target.append(para)
        self.recent = [*self.recent[-(_RECENT - 1):], (block, target)]
        self.project_title = block if pj.is_project_title(text) else self.project_title

    def toc_entry(self, block: ParagraphBlock, squashed: str) -> bool:
        """A table of contents lists headings without their text: it ends
        at a new page, a long paragraph, or a heading it already listed."""
        if not self.toc_entries:
            self.toc_page = block.page
        same_page = block.page is None or self.toc_page is None or block.page == self.toc_page
        if not same_page and not _RESTART.match(squashed):
            # contents running onto the next page go on numbering (四、… after 三、…);
            # the text itself starts again at 第一部分 or 一、
            self.toc_page, same_page = block.page, True
        key = re.sub(r"^[\d一二三四五六七八九十]+[、.．]\s*", "", squashed)
        # where pages are not known (DOCX, text), a heading of a kind already
        # listed (上海市某局主要职能 after 一、部门主要职能) is the text itself
        meaning = None if _names_a_table(key) else ex.section_key(key)
        repeated = meaning is not None and meaning in self.toc_meanings
        if same_page and len(squashed) <= 40 and key not in self.toc_entries and not repeated:
            self.toc_entries.add(key)
            if meaning is not None:
                self.toc_meanings.add(meaning)
            return True
        self.toc = False
        return False

    def take_back(self, block: ParagraphBlock) -> None:
        """A table's title or info line printed before the explanation is not
        cover text; inside the explanation it stays where it is printed (the
        writers place a table after the paragraph naming it)."""
        for i, (b, target) in enumerate(self.recent):
            if b is block:
                if target is self.cover and target and target[-1].source and target[-1].source.block == block.index:
                    target.pop()
                del self.recent[i]
                return

    # -- tables -----------------------------------------------------------
    def table(self, block: TableBlock) -> None:
        self.toc = False
        if not block.rows:
            return
        texts = [c.text for r in block.rows for c in r.cells if c.text]
        if len(texts) == 1 and _NOTE.match(texts[0]) and self.last_table is not None:
            # a note set in a cell under the table (workbooks)
            self.last_table.notes.append(Paragraph(text=texts[0], source=self.source(block)))
            return
        self.last_table = None
        first = squash(texts[0]) if texts else ""
        if first.startswith("目录"):
            return  # the table of contents, set as a table
        if pj.is_project_form(block):
            forms = pj.read_forms(block, self.fmt)
            self.projects += forms
            self.project = forms[-1]
            return
        title_block, info_block = self.title_above()
        title = title_block.text if title_block is not None else ""
        # a table titled as one of the form's (收入预算总表) is not a project's
        # head table, though both may open with 项目名称
        lead_title = split_lead([r.cells for r in block.rows]).title or ""
        if pj.is_project_table(block) and not (_names_a_table(squash(title)) or _names_a_table(squash(lead_title))):
            self.project_table(block)
            return
        if "单位名称" in (squash(c.text) for c in block.rows[0].cells[:3]):
            # the list of units (机构设置, 部门决算单位构成), numbered or not
            self.institution_table(block)
            return
        if title_block is None and self.continues(block):
            return
        found = identify(block, title, self.kind)
        if found is None:
            self.unrecognised(block, title)
            return
        tdef, layout, used_title = found
        info = None
        if info_block is not None:
            info = parse_info(_info_parts(info_block.text))
            self.take_back(info_block)
        if title_block is not None and used_title == title:
            self.take_back(title_block)
        elif layout.lead.title:
            self.features.layouts.add("title_in_grid")
        table, unread = interpret_table(block, tdef, used_title, self.fmt, layout, info)
        self.note_features(table, layout)
        self.unread += unread
        if tdef.id == "procurement" and self.procurement is None:
            self.procurement = table
        elif tdef.id == "assets" and self.assets is None:
            self.assets = table
        elif tdef.id not in self.tables and tdef.id not in ("procurement", "assets"):
            self.tables[tdef.id] = table
        else:
            self.unread.append(Unread(kind="table", table=tdef.id, text=used_title[:60], source=table.source,
                                      message=f"a second table recognised as {tdef.id} ({squash(used_title)}); the first was kept"))
            return
        self.last_table = table
        self.last_read = (block, tdef, used_title, info)
        self.recent = []

    def continues(self, block: TableBlock) -> bool:
        """A table without a title right after a recognised one, with the
        same columns or holding only a total row (合计 alone on the next
        page), continues it: the rows join and the table is read again."""
        if self.last_read is None:
            return False
        prev, tdef, title, info = self.last_read
        own = split_lead([r.cells for r in block.rows])
        if own.title or own.info:
            return False  # a table of its own
        texts = [squash(c.text) for r in block.rows for c in r.cells if c.text]
        only_totals = bool(texts) and all(
            any(squash(c.text) in ("合计", "总计") for c in r.cells) for r in block.rows if any(c.text for c in r.cells))
        if not (block.width == prev.width or only_totals):
            return False
        rows = block.rows
        if block.width != prev.width:
            # the total's label merged over the label columns: amounts align right
            rows = [TableRow(cells=place_row_right([c for c in r.cells], prev.width or 0), line=r.line, page=r.page)
                    for r in block.rows]
        joined = TableBlock(rows=[*prev.rows, *rows], width=prev.width, index=prev.index, line=prev.line,
                            page=prev.page)
        table, unread = interpret_table(joined, tdef, title, self.fmt, None, info)
        store = {"procurement": "procurement", "assets": "assets"}.get(tdef.id)
        old = getattr(self, store) if store else self.tables.get(tdef.id)
        if old is None:
            return False
        table.notes = old.notes
        if store:
            setattr(self, store, table)
        else:
            self.tables[tdef.id] = table
        self.unread = [u for u in self.unread if not (u.source and u.source.block == prev.index)] + unread
        self.last_table = table
        self.last_read = (joined, tdef, title, info)
        return True

    def title_above(self) -> tuple[ParagraphBlock | None, ParagraphBlock | None]:
        """The title and the info line printed as paragraphs above a table
        (the info line may stand between the title and the table)."""
        title = info = None
        for b, _ in reversed(self.recent):
            if info is None and title is None and _INFO_PARAGRAPH.search(b.text) and len(b.text) <= 80:
                info = b
                continue
            title = b
            break
        return title, info

    def note_features(self, table: Table, layout) -> None:
        self.features.tables.add(table.id)
        if layout.across:
            self.features.layouts.add("across")
        if any(c.kind == "code_part" for c in table.columns):
            self.features.layouts.add("code_parts")
        for text in table.header.printed:
            if label := info_label(text):
                self.features.info.add(label)
        if table.header.printed:
            self.features.words.append(squash("".join(table.header.printed)))
        self.features.words.append(squash(table.title))

    def unrecognised(self, block: TableBlock, title: str) -> None:
        cells = [c.text for r in block.rows for c in r.cells if c.text]
        if not cells:
            return
        text = squash(title or cells[0])[:60]
        self.unread.append(Unread(kind="table", text=text, source=self.source(block),
                                  message=f"a table ({len(block.rows)} rows) that is none of the form's tables: {text}"))

    def project_table(self, block: TableBlock) -> None:
        title_block = self.project_title
        if title_block is not None:
            self.project = pj.new_project(title_block.text, self.source(title_block))
            self.projects.append(self.project)
            self.project_title = None
        if self.project is None:
            self.unrecognised(block, "")
            return
        if pj.is_indicator_table(block):
            pj.read_indicators(self.project, block, self.fmt)
        else:
            pj.read_head(self.project, block)

    def institution_table(self, block: TableBlock) -> None:
        header = [squash(c.text) for c in block.rows[0].cells]
        index = {f: next((i for i, h in enumerate(header) if p in h), None) for f, p in _INSTITUTION_FIELDS.items()}
        for r, row in enumerate(block.rows[1:], start=1):
            # a name wrapped in its cell is one name
            cells = [re.sub(r"\s*\n\s*", "", c.text) for c in row.cells]
            values = {f: (cells[i] if i is not None and i < len(cells) else "") or None for f, i in index.items()}
            if not values["name"]:
                continue
            source = Source(format=self.fmt, block=block.index, row=r, line=row.line, page=row.page)
            self.institutions.append(Institution(**values, source=source))

    # -- the whole --------------------------------------------------------
    def finish(self) -> Disclosure:
        if not self.tables and not self.explanation.sections:
            raise ReadError.say("no_tables")
        scope = detect_scope(self.features)
        kind = "final_accounts" if any(table_defs()[t].kind == "final_accounts" for t in self.tables) else "budget"
        profile = choose_profile(self.features, scope, kind)
        pdef = profile_def(profile)
        order = [*pdef.tables, *(k for k in self.tables if k not in pdef.tables)]
        tables = {k: self.tables[k] for k in order if k in self.tables}
        dept, year, unit = self.metadata(tables)
        exp = self.explanation
        duties_sec = exp.section("duties")
        perf_sec = exp.section("performance")
        gloss_sec = exp.section("glossary")
        return Disclosure(
            kind=kind,
            profile=profile,
            scope=scope,
            department=dept,
            year=year,
            unit=unit,
            source_format=self.fmt,
            tables=tables,
            cover=self.cover,
            explanation=exp,
            duties=ex.duties(duties_sec) if duties_sec else [],
            institutions=self.institutions,
            performance=ex.department_performance(perf_sec) if perf_sec else DepartmentPerformance(),
            projects=self.projects,
            procurement=self.procurement,
            assets=self.assets,
            glossary=ex.glossary(gloss_sec) if gloss_sec else [],
            unread=self.unread,
        )

    def metadata(self, tables: dict[str, Table]) -> tuple[Department, int | None, str | None]:
        infos = [t.header for t in tables.values()]
        dept_text = next((i.department for i in infos if i.department), None)
        year = next((i.year for i in infos if i.year), None)
        units = [t.unit for t in tables.values() if t.unit]
        # the text's unit: what most tables print, else 万元 (the text of every form states 万元)
        unit = max(set(units), key=units.count) if units else None
        cover = [squash(p.text) for p in self.cover[:6]]
        # a cover title set on two lines ("某厅2018年度" / "部门预算公开") is one title
        titles = cover + ["".join(cover[:3])] + [squash(self.explanation.title or "")]
        title_match = next((m for t in titles if (m := _TITLE_DEPT.search(t))), None)
        cover_dept = next((name for p in self.cover[:6] if (name := labelled_department(p.text))), None)
        if dept_text and (m := _DEPT.match(dept_text)):
            dept = Department(code=m.group("code"), name=m.group("name").strip())
        elif cover_dept:
            dept = Department(name=cover_dept)
        elif title_match:
            dept = Department(name=title_match.group("name"))
        elif name := _dept_from_titles([t.title for t in tables.values()]):
            dept = Department(name=name)
        else:
            raise ReadError.say("no_department")
        if year is None and title_match:
            year = title_match.group("year")
        if year is None:
            years = [m.group(1) for t in [*titles, *(squash(t.title) for t in tables.values())] if (m := _TITLE_YEAR.search(t))]
            year = max(set(years), key=years.count) if years else None
        return dept, int(year) if year else None, unit


def _names_a_table(squashed: str) -> bool:
    return squashed.endswith("表") and bool(title_candidates(squashed))


def _dept_from_titles(titles: list[str]) -> str | None:
    """"2017年度江苏省高级人民法院部门收支预算总表" → 江苏省高级人民法院: the
    words between the year and 部门/单位 that most titles share."""
    names = []
    for t in titles:
        m = re.search(r"\d{4}年度?(?P<name>[^\d]{2,}?)(?:部门|单位)", squash(t))
        if m:
            names.append(m.group("name"))
    return max(set(names), key=names.count) if names else None


def _info_parts(text: str) -> list[str]:
    return [p for p in re.split(r"\s{2,}|\t", text) if p.strip()] or [text]


def assemble(doc: Document) -> Disclosure:
    return _Assembler(doc).run()

