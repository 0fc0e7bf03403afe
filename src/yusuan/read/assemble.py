"""Block stream → `Disclosure`.

Tables are identified by the paragraph printed above them (their title) and
checked against their header; everything after the first section heading is
the explanation, and the tables inside it are institutions, projects,
procurement or assets according to their titles and first cells.
"""

from __future__ import annotations

import re

from ..definitions import identify_table, squash, standard_ids
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
)
from . import explanation as ex
from . import projects as pj
from .blocks import Document, ParagraphBlock, TableBlock
from .errors import ReadError
from .tables import interpret_table

_NOTE = re.compile(r"^注[：:]")
_DEPT = re.compile(r"^(?P<code>\d{3,})?\s*(?P<name>\S.*)$")
_TITLE_DEPT = re.compile(r"(?P<name>\S+?)(?P<year>\d{4})年(?:度)?部门(?P<kind>预算|决算)")
_INSTITUTION_FIELDS = {"name": "单位名称", "kind": "性质", "rank": "规格", "funding": "经费"}


class _Assembler:
    def __init__(self, doc: Document):
        self.doc = doc
        self.fmt = doc.format
        self.tables: dict[str, Table] = {}
        self.procurement: Table | None = None
        self.assets: Table | None = None
        self.explanation = Explanation()
        self.institutions: list[Institution] = []
        self.projects: list[Project] = []
        self.last_table: Table | None = None
        self.title: ParagraphBlock | None = None
        self.title_used = False
        self.project: Project | None = None
        self.seen_sections: set[str] = set()
        self.started = False

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
        para = Paragraph(text=text, source=self.source(block))
        if _NOTE.match(text) and self.last_table is not None:
            self.last_table.notes.append(para)
            return
        self.last_table = None
        section = ex.parse_heading(text, self.seen_sections)
        if section is not None:
            section.source = para.source
            if section.key:
                self.seen_sections.add(section.key)
            self.explanation.sections.append(section)
            self.started = True
            self.title = None
            return
        if not self.started and ex.is_explanation_start(text):
            self.started = True
            self.explanation.title = text
            return
        self.title, self.title_used = block, False
        if not self.started:
            return  # table titles and page numbers between the tables
        if self.explanation.sections:
            self.explanation.sections[-1].paragraphs.append(para)
        else:
            self.explanation.preface.append(para)

    # -- tables -----------------------------------------------------------
    def table(self, block: TableBlock) -> None:
        title = self.title.text if self.title is not None else ""
        self.last_table = None
        if pj.is_project_table(block):
            self.project_table(block, title)
            return
        tdef = identify_table(title) if title else None
        if tdef is not None and not self.title_used:
            table = interpret_table(block, tdef, title, self.fmt)
            self.title_used = True
            if tdef.id == "procurement":
                self.procurement = table
            elif tdef.id == "assets":
                self.assets = table
            elif tdef.id not in self.tables:
                self.tables[tdef.id] = table
            self.last_table = table
            return
        if block.rows and squash(block.rows[0].cells[0].text if block.rows[0].cells else "") == "单位名称":
            self.institution_table(block)

    def project_table(self, block: TableBlock, title: str) -> None:
        if title and not self.title_used and pj.is_project_title(title):
            self.project = pj.new_project(title, self.source(self.title))
            self.projects.append(self.project)
            self.title_used = True
        if self.project is None:
            return
        if pj.is_indicator_table(block):
            pj.read_indicators(self.project, block, self.fmt)
        else:
            pj.read_head(self.project, block)

    def institution_table(self, block: TableBlock) -> None:
        header = [squash(c.text) for c in block.rows[0].cells]
        index = {f: next((i for i, h in enumerate(header) if p in h), None) for f, p in _INSTITUTION_FIELDS.items()}
        for r, row in enumerate(block.rows[1:], start=1):
            cells = [c.text for c in row.cells]
            values = {f: (cells[i] if i is not None and i < len(cells) else "") or None for f, i in index.items()}
            if not values["name"]:
                continue
            source = Source(format=self.fmt, block=block.index, row=r, line=row.line, page=row.page)
            self.institutions.append(Institution(**values, source=source))

    # -- the whole --------------------------------------------------------
    def finish(self) -> Disclosure:
        if not self.tables and not self.explanation.sections:
            raise ReadError("not a budget disclosure: none of the nine standard tables and no explanation sections found")
        order = standard_ids()
        tables = {k: self.tables[k] for k in order if k in self.tables}
        dept, year, unit = self.metadata(tables)
        exp = self.explanation
        duties_sec = exp.section("duties")
        perf_sec = exp.section("performance")
        gloss_sec = exp.section("glossary")
        kind = "final_accounts" if any("决算" in t.title for t in tables.values()) else "budget"
        return Disclosure(
            kind=kind,
            department=dept,
            year=year,
            unit=unit,
            source_format=self.fmt,
            tables=tables,
            explanation=exp,
            duties=ex.duties(duties_sec) if duties_sec else [],
            institutions=self.institutions,
            performance=ex.department_performance(perf_sec) if perf_sec else DepartmentPerformance(),
            projects=self.projects,
            procurement=self.procurement,
            assets=self.assets,
            glossary=ex.glossary(gloss_sec) if gloss_sec else [],
        )

    def metadata(self, tables: dict[str, Table]) -> tuple[Department, int | None, str | None]:
        infos = [t.header for t in tables.values()]
        dept_text = next((i.department for i in infos if i.department), None)
        year = next((i.year for i in infos if i.year), None)
        unit = next((i.unit for i in infos if i.unit in ("万元", "元")), None)
        title_match = _TITLE_DEPT.search(squash(self.explanation.title or ""))
        if dept_text and (m := _DEPT.match(dept_text)):
            dept = Department(code=m.group("code"), name=m.group("name").strip())
        elif title_match:
            dept = Department(name=title_match.group("name"))
        else:
            raise ReadError("not a budget disclosure: no department name in the table headers or the explanation title")
        if year is None and title_match:
            year = title_match.group("year")
        return dept, int(year) if year else None, unit


def assemble(doc: Document) -> Disclosure:
    return _Assembler(doc).run()
