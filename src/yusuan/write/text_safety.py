"""Text from a document made safe to write into XML (DOCX, XLSX) and HTML.

A disclosure's names come from whatever the department typed or pasted: a
bell (U+0007) or a terminal colour code (ESC [31m) copied along with a name
makes lxml and openpyxl refuse the whole document, and an XML reader refuses
the file. XML 1.0 allows tab, newline and carriage return among the control
characters and nothing else below U+0020, nor U+FFFE/U+FFFF, nor a
surrogate on its own (which Python strings can hold, e.g. from a decoding
with surrogateescape). Those are dropped: they print as nothing anyway.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
