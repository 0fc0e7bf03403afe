"""科目 names in the text by year: valid in the document's year, and agreeing with their code and the tables (rules W09–W10)."""

from __future__ import annotations
