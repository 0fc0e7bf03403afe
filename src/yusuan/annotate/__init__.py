"""Annotated copies of a disclosure: the original file with the audit's
findings as comments (DOCX), annotations (PDF) or notes (XLSX), each on the
cell or the words it is about (see places.py)."""
