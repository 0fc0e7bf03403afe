"""Writers: the model laid out once (`layout`), then serialised to DOCX,
XLSX and HTML, so every format prints the same document."""
