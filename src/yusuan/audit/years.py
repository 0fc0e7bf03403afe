"""Years in the text: comparisons with the right year, and the document's year wherever a year is printed (rules W01–W02)."""

from __future__ import annotations
